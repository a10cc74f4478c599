/**
 * MF-07 — logMessageInterval field values: Announce and (multicast) Sync/Follow_Up
 * carry the port's interval, inside the profile's range (or equal to its fixed value);
 * Delay_Resp carries logMinDelayReqInterval; Delay_Req, Pdelay_Resp and
 * Pdelay_Resp_Follow_Up carry 0x7F; Pdelay_Req carries 0x7F under 1588 and the
 * current Pdelay_Req interval under 802.1AS.
 */
import { conformance } from '../../harness/run/definition.ts'
import type { IntervalName, IntervalSpec } from '../../harness/profiles/types.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { LAB_INTERVAL_KEY } from '../support/intervals.ts'

const UNSPECIFIED = 0x7f

export default conformance({
  id: 'MF-07',
  title: 'logMessageInterval field values',
  area: 'MF',
  clause: 'IEEE 1588-2019 13.3.2.14, Table 42',
  mapsTo: ['UNH PWR.c.1.1', 'UNH PWR.c.1.2', 'UNH PWR.c.1.4'],
  tags: ['passive', 'format', 'fast'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: () => true,
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const profile = ctx.profile
    const gptp = profile.bmca.variant === '802.1as'
    const checks: Check[] = []
    const seen: Record<string, number[]> = {}
    for (const f of o.fromDut) if (f.message) (seen[f.message.type] ??= []).push(f.message.header.logMessageInterval)

    const inRange = (type: string, which: IntervalName) => {
      const spec: IntervalSpec | undefined = profile.intervals[which]
      const values = [...new Set(seen[type] ?? [])]
      if (!spec || values.length === 0) return
      const [lo, hi] = spec.range.value
      const bad = values.filter((v) => (spec.fixed ? v !== spec.default.value : v < lo || v > hi))
      const outside = profile.lab.outsideProfile.find((x) => x.key === LAB_INTERVAL_KEY[which])
      checks.push({
        name: `${type} logMessageInterval`,
        measured: values.join(', '),
        limit: spec.fixed ? `= ${spec.default.value} (fixed)` : `${lo} … ${hi}`,
        source: spec.fixed ? spec.default.source : spec.range.source,
        unconfirmed: spec.range.unconfirmed || spec.default.unconfirmed,
        verdict: bad.length === 0 ? 'pass' : ctx.session.mode === 'lab' && outside ? 'not-applicable' : 'fail',
        detail: bad.length && outside ? `the lab configures ${outside.key} outside the profile on purpose: ${outside.reason}` : undefined,
      })
    }
    const fixedValue = (type: string, want: number, source: string) => {
      const values = [...new Set(seen[type] ?? [])]
      if (values.length === 0) return
      checks.push({
        name: `${type} logMessageInterval`,
        measured: values.map((v) => (v === UNSPECIFIED ? '0x7F' : String(v))).join(', '),
        limit: `= ${want === UNSPECIFIED ? '0x7F' : want}`,
        source,
        verdict: values.every((v) => v === want) ? 'pass' : 'fail',
      })
    }
    inRange('Announce', 'announce')
    inRange('Sync', 'sync')
    // Follow_Up repeats its Sync's value (13.3.2.14): compare the two sets.
    if (seen.Follow_Up && seen.Sync) {
      const fu = [...new Set(seen.Follow_Up)].sort()
      const sy = [...new Set(seen.Sync)].sort()
      checks.push({ name: 'Follow_Up logMessageInterval equals Sync', measured: fu.join(', '), limit: `= ${sy.join(', ')}`, source: 'IEEE 1588-2019 Table 42', verdict: fu.join() === sy.join() ? 'pass' : 'fail' })
    }
    inRange('Delay_Resp', 'delayReq')
    if (gptp) inRange('Pdelay_Req', 'pdelayReq')
    else fixedValue('Pdelay_Req', UNSPECIFIED, 'IEEE 1588-2019 Table 42')
    fixedValue('Pdelay_Resp', UNSPECIFIED, 'IEEE 1588-2019 Table 42')
    fixedValue('Pdelay_Resp_Follow_Up', UNSPECIFIED, 'IEEE 1588-2019 Table 42')
    return { checks, measurements: { logMessageIntervalsSeen: seen } }
  },
})
