/**
 * The message-interval rule of IEEE 1588-2019 9.5.8 (Announce) and its siblings for
 * Sync and Pdelay_Req: the mean interval within ±meanPct % of 2^logMessageInterval,
 * at least `fractionWithin` of the individual intervals within ±withinPct %, and no
 * gap above maxGapFactor × nominal. Every bound is judged with the harness's own
 * timestamp noise, so a borderline series is inconclusive rather than passed.
 */
import { type Check, judgeBound, judgeRange } from '../verdict/verdict.ts'
import { summarize } from './percentiles.ts'
import { formatNs } from '../time/format.ts'

export interface IntervalRule {
  /** Allowed deviation of the mean interval, percent of nominal (30 in 1588-2019 9.5.8). */
  meanPct: number
  /** Fraction of intervals that must lie within ±withinPct % (0.9 in 9.5.8). */
  fractionWithin: number
  withinPct: number
  /** Largest allowed gap as a multiple of nominal (2 for Announce); undefined = not checked. */
  maxGapFactor?: number
  /** Fewer intervals than this cannot support a verdict. */
  minSamples: number
  /** Source of the rule, shown with every check. */
  source: string
  unconfirmed?: boolean
}

/**
 * Count how many intervals are surely inside the window, and how many possibly are,
 * given ±noise on each interval. The truth lies between the two counts.
 */
export function countWithin(values: readonly bigint[], lo: bigint, hi: bigint, noise: bigint): { sure: number; possible: number } {
  let sure = 0
  let possible = 0
  for (const v of values) {
    if (v - noise >= lo && v + noise <= hi) sure++
    if (v + noise >= lo && v - noise <= hi) possible++
  }
  return { sure, possible }
}

/** Fraction rule judged with noise: pass only if the sure count suffices, fail only if even the possible count does not. */
export function judgeFraction(sure: number, possible: number, total: number, required: number): 'pass' | 'fail' | 'inconclusive' {
  if (sure / total >= required) return 'pass'
  if (possible / total < required) return 'fail'
  return 'inconclusive'
}

export function pctWindow(nominalNs: bigint, pct: number): { lo: bigint; hi: bigint } {
  const delta = (nominalNs * BigInt(Math.round(pct * 1000))) / 100_000n
  return { lo: nominalNs - delta, hi: nominalNs + delta }
}

export function scoreIntervalRule(
  what: string,
  intervalsNs: readonly bigint[],
  nominalNs: bigint,
  rule: IntervalRule,
  noiseNs: bigint,
): Check[] {
  const base = { source: rule.source, unconfirmed: rule.unconfirmed, unit: 'ns' as const }
  if (intervalsNs.length < rule.minSamples) {
    return [
      {
        ...base,
        name: `${what}: enough intervals to judge`,
        measured: intervalsNs.length,
        limit: `≥ ${rule.minSamples} intervals`,
        unit: 'intervals',
        verdict: 'inconclusive',
        detail: `only ${intervalsNs.length} intervals were captured`,
      },
    ]
  }
  const s = summarize(intervalsNs)
  const noise = Number(noiseNs)
  const meanWin = pctWindow(nominalNs, rule.meanPct)
  const checks: Check[] = [
    {
      ...base,
      name: `${what}: mean interval`,
      measured: Number(s.mean),
      limit: `${formatNs(meanWin.lo)} … ${formatNs(meanWin.hi)} (nominal ${formatNs(nominalNs)} ± ${rule.meanPct} %)`,
      noise,
      verdict: judgeRange(Number(s.mean), Number(meanWin.lo), Number(meanWin.hi), noise),
    },
  ]
  const win = pctWindow(nominalNs, rule.withinPct)
  const c = countWithin(intervalsNs, win.lo, win.hi, noiseNs)
  checks.push({
    ...base,
    name: `${what}: intervals within ±${rule.withinPct} %`,
    measured: Number((c.sure / intervalsNs.length).toFixed(4)),
    unit: 'fraction',
    limit: `≥ ${rule.fractionWithin} of ${intervalsNs.length} intervals in ${formatNs(win.lo)} … ${formatNs(win.hi)}`,
    verdict: judgeFraction(c.sure, c.possible, intervalsNs.length, rule.fractionWithin),
    detail: `${c.sure} surely inside, ${c.possible} possibly inside given ±${formatNs(noiseNs)} noise`,
  })
  if (rule.maxGapFactor !== undefined) {
    const maxGap = Number(nominalNs) * rule.maxGapFactor
    checks.push({
      ...base,
      name: `${what}: largest gap`,
      measured: Number(s.max),
      limit: `≤ ${formatNs(maxGap)} (${rule.maxGapFactor} × nominal)`,
      noise,
      verdict: judgeBound(Number(s.max), maxGap, noise, 'max'),
    })
  }
  return checks
}
