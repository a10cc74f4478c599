/**
 * P2P-04 — a link longer than neighborPropDelayThresh makes the port not asCapable (802.1AS):
 * the DUT, a master alone on its link, sends Sync while its link partner (the harness's
 * peer-delay responder) answers normally; then the responder emulates a link twice the DUT's
 * configured threshold long (+50 µs for the lab's software noise; TestMaster.setPathDelay), and
 * the DUT must stop sending Sync — a port that is not asCapable transmits no time — and stay
 * stopped; when the link is short again it must resume. The threshold is the DUT's configured
 * one (DutSettings.neighborPropDelayThreshNs), itself checked against the profile's.
 * 802.1AS leaves the averaging of the mean link delay to the implementation, so the harness
 * allows 16 Pdelay_Req intervals for either change (ptp4l: a median of 10 exchanges).
 */
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { type Check, conformance, describeSetting, formatNs, logIntervalToNs, type Recorder, type RecordedFrame, TestMaster } from '../kit.ts'
import { noSyncAsMaster, startAloneAsMaster } from '../support/alone_as_master.ts'

export interface ThreshPhase {
  name: 'control' | 'above' | 'back'
  /** Emulated extra delay each way. */
  extraNs: bigint
  fromNs: bigint
  untilNs: bigint
}

export interface ThreshData {
  threshNs: bigint
  logPdelayReqInterval: number
  firstSyncNs?: bigint
  waitedMs: number
  phases: ThreshPhase[]
  recorder?: Recorder
}

const SOURCE = 'IEEE 802.1AS-2020 11.2.2 (asCapable FALSE when meanLinkDelay exceeds neighborPropDelayThresh), 10.2 (no Sync on a port that is not asCapable)'
const EXCHANGES = 16
/** Lab margin above twice the threshold: the software link delay and its noise are tens of µs. */
const MARGIN_NS = 50_000n

export const extraDelay = (threshNs: bigint) => 2n * threshNs + MARGIN_NS

function syncsIn(rec: Recorder | undefined, fromNs: bigint, toNs: bigint): RecordedFrame[] {
  return (rec?.frames ?? []).filter((f) => f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs !== null && f.timestampNs >= fromNs && f.timestampNs < toNs)
}

export function judgeThresh(d: ThreshData): Check[] {
  const windowNs = BigInt(EXCHANGES) * logIntervalToNs(d.logPdelayReqInterval)
  const at = (f: RecordedFrame, t0: bigint) => `#${f.index} at +${formatNs(f.timestampNs! - t0)}`
  const checks: Check[] = []
  const control = d.phases.find((p) => p.name === 'control')
  const above = d.phases.find((p) => p.name === 'above')
  const back = d.phases.find((p) => p.name === 'back')
  if (control) {
    const n = syncsIn(d.recorder, control.fromNs, control.untilNs).length
    checks.push({ name: 'control: the DUT sends Sync over a short link', measured: `${n} Sync`, limit: '≥ 2', source: SOURCE, verdict: n >= 2 ? 'pass' : 'fail', detail: `in ${formatNs(control.untilNs - control.fromNs)}` })
  }
  if (above) {
    const syncs = syncsIn(d.recorder, above.fromNs, above.untilNs)
    const late = syncs.filter((f) => f.timestampNs! > above.fromNs + windowNs)
    const name = `link ${formatNs(above.extraNs)} longer each way (threshold ${formatNs(d.threshNs)}): Sync stops within ${EXCHANGES} Pdelay_Req intervals and stays stopped`
    const limit = `no Sync later than ${formatNs(windowNs)} after the change, to ${formatNs(above.untilNs - above.fromNs)}`
    const last = syncs.at(-1)
    if (late.length) checks.push({ name, measured: `${late.length} Sync after the window`, limit, source: SOURCE, verdict: 'fail', detail: `first ${at(late[0]!, above.fromNs)}, last ${at(late.at(-1)!, above.fromNs)}: the DUT stayed asCapable` })
    else checks.push({ name, measured: last ? `last Sync ${at(last, above.fromNs)}` : 'no Sync', limit, source: SOURCE, verdict: 'pass', detail: `${syncs.length} Sync after the change, none after ${formatNs(windowNs)}` })
  }
  if (back) {
    const first = syncsIn(d.recorder, back.fromNs, back.untilNs)[0]
    const ok = first !== undefined && first.timestampNs! - back.fromNs <= windowNs
    checks.push({ name: `link short again: Sync resumes within ${EXCHANGES} Pdelay_Req intervals`, measured: first ? at(first, back.fromNs) : 'no Sync', limit: `≤ ${formatNs(windowNs)}`, source: SOURCE, verdict: ok ? 'pass' : 'fail', detail: first ? `first Sync ${at(first, back.fromNs)}` : `no Sync in ${formatNs(back.untilNs - back.fromNs)}` })
  }
  return checks
}

export default conformance<ThreshData>({
  id: 'P2P-04',
  title: 'A link longer than neighborPropDelayThresh stops Sync (asCapable FALSE); a short one resumes it',
  area: 'P2P',
  clause: 'IEEE 802.1AS-2020 11.2.2 (asCapable), 11.2.19 (meanLinkDelay), 10.2',
  mapsTo: ['Avnu gPTP 15.6', 'linuxptp gPTP.cfg neighborPropDelayThresh'],
  tags: ['active', 'p2p', 'gptp', 'impairment'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 50,
  criteria: {
    pass: "the DUT's configured neighborPropDelayThresh lies in the profile's rule; it sends Sync over the short link, stops within 16 Pdelay_Req intervals once the link is twice the threshold long and stays stopped, and resumes within 16 intervals when the link is short again",
    fail: 'the DUT sends no Sync over a short link, keeps sending over a long one (asCapable ignores the threshold), or does not resume',
  },
  appliesTo: (p) => (p.peerDelay?.asCapableRequired && p.peerDelay.neighborPropDelayThreshNs ? true : `profile ${p.id} has no asCapable rule with a neighborPropDelayThresh`),
  async acquire(ctx) {
    const s = ctx.session.dutSettings
    const thresh = s.neighborPropDelayThreshNs
    if (!thresh) throw new Error('the DUT settings hold no neighborPropDelayThresh although the profile defines one')
    const threshNs = BigInt(thresh.value)
    const interval = s.intervals.pdelayReq.value
    const windowMs = EXCHANGES * Number(logIntervalToNs(interval) / 1_000_000n)
    const { handle, group, ...start } = await startAloneAsMaster(ctx, 'p2p-04')
    const data: ThreshData = { threshNs, logPdelayReqInterval: interval, ...start, phases: [] }
    const setExtra = (ns: bigint) => handle.driver.invoke(() => group.control<TestMaster>('link-peer', (p) => p.setPathDelay(ns ? { toDutNs: ns, fromDutNs: ns } : undefined)))
    try {
      if (data.firstSyncNs === undefined) return { ...data, recorder: handle.recorder }
      const phase = async (name: ThreshPhase['name'], extraNs: bigint, ms: number) => {
        ctx.step(name === 'control' ? 'control: a short link' : name === 'above' ? `the link ${formatNs(extraNs)} longer each way (${describeSetting('neighborPropDelayThresh', thresh, ' ns')})` : 'the link short again')
        setExtra(extraNs)
        const fromNs = systemTimeNs()
        await ctx.sleep(ms)
        data.phases.push({ name, extraNs, fromNs, untilNs: systemTimeNs() })
      }
      await phase('control', 0n, 3000)
      // The window to stop, then as long again to see it stays stopped.
      await phase('above', extraDelay(threshNs), 2 * windowMs)
      await phase('back', 0n, windowMs + 2000)
    } finally {
      await handle.close()
      await ctx.session.restartDut('master', ctx.signal)
    }
    return { ...data, recorder: handle.recorder }
  },
  judge(ev, profile) {
    const d = ev.data
    const configured = ev.dut.neighborPropDelayThreshNs
    const spec = profile.peerDelay?.neighborPropDelayThreshNs
    const checks: Check[] = []
    if (configured && spec) {
      // The profile's lab may set it outside the profile, with its reason (lab.outsideProfile).
      const outside = configured.origin === 'lab configuration' ? profile.lab.outsideProfile.find((o) => o.key === 'neighborPropDelayThresh') : undefined
      const verdict = configured.value === spec.value ? 'pass' : outside ? 'not-applicable' : 'fail'
      checks.push({ name: "configured neighborPropDelayThresh against the profile's", measured: configured.value, unit: 'ns', limit: `${spec.value} ns (profile)`, source: spec.source, verdict, detail: `${describeSetting('neighborPropDelayThresh', configured, ' ns')}${outside && verdict === 'not-applicable' ? `; set outside the profile by the lab (lab.outsideProfile): ${outside.reason}` : ''}` })
    }
    const none = noSyncAsMaster(d, 'the DUT sends Sync as master over a short link', SOURCE)
    if (none) return { checks: [...checks, none] }
    return { checks: [...checks, ...judgeThresh(d)] }
  },
})
