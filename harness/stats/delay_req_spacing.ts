/**
 * Spacing of a slave's Delay_Req messages, under the two rules profiles use:
 *
 * - `uniform-0-2x` (IEEE 1588-2008 9.5.11.2, default profiles): each interval drawn
 *   uniformly from (0, 2·T], T = 2^logMinDelayReqInterval. Checked as: no interval
 *   above 2·T, mean within ±30 % of T, and a Kolmogorov–Smirnov test against U(0, 2T)
 *   at α = 0.001 (so a conformant DUT fails it about once in a thousand runs).
 * - `pct-of-nominal` (ITU-T G.8275.1 6.2.8): intervals within ±pct % of T, judged by
 *   the same fraction rule as the message-interval rule.
 */
import { type Check, judgeBound, judgeRange } from '../verdict/verdict.ts'
import { countWithin, judgeFraction, pctWindow } from './interval_rule.ts'
import { summarize } from './percentiles.ts'
import { formatNs } from '../time/format.ts'

export type DelayReqSpacingRule =
  | { rule: 'uniform-0-2x'; source: string; minSamples: number; unconfirmed?: boolean }
  | { rule: 'pct-of-nominal'; pct: number; fractionWithin: number; source: string; minSamples: number; unconfirmed?: boolean }

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

export function scoreDelayReqSpacing(intervalsNs: readonly bigint[], nominalNs: bigint, rule: DelayReqSpacingRule, noiseNs: bigint): Check[] {
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
  if (rule.rule === 'uniform-0-2x') {
    const upper = 2n * nominalNs
    const meanWin = pctWindow(nominalNs, 30)
    const d = ksUniform(intervalsNs, upper)
    const crit = KS_C_ALPHA_0_001 / Math.sqrt(n)
    return [
      {
        ...base,
        name: 'Delay_Req spacing: largest interval',
        measured: Number(s.max),
        unit: 'ns',
        limit: `≤ ${formatNs(upper)} (2 × 2^logMinDelayReqInterval)`,
        noise,
        verdict: judgeBound(Number(s.max), Number(upper), noise, 'max'),
      },
      {
        ...base,
        name: 'Delay_Req spacing: mean interval',
        measured: Number(s.mean),
        unit: 'ns',
        limit: `${formatNs(meanWin.lo)} … ${formatNs(meanWin.hi)} (uniform (0, 2T] has mean T)`,
        noise,
        verdict: judgeRange(Number(s.mean), Number(meanWin.lo), Number(meanWin.hi), noise),
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
      detail: `${c.sure} surely inside, ${c.possible} possibly inside; min ${formatNs(s.min)}, max ${formatNs(s.max)}`,
    },
  ]
}
