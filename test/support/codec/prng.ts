/** mulberry32: a small, fast, seeded PRNG so fuzz runs are reproducible from their seed. */
export class Prng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform uint32. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p * 4294967296
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }
}
