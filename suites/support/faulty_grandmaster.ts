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
import type { MutationRule } from '../../harness/engines/mutations.ts'
import { TimeBase } from '../../harness/engines/time_base.ts'
import type { Profile } from '../../harness/profiles/types.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import { absNs, medianNs, medianStandardErrorNs } from '../../harness/stats/robust.ts'
import { formatNs } from '../../harness/time/format.ts'
import { logIntervalToMs, logIntervalToNs } from '../../harness/time/log_interval.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { lockAndSettle, masterConfig, type MasterSpec, startMasters, type StateRead, waitForState } from './grandmasters.ts'
import { MIN_REPORTS, type OffsetReport, sampleOffsets } from './offset_reports.ts'
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
  /** The DUT's configured delay-request interval (log2 s) and which request it sends. */
  requestLogInterval: number
  requestType: 'Delay_Req' | 'Pdelay_Req'
  logSyncInterval: number
  /** Port state changes the DUT logged from the first case on (lab ptp4l); absent where it logs none. */
  logTransitions?: PortTransition[]
  recorder: Recorder
}

export const FAULT_PHASES = { controlSeconds: 4, caseSeconds: 5, afterSeconds: 4 }

const FOLLOW_SOURCE = 'IEEE 1588-2019 9.2 (a slave stays with its parent while the parent announces), 9.5 (messages that cannot be used are not processed)'

/** One read a Sync interval after a change reaches the DUT: two Sync intervals + 0.5 s of slack. */
const settleMs = (logSync: number) => 2 * logIntervalToMs(logSync) + 500

export async function acquireFaultyStream(ctx: TestContext, cases: readonly FaultCase[], phases = FAULT_PHASES): Promise<FaultyStreamEvidence> {
  const gmSpec: MasterSpec = { name: 'gm', identity: 1, extra: ctx.profile.steps.twoStep === 'forbidden' ? {} : { twoStep: true } }
  const intruderSpec: MasterSpec = { name: 'intruder', identity: 2, extra: { ...gmSpec.extra, sendAnnounce: false, sendSync: false } }
  const cfg = masterConfig(ctx, gmSpec)
  const intruderCfg = masterConfig(ctx, intruderSpec)
  const specs = cases.some((c) => c.intruderOffsetNs !== undefined) ? [gmSpec, intruderSpec] : [gmSpec]
  const m = await startMasters(ctx, specs, { freshDut: true })
  const s = ctx.session.dutSettings
  const ev: Omit<FaultyStreamEvidence, 'recorder'> = {
    gmIdentity: cfg.clockIdentity,
    intruderIdentity: intruderCfg.clockIdentity,
    lock: [],
    locked: false,
    control: [],
    cases: [],
    requestLogInterval: ctx.session.delayMechanism === 'P2P' ? s.intervals.pdelayReq.value : s.intervals.delayReq.value,
    requestType: ctx.session.delayMechanism === 'P2P' ? 'Pdelay_Req' : 'Delay_Req',
    logSyncInterval: cfg.logSyncInterval,
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
  return `${r.id ?? 'rule'}: ${r.messageTypes === 'any' ? 'any' : r.messageTypes.join('/')} ${JSON.stringify(r.mutation, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}${r.select ? ` (${JSON.stringify(r.select, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))})` : ''}`
}

/** The DUT's delay requests (as the harness port received them) within [fromNs, toNs). */
function requestsIn(d: FaultyStreamEvidence, fromNs: bigint, toNs: bigint): bigint[] {
  return d.recorder.frames
    .filter((f) => f.direction === 'in' && f.message?.type === d.requestType && f.timestampNs !== null && f.timestampNs >= fromNs && f.timestampNs < toNs)
    .map((f) => f.timestampNs!)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The DUT's delay requests while a case ran, against its configured interval T: no gap longer
 * than 2T (the widest spacing any request rule allows: uniform over (0, 2T]) and no more than 3
 * per T on average (+3), so a DUT that took a bogus interval (0x7F: never; −128: a flood) fails.
 */
export function requestsCheck(d: FaultyStreamEvidence, c: FaultCaseRecord, profile: Profile, tailNs: bigint): Check {
  const T = logIntervalToNs(d.requestLogInterval)
  const times = requestsIn(d, c.fromNs, c.toNs)
  const edges = [c.fromNs, ...times, c.toNs]
  let gap = 0n
  for (let i = 1; i < edges.length; i++) if (edges[i]! - edges[i - 1]! > gap) gap = edges[i]! - edges[i - 1]!
  const windowNs = c.toNs - c.fromNs
  const maxCount = Number((3n * windowNs) / T) + 3
  const maxGap = 2n * T + tailNs
  const base = {
    name: `${c.key}: the DUT keeps its ${d.requestType} at its configured interval (${formatNs(T)})`,
    limit: `largest gap ≤ 2T + timestamp tail (${formatNs(maxGap)}); ≤ ${maxCount} in ${formatNs(windowNs)}`,
    source: `${profile.tolerances.delayReqSpacing?.source ?? 'IEEE 1588-2019 9.5.11.2'}; the DUT's configured log interval ${d.requestLogInterval} (a bogus interval in the grandmaster's messages is not adopted)`,
  }
  const measured = `${times.length} sent, largest gap ${formatNs(gap)}`
  const detail = `${times.length} ${d.requestType} in ${formatNs(windowNs)} while ${c.title}; largest gap ${formatNs(gap)} (including the case's edges)`
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
    if (c.judgeRequests) checks.push(requestsCheck(d, c, profile, ev.noise.tailNs ?? ev.noise.ns))
    const distinguish = distinguishNs(c)
    const phase = c.offsetPhase === 'after' ? c.after : c.reports
    const label = c.offsetPhase === 'after' ? `${c.key}: after ${c.title}` : `${c.key}: ${c.title}`
    if (distinguish !== undefined) checks.push(misuseChangeCheck(label, d.control, phase, ev.noise.timeErrorFloorNs + (ev.noise.pathAsymmetryNs ?? 0n), distinguish, misuseText(c)))
    if (c.misuse) checks.push(misusedReportsCheck(label, d.control, phase, c.misuse, ev.noise.timeErrorFloorNs + (ev.noise.pathAsymmetryNs ?? 0n)))
  }
  return checks
}

/**
 * Did the DUT's median offset error move from the control phase by what a misuse makes
 * (`distinguishNs`: the 1 ms step a DUT no longer using the stream misses, a Sync interval, the
 * intruder's offset)? The boundary is half that error: a DUT that follows the fault correctly
 * may still settle for a while (a delay filter catches a step's one odd exchange: ptpd's
 * reported offset took ~5 s to come back from 300 µs), which is not what this test asks.
 * Noise (the time-error floor, the lab's path asymmetry and 3 combined standard errors of the
 * medians) at or above that boundary cannot tell: inconclusive.
 */
export function misuseChangeCheck(label: string, control: readonly OffsetReport[], phase: readonly OffsetReport[], noiseNs: bigint, distinguishNs: bigint, what: string): Check {
  const half = distinguishNs / 2n
  const base = { name: `${label}: |change of the median error (reported − expected) from the control phase|`, unit: 'ns', limit: `< ${formatNs(half)} (half the ${formatNs(distinguishNs)} a misuse makes)`, source: 'IEEE 1588-2019 11.3.2 (offsetFromMaster from each Sync and its own Follow_Up)' }
  const few = [control.length < MIN_REPORTS ? `${control.length} in the control phase` : '', phase.length < MIN_REPORTS ? `${phase.length} in this one` : ''].filter(Boolean)
  if (few.length) return { ...base, measured: Math.min(control.length, phase.length), verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${few.join(' and ')} while a slave (≥ ${MIN_REPORTS} wanted)` }
  const ec = control.map((r) => r.reportedNs - r.expectedNs)
  const ep = phase.map((r) => r.reportedNs - r.expectedNs)
  const change = medianNs(ep) - medianNs(ec)
  const noise = Number(noiseNs) + 3 * Math.hypot(medianStandardErrorNs(ec), medianStandardErrorNs(ep))
  const measured = Number(absNs(change))
  const detail = `median error ${formatNs(medianNs(ec))} in the control phase (n ${ec.length}), ${formatNs(medianNs(ep))} here (n ${ep.length}); noise ${formatNs(BigInt(Math.round(noise)))} (time-error floor, path asymmetry, 3 combined standard errors of the medians)`
  if (noise >= Number(half)) return { ...base, measured, noise, verdict: 'inconclusive', detail: `${detail}: noise this wide cannot tell ${what} (${formatNs(distinguishNs)}) apart` }
  if (measured < Number(half)) return { ...base, measured, noise, verdict: 'pass', detail: measured > noise ? `${detail}; moved beyond the noise, but by less than half of what a misuse makes (a DUT settling after the fault)` : detail }
  return { ...base, measured, noise, verdict: 'fail', detail: `${detail}: ${what}` }
}

/**
 * A DUT that misuses the faulty messages only now and then (a Follow_Up paired with the wrong
 * Sync every other interval) leaves the median alone but shows in single reports: each report's
 * error (reported − expected) against the control phase's median, off by more than half the
 * misuse error. Two or more such reports fail; a single one could be a stalled timestamp
 * (inconclusive, with its value); half the misuse error within the noise cannot tell.
 */
export function misusedReportsCheck(label: string, control: readonly OffsetReport[], reports: readonly OffsetReport[], misuse: { errorNs: bigint; what: string }, noiseNs: bigint): Check {
  const half = misuse.errorNs / 2n
  const base = { name: `${label}: reports off by about the misuse error`, limit: `no report's error more than ${formatNs(half)} from the control phase's median (half the ${formatNs(misuse.errorNs)} a misuse makes)`, source: 'IEEE 1588-2019 11.3.2 (each offsetFromMaster from a Sync and its own Follow_Up)', unit: 'reports' }
  if (control.length === 0 || reports.length === 0) return { ...base, measured: 0, verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${control.length} times in the control phase and ${reports.length} times in this one` }
  if (half <= noiseNs) return { ...base, measured: 0, verdict: 'inconclusive', detail: `half the misuse error (${formatNs(half)}) is within the harness's time-error floor and path asymmetry (${formatNs(noiseNs)}): cannot tell ${misuse.what} apart` }
  const mid = medianNs(control.map((r) => r.reportedNs - r.expectedNs))
  const off = reports.map((r) => r.reportedNs - r.expectedNs - mid).filter((e) => absNs(e) > half)
  const detail = `${off.length} of ${reports.length} reports off by more than ${formatNs(half)}${off.length ? `: ${off.slice(0, 5).map((e) => formatNs(e)).join(', ')}${off.length > 5 ? ', …' : ''}` : ''}; control median error ${formatNs(mid)}`
  if (off.length >= 2) return { ...base, measured: off.length, verdict: 'fail', detail: `${detail}: ${misuse.what}` }
  if (off.length === 1) return { ...base, measured: 1, verdict: 'inconclusive', detail: `${detail}: one report alone could be a stalled timestamp` }
  return { ...base, measured: 0, verdict: 'pass', detail }
}

function whatWasDone(c: FaultCaseRecord, sent: number): string {
  return [c.rules.length || c.intruderOffsetNs !== undefined ? `${sent} faulty messages sent` : '', c.stepNs ? `the grandmaster's time stepped ${formatNs(c.stepNs)}` : ''].filter(Boolean).join('; ')
}

function intruderSyncs(d: FaultyStreamEvidence, c: FaultCaseRecord): number {
  return d.recorder.frames.filter((f) => f.direction === 'out' && f.message?.type === 'Sync' && f.message.header.sourcePortIdentity.clockIdentity === d.intruderIdentity && f.timestampNs !== null && f.timestampNs >= c.fromNs && f.timestampNs < c.toNs).length
}
