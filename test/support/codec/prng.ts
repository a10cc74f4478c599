/**
 * The fuzzer's random source: the engines' seeded mulberry32 stream
 * (harness/engines/random.ts), so fuzz runs are reproducible from their seed,
 * with the integer draws and picks a mutator needs.
 */
import { SeededRandom } from '../../../harness/engines/random.ts'

export class Prng extends SeededRandom {
  /** Uniform integer in [0, n) (modulo bias is harmless for fuzzing). */
  int(n: number): number {
    return n <= 0 ? 0 : this.nextUint32() % n
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }
}
