/**
 * Delta debugging (Zeller and Hildebrandt's ddmin): the smallest subset of a failing batch's
 * cases that still makes the DUT unwell. The test is whatever sends a subset to a fresh DUT and
 * checks its health, so the algorithm here stays pure and is tested with made-up predicates.
 * Trials are bounded: a live trial restarts the DUT and costs seconds.
 */

export interface MinimizeResult<T> {
  /** The smallest failing subset found (the input when nothing smaller failed). */
  minimal: T[]
  trials: number
  /** The trial budget ran out before the subset was 1-minimal. */
  exhausted: boolean
}

function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = []
  const size = Math.ceil(items.length / n)
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * `items` must fail (the caller has seen it fail). `fails(subset)` answers whether that subset
 * alone fails. Subsets keep the items' order.
 */
export async function ddmin<T>(items: readonly T[], fails: (subset: T[]) => Promise<boolean>, o: { maxTrials: number }): Promise<MinimizeResult<T>> {
  let current = [...items]
  let n = 2
  let trials = 0
  const trial = async (s: T[]) => {
    trials++
    return fails(s)
  }
  while (current.length >= 2) {
    const parts = chunks(current, Math.min(n, current.length))
    let reduced = false
    for (const part of parts) {
      if (trials >= o.maxTrials) return { minimal: current, trials, exhausted: true }
      if (await trial(part)) {
        current = part
        n = 2
        reduced = true
        break
      }
    }
    if (!reduced && parts.length > 2) {
      for (let i = 0; i < parts.length; i++) {
        if (trials >= o.maxTrials) return { minimal: current, trials, exhausted: true }
        const complement = parts.filter((_, j) => j !== i).flat()
        if (await trial(complement)) {
          current = complement
          n = Math.max(n - 1, 2)
          reduced = true
          break
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break
      n = Math.min(n * 2, current.length)
    }
  }
  return { minimal: current, trials, exhausted: false }
}
