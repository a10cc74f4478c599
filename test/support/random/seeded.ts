/**
 * The engines' seeded stream (harness/engines/random.ts) as a plain function,
 * so statistical tests are reproducible: each call is the next value in [0, 1).
 */
import { SeededRandom } from '../../../harness/engines/random.ts'

export function seededRandom(seed: number): () => number {
  const stream = new SeededRandom(seed)
  return () => stream.next()
}
