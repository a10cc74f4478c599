/**
 * INT-02 — spacing of the DUT slave's Delay_Req against the profile's rule: uniform over
 * (0, 2T] for the default profiles (1588-2008 9.5.11.2), within ±30 % of T for G.8275.1
 * (6.2.8). T is the DUT's configured logMinDelayReqInterval, which the harness
 * grandmaster also carries in its Delay_Resp (a slave adopts that value).
 * The sample count is the rule's (harness/stats/delay_req_spacing.ts: 256 intervals for the
 * uniform rule so that a slave 20 % too fast fails ≥ 95 % of runs and a conformant one
 * ≤ 1 %); a DUT that sends too few Delay_Req in 1.5× the time its interval needs fails.
 */
import { labStall } from '../../harness/stats/send_lateness.ts'
import {
  type Check,
  conformance,
  describeSetting,
  type DutState,
  type Evidence,
  formatNs,
  intervals,
  isSlave,
  lockTimeoutMs,
  logIntervalToNs,
  type Profile,
  Recorder,
  startMasters,
  testParams,
  waitForState,
  logIntervalToMs,
} from '../kit.ts'
import { describeStates } from '../support/state_history.ts'
import { lastGrant, negotiationSteps } from '../support/grants.ts'
import { DELAY_REQ_SAMPLES, type DelayReqSpacingRule, scoreDelayReqSpacing, uniformMeanWindow } from '../../harness/stats/delay_req_spacing.ts'
import { pctWindow } from '../../harness/stats/interval_rule.ts'

/** One read of the DUT's state (waitForState's history). */
export type StateRead = { atNs: bigint; state?: DutState; error?: string }

export interface DelayReqSpacingData {
  /** The harness port: the grandmaster's frames out, the DUT's Delay_Req in. */
  recorder: Recorder
  /** What the DUT said while the harness waited for it to follow the grandmaster. */
  lock: StateRead[]
  /** Intervals the acquisition waited for. */
  wanted: number
  /** How long it recorded after the lock, and the limit it had (1.5 × (wanted + 1) × T + 5 s). */
  recordedMs: number
  timeoutMs: number
  endedBy: 'enough' | 'timeout' | 'not-slave'
}

const SAMPLES_SLACK = 1.5

/**
 * 1588-2019 16.1 (as the OCP profile states it): a unicast slave's mean Delay_Req interval is at
 * least 90 % of the granted Delay_Resp period. The mean's ± is the timestamp noise over the
 * span (first and last request), which no averaging removes.
 */
function unicastMeanCheck(series: bigint[], nominal: bigint, noiseNs: bigint, profile: Profile): Check {
  const mean = series.reduce((a, b) => a + b, 0n) / BigInt(series.length)
  const floor = (nominal * 9n) / 10n
  const margin = (2n * noiseNs) / BigInt(series.length)
  const verdict = mean + margin < floor ? 'fail' : mean - margin < floor ? 'inconclusive' : 'pass'
  return {
    name: 'Delay_Req mean interval is at least 90 % of the granted Delay_Resp period',
    measured: formatNs(mean),
    limit: `≥ ${formatNs(floor)} (0.9 × ${formatNs(nominal)})`,
    source: profile.tolerances.delayReqSpacing?.source ?? 'IEEE 1588-2019 16.1',
    verdict,
    detail: `${series.length} intervals; ± ${formatNs(margin)} from the timestamp noise ±${formatNs(noiseNs)} over the span`,
  }
}

function spacingRule(profile: Profile): DelayReqSpacingRule | undefined {
  const s = profile.tolerances.delayReqSpacing
  if (!s) return undefined
  const minSamples = testParams(profile, 'INT-02', { minSamples: DELAY_REQ_SAMPLES[s.rule] }).minSamples
  if (s.rule === 'uniform-0-2x') return { rule: 'uniform-0-2x', source: s.source, minSamples, unconfirmed: s.unconfirmed }
  return {
    rule: 'pct-of-nominal',
    pct: s.pct?.value ?? 30,
    fractionWithin: s.fractionWithin?.value ?? profile.tolerances.interval.fractionWithin.value,
    source: s.pct?.source ?? s.source,
    minSamples,
    unconfirmed: s.unconfirmed || s.pct?.unconfirmed || s.fractionWithin?.unconfirmed,
  }
}

export default conformance<DelayReqSpacingData>({
  id: 'INT-02',
  title: "Delay_Req spacing follows the profile's rule",
  area: 'INT',
  clause: 'IEEE 1588-2008 9.5.11.2; ITU-T G.8275.1 6.2.8',
  mapsTo: ['OCP DC profile 6.13', 'linuxptp delay_request_variability'],
  tags: ['active', 'intervals'],
  severity: 'normal',
  fixture: 'dut-slave',
  // The sample count a profile may override; its default depends on the spacing rule (DELAY_REQ_SAMPLES).
  params: { minSamples: DELAY_REQ_SAMPLES['uniform-0-2x'] },
  estimatedSeconds: 290,
  criteria: {
    pass: "the DUT slave's Delay_Req intervals follow the profile's rule at its configured logMinDelayReqInterval (uniform (0, 2T]: none above 2T, mean within the 99.5 % band of T, KS-uniform; G.8275.1: 90 % within ±30 %)",
    fail: 'the DUT never follows the harness grandmaster, sends too few Delay_Req, or spaces them at another rate or shape than the rule asks',
  },
  appliesTo: (p) => {
    if (!p.tolerances.delayReqSpacing || !p.delayMechanism.allowed.includes('E2E') || p.unusedMessages.some((u) => u.message === 'Delay_Req')) return `profile ${p.id} has no Delay_Req spacing rule`
    return true
  },
  async acquire(ctx) {
    const s = ctx.session.dutSettings
    const rule = spacingRule(ctx.profile)
    const wanted = rule?.minSamples ?? DELAY_REQ_SAMPLES['uniform-0-2x']
    const nominalMs = logIntervalToMs(s.intervals.delayReq.value)
    const timeoutMs = Math.ceil(SAMPLES_SLACK * (wanted + 1) * nominalMs) + 5000
    const m = await startMasters(ctx, [{ name: 'gm', identity: 1 }])
    const count = () => m.handle.recorder.byType('Delay_Req', { direction: 'in' }).length
    let endedBy: DelayReqSpacingData['endedBy'] = 'timeout'
    let recordedMs = 0
    let lock: StateRead[] = []
    try {
      ctx.step('waiting for the DUT to follow the harness grandmaster')
      const locked = await waitForState(ctx, isSlave, lockTimeoutMs(s.intervals.announce.value, s.announceReceiptTimeout.value, ctx.session.dutSettings))
      lock = locked.history
      // A DUT whose state cannot be read but that requests anyway is still measured.
      if (locked.atMs === undefined && count() === 0) endedBy = 'not-slave'
      else {
        ctx.step(`recording the DUT's Delay_Req until ${wanted + 1} have arrived (2^${s.intervals.delayReq.value} s configured; at most ${Math.round(timeoutMs / 1000)} s)`)
        const t0 = Date.now()
        while (Date.now() - t0 < timeoutMs) {
          if (count() > wanted) {
            endedBy = 'enough'
            break
          }
          await ctx.sleep(Math.min(1000, Math.max(50, nominalMs)))
        }
        recordedMs = Date.now() - t0
      }
    } finally {
      await m.close()
    }
    return { recorder: m.handle.recorder, lock, wanted, recordedMs, timeoutMs, endedBy }
  },
  judge(ev: Evidence<DelayReqSpacingData>, profile) {
    const rule = spacingRule(profile)
    if (!rule) return { checks: [{ name: 'Delay_Req spacing rule', measured: null, limit: 'a tolerances.delayReqSpacing rule', source: profile.id, verdict: 'not-applicable' }] }
    const d = ev.data
    const configured = ev.dut.intervals.delayReq
    // Unicast: the rate is the grant's (1588-2019 16.1), which the harness gave as the DUT asked.
    const grant = lastGrant(negotiationSteps(d.recorder, ev.session.domainNumber), 'out', 'Delay_Resp')
    const nominal = logIntervalToNs(grant?.logInterMessagePeriod ?? configured.value)
    const tFrom = grant
      ? `T = the granted Delay_Resp period 2^${grant.logInterMessagePeriod} s (${describeSetting("the DUT's logMinDelayReqInterval", configured)})`
      : `T from ${describeSetting("the DUT's logMinDelayReqInterval", configured)}`
    const reqs = d.recorder.byType('Delay_Req', { direction: 'in', domainNumber: ev.session.domainNumber }).filter((f) => f.timestampNs !== null)
    const series = intervals(reqs.map((f) => f.timestampNs!))
    const source = `${rule.source}; sample count from harness/stats/delay_req_spacing.ts`
    if (series.length < rule.minSamples) {
      const everSlave = d.lock.some((r) => r.state && isSlave(r.state))
      const dutFault = d.endedBy !== 'enough'
      const check: Check = {
        name: 'Delay_Req: enough requests at the configured rate to judge the spacing',
        measured: reqs.length,
        unit: 'Delay_Req',
        limit: `≥ ${rule.minSamples + 1} within ${Math.round(d.timeoutMs / 1000)} s (${SAMPLES_SLACK} × ${rule.minSamples + 1} × ${formatNs(nominal)} + 5 s)`,
        source: `${source}; ${describeSetting("the DUT's logMinDelayReqInterval", configured)}`,
        verdict: dutFault ? 'fail' : 'inconclusive',
        detail: !everSlave && d.endedBy === 'not-slave'
          ? `the DUT never became a slave of the harness grandmaster; its states: ${describeStates(d.lock)}`
          : dutFault
            ? `${reqs.length} Delay_Req (in domain ${ev.session.domainNumber}) arrived in ${(d.recordedMs / 1000).toFixed(1)} s of recording after it followed the grandmaster`
            : `the stored evidence holds ${series.length} intervals (the acquisition wanted ${d.wanted}); this judge needs ${rule.minSamples}`,
      }
      return { checks: [check], measurements: { delayReqCount: reqs.length, recordedMs: d.recordedMs } }
    }
    const checks: Check[] = scoreDelayReqSpacing(series, nominal, rule, ev.noise.ns, ev.noise.tailNs, labStall(ev.session.mode, d.recorder.frames)).map((c) => ({ ...c, detail: [c.detail, tFrom].filter(Boolean).join('; ') }))
    if (grant) checks.push(unicastMeanCheck(series, nominal, ev.noise.ns, profile))
    const win = rule.rule === 'uniform-0-2x' ? { lo: 0n, hi: 2n * nominal } : pctWindow(nominal, rule.pct)
    const meanBand = rule.rule === 'uniform-0-2x' ? uniformMeanWindow(nominal, series.length) : undefined
    return {
      checks,
      measurements: {
        delayReqIntervalsNs: series.map(String),
        delayReqIntervalsNsLimits: { loNs: String(win.lo), hiNs: String(win.hi), nominalNs: String(nominal) },
        rule: rule.rule,
        ...(meanBand ? { meanBandNs: { lo: Math.round(meanBand.lo), hi: Math.round(meanBand.hi) } } : {}),
        harnessNoiseNs: String(ev.noise.ns),
      },
    }
  },
})
