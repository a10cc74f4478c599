/**
 * Order statistics over integer nanoseconds. Exact (no floating point) for the
 * values themselves; only means and ratios become numbers at the reporting edge.
 */

export interface Summary {
  count: number
  min: bigint
  max: bigint
  /** Arithmetic mean, rounded toward zero to whole nanoseconds. */
  mean: bigint
  p50: bigint
  p90: bigint
  p99: bigint
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Nearest-rank percentile (p in 0..100) of an already sorted array. */
export function percentileSorted(sorted: readonly bigint[], p: number): bigint {
  if (sorted.length === 0) throw new RangeError('percentile of an empty series')
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export function summarize(values: readonly bigint[]): Summary {
  if (values.length === 0) throw new RangeError('summary of an empty series')
  const sorted = [...values].sort(compare)
  let sum = 0n
  for (const v of sorted) sum += v
  return {
    count: sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sum / BigInt(sorted.length),
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
  }
}

/** Successive differences of a time series (which must be in arrival order). */
export function intervals(timestampsNs: readonly bigint[]): bigint[] {
  const out: bigint[] = []
  for (let i = 1; i < timestampsNs.length; i++) out.push(timestampsNs[i]! - timestampsNs[i - 1]!)
  return out
}

