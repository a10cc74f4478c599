/**
 * INT-06 — 802.1AS message interval request: the DUT, a master alone on its link, gets Signaling
 * with the message interval request TLV from its link partner (the harness's peer-delay
 * responder, as a gPTP slave port would send it) and must send Sync and Announce at the
 * requested intervals: a new value is adopted, 126 returns to the initial (configured) interval,
 * −128 leaves an interval as it is, 127 stops the message. Each phase is judged from the
 * recording after a settle time of the old interval plus the new one (the change takes effect
 * at the next transmission): the intervals against the profile's interval rule, and
 * the advertised logMessageInterval, which 802.1AS sets to the current interval.
 * linkDelayInterval is left at −128 (no change) throughout.
 */
import { INTERVAL_INITIAL, INTERVAL_NO_CHANGE, INTERVAL_STOP, buildMessageIntervalRequestTlv } from '../../harness/codec/tlvs/message_interval_request.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { type Check, conformance, formatNs, intervalRuleOf, logIntervalToNs, type Profile, type Recorder, type RecordedFrame, scoreIntervalRule, TestMaster } from '../kit.ts'
import { noSyncAsMaster, startAloneAsMaster } from '../support/alone_as_master.ts'

type Rate = number | 'stopped'

export interface RequestPhase {
  name: string
  /** The TLV's values as sent; undefined = no request (the control). */
  request?: { timeSyncInterval: number; announceInterval: number }
  /** TX time of the Signaling (or the start of the control). */
  sentAtNs: bigint
  untilNs: bigint
  /** What a conformant DUT sends in this phase, and sent before it (for the settle time). */
  expect: { sync: Rate; announce: Rate }
  before: { sync: Rate; announce: Rate }
  /** Which messages this phase judges. */
  judged: ('sync' | 'announce')[]
}

export interface IntervalRequestData {
  configured: { sync: number; announce: number }
  /** The DUT's first Sync after it became master (undefined: it never sent one). */
  firstSyncNs?: bigint
  waitedMs: number
  phases: RequestPhase[]
  recorder?: Recorder
}

const SOURCE = 'IEEE 802.1AS-2020 10.6.4.3 (message interval request TLV: −128 no change, 126 initial, 127 stop) and its interval-setting state machines'

/** The phases for a DUT configured with these intervals: each request, and what must follow it. */
export function requestPlan(c: { sync: number; announce: number }): Omit<RequestPhase, 'sentAtNs' | 'untilNs'>[] {
  const slower = c.sync + 2
  const faster = c.announce - 1
  const base = { sync: c.sync, announce: c.announce }
  return [
    { name: 'control (no request)', expect: base, before: base, judged: ['sync', 'announce'] },
    { name: `timeSyncInterval ${slower}`, request: { timeSyncInterval: slower, announceInterval: INTERVAL_NO_CHANGE }, expect: { ...base, sync: slower }, before: base, judged: ['sync'] },
    { name: `timeSyncInterval ${INTERVAL_INITIAL} (initial)`, request: { timeSyncInterval: INTERVAL_INITIAL, announceInterval: INTERVAL_NO_CHANGE }, expect: base, before: { ...base, sync: slower }, judged: ['sync'] },
    { name: `timeSyncInterval ${INTERVAL_NO_CHANGE} (no change), announceInterval ${faster}`, request: { timeSyncInterval: INTERVAL_NO_CHANGE, announceInterval: faster }, expect: { ...base, announce: faster }, before: base, judged: ['sync', 'announce'] },
    { name: `announceInterval ${INTERVAL_INITIAL} (initial)`, request: { timeSyncInterval: INTERVAL_NO_CHANGE, announceInterval: INTERVAL_INITIAL }, expect: base, before: { ...base, announce: faster }, judged: ['announce'] },
    { name: `timeSyncInterval ${INTERVAL_STOP} (stop)`, request: { timeSyncInterval: INTERVAL_STOP, announceInterval: INTERVAL_NO_CHANGE }, expect: { ...base, sync: 'stopped' }, before: base, judged: ['sync'] },
    { name: `timeSyncInterval ${INTERVAL_INITIAL} after a stop`, request: { timeSyncInterval: INTERVAL_INITIAL, announceInterval: INTERVAL_NO_CHANGE }, expect: base, before: { ...base, sync: 'stopped' }, judged: ['sync'] },
  ]
}

const ns = (r: Rate) => (r === 'stopped' ? 0n : logIntervalToNs(r))
/** The old interval (what was in flight) plus the new one. */
export const settleNs = (before: Rate, after: Rate) => ns(before) + ns(after)
/** How long a phase watches after settling: 6 Sync / 4 Announce intervals, at least 2 s. */
function observeNs(p: Pick<RequestPhase, 'expect' | 'judged'>): bigint {
  const need = p.judged.map((w) => {
    const r = p.expect[w]
    return r === 'stopped' ? 2_000_000_000n : BigInt(w === 'sync' ? 6 : 4) * logIntervalToNs(r)
  })
  return need.reduce((a, x) => (x > a ? x : a), 2_000_000_000n)
}

/** A phase's whole duration: the longer settle of the two messages, then the observation. */
export function phaseNs(p: Pick<RequestPhase, 'expect' | 'before' | 'judged'>): bigint {
  const sync = settleNs(p.before.sync, p.expect.sync)
  const announce = settleNs(p.before.announce, p.expect.announce)
  return (sync > announce ? sync : announce) + observeNs(p)
}

const TYPE = { sync: 'Sync', announce: 'Announce' } as const
/** Fewer frames than this in a phase's window show no interval at all: the DUT did not send at the requested one. */
const MIN_FRAMES = 3

function framesOf(rec: Recorder | undefined, which: 'sync' | 'announce', fromNs: bigint, toNs: bigint): RecordedFrame[] {
  return (rec?.frames ?? []).filter((f) => f.direction === 'in' && f.message?.type === TYPE[which] && f.timestampNs !== null && f.timestampNs >= fromNs && f.timestampNs < toNs)
}

/**
 * One message type in one phase: stopped (no frame after the settle), or sent at the requested
 * interval — the profile's interval rule (scoreIntervalRule: mean, fraction within, largest gap)
 * on the intervals after the settle — advertising it in logMessageInterval. Too few frames to
 * form intervals is the DUT's failure to send, not an undecided measurement.
 */
export function judgeRate(p: RequestPhase, which: 'sync' | 'announce', rec: Recorder | undefined, profile: Profile, noiseNs: bigint): Check[] {
  const expect = p.expect[which]
  const settle = settleNs(p.before[which], expect)
  const from = p.sentAtNs + settle
  const frames = framesOf(rec, which, from, p.untilNs)
  const what = `${p.name}: ${TYPE[which]}`
  const window = `from ${formatNs(settle)} after the request (old interval + new) to ${formatNs(p.untilNs - p.sentAtNs)}`
  if (expect === 'stopped') {
    return [{ name: `${what} stops`, measured: `${frames.length} ${TYPE[which]}`, limit: `none ${window}`, source: SOURCE, verdict: frames.length ? 'fail' : 'pass', detail: frames.length ? `first #${frames[0]!.index} at +${formatNs(frames[0]!.timestampNs! - p.sentAtNs)}` : `none in ${formatNs(p.untilNs - from)}` }]
  }
  if (frames.length < MIN_FRAMES) {
    return [{ name: `${what} every 2^${expect} s`, measured: `${frames.length} ${TYPE[which]}`, limit: `≥ ${MIN_FRAMES} ${TYPE[which]} ${window}`, source: SOURCE, verdict: 'fail', detail: `the DUT sent ${frames.length} ${TYPE[which]} ${window}, where 2^${expect} s asks for ${Number((p.untilNs - from) / logIntervalToNs(expect))}` }]
  }
  const gaps = frames.slice(1).map((f, i) => f.timestampNs! - frames[i]!.timestampNs!)
  const rule = intervalRuleOf(profile, MIN_FRAMES - 1)
  const rate = scoreIntervalRule(`${what} every 2^${expect} s`, gaps, logIntervalToNs(expect), { ...rule, source: `${SOURCE}; interval rule ${rule.source}` }, noiseNs)
  const fields = [...new Set(frames.map((f) => f.message!.header.logMessageInterval))]
  const advertised: Check = { name: `${what} logMessageInterval`, measured: fields.join('/'), limit: `${expect} (the current interval)`, source: SOURCE, verdict: fields.every((x) => x === expect) ? 'pass' : 'fail', detail: `${frames.length} ${TYPE[which]} (#${frames[0]!.index}…#${frames.at(-1)!.index}) ${window}` }
  return [...rate, advertised]
}

export default conformance<IntervalRequestData>({
  id: 'INT-06',
  title: 'Message interval request: the DUT adopts requested Sync and Announce intervals, and 126, −128 and 127',
  area: 'INT',
  clause: 'IEEE 802.1AS-2020 10.6.4.3 (message interval request TLV), 10.6.2.2 (logMessageInterval = the current interval)',
  mapsTo: ['linuxptp-testsuite 36-automotive', 'linuxptp port_signaling.c process_interval_request'],
  tags: ['active', 'intervals', 'gptp', 'signaling'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 35,
  criteria: {
    pass: 'after each request the DUT sends Sync/Announce at the requested interval (the profile\'s interval rule: mean, fraction within, largest gap) advertising it in logMessageInterval; 126 returns to the configured interval, −128 keeps it, 127 stops Sync until it is requested again',
    fail: 'the DUT never sends Sync as master, keeps an interval it was asked to change, changes one it was asked to keep, advertises another interval, or sends Sync after a stop',
  },
  appliesTo: (p) => (p.bmca.variant === '802.1as' ? true : `profile ${p.id} has no 802.1AS message interval request`),
  async acquire(ctx) {
    const s = ctx.session.dutSettings
    const configured = { sync: s.intervals.sync.value, announce: s.intervals.announce.value }
    // The link partner answers the DUT's Pdelay_Req and sends the requests.
    const { handle, group, ...start } = await startAloneAsMaster(ctx, 'int-06')
    const data: IntervalRequestData = { configured, ...start, phases: [] }
    const signaled: { phase: RequestPhase; sequenceId: number }[] = []
    try {
      if (data.firstSyncNs === undefined) return { ...data, recorder: handle.recorder }
      for (const plan of requestPlan(configured)) {
        ctx.step(plan.name)
        const phase: RequestPhase = { ...plan, sentAtNs: systemTimeNs(), untilNs: 0n }
        if (plan.request) {
          handle.driver.invoke(() => group.control<TestMaster>('link-peer', (p) => {
            const actions = p.signal([buildMessageIntervalRequestTlv(plan.request)])
            for (const a of actions) if (a.kind === 'send') signaled.push({ phase, sequenceId: a.message.header.sequenceId })
            return actions
          }))
        }
        await ctx.sleep(Number(phaseNs(plan) / 1_000_000n))
        phase.untilNs = systemTimeNs()
        data.phases.push(phase)
      }
    } finally {
      await handle.close()
      // Put the configured intervals back for the tests that follow.
      await ctx.session.restartDut('master', ctx.signal)
    }
    // Each request's real send time: the TX timestamp of its Signaling.
    for (const x of signaled) {
      const tx = handle.recorder.frames.find((f) => f.direction === 'out' && f.message?.type === 'Signaling' && f.message.header.sequenceId === x.sequenceId)?.timestampNs
      if (tx !== undefined && tx !== null) x.phase.sentAtNs = tx
    }
    return { ...data, recorder: handle.recorder }
  },
  judge(ev, profile) {
    const d = ev.data
    const none = noSyncAsMaster(d, 'the DUT sends Sync as master', 'IEEE 802.1AS-2020 10.2 (a master port with asCapable sends Sync)')
    if (none) return { checks: [none] }
    const checks = d.phases.flatMap((p) => p.judged.flatMap((w) => judgeRate(p, w, d.recorder, profile, ev.noise.ns)))
    return { checks, measurements: { phases: d.phases.map((p) => ({ name: p.name, sentAfterMs: Number((p.sentAtNs - d.firstSyncNs!) / 1_000_000n) })) } }
  },
})
