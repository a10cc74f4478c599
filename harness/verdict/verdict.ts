/**
 * Verdicts and checks: the vocabulary every conformance test reports in.
 *
 * A test never says "pass" where the harness could not see well enough to decide:
 * every bound is judged with the harness's own measurement noise, and a measured
 * value that lies within that noise of the limit is `inconclusive`, not `pass`.
 */

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'not-applicable'

/** One measured value judged against one limit, with the limit's source. */
export interface Check {
  /** What was checked, e.g. "Announce mean interval". */
  name: string
  verdict: Verdict
  /** The measured value as a person reads it (numbers keep their unit in `unit`). */
  measured: string | number | boolean | null
  /** The limit in words, e.g. "≥ 0.7 s and ≤ 1.3 s". */
  limit: string
  unit?: string
  /** Where the limit comes from: clause of the standard or the profile value's source. */
  source: string
  /** The limit rests on a value the reference could not confirm against the standard. */
  unconfirmed?: boolean
  /** The harness's own measurement noise, in the same unit as `measured`. */
  noise?: number
  /** Why the verdict is what it is, when the numbers alone do not say it. */
  detail?: string
}

const rank: Record<Verdict, number> = { 'not-applicable': 0, pass: 1, inconclusive: 2, fail: 3 }

/** A test's verdict from its checks: any fail fails; otherwise any inconclusive; otherwise pass. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  let worst: Verdict = 'not-applicable'
  for (const v of verdicts) if (rank[v] > rank[worst]) worst = v
  return worst
}

export function combineChecks(checks: Check[]): Verdict {
  return combineVerdicts(checks.map((c) => c.verdict))
}

/**
 * Judge `measured ≤ limit` (or `≥` with direction 'min') when the measurement
 * carries an uncertainty of ±noise. Pass only if the whole uncertainty band is
 * inside the limit, fail only if the whole band is outside, otherwise inconclusive.
 */
export function judgeBound(measured: number, limit: number, noise: number, direction: 'max' | 'min'): Verdict {
  const n = Math.abs(noise)
  if (direction === 'max') {
    if (measured + n <= limit) return 'pass'
    if (measured - n > limit) return 'fail'
    return 'inconclusive'
  }
  if (measured - n >= limit) return 'pass'
  if (measured + n < limit) return 'fail'
  return 'inconclusive'
}

/** Judge `lo ≤ measured ≤ hi` with noise: the weaker of the two one-sided judgements. */
export function judgeRange(measured: number, lo: number, hi: number, noise: number): Verdict {
  return combineVerdicts([judgeBound(measured, lo, noise, 'min'), judgeBound(measured, hi, noise, 'max')])
}

/** A check for an exact expectation (a field value, a flag): no noise involved. */
export function exactCheck(
  name: string,
  measured: string | number | boolean | null,
  expected: string | number | boolean | null,
  source: string,
  extra: Partial<Check> = {},
): Check {
  return {
    name,
    measured,
    limit: `= ${String(expected)}`,
    source,
    verdict: measured === expected ? 'pass' : 'fail',
    ...extra,
  }
}
