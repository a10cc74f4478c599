/**
 * TE-02 — time error of a DUT grandmaster as the harness's test slave measures it
 * with the two-way exchange (offsetFromMaster from t1…t4 and correctionField),
 * against the profile's time-error limit. The judged figure is the median |TE| (a
 * VM stall can put any single sample milliseconds off; max and p99 are reported),
 * with the harness's time-error floor as its uncertainty: where that floor is larger
 * than the margin (software timestamps), the verdict is inconclusive, never pass.
 */
import { scaledToNs } from '../../harness/engines/delay_arithmetic.ts'
import type { AccuracyLimit } from '../../harness/profiles/types.ts'
import { conformance } from '../../harness/run/definition.ts'
import { summarize } from '../../harness/stats/percentiles.ts'
import { formatNs } from '../../harness/time/format.ts'
import { judgeBound } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'

function limitOf(accuracy: Record<string, AccuracyLimit>, key: string | undefined): [string, AccuracyLimit] | undefined {
  if (key && accuracy[key]) return [key, accuracy[key]!]
  return Object.entries(accuracy).find(([, a]) => a.quantity === 'maxAbsTimeError' && a.unit === 'ns')
}

export default conformance({
  id: 'TE-02',
  title: 'Time error of the DUT grandmaster, measured two-way',
  area: 'TE',
  clause: 'IEEE 1588-2019 11.3, 11.4; profile accuracy limit',
  mapsTo: ['Calnex Sentinel VP mode', 'ITU-T G.8273.2 max|TE|'],
  tags: ['passive', 'time-error'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (limitOf(p.accuracy, p.suites.overrides['TE-02']?.limitKey as string | undefined) ? true : `profile ${p.id} sets no time-error limit`),
  async run(ctx) {
    const params = ctx.params({ limitKey: undefined as string | undefined, minSamples: 10 })
    const [key, limit] = limitOf(ctx.profile.accuracy, params.limitKey)!
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    // Time error of the master relative to the harness = −offsetFromMaster of the harness's slave.
    const series: [bigint, bigint][] =
      ctx.session.delayMechanism === 'E2E'
        ? o.slave.delayExchanges.map((e) => [e.t2, -scaledToNs(e.offsetFromMaster)])
        : o.slave.syncSamples.filter((s) => s.offsetFromMaster !== undefined).map((s) => [s.t2, -scaledToNs(s.offsetFromMaster!)])
    if (series.length < params.minSamples) {
      return { checks: [{ name: 'two-way exchanges', measured: series.length, limit: `≥ ${params.minSamples}`, source: 'harness', verdict: 'inconclusive', detail: 'too few complete exchanges to measure time error' }] }
    }
    const abs = summarize(series.map(([, te]) => (te < 0n ? -te : te)))
    const floor = ctx.session.noise.timeErrorFloorNs
    const noise = Number(floor)
    const verdict = judgeBound(Number(abs.p50), limit.limit.value, noise, 'max')
    return {
      checks: [
        {
          name: `median |TE| over ${series.length} exchanges (${key}: ${limit.appliesTo})`,
          measured: Number(abs.p50),
          unit: 'ns',
          limit: `≤ ${limit.limit.value} ns`,
          noise,
          source: limit.limit.source,
          unconfirmed: limit.limit.unconfirmed,
          verdict,
          detail:
            verdict === 'inconclusive'
              ? `the harness's time-error floor ±${formatNs(floor)} (${ctx.session.timestamping}) is larger than the margin to the ${limit.limit.value} ns limit; p99 |TE| ${formatNs(abs.p99)}, max ${formatNs(abs.max)}`
              : `p90 |TE| ${formatNs(abs.p90)}, p99 ${formatNs(abs.p99)}, max ${formatNs(abs.max)}; harness time-error floor ±${formatNs(floor)}`,
        },
      ],
      measurements: { timeErrorSeriesNs: series.map(([t, v]) => [String(t), String(v)]), timeErrorSeriesNsLimits: { limitNs: String(limit.limit.value) }, medianAbsNs: String(abs.p50), p99AbsNs: String(abs.p99), maxAbsNs: String(abs.max), timeErrorFloorNs: String(floor) },
    }
  },
})
