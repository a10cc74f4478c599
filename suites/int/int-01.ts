/**
 * INT-01 — Announce, Sync and Pdelay_Req rates follow the interval rule.
 * The DUT's messages are timestamped on arrival at the harness; the intervals between
 * them are judged against 2^logMessageInterval as the DUT advertises it, with the
 * profile's tolerance (1588-2019 9.5.8: mean ±30 %, 90 % of intervals within ±30 %,
 * no gap above 2×).
 */
import type { MessageTypeName } from '../../harness/codec/types.ts'
import type { IntervalName } from '../../harness/profiles/types.ts'
import { conformance } from '../../harness/run/definition.ts'
import { scoreIntervalRule, type IntervalRule } from '../../harness/stats/interval_rule.ts'
import { intervals, logIntervalToNs } from '../../harness/stats/percentiles.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { dutInterval, mode } from '../support/intervals.ts'
import { pctWindow } from '../../harness/stats/interval_rule.ts'

const SERIES: { type: MessageTypeName; interval: IntervalName }[] = [
  { type: 'Announce', interval: 'announce' },
  { type: 'Sync', interval: 'sync' },
  { type: 'Pdelay_Req', interval: 'pdelayReq' },
]

export default conformance({
  id: 'INT-01',
  title: 'Announce, Sync and Pdelay_Req rates follow the interval rule',
  area: 'INT',
  clause: 'IEEE 1588-2019 9.5.8, 7.7.2.1',
  mapsTo: ['UNH PWR.c.1.1', 'UNH PWR.c.1.2', 'Avnu gPTP.com.c.13.x'],
  tags: ['passive', 'intervals', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: () => true,
  async run(ctx) {
    const p = ctx.params({ minSamples: 16 })
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const tol = ctx.profile.tolerances.interval
    const rule: IntervalRule = {
      meanPct: tol.meanPct.value,
      withinPct: tol.withinPct.value,
      fractionWithin: tol.fractionWithin.value,
      maxGapFactor: tol.maxGapFactor.value,
      minSamples: p.minSamples,
      source: tol.meanPct.source,
      unconfirmed: [tol.meanPct, tol.withinPct, tol.fractionWithin, tol.maxGapFactor].some((c) => c.unconfirmed),
    }
    const checks: Check[] = []
    // Named so the report draws a histogram per message type with its limits.
    const intervalsNs: Record<string, string[]> = {}
    const intervalsNsLimits: Record<string, { loNs: string; hiNs: string; nominalNs: string }> = {}
    const advertisedLog: Record<string, number> = {}
    for (const s of SERIES) {
      if (s.type === 'Pdelay_Req' && ctx.session.delayMechanism !== 'P2P') continue
      const frames = o.fromDut.filter((f) => f.message?.type === s.type && f.timestampNs !== null)
      const advertised = mode(frames.map((f) => f.message!.header.logMessageInterval))
      // Pdelay_Req carries 0x7F under 1588 (13.3.2.14): its nominal rate is the one the DUT is configured with.
      const log = advertised === undefined || advertised === 0x7f ? dutInterval(ctx, s.interval) : advertised
      if (log === undefined) continue
      const nominal = logIntervalToNs(log)
      const series = intervals(frames.map((f) => f.timestampNs!))
      const win = pctWindow(nominal, rule.withinPct)
      intervalsNs[s.type] = series.map(String)
      intervalsNsLimits[s.type] = { loNs: String(win.lo), hiNs: String(win.hi), nominalNs: String(nominal) }
      advertisedLog[s.type] = log
      ctx.step(`${s.type}: ${series.length} intervals, nominal 2^${log} s`)
      // The 2× gap rule is the Announce clause's (1588-2019 9.5.8); Sync and Pdelay_Req get the mean and 90 % rules.
      const r = s.type === 'Announce' ? rule : { ...rule, maxGapFactor: undefined }
      checks.push(...scoreIntervalRule(`${s.type} (2^${log} s)`, series, nominal, r, ctx.noiseNs))
    }
    return { checks, measurements: { intervalsNs, intervalsNsLimits, advertisedLog, harnessNoiseNs: String(ctx.noiseNs) } }
  },
})
