/**
 * Seeded randomness for engines. Everything random an engine does (Delay_Req spacing,
 * which Follow_Ups a "drop 10 %" mutation drops) must be reproducible from a seed, so a
 * failing run can be replayed exactly.
 *
 * Two forms:
 * - `SeededRandom`: a mulberry32 stream, for draws whose order is fixed by the engine
 *   itself (the n-th Delay_Req interval).
 * - `unitHash(seed, ...keys)`: a pure function of its inputs, for per-message decisions.
 *   "Is Follow_Up #1234 dropped?" then does not depend on how other traffic interleaved,
 *   so two runs of the same scenario drop the same sequenceIds.
 */

export class SeededRandom {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** 32 random bits as an unsigned integer. */
  nextUint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0
  }

  /**
   * Uniform integer nanoseconds in (lo, hi] — half-open at the bottom because the 1588-2008
   * Delay_Req rule draws from (0, 2T]: an interval of exactly 0 is not allowed.
   * Built from 53 random bits, so it is exact enough for any PTP interval.
   */
  uniformNs(lo: bigint, hi: bigint): bigint {
    if (hi <= lo) throw new RangeError(`empty range (${lo}, ${hi}]`)
    const span = hi - lo
    const r = BigInt(this.nextUint32()) * 2097152n + BigInt(this.nextUint32() >>> 11) // 53 bits
    return lo + 1n + ((r * span) >> 53n) % span
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** A uniform integer in [0, n) (0 when n ≤ 0). */
  below(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n)
  }

  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1)
  }

  /** One of `xs`, uniformly. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!
  }

  /** A child stream, reproducible from this stream's seed and a label. */
  fork(label: string | number): SeededRandom {
    return new SeededRandom(Math.floor(unitHash(this.seed, label) * 4294967296))
  }
}

/** FNV-1a over a string, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A value in [0, 1) determined only by the seed and the keys (murmur3 finaliser over FNV-1a). */
export function unitHash(seed: number, ...keys: ReadonlyArray<string | number | bigint>): number {
  let h = fnv1a(`${seed >>> 0}|${keys.join('|')}`)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}
