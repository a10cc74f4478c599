/**
 * INT-01 — Announce, Sync and Pdelay_Req rates follow the interval rule.
 * The DUT's messages are timestamped on arrival at the harness; the intervals between
 * them are judged against 2^logMessageInterval as the DUT is *configured* (DutSettings),
 * with the profile's tolerance (1588-2019 9.5.8: mean ±30 %, 90 % of intervals within
 * ±30 %, no Announce gap above 2×). The value the DUT advertises is checked against the
 * configured one separately: a DUT that doubles its rate and says so still fails.
 */
import { UNSPECIFIED_LOG_INTERVAL as UNSPECIFIED, unspecifiedWhenUnicast } from '../support/intervals.ts'
import { sentToUnicast } from '../support/destination.ts'
import { type Check, conformance, describeSetting, dutFrames, FROM_CAPTURE, intervalRuleOf, intervals, type IntervalName, logIntervalToNs, mode, type Observation, observationFault, observeDutMaster, pctWindow, scoreIntervalRule, testParams } from '../kit.ts'

const SERIES: { type: 'Announce' | 'Sync' | 'Pdelay_Req'; interval: IntervalName }[] = [
  { type: 'Announce', interval: 'announce' },
  { type: 'Sync', interval: 'sync' },
  { type: 'Pdelay_Req', interval: 'pdelayReq' },
]

const DEFAULTS = { minSamples: 16 }

export default conformance<{ observation: Observation }>({
  id: 'INT-01',
  title: 'Announce, Sync and Pdelay_Req rates follow the interval rule',
  area: 'INT',
  clause: 'IEEE 1588-2019 9.5.8, 7.7.2.1',
  mapsTo: ['UNH PWR.c.1.1', 'UNH PWR.c.1.2', 'Avnu gPTP.com.c.13.x'],
  tags: ['passive', 'intervals', 'fast'],
  capturable: true,
  severity: 'critical',
  fixture: 'dut-master',
  params: DEFAULTS,
  estimatedSeconds: 25,
  criteria: {
    pass: 'each message stream keeps its configured interval (mean ±30 %, 90 % of intervals within ±30 %, no Announce gap above 2×) and advertises the configured logMessageInterval',
    fail: 'a stream runs at another rate than configured, stalls, or advertises another interval than configured',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx, testParams(ctx.profile, 'INT-01', DEFAULTS).minSamples + 4) }
  },
  judge(ev, profile) {
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const p = testParams(profile, 'INT-01', DEFAULTS)
    const rule = intervalRuleOf(profile, p.minSamples)
    const gptp = profile.bmca.variant === '802.1as'
    const fromDut = dutFrames(ev.data.observation, ev.session.domainNumber)
    const checks: Check[] = []
    // Named so the report draws a histogram per message type with its limits.
    const intervalsNs: Record<string, string[]> = {}
    const intervalsNsLimits: Record<string, { loNs: string; hiNs: string; nominalNs: string }> = {}
    const configuredLog: Record<string, number> = {}
    for (const s of SERIES) {
      if (s.type === 'Pdelay_Req' && ev.session.delayMechanism !== 'P2P') continue
      const configured = ev.dut.intervals[s.interval]
      const frames = fromDut.filter((f) => f.message?.type === s.type && f.timestampNs !== null)
      const nominal = logIntervalToNs(configured.value)
      const series = intervals(frames.map((f) => f.timestampNs!))
      const win = pctWindow(nominal, rule.withinPct)
      intervalsNs[s.type] = series.map(String)
      intervalsNsLimits[s.type] = { loNs: String(win.lo), hiNs: String(win.hi), nominalNs: String(nominal) }
      configuredLog[s.type] = configured.value
      // The 2× gap rule is the Announce clause's (1588-2019 9.5.8); Sync and Pdelay_Req get the mean and 90 % rules.
      const r = s.type === 'Announce' ? rule : { ...rule, maxGapFactor: undefined }
      for (const c of scoreIntervalRule(`${s.type} (configured 2^${configured.value} s)`, series, nominal, r, ev.noise.ns)) {
        checks.push({ ...c, detail: [c.detail, `nominal from ${describeSetting('the DUT\'s log interval', configured)}`].filter(Boolean).join('; ') })
      }
      const advertised = mode(frames.map((f) => f.message!.header.logMessageInterval))
      if (advertised === undefined || (s.type === 'Pdelay_Req' && !gptp && advertised === UNSPECIFIED)) continue
      // A unicast Sync carries 0x7F (Table 42: its rate is the grant's); MF-07 judges that field.
      if (unspecifiedWhenUnicast(s.type) && frames.every((f) => sentToUnicast(f) === true)) continue
      checks.push({
        name: `${s.type} advertises the configured logMessageInterval`,
        measured: advertised,
        limit: `= ${configured.value}`,
        source: 'IEEE 1588-2019 13.3.2.14 (logMessageInterval carries the port\'s configured value), 7.7.2',
        // On a capture the configuration is unknown and the advertised value stands in for it.
        verdict: configured.origin === FROM_CAPTURE ? 'not-applicable' : advertised === configured.value ? 'pass' : 'fail',
        detail: configured.origin === FROM_CAPTURE ? 'the DUT\'s configuration is unknown: the capture shows only what it advertises' : describeSetting('configured', configured),
      })
    }
    return { checks, measurements: { intervalsNs, intervalsNsLimits, configuredLog, harnessNoiseNs: String(ev.noise.ns) } }
  },
})
