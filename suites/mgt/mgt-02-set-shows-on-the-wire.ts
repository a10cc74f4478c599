/**
 * MGT-02 — a management SET of a writable setting changes what the DUT sends, and only a SET
 * that was accepted does. Runs only with `--allow-set` (the harness changes a DUT setting, and
 * puts it back). The DUT is a master alone on its link; its priority2 is the setting: every
 * Announce carries it (grandmasterPriority2 of a grandmaster), and changing it by one harms
 * nothing on a test link.
 * - Wire SET (IEEE 1588 management): SET PRIORITY2 to the harness's value. The DUT must answer:
 *   RESPONSE with the new value — then its Announces carry it within two announce intervals and
 *   keep it until the harness sets it back — or MANAGEMENT_ERROR_STATUS (e.g. NOT_SUPPORTED),
 *   and then its Announces must not change. Silence fails.
 * - Local SET (the implementation's own management channel, e.g. pmc over ptp4l's UDS): the
 *   same change through the DUT adapter; the Announces must follow it the same way. An adapter
 *   that can only restart the DUT with a new configuration proves nothing about a SET: not run.
 * The window: a defaultDS change reaches parentDS at the next state decision event, at least one
 * per announce interval (1588-2019 9.2.6.8), and the Announce after that carries it: 2 intervals.
 */
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import type { AnnounceMessage } from '../../harness/codec/types.ts'
import { type Check, conformance, formatNs, logIntervalToMs, logIntervalToNs, type Recorder, type RecordedFrame } from '../kit.ts'
import { linkPeer } from '../support/grandmasters.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import type { EngineAction } from '../../harness/engines/actions.ts'
import type { HeaderDefaults } from '../../harness/engines/message_factory.ts'
import { ManagementPoller } from '../../harness/engines/management_poller.ts'
import { managementAnswer } from '../../harness/management/client.ts'

/** A wire SET the harness sent: its sequenceId (answers are found in the recording by it) and TX time. */
export interface WireSetAttempt {
  sequenceId: number
  sentAtNs: bigint
  value: number
}

export interface SetPhase {
  how: 'wire' | 'local'
  /** Why the phase did not run (no wire management, an adapter that restarts, a setting it cannot set). */
  skipped?: string
  set?: WireSetAttempt
  /** Local: when the adapter's SET returned, and how it applied it. */
  setAtNs?: bigint
  applied?: string
  /** Local: the DUT's own management refused the SET (what it said). */
  refused?: string
  restore?: WireSetAttempt
  restoredAtNs?: bigint
  /** The phase was watched up to here. */
  endNs: bigint
}

export interface SetData {
  allowed: boolean
  configured?: number
  value?: number
  logAnnounceInterval?: number
  dutClockIdentity?: string
  phases: SetPhase[]
  /** The harness port's recording: the DUT's Announces and its answers to the SETs. */
  recorder?: Recorder
}

const SOURCE = 'IEEE 1588-2019 15.4.1 (SET), 15.5.3.3.4 (PRIORITY2), 9.2.6.8 (state decision event each announce interval)'

/**
 * The harness's management node for the SETs: a PRIORITY2 poller that never polls, sending each
 * SET beside the recording (the management client would own the port while it waits).
 */
export function managerFor(clockIdentity: string, header: Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>>, logAnnounceInterval: number): ManagementPoller {
  return new ManagementPoller({ name: 'manager', clockIdentity, header, managementId: 'PRIORITY2', periodNs: logIntervalToNs(logAnnounceInterval), active: false, boundaryHops: 1 })
}

/** The sequenceId of the request in `actions`. */
export const sentSequenceId = (actions: readonly EngineAction[]) => actions.find((a) => a.kind === 'send')!.message.header.sequenceId

/** The value the harness sets: one step from the configured one, inside 0…255. */
export const newPriority2 = (configured: number) => (configured > 0 ? configured - 1 : 1)

function announcesOf(rec: Recorder | undefined, dut?: string): { frame: RecordedFrame; priority2: number }[] {
  const out: { frame: RecordedFrame; priority2: number }[] = []
  for (const f of rec?.frames ?? []) {
    if (f.direction !== 'in' || f.message?.type !== 'Announce' || f.timestampNs === null) continue
    const a = f.message as AnnounceMessage
    if (dut && normalizeClockIdentity(a.header.sourcePortIdentity.clockIdentity) !== normalizeClockIdentity(dut)) continue
    out.push({ frame: f, priority2: a.grandmasterPriority2 })
  }
  return out
}

/** The DUT's answers to the request with `sequenceId`, read from the recording (its own identity where known). */
export function answersTo(rec: Recorder | undefined, sequenceId: number, dut?: string): { sourceKey: string; action: string; value?: number; error?: string; frame: number }[] {
  const out: { sourceKey: string; action: string; value?: number; error?: string; frame: number }[] = []
  for (const f of rec?.frames ?? []) {
    if (f.direction !== 'in' || f.message?.type !== 'Management' || f.message.header.sequenceId !== sequenceId) continue
    const a = managementAnswer(f.message, f.findings, f.timestampNs)
    if (!a || a.action !== 'RESPONSE' && a.action !== 'ACKNOWLEDGE') continue
    if (dut && normalizeClockIdentity(a.source.clockIdentity) !== normalizeClockIdentity(dut)) continue
    out.push({ sourceKey: a.sourceKey, action: a.action, frame: f.index, ...(a.data && 'value' in a.data ? { value: a.data.value } : {}), ...(a.error ? { error: a.error.name } : {}) })
  }
  return out
}

const at = (f: RecordedFrame, t0: bigint) => `#${f.index} at +${formatNs(f.timestampNs! - t0)}`

/** After `fromNs` the Announces carry `value` within `windowNs` and keep it until `toNs`. */
export function followsSet(name: string, announces: ReturnType<typeof announcesOf>, fromNs: bigint, toNs: bigint, value: number, windowNs: bigint): Check {
  const base = { name, limit: `grandmasterPriority2 ${value} from the first Announce within ${formatNs(windowNs)} on, until it is set back`, source: SOURCE }
  const during = announces.filter((a) => a.frame.timestampNs! >= fromNs && a.frame.timestampNs! < toNs)
  if (!during.length) return { ...base, measured: 'no Announce', verdict: 'fail', detail: `the DUT sent no Announce in the ${formatNs(toNs - fromNs)} after the SET` }
  const first = during.find((a) => a.priority2 === value)
  if (!first) return { ...base, measured: `never ${value}`, verdict: 'fail', detail: `${during.length} Announces after the SET, all with grandmasterPriority2 ${[...new Set(during.map((a) => a.priority2))].join('/')}; last ${at(during.at(-1)!.frame, fromNs)}` }
  const after = first.frame.timestampNs! - fromNs
  const stale = during.filter((a) => a.frame.timestampNs! > fromNs + windowNs && a.priority2 !== value)
  if (after > windowNs) return { ...base, measured: formatNs(after), verdict: 'fail', detail: `the first Announce with ${value} is ${at(first.frame, fromNs)}, later than ${formatNs(windowNs)}` }
  if (stale.length) return { ...base, measured: `${stale.length} Announces without it`, verdict: 'fail', detail: `after ${at(first.frame, fromNs)} carried ${value}, ${at(stale[0]!.frame, fromNs)} has ${stale[0]!.priority2}` }
  return { ...base, measured: formatNs(after), verdict: 'pass', detail: `first Announce with ${value}: ${at(first.frame, fromNs)}; ${during.length} Announces in the phase, none without it after the window` }
}

/** No Announce after `fromNs` (up to `toNs`) carries anything but `value`. */
function unchanged(name: string, announces: ReturnType<typeof announcesOf>, fromNs: bigint, toNs: bigint, value: number, why: string): Check {
  const base = { name, limit: `grandmasterPriority2 stays ${value}`, source: SOURCE }
  const during = announces.filter((a) => a.frame.timestampNs! >= fromNs && a.frame.timestampNs! < toNs)
  const other = during.find((a) => a.priority2 !== value)
  if (other) return { ...base, measured: `${other.priority2}`, verdict: 'fail', detail: `${why}, yet ${at(other.frame, fromNs)} carries grandmasterPriority2 ${other.priority2}` }
  if (!during.length) return { ...base, measured: 'no Announce', verdict: 'fail', detail: `the DUT sent no Announce in the ${formatNs(toNs - fromNs)} after the SET` }
  return { ...base, measured: `${during.length} Announces with ${value}`, verdict: 'pass', detail: why }
}

function judgePhase(p: SetPhase, d: SetData, announces: ReturnType<typeof announcesOf>, windowNs: bigint): Check[] {
  const label = p.how === 'wire' ? 'wire SET PRIORITY2' : 'local SET priority2 (the DUT\'s own management)'
  if (p.skipped) return [{ name: label, measured: 'not run', limit: 'a SET the DUT applies at runtime', source: SOURCE, verdict: 'not-applicable', detail: p.skipped }]
  const configured = d.configured!
  const value = d.value!
  if (p.how === 'local' && p.refused !== undefined) {
    return [unchanged(`refused ${label} leaves the Announces alone`, announces, p.setAtNs!, p.endNs, configured, `the DUT's own management refused the SET (${p.refused})`)]
  }
  if (p.how === 'local') {
    return [
      followsSet(`${label} ${configured} → ${value} shows on the wire`, announces, p.setAtNs!, p.restoredAtNs ?? p.endNs, value, windowNs),
      ...(p.restoredAtNs !== undefined ? [followsSet(`${label} back to ${configured} shows on the wire`, announces, p.restoredAtNs, p.endNs, configured, windowNs)] : []),
    ]
  }
  const set = p.set!
  const mine = answersTo(d.recorder, set.sequenceId, d.dutClockIdentity)
  const base = { name: `${label} ${configured} → ${value} is answered`, limit: 'RESPONSE with the new value, or MANAGEMENT_ERROR_STATUS', source: 'IEEE 1588-2019 15.3.3 (a SET is answered with a RESPONSE), 15.5.4 (MANAGEMENT_ERROR_STATUS)' }
  if (!mine.length) return [{ ...base, measured: 'no answer', verdict: 'fail', detail: `no answer from the DUT${d.dutClockIdentity ? ` (${d.dutClockIdentity})` : ''} to SET #${set.sequenceId} in the ${formatNs(p.endNs - set.sentAtNs)} recorded after it` }]
  const refused = mine.find((a) => a.error)
  if (refused) {
    return [
      { ...base, measured: `refused: ${refused.error}`, verdict: 'pass', detail: `frame #${refused.frame}: a node may refuse a SET it does not support over the wire` },
      unchanged(`refused wire SET leaves the Announces alone`, announces, set.sentAtNs, p.endNs, configured, `the SET was refused (${refused.error})`),
    ]
  }
  const answered = mine.find((a) => a.action === 'RESPONSE' && a.value !== undefined)
  if (!answered || answered.value !== value) {
    return [{ ...base, measured: mine.map((a) => `${a.action}${a.value !== undefined ? ` ${a.value}` : ''}`).join(', '), verdict: 'fail', detail: `a RESPONSE to a SET carries the value now in force (${value})` }]
  }
  return [
    { ...base, measured: `RESPONSE ${answered.value}`, verdict: 'pass', detail: `frame #${answered.frame} from ${answered.sourceKey}` },
    followsSet(`accepted ${label} ${configured} → ${value} shows on the wire`, announces, set.sentAtNs, p.restore?.sentAtNs ?? p.endNs, value, windowNs),
    ...(p.restore ? [followsSet(`wire SET back to ${configured} shows on the wire`, announces, p.restore.sentAtNs, p.endNs, configured, windowNs)] : []),
  ]
}

export default conformance<SetData>({
  id: 'MGT-02',
  title: 'A management SET of priority2 shows on the wire; a refused one changes nothing',
  area: 'MGT',
  clause: 'IEEE 1588-2019 15.4.1, 15.5.3.3.4 (PRIORITY2), 9.2.6.8',
  mapsTo: ['linuxptp-testsuite 20-pmc', 'linuxptp-testsuite 33-power'],
  tags: ['active', 'management', 'set'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 20,
  criteria: {
    pass: 'with --allow-set: a wire SET PRIORITY2 is answered with the new value and the Announces carry it within 2 announce intervals (or it is refused with an error status and nothing changes); a SET through the DUT\'s own management shows the same way; both are put back',
    fail: 'a SET goes unanswered, is answered with another value, is accepted but the Announces do not change in time or change back, or a refused SET changes them',
  },
  appliesTo: (p) => (p.unusedMessages.some((u) => u.message === 'Management') ? `profile ${p.id} does not use PTP management messages` : true),
  async acquire(ctx) {
    if (!ctx.session.allowManagementSet) return { allowed: false, phases: [] }
    const s = ctx.session.dutSettings
    const configured = s.priority2.value
    const value = newPriority2(configured)
    const interval = s.intervals.announce.value
    // Two intervals to take effect, two more to see it kept.
    const holdMs = 4 * logIntervalToMs(interval) + 500
    await ctx.session.restartDut('master', ctx.signal)
    const desc = await ctx.session.dutDescription()
    const data: SetData = { allowed: true, configured, value, logAnnounceInterval: interval, phases: [] }
    const id = (await ctx.session.dut.readState().catch(() => undefined))?.clockIdentity
    if (id && !/^[0.]+$/.test(id)) data.dutClockIdentity = id
    // The SETs go out next to the recording (and, on a peer-delay link, the peer a DUT expects).
    const manager = managerFor(ctx.session.harnessClockIdentity(7), ctx.session.headerDefaults(), interval)
    const group = new EngineGroup('mgt-02', [manager, ...(ctx.session.delayMechanism === 'P2P' ? [linkPeer(ctx)] : [])])
    const handle = ctx.session.drive(group)
    const wireSet = (v: number): WireSetAttempt => {
      let sequenceId = -1
      handle.driver.invoke(() => group.control<ManagementPoller>('manager', (r) => {
        const actions = r.request('SET', { name: 'PRIORITY2', value: v, reserved: 0 })
        sequenceId = sentSequenceId(actions)
        return actions
      }))
      return { sequenceId, sentAtNs: systemTimeNs(), value: v }
    }
    const answered = (a: WireSetAttempt) => answersTo(handle.recorder, a.sequenceId, data.dutClockIdentity).some((x) => x.action === 'RESPONSE' && !x.error)
    try {
      // Let the DUT become grandmaster and announce before anything changes.
      await ctx.sleep((s.announceReceiptTimeout.value + 2) * logIntervalToMs(interval))
      if (!desc.capabilities.wireManagement) {
        data.phases.push({ how: 'wire', skipped: `${desc.implementation} does not answer PTP management on the wire`, endNs: systemTimeNs() })
      } else {
        ctx.step(`wire SET PRIORITY2 ${configured} → ${value}`)
        const phase: SetPhase = { how: 'wire', set: wireSet(value), endNs: 0n }
        await ctx.sleep(holdMs)
        if (answered(phase.set!)) {
          ctx.step(`wire SET PRIORITY2 back to ${configured}`)
          phase.restore = wireSet(configured)
          await ctx.sleep(holdMs)
        }
        phase.endNs = systemTimeNs()
        data.phases.push(phase)
      }
      if (!desc.capabilities.settable.includes('priority2')) {
        data.phases.push({ how: 'local', skipped: `the ${desc.implementation} adapter cannot set priority2`, endNs: systemTimeNs() })
      } else {
        ctx.step(`local SET priority2 ${configured} → ${value}`)
        const setAtNs = systemTimeNs()
        const r = await ctx.session.dut.set('priority2', value).catch((e: Error) => ({ refused: e.message }))
        const phase: SetPhase = { how: 'local', setAtNs, endNs: 0n }
        if ('refused' in r) {
          // The DUT's answer, not the harness's failure: judged like a refused wire SET.
          phase.refused = r.refused
          await ctx.sleep(holdMs)
        } else if (r.applied !== 'runtime') {
          phase.applied = r.applied
          phase.skipped = `the ${desc.implementation} adapter applies priority2 by ${r.applied === 'restart' ? 'restarting the DUT with a new configuration' : "the DUT file's hook"}, not by a management SET`
        } else {
          phase.applied = r.applied
          await ctx.sleep(holdMs)
          ctx.step(`local SET priority2 back to ${configured}`)
          await ctx.session.dut.set('priority2', configured)
          phase.restoredAtNs = systemTimeNs()
          await ctx.sleep(holdMs)
        }
        phase.endNs = systemTimeNs()
        data.phases.push(phase)
      }
    } finally {
      await handle.close()
    }
    // The SETs' real send times: their TX timestamps, in the recording.
    for (const a of data.phases.flatMap((p) => [p.set, p.restore])) {
      const tx = a && handle.recorder.frames.find((f) => f.direction === 'out' && f.message?.type === 'Management' && f.message.header.sequenceId === a.sequenceId)?.timestampNs
      if (a && tx !== undefined && tx !== null) a.sentAtNs = tx
    }
    // Whatever happened above, the next test starts from the configured settings.
    await ctx.session.restartDut('master', ctx.signal)
    return { ...data, recorder: handle.recorder }
  },
  judge(ev) {
    const d = ev.data
    if (!d.allowed) {
      return { checks: [{ name: 'management SET allowed', measured: 'no', limit: '--allow-set', source: 'ptp-conform safety rule: management SET only when asked', verdict: 'not-applicable', detail: 'MGT-02 changes a DUT setting by management SET; run with --allow-set to let it' }], reason: 'management SET needs --allow-set' }
    }
    const windowNs = 2n * logIntervalToNs(d.logAnnounceInterval!)
    const announces = announcesOf(d.recorder, d.dutClockIdentity)
    const checks = d.phases.flatMap((p) => judgePhase(p, d, announces, windowNs))
    return { checks, measurements: { configured: d.configured, value: d.value, announces: announces.length } }
  },
})
