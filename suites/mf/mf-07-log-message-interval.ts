/**
 * MF-07 — logMessageInterval field values. Announce, Sync (and Follow_Up, which repeats its
 * Sync's value), Delay_Resp (logMinDelayReqInterval) and, under 802.1AS, Pdelay_Req carry
 * the port's interval: it must equal what the DUT is configured with (DutSettings) and lie
 * in the profile's range (or equal its fixed value). Delay_Req, Pdelay_Resp and
 * Pdelay_Resp_Follow_Up carry 0x7F, and so does Pdelay_Req under 1588 (Table 42). Sync,
 * Follow_Up and Delay_Resp sent unicast carry 0x7F too: their rate is a grant's.
 */
import { type Check, describeSetting, dutFrames, FROM_CAPTURE, type IntervalName, passiveOnDutMaster } from '../kit.ts'
import { LAB_INTERVAL_KEY, TABLE_42_UNICAST_SOURCE, UNSPECIFIED_LOG_INTERVAL as UNSPECIFIED, unspecifiedWhenUnicast } from '../support/intervals.ts'
import { sentToUnicast } from '../support/destination.ts'

const TABLE_42 = 'IEEE 1588-2019 13.3.2.14, Table 42'
const show = (v: number) => (v === UNSPECIFIED ? '0x7F' : String(v))

export default passiveOnDutMaster({
  id: 'MF-07',
  title: 'logMessageInterval field values',
  area: 'MF',
  clause: 'IEEE 1588-2019 13.3.2.14, Table 42',
  mapsTo: ['UNH PWR.c.1.1', 'UNH PWR.c.1.2', 'UNH PWR.c.1.4'],
  tags: ['passive', 'format', 'fast'],
  severity: 'normal',
  estimatedSeconds: 25,
  criteria: {
    pass: 'Announce, Sync, Follow_Up, Delay_Resp (and 802.1AS Pdelay_Req) carry the configured interval, inside the profile\'s range; the messages Table 42 gives 0x7F carry 0x7F',
    fail: 'a message carries another interval than the DUT is configured with, a value outside the profile\'s range, or not 0x7F where Table 42 requires it',
  },
  judgeObserved(ev, profile) {
    const gptp = profile.bmca.variant === '802.1as'
    const checks: Check[] = []
    const seen: Record<string, number[]> = {}
    for (const f of dutFrames(ev.data.observation, ev.session.domainNumber)) {
      if (!f.message) continue
      const t = f.message.type
      const key = unspecifiedWhenUnicast(t) && sentToUnicast(f) === true ? `${t} (unicast)` : t
      ;(seen[key] ??= []).push(f.message.header.logMessageInterval)
    }
    const distinct = (type: string) => [...new Set(seen[type] ?? [])].sort((a, b) => a - b)

    const carriesInterval = (type: string, which: IntervalName) => {
      const values = distinct(type)
      if (values.length === 0) return
      const configured = ev.dut.intervals[which]
      // 1. Behaviour against the configuration: the field says what the port is set to.
      checks.push({
        name: `${type} logMessageInterval equals the configured ${LAB_INTERVAL_KEY[which]}`,
        measured: values.map(show).join(', '),
        limit: `= ${configured.value}`,
        source: `${TABLE_42} (the port's ${LAB_INTERVAL_KEY[which]})`,
        // On a capture the configuration is unknown (the advertised value stands in): only a change of value can fail.
        verdict: values.every((v) => v === configured.value) ? (configured.origin === FROM_CAPTURE ? 'not-applicable' : 'pass') : 'fail',
        detail: configured.origin === FROM_CAPTURE ? 'the DUT\'s configuration is unknown: the capture shows only what it advertises' : describeSetting('configured', configured),
      })
      // 2. The value against the profile.
      const spec = profile.intervals[which]
      if (!spec) return
      const [lo, hi] = spec.range.value
      const bad = values.filter((v) => (spec.fixed ? v !== spec.default.value : v < lo || v > hi))
      // The lab may configure a value outside the profile on purpose (lab.outsideProfile): that value is not the DUT's fault.
      const outside = ev.dut.mode === 'lab' && configured.origin === 'lab configuration' ? profile.lab.outsideProfile.find((x) => x.key === LAB_INTERVAL_KEY[which]) : undefined
      checks.push({
        name: `${type} logMessageInterval within the profile`,
        measured: values.map(show).join(', '),
        limit: spec.fixed ? `= ${spec.default.value} (fixed)` : `${lo} … ${hi}`,
        source: spec.fixed ? spec.default.source : spec.range.source,
        unconfirmed: spec.range.unconfirmed || spec.default.unconfirmed,
        verdict: bad.length === 0 ? 'pass' : outside ? 'not-applicable' : 'fail',
        detail: bad.length && outside ? `the lab configures ${outside.key} outside the profile on purpose: ${outside.reason}` : describeSetting('configured', configured),
      })
    }
    const carries7F = (type: string, source = TABLE_42) => {
      const values = distinct(type)
      if (values.length === 0) return
      checks.push({ name: `${type} logMessageInterval`, measured: values.map(show).join(', '), limit: '= 0x7F', source, verdict: values.every((v) => v === UNSPECIFIED) ? 'pass' : 'fail' })
    }

    carriesInterval('Announce', 'announce')
    carriesInterval('Sync', 'sync')
    // Follow_Up repeats its Sync's value (Table 42).
    if (seen.Follow_Up && seen.Sync) {
      const fu = distinct('Follow_Up').join(', ')
      const sy = distinct('Sync').join(', ')
      checks.push({ name: 'Follow_Up logMessageInterval equals Sync', measured: fu, limit: `= ${sy}`, source: TABLE_42, verdict: fu === sy ? 'pass' : 'fail' })
    }
    carriesInterval('Delay_Resp', 'delayReq')
    if (gptp) carriesInterval('Pdelay_Req', 'pdelayReq')
    else carries7F('Pdelay_Req')
    carries7F('Delay_Req')
    carries7F('Pdelay_Resp')
    carries7F('Pdelay_Resp_Follow_Up')
    for (const t of ['Sync', 'Follow_Up', 'Delay_Resp']) carries7F(`${t} (unicast)`, TABLE_42_UNICAST_SOURCE)
    return { checks, measurements: { logMessageIntervalsSeen: Object.fromEntries(Object.keys(seen).map((t) => [t, distinct(t)])) } }
  },
})
