/**
 * Interval helpers shared by the rate and timeout tests. What the DUT is configured with
 * is `DutSettings` (harness/dut/settings.ts); this file only holds what judges derive
 * from it and from the profile.
 */
import type { Profile } from '../../harness/profiles/types.ts'
import type { IntervalRule } from '../../harness/stats/interval_rule.ts'

/** Most frequent value of a list (the DUT's advertised interval across its messages). */
export function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best: number | undefined
  let n = 0
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c]
  return best
}

/** The profile's interval rule (1588-2019 9.5.8 unless the profile tightens it), with its source. */
export function intervalRuleOf(profile: Profile, minSamples: number): IntervalRule {
  const tol = profile.tolerances.interval
  return {
    meanPct: tol.meanPct.value,
    withinPct: tol.withinPct.value,
    fractionWithin: tol.fractionWithin.value,
    maxGapFactor: tol.maxGapFactor.value,
    minSamples,
    source: tol.meanPct.source,
    unconfirmed: [tol.meanPct, tol.withinPct, tol.fractionWithin, tol.maxGapFactor].some((c) => c.unconfirmed),
  }
}

/** The configuration key a lab value is listed under in `lab.outsideProfile`. */
export const LAB_INTERVAL_KEY = { announce: 'logAnnounceInterval', sync: 'logSyncInterval', delayReq: 'logMinDelayReqInterval', pdelayReq: 'logMinPdelayReqInterval' } as const

/** logMessageInterval 0x7F, "not specified" (1588-2019 13.3.2.14). */
export const UNSPECIFIED_LOG_INTERVAL = 0x7f

/**
 * Table 42: Sync, Follow_Up and Delay_Resp carry the port's interval when multicast and 0x7F
 * when unicast (their rate is the grant's, not the port's).
 */
export function unspecifiedWhenUnicast(type: string): boolean {
  return type === 'Sync' || type === 'Follow_Up' || type === 'Delay_Resp'
}

export const TABLE_42_UNICAST_SOURCE = 'IEEE 1588-2019 13.3.2.14, Table 42 (Sync, Follow_Up, Delay_Resp sent unicast: 0x7F)'
