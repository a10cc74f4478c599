/**
 * Spacing of a slave's Delay_Req messages, under the two rules profiles use:
 *
 * - `uniform-0-2x` (IEEE 1588-2008 9.5.11.2, default profiles): each interval drawn
 *   uniformly from (0, 2·T], T = 2^logMinDelayReqInterval. Checked as: no interval above
 *   2·T; the mean interval (the request rate) within T ± z·σ/√n, σ = T/√3 being the
 *   standard deviation of U(0, 2T]; and a Kolmogorov–Smirnov test of the shape against
 *   U(0, 2T) (catches fixed or clustered spacing).
 * - `pct-of-nominal` (ITU-T G.8275.1 6.2.8): intervals within ±pct % of T, judged by the
 *   same fraction rule as the message-interval rule.
 *
 * Sample counts and error rates (seeded Monte-Carlo in test/unit/stats/interval_rule.spec.ts):
 * the mean test's two-sided α is 0.005 and the KS test's 0.001, so a conformant slave fails
 * at most ~0.6 % of runs. A slave requesting 20 % too fast (mean T/1.2) shifts the mean by
 * T/6; with n = 256 that is 4.6 σ of the mean, 1.8 σ beyond the 2.807 σ limit: it fails
 * ≥ 95 % of runs. Under ±30 %, a slave 20 % fast keeps only ~77 % of its intervals in the
 * window, so 100 intervals and the 90 % rule fail it in practically every run.
 */
import { type Check, judgeBound, judgeRange } from '../verdict/verdict.ts'
import { countWithin, judgeFraction, pctWindow } from './interval_rule.ts'
import { summarize } from './percentiles.ts'
import { formatNs } from '../time/format.ts'

export type DelayReqSpacingRule =
  | { rule: 'uniform-0-2x'; source: string; minSamples: number; unconfirmed?: boolean }
  | { rule: 'pct-of-nominal'; pct: number; fractionWithin: number; source: string; minSamples: number; unconfirmed?: boolean }

/** Intervals each rule needs for the error rates above. */
export const DELAY_REQ_SAMPLES: Record<DelayReqSpacingRule['rule'], number> = { 'uniform-0-2x': 256, 'pct-of-nominal': 100 }

/** Two-sided α = 0.005 normal quantile: the mean test's limit in standard errors. */
export const MEAN_Z = 2.807

/** KS critical value for α = 0.001, large-sample form. */
const KS_C_ALPHA_0_001 = 1.949

/** Kolmogorov–Smirnov statistic of samples against U(0, upper). */
export function ksUniform(values: readonly bigint[], upperNs: bigint): number {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const n = sorted.length
  const upper = Number(upperNs)
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = Math.min(1, Math.max(0, Number(sorted[i]!) / upper))
    d = Math.max(d, (i + 1) / n - f, f - i / n)
  }
  return d
}

/** The band a conformant uniform (0, 2T] slave's mean of n intervals stays in (1 − α = 0.995). */
export function uniformMeanWindow(nominalNs: bigint, n: number): { lo: number; hi: number; halfWidth: number } {
  const halfWidth = (MEAN_Z * Number(nominalNs)) / Math.sqrt(3 * n)
  return { lo: Number(nominalNs) - halfWidth, hi: Number(nominalNs) + halfWidth, halfWidth }
}

/**
 * `noiseNs` is the ± of one timestamp (the mean and the ±pct fractions use it); `tailNs` the
 * latest a single timestamp was seen (HarnessNoise.tailNs), the ± of the largest interval: one
 * late RX timestamp lengthens one interval by that much, and an extreme does not average out.
 */
/**
 * `sharedCpuStall`: in the lab the DUT runs on the harness's own vCPUs, and a stall of the machine
 * holds its send as it holds the harness's (`sendLateness`, measured during the test). An
 * interval beyond 2T by no more than that stall plus `tailNs` is not the DUT's doing for certain:
 * inconclusive, with both figures. Only beyond 2T: a held send lengthens its interval.
 */
export function scoreDelayReqSpacing(
  intervalsNs: readonly bigint[],
  nominalNs: bigint,
  rule: DelayReqSpacingRule,
  noiseNs: bigint,
  tailNs: bigint = noiseNs,
  sharedCpuStall?: { ns: bigint; how: string },
): Check[] {
  const base = { source: rule.source, unconfirmed: rule.unconfirmed }
  const n = intervalsNs.length
  if (n < rule.minSamples) {
    return [
      {
        ...base,
        name: 'Delay_Req spacing: enough intervals to judge',
        measured: n,
        unit: 'intervals',
        limit: `≥ ${rule.minSamples} intervals`,
        verdict: 'inconclusive',
        detail: `only ${n} Delay_Req intervals were captured`,
      },
    ]
  }
  const s = summarize(intervalsNs)
  const noise = Number(noiseNs)
  const tail = tailNs > noiseNs ? tailNs : noiseNs
  if (rule.rule === 'uniform-0-2x') {
    const upper = 2n * nominalNs
    const meanWin = uniformMeanWindow(nominalNs, n)
    const d = ksUniform(intervalsNs, upper)
    const crit = KS_C_ALPHA_0_001 / Math.sqrt(n)
    return [
      {
        ...base,
        name: 'Delay_Req spacing: largest interval',
        measured: Number(s.max),
        unit: 'ns',
        limit: `≤ ${formatNs(upper)} (2 × 2^logMinDelayReqInterval)`,
        noise: Number(tail),
        ...largestIntervalVerdict(s.max, upper, tail, sharedCpuStall),
      },
      {
        ...base,
        name: 'Delay_Req spacing: mean interval (request rate)',
        measured: Number(s.mean),
        unit: 'ns',
        limit: `${formatNs(BigInt(Math.round(meanWin.lo)))} … ${formatNs(BigInt(Math.round(meanWin.hi)))} (T ± ${MEAN_Z}·T/√(3n), n = ${n}: U(0, 2T] has mean T, σ T/√3; two-sided α = 0.005)`,
        noise,
        verdict: judgeRange(Number(s.mean), meanWin.lo, meanWin.hi, noise),
        detail: `mean ${((Number(s.mean) / Number(nominalNs)) * 100).toFixed(1)} % of T = ${formatNs(nominalNs)}`,
      },
      {
        ...base,
        name: 'Delay_Req spacing: uniform over (0, 2T] (Kolmogorov–Smirnov)',
        measured: Number(d.toFixed(4)),
        unit: 'KS D',
        limit: `≤ ${crit.toFixed(4)} (α = 0.001, n = ${n})`,
        verdict: d <= crit ? 'pass' : 'fail',
      },
    ]
  }
  const win = pctWindow(nominalNs, rule.pct)
  const c = countWithin(intervalsNs, win.lo, win.hi, noiseNs)
  return [
    {
      ...base,
      name: `Delay_Req spacing: intervals within ±${rule.pct} % of nominal`,
      measured: Number((c.sure / n).toFixed(4)),
      unit: 'fraction',
      limit: `≥ ${rule.fractionWithin} of ${n} intervals in ${formatNs(win.lo)} … ${formatNs(win.hi)}`,
      verdict: judgeFraction(c.sure, c.possible, n, rule.fractionWithin),
      detail: `${c.sure} surely inside, ${c.possible} possibly inside; min ${formatNs(s.min)}, max ${formatNs(s.max)}, mean ${formatNs(s.mean)}`,
    },
  ]
}

/** The largest interval against 2T: ± the latest timestamp seen, and in the lab the machine's stall during the test beyond 2T. */
function largestIntervalVerdict(max: bigint, upper: bigint, tail: bigint, stall: { ns: bigint; how: string } | undefined): Pick<Check, 'verdict' | 'detail'> {
  const base = `${formatNs(max > upper ? max - upper : upper - max)} ${max > upper ? 'above' : 'below'} 2T; ± ${formatNs(tail)}: the latest one timestamp was seen in the harness's noise probes (an extreme is moved by one late timestamp and does not average out)`
  const verdict = judgeBound(Number(max), Number(upper), Number(tail), 'max')
  if (verdict !== 'fail' || !stall || max - upper > tail + stall.ns) {
    return { verdict, detail: stall && verdict === 'fail' ? `${base}; beyond the machine's worst stall in the test too (${formatNs(stall.ns)}: ${stall.how})` : base }
  }
  return {
    verdict: 'inconclusive',
    detail: `${base}; within that ± plus the machine's worst stall during the test, ${formatNs(stall.ns)} (${stall.how}), which may have held the DUT's send that long`,
  }
}
