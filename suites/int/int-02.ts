/**
 * INT-02 — spacing of the DUT slave's Delay_Req against the profile's rule: uniform
 * over (0, 2T] for the default profiles (1588-2008 9.5.11.2), within ±30 % of T for
 * G.8275.1 (6.2.8). T is 2^logMessageInterval of the harness master's Delay_Resp,
 * which a slave adopts as its logMinDelayReqInterval.
 */
import { conformance } from '../../harness/run/definition.ts'
import { scoreDelayReqSpacing, type DelayReqSpacingRule } from '../../harness/stats/delay_req_spacing.ts'
import { pctWindow } from '../../harness/stats/interval_rule.ts'
import { intervals, logIntervalToNs } from '../../harness/stats/percentiles.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'
import { isSlave, lockTimeoutMs, masterConfig, startMasters, waitForState } from '../support/grandmasters.ts'

export default conformance({
  id: 'INT-02',
  title: 'Delay_Req spacing follows the profile\'s rule',
  area: 'INT',
  clause: 'IEEE 1588-2008 9.5.11.2; ITU-T G.8275.1 6.2.8',
  mapsTo: ['OCP DC profile 6.13', 'linuxptp delay_request_variability'],
  tags: ['active', 'intervals'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 40,
  appliesTo: (p) => (p.tolerances.delayReqSpacing && p.delayMechanism.allowed.includes('E2E') && !p.unusedMessages.some((u) => u.message === 'Delay_Req') ? true : `profile ${p.id} has no Delay_Req spacing rule`),
  async run(ctx) {
    const p = ctx.params({ minSamples: 40 })
    const spacing = ctx.profile.tolerances.delayReqSpacing!
    const cfg = masterConfig(ctx, { name: 'gm', identity: 1 })
    const logDelay = cfg.logMinDelayReqInterval ?? 0
    const nominal = logIntervalToNs(logDelay)
    const m = await startMasters(ctx, [{ name: 'gm', identity: 1 }])
    try {
      ctx.step('waiting for the DUT to follow the harness grandmaster')
      const locked = await waitForState(ctx, isSlave, lockTimeoutMs(cfg.logAnnounceInterval, 3))
      if (locked.atMs === undefined) return { checks: [{ name: 'DUT follows the harness grandmaster', measured: 'no', limit: 'SLAVE or UNCALIBRATED', source: 'IEEE 1588-2019 9.2', verdict: 'inconclusive', detail: 'the DUT never became a slave; its Delay_Req cannot be observed' }] }
      // Record until minSamples + 1 requests have arrived (a DUT starts requesting only after it locks),
      // giving up after twice the nominal time.
      const expectedMs = ((p.minSamples + 2) * Number(nominal)) / 1e6
      ctx.step(`recording the DUT's Delay_Req until ${p.minSamples + 1} have arrived (nominal interval 2^${logDelay} s, ~${Math.ceil(expectedMs / 1000)} s)`)
      const t0 = Date.now()
      while (Date.now() - t0 < 2 * expectedMs + 5000) {
        if (m.handle.recorder.byType('Delay_Req', { direction: 'in' }).length > p.minSamples) break
        await ctx.sleep(Math.min(1000, Math.max(50, Number(nominal) / 1e6)))
      }
    } finally {
      await m.close()
    }
    ctx.attach('delay-req.pcapng', recordingToPcapng(m.handle.recorder), 'pcapng')
    const reqs = m.handle.recorder.byType('Delay_Req', { direction: 'in' }).filter((f) => f.timestampNs !== null)
    const series = intervals(reqs.map((f) => f.timestampNs!))
    const rule: DelayReqSpacingRule =
      spacing.rule === 'uniform-0-2x'
        ? { rule: 'uniform-0-2x', source: spacing.source, minSamples: p.minSamples, unconfirmed: spacing.unconfirmed }
        : { rule: 'pct-of-nominal', pct: spacing.pct?.value ?? 30, fractionWithin: ctx.profile.tolerances.interval.fractionWithin.value, source: spacing.pct?.source ?? spacing.source, minSamples: p.minSamples, unconfirmed: spacing.unconfirmed || spacing.pct?.unconfirmed }
    const win = spacing.rule === 'uniform-0-2x' ? { lo: 0n, hi: 2n * nominal } : pctWindow(nominal, spacing.pct?.value ?? 30)
    return {
      checks: scoreDelayReqSpacing(series, nominal, rule, ctx.noiseNs),
      measurements: { delayReqIntervalsNs: series.map(String), delayReqIntervalsNsLimits: { loNs: String(win.lo), hiNs: String(win.hi), nominalNs: String(nominal) }, rule: spacing.rule },
    }
  },
})
