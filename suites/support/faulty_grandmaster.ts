/**
 * "The grandmaster the DUT follows misbehaves": ROB-01 (out-of-range message intervals),
 * ROB-03 (Sync/Follow_Up sequence faults) and ROB-05 (time jumps) share it.
 *
 * The DUT follows the harness grandmaster; a control phase samples its offsetFromMaster from a
 * clean stream. Then each case turns its fault on (mutations of the grandmaster's messages, Sync
 * from an intruder, a step of the grandmaster's time) for a while, and off again. A case that
 * steps the time proves the DUT still uses the stream: only a DUT that does reports the new
 * offset. Judged per case: the DUT stayed a slave of the grandmaster (its reads and its own log),
 * kept its delay requests at its configured interval where the case asks (a bogus interval is
 * not adopted), and its offset error did not move from the control phase by the error a DUT that
 * used the faulty messages would show. A DUT that crashes fails through the run's exit check.
 */
import type { ClockIdentity } from '../../harness/codec/types.ts'
import type { PortTransition } from '../../harness/dut/types.ts'
import { describeMutation, type MutationRule } from '../../harness/engines/mutations.ts'
import { TimeBase } from '../../harness/engines/time_base.ts'
import type { Profile } from '../../harness/profiles/types.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import { absNs } from '../../harness/stats/robust.ts'
import { formatNs } from '../../harness/time/format.ts'
import { describeSetting } from '../../harness/dut/settings.ts'
import { logIntervalToMs, logIntervalToNs } from '../../harness/time/log_interval.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { lockAndSettle, masterConfig, type MasterSpec, startMasters, type StateRead, waitForState } from './grandmasters.ts'
import { misuseChangeCheck, misusedReportsCheck, type OffsetReport, sampleOffsets } from './offset_reports.ts'
import { loggedTransitions } from './receipt_timeout.ts'
import { followedThroughout, neverFollowedCheck } from './state_history.ts'

export interface FaultCase {
  /** Short stable key (evidence, check names). */
  key: string
  /** What the grandmaster does wrong, as a check name reads it. */
  title: string
  /** Why the DUT must tolerate it. */
  source: string
  /** Applied to the grandmaster's messages while the case runs. */
  mutations: MutationRule[]
  /** Step of the grandmaster's time when the case begins (kept after it). */
  stepNs?: bigint
  /** An intruder (another clockIdentity, no Announce) sends Sync with its time this far off the grandmaster's. */
  intruderOffsetNs?: bigint
  /** The offset error a DUT that used the faulty messages would show, and what such a DUT does. */
  misuse?: { errorNs: bigint; what: string }
  /** Judge the DUT's delay requests against its configured interval (a bogus interval must not be adopted). */
  judgeRequests?: boolean
  /** Where the offset is judged: while the fault runs (default), or after it ended (a one-off fault the DUT must recover from). */
  offsetPhase?: 'during' | 'after'
}

export interface FaultCaseRecord extends Omit<FaultCase, 'mutations'> {
  /** The mutation rules as applied (ids and specs), for the report. */
  rules: string[]
  /** Messages the grandmaster's rules changed or left unsent while the case ran. */
  applied: number
  fromNs: bigint
  toNs: bigint
  reads: StateRead[]
  reports: OffsetReport[]
  /** After the fault ended (offsetPhase 'after'). */
  afterReads: StateRead[]
  after: OffsetReport[]
}

export interface FaultyStreamEvidence {
  gmIdentity: ClockIdentity
  intruderIdentity: ClockIdentity
  lock: StateRead[]
  locked: boolean
  control: OffsetReport[]
  cases: FaultCaseRecord[]
  /** Port state changes the DUT logged from the first case on (lab ptp4l); absent where it logs none. */
  logTransitions?: PortTransition[]
  recorder: Recorder
}

export const FAULT_PHASES = { controlSeconds: 4, caseSeconds: 5, afterSeconds: 4 }

const FOLLOW_SOURCE = 'IEEE 1588-2019 9.2 (a slave stays with its parent while the parent announces), 9.5 (messages that cannot be used are not processed)'

/** One read a Sync interval after a change reaches the DUT: two Sync intervals + 0.5 s of slack. */
export const settleMs = (logSync: number) => 2 * logIntervalToMs(logSync) + 500

export async function acquireFaultyStream(ctx: TestContext, cases: readonly FaultCase[], phases = FAULT_PHASES): Promise<FaultyStreamEvidence> {
  const gmSpec: MasterSpec = { name: 'gm', identity: 1, extra: ctx.profile.steps.twoStep === 'forbidden' ? {} : { twoStep: true } }
  const intruderSpec: MasterSpec = { name: 'intruder', identity: 2, extra: { ...gmSpec.extra, sendAnnounce: false, sendSync: false } }
  const cfg = masterConfig(ctx, gmSpec)
  const intruderCfg = masterConfig(ctx, intruderSpec)
  const specs = cases.some((c) => c.intruderOffsetNs !== undefined) ? [gmSpec, intruderSpec] : [gmSpec]
  const m = await startMasters(ctx, specs, { freshDut: true })
  const ev: Omit<FaultyStreamEvidence, 'recorder'> = {
    gmIdentity: cfg.clockIdentity,
    intruderIdentity: intruderCfg.clockIdentity,
    lock: [],
    locked: false,
    control: [],
    cases: [],
  }
  try {
    ctx.step('waiting for the DUT to follow the grandmaster (a clean stream)')
    const locked = await lockAndSettle(ctx, cfg)
    ev.lock = locked.history
    ev.locked = locked.atMs !== undefined
    if (!ev.locked) return { ...ev, recorder: m.handle.recorder }
    // The control phase is what offsets are judged against; cases that judge none skip it.
    if (cases.some((c) => distinguishNs(c) !== undefined || c.misuse)) {
      ctx.step(`control: sampling the DUT's offsetFromMaster for ${phases.controlSeconds} s from a clean stream`)
      ev.control = (await sampleOffsets(ctx, m, phases.controlSeconds)).reports
    }
    const firstNs = systemTimeNs()
    for (const c of cases) {
      ctx.step(`${c.key}: ${c.title}${c.stepNs && (c.mutations.length || c.intruderOffsetNs !== undefined) ? `; the grandmaster's time steps by ${formatNs(c.stepNs)}` : ''}`)
      const fromNs = systemTimeNs()
      m.control('gm', (gm) => {
        gm.setMutations(c.mutations)
        if (c.stepNs) gm.setTimeBase(new TimeBase({ offsetNs: gm.timeBase.offsetNs + c.stepNs }))
      })
      if (c.intruderOffsetNs !== undefined) {
        const gmOffset = m.master('gm').timeBase.offsetNs
        m.control('intruder', (x, now) => {
          x.setTimeBase(new TimeBase({ offsetNs: gmOffset + c.intruderOffsetNs! }))
          return x.resume(now, { announce: false, sync: true, answers: false })
        })
      }
      const settle = await waitForState(ctx, () => false, settleMs(cfg.logSyncInterval), 100)
      const during = await sampleOffsets(ctx, m, phases.caseSeconds)
      const applied = m.master('gm').mutationsApplied
      m.control('gm', (gm) => gm.setMutations([]))
      if (c.intruderOffsetNs !== undefined) m.control('intruder', (x) => x.silence({ announce: true, sync: true, answers: true }))
      const toNs = systemTimeNs()
      const rec: FaultCaseRecord = { ...withoutMutations(c), rules: c.mutations.map(describeRule), applied, fromNs, toNs, reads: [...settle.history, ...during.reads], reports: during.reports, afterReads: [], after: [] }
      if (c.offsetPhase === 'after') {
        const back = await waitForState(ctx, () => false, settleMs(cfg.logSyncInterval), 100)
        const after = await sampleOffsets(ctx, m, phases.afterSeconds)
        rec.afterReads = [...back.history, ...after.reads]
        rec.after = after.reports
      } else {
        // The next case starts from a clean stream the DUT has used again.
        await ctx.sleep(settleMs(cfg.logSyncInterval))
      }
      ev.cases.push(rec)
    }
    const logged = await loggedTransitions(ctx, firstNs)
    if (logged) ev.logTransitions = logged
  } finally {
    await m.close()
  }
  return { ...ev, recorder: m.handle.recorder }
}

function withoutMutations(c: FaultCase): Omit<FaultCase, 'mutations'> {
  const { mutations: _m, ...rest } = c
  return rest
}

function describeRule(r: MutationRule): string {
  return `${r.id ?? 'rule'}: ${r.messageTypes === 'any' ? 'any message' : r.messageTypes.join('/')} ${describeMutation(r.mutation)}${r.select ? ` (${r.select.kind})` : ''}`
}

/**
 * The DUT's delay requests while a case ran, against the interval T it is configured with (the
 * evidence's DUT settings): no gap longer than 2T (the widest spacing any request rule allows:
 * uniform over (0, 2T], IEEE 1588-2019 9.5.11.2) and no more than 3 per T on average (+3; the
 * rules' mean is T, and (0, 2T] spacing never comes near 3/T over a case), so a DUT that took a
 * bogus interval (0x7F: never again; −128: a flood) fails.
 */
export function requestsCheck(ev: Evidence<FaultyStreamEvidence>, c: FaultCaseRecord, profile: Profile): Check {
  const p2p = ev.session.delayMechanism === 'P2P'
  const type = p2p ? 'Pdelay_Req' : 'Delay_Req'
  const configured = p2p ? ev.dut.intervals.pdelayReq : ev.dut.intervals.delayReq
  const T = logIntervalToNs(configured.value)
  const times = ev.data.recorder.timestamps({ type, direction: 'in', from: c.fromNs, to: c.toNs })
  const edges = [c.fromNs, ...times, c.toNs]
  let gap = 0n
  for (let i = 1; i < edges.length; i++) if (edges[i]! - edges[i - 1]! > gap) gap = edges[i]! - edges[i - 1]!
  const windowNs = c.toNs - c.fromNs
  const maxCount = Number((3n * windowNs) / T) + 3
  const maxGap = 2n * T + (ev.noise.tailNs ?? ev.noise.ns)
  const base = {
    name: `${c.key}: the DUT keeps its ${type} at its configured interval (${formatNs(T)})`,
    limit: `largest gap ≤ 2T + timestamp tail (${formatNs(maxGap)}); ≤ ${maxCount} in ${formatNs(windowNs)}`,
    source: `${profile.tolerances.delayReqSpacing?.source ?? 'IEEE 1588-2019 9.5.11.2'}; ${describeSetting(p2p ? 'logMinPdelayReqInterval' : 'logMinDelayReqInterval', configured)} (a bogus interval in the grandmaster's messages is not adopted)`,
  }
  const measured = `${times.length} sent, largest gap ${formatNs(gap)}`
  const detail = `${times.length} ${type} in ${formatNs(windowNs)} while ${c.title}; largest gap ${formatNs(gap)} (including the case's edges)`
  if (gap > maxGap) return { ...base, measured, verdict: 'fail', detail: `${detail}: as if the DUT took a longer interval, or stopped` }
  if (times.length > maxCount) return { ...base, measured, verdict: 'fail', detail: `${detail}: as if the DUT took a shorter interval` }
  return { ...base, measured, verdict: 'pass', detail }
}

/** The smallest error that tells a misuse apart: the step (the stream no longer used) or the case's misuse error. */
export function distinguishNs(c: Pick<FaultCase, 'stepNs' | 'misuse'>): bigint | undefined {
  const errors = [c.stepNs !== undefined ? absNs(c.stepNs) : undefined, c.misuse?.errorNs].filter((x): x is bigint => x !== undefined && x > 0n)
  return errors.length ? errors.reduce((a, b) => (a < b ? a : b)) : undefined
}

function misuseText(c: FaultCaseRecord): string {
  return [c.misuse?.what, c.stepNs ? `a DUT that stopped using the stream (keeps its old offset, off by the ${formatNs(absNs(c.stepNs))} step)` : undefined].filter(Boolean).join(', or ')
}

/** Every check of every case, in case order. */
export function judgeFaultyStream(ev: Evidence<FaultyStreamEvidence>, profile: Profile): Check[] {
  const d = ev.data
  if (!d.locked) return [neverFollowedCheck(d.lock, 'an offsetFromMaster', 'from a clean stream; ')]
  const checks: Check[] = []
  for (const c of d.cases) {
    const sent = c.applied + (c.intruderOffsetNs !== undefined ? intruderSyncs(d, c) : 0)
    if (sent === 0 && (c.intruderOffsetNs !== undefined || c.rules.length > 0)) {
      checks.push({ name: `${c.key}: the fault was sent`, measured: 0, limit: '≥ 1 faulty message', source: c.source, verdict: 'inconclusive', detail: `the harness recorded no faulty message while ${c.title}: the case tested nothing` })
      continue
    }
    const transitions = (d.logTransitions ?? []).filter((t) => t.atNs >= c.fromNs && t.atNs <= (c.afterReads.at(-1)?.atNs ?? c.toNs))
    checks.push(followedThroughout({ name: `${c.key}: the DUT stays a slave of its grandmaster while ${c.title}`, reads: [...c.reads, ...c.afterReads], gm: d.gmIdentity, transitions, fromNs: c.fromNs, source: `${FOLLOW_SOURCE}; ${c.source}`, what: whatWasDone(c, sent) }))
    if (c.judgeRequests) checks.push(requestsCheck(ev, c, profile))
    const distinguish = distinguishNs(c)
    const phase = c.offsetPhase === 'after' ? c.after : c.reports
    const label = c.offsetPhase === 'after' ? `${c.key}: after ${c.title}` : `${c.key}: ${c.title}`
    if (distinguish !== undefined) checks.push(misuseChangeCheck(label, d.control, phase, ev.noise.timeErrorFloorNs + (ev.noise.pathAsymmetryNs ?? 0n), distinguish, misuseText(c)))
    if (c.misuse) checks.push(misusedReportsCheck(label, d.control, phase, c.misuse, ev.noise.timeErrorFloorNs + (ev.noise.pathAsymmetryNs ?? 0n)))
  }
  return checks
}

function whatWasDone(c: FaultCaseRecord, sent: number): string {
  return [c.rules.length || c.intruderOffsetNs !== undefined ? `${sent} messages changed, withheld or sent by the intruder` : '', c.stepNs ? `the grandmaster's time stepped ${formatNs(c.stepNs)}` : ''].filter(Boolean).join('; ')
}

function intruderSyncs(d: FaultyStreamEvidence, c: FaultCaseRecord): number {
  return d.recorder.query({ type: 'Sync', direction: 'out', sender: d.intruderIdentity, from: c.fromNs, to: c.toNs }).length
}
