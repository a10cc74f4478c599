/**
 * What the BMCA tests share: the attribute cases of BMCA-01, the emulated grandmasters as
 * evidence records (dataset + identity, plain data), the prediction inputs built from them,
 * and the pure reading of a polled DUT state history ("whom did it follow, from when, did it
 * stay"). Acquisition and judging both use these, so the judge re-runs exactly the
 * prediction the acquisition waited for.
 */
import type { ClockIdentity, ClockQuality } from '../../harness/codec/types.ts'
import type { DutSettings } from '../../harness/dut/settings.ts'
import type { BestMasterChange, DutState } from '../../harness/dut/types.ts'
import { type AnnounceDataset, TestMaster, type TestMasterConfig } from '../../harness/engines/test_master.ts'
import type { ChoiceInput } from '../../harness/bmca/predictor.ts'
import type { BmcaVariant, Profile } from '../../harness/profiles/types.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { isSlaveOf, lockTimeoutMs, masterConfig, type MasterSpec, startMasters, type StateRead, waitForState, watchState } from './grandmasters.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { logIntervalToMs } from '../../harness/time/log_interval.ts'

// ---------------------------------------------------------------- cases

export type CaseAttribute = 'priority1' | 'clockClass' | 'clockAccuracy' | 'offsetScaledLogVariance' | 'priority2' | 'localPriority' | 'clockIdentity'

/**
 * Two grandmasters whose data sets conflict: `a` is better in the attribute under test and
 * worse in the next one compared, and `a` has the higher identity, so a DUT that skips the
 * attribute, or compares the next one first, or falls back to identity, picks `b`.
 */
export interface AttributeCase {
  attribute: CaseAttribute
  title: string
  a: Partial<AnnounceDataset>
  b: Partial<AnnounceDataset>
  /** Only the identity case gives `a` the lower identity. */
  aHasLowerIdentity: boolean
  /** The attribute the variant's comparison must decide by (checked by the unit tests). */
  decidedBy: string
}

/** A clockClass above 127 (no G.8275 topology short-cut) that is better than `base` and allowed by the profile. */
export function betterClass(profile: Profile, base: number): number {
  const allowed = profile.clockClass.allowed.value.filter((c) => c > 127 && c < base)
  return allowed.length ? Math.max(...allowed) : base - 1
}

const ACC_GOOD = 0x21
const ACC_BASE = 0xfe
const VAR_GOOD = 0x4e5d
const VAR_BASE = 0xffff

/** The cases for the profile's BMCA variant, optionally narrowed to `only` (suites.overrides['BMCA-01'].attributes). */
export function attributeCases(profile: Profile, only?: readonly string[]): AttributeCase[] {
  const p1 = profile.priorities.priority1.default.value
  const p2 = profile.priorities.priority2.default.value
  const cls = 248
  const q: ClockQuality = { clockClass: cls, clockAccuracy: ACC_BASE, offsetScaledLogVariance: VAR_BASE }
  const base = { grandmasterPriority1: p1, grandmasterPriority2: p2, grandmasterClockQuality: q }
  const withQ = (x: Partial<ClockQuality>, more: Partial<AnnounceDataset> = {}) => ({ ...base, grandmasterClockQuality: { ...q, ...x }, ...more })
  const telecom = profile.bmca.variant === 'g8275x'
  const cases: AttributeCase[] = [
    telecom
      ? // G.8275.x does not compare priority1 (G.8275.1 6.3.3; linuxptp telecom.c): the identity decides.
        { attribute: 'priority1', title: 'priority1 is not compared: better priority1, all else equal', a: { ...base, grandmasterPriority1: p1 - 1 }, b: base, aHasLowerIdentity: false, decidedBy: 'grandmasterIdentity' }
      : { attribute: 'priority1', title: 'better priority1 with worse clockClass', a: { ...base, grandmasterPriority1: p1 - 1 }, b: withQ({ clockClass: betterClass(profile, cls) }), aHasLowerIdentity: false, decidedBy: 'priority1' },
    { attribute: 'clockClass', title: 'better clockClass with worse clockAccuracy', a: withQ({ clockClass: betterClass(profile, cls) }), b: withQ({ clockAccuracy: ACC_GOOD }), aHasLowerIdentity: false, decidedBy: 'clockClass' },
    { attribute: 'clockAccuracy', title: 'better clockAccuracy with worse offsetScaledLogVariance', a: withQ({ clockAccuracy: ACC_GOOD }), b: withQ({ offsetScaledLogVariance: VAR_GOOD }), aHasLowerIdentity: false, decidedBy: 'clockAccuracy' },
    { attribute: 'offsetScaledLogVariance', title: 'better offsetScaledLogVariance with worse priority2', a: withQ({ offsetScaledLogVariance: VAR_GOOD }), b: { ...base, grandmasterPriority2: p2 - 1 }, aHasLowerIdentity: false, decidedBy: 'offsetScaledLogVariance' },
    { attribute: 'priority2', title: 'better priority2 with a higher clockIdentity', a: { ...base, grandmasterPriority2: p2 - 1 }, b: base, aHasLowerIdentity: false, decidedBy: 'priority2' },
    { attribute: 'clockIdentity', title: 'equal in everything but clockIdentity', a: base, b: base, aHasLowerIdentity: true, decidedBy: 'grandmasterIdentity' },
  ]
  if (telecom) {
    // One link, one receiving port: portDS.localPriority is the same for both, so it must not decide;
    // the identity does (G.8275.1 6.3.3, localPriority of a received Announce = the port's).
    cases.push({ attribute: 'localPriority', title: "equal data sets on one port: the port's localPriority ties, identity decides", a: base, b: base, aHasLowerIdentity: true, decidedBy: 'grandmasterIdentity' })
  }
  if (!only?.length) return cases
  const wanted = only.map((x) => (x === 'grandmasterIdentity' ? 'clockIdentity' : x))
  return cases.filter((c) => wanted.includes(c.attribute))
}

// ---------------------------------------------------------------- masters as evidence

/** An emulated grandmaster as the evidence keeps it: what it announced and under which identity. */
export interface MasterRecord {
  name: string
  clockIdentity: ClockIdentity
  portNumber: number
  priority1: number
  priority2: number
  clockQuality: ClockQuality
  logAnnounceInterval: number
  logSyncInterval: number
  /** Announced stepsRemoved where not 0 (a clock relaying its grandmaster; BMCA-06's topology case). */
  stepsRemoved?: number
}

export function masterRecord(cfg: TestMasterConfig): MasterRecord {
  // The engine's own dataset: the profile's defaults filled in where the spec left them out.
  const d = new TestMaster(cfg).announceDataset
  return {
    name: cfg.name,
    clockIdentity: cfg.clockIdentity,
    portNumber: 1,
    priority1: d.grandmasterPriority1,
    priority2: d.grandmasterPriority2,
    clockQuality: { ...d.grandmasterClockQuality },
    logAnnounceInterval: cfg.logAnnounceInterval,
    logSyncInterval: cfg.logSyncInterval,
    ...(d.stepsRemoved ? { stepsRemoved: d.stepsRemoved } : {}),
  }
}

/** The G.8275.x localPriority of the DUT's port and clock: the lab configuration's, else the profile default. */
export function localPriorities(profile: Profile): { port: number; clock: number } | undefined {
  if (profile.bmca.variant !== 'g8275x') return undefined
  const fallback = profile.priorities.localPriority?.default.value ?? 128
  const lab = (k: string) => {
    const v = Number(profile.lab.ptp4l[k])
    return Number.isFinite(v) && profile.lab.ptp4l[k] !== undefined ? v : fallback
  }
  return { port: lab('G.8275.portDS.localPriority'), clock: lab('G.8275.defaultDS.localPriority') }
}

/**
 * The prediction inputs for a slave-only DUT hearing `masters` on one port: its defaultDS as
 * CONFIGURED (a slave-only clock announces clockClass 255, 1588-2019 Table 4), the variant, the
 * G.8275.x localPriority.
 */
export function choiceInputs(variant: BmcaVariant, dut: DutSettings, dutIdentity: ClockIdentity, masters: readonly MasterRecord[], lp?: { port: number; clock: number }): ChoiceInput {
  return {
    variant,
    dut: {
      clockIdentity: dutIdentity,
      priority1: dut.priority1.value,
      priority2: dut.priority2.value,
      clockQuality: { clockClass: 255, clockAccuracy: ACC_BASE, offsetScaledLogVariance: VAR_BASE },
      slaveOnly: true,
      ...(lp ? { localPriority: lp.clock } : {}),
    },
    ...(lp ? { portLocalPriority: lp.port } : {}),
    candidates: masters.map((m) => ({
      name: m.name,
      sender: { clockIdentity: m.clockIdentity, portNumber: m.portNumber },
      priority1: m.priority1,
      clockQuality: m.clockQuality,
      priority2: m.priority2,
      ...(m.stepsRemoved ? { stepsRemoved: m.stepsRemoved } : {}),
    })),
  }
}

// ---------------------------------------------------------------- watching a choice

export interface WatchedChoice {
  startedNs: bigint
  /** The DUT was watched up to here. */
  endNs: bigint
  lockTimeoutMs: number
  history: StateRead[]
  /** The DUT's own log of its BMCA choices from the start, where it keeps one (lab ptp4l). */
  log?: BestMasterChange[]
  recorder: Recorder
}

/**
 * A fresh DUT slave with `specs` announcing: wait (bounded by the lock timeout) until it follows
 * `expected`, then watch `holdIntervals` announce intervals that it stays, reading its state
 * closer than an interval (holdPollMs). BMCA-01 and BMCA-06 judge the history with judgeFollowing.
 */
export async function watchChoice(ctx: TestContext, specs: MasterSpec[], expected: ClockIdentity, holdIntervals: number, o: { log?: boolean } = {}): Promise<WatchedChoice> {
  const interval = masterConfig(ctx, specs[0]!).logAnnounceInterval
  const m = await startMasters(ctx, specs, { freshDut: true })
  const startedNs = systemTimeNs()
  const timeout = lockTimeoutMs(interval, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings)
  const history: StateRead[] = []
  let endNs = startedNs
  try {
    const poll = holdPollMs(interval)
    const chose = await waitForState(ctx, isSlaveOf(expected), timeout, poll)
    history.push(...chose.history)
    if (chose.atMs !== undefined) history.push(...(await watchState(ctx, holdIntervals * logIntervalToMs(interval), poll)))
  } finally {
    // The watch ends with its last read, not after closing the port and reading the DUT's log.
    endNs = systemTimeNs()
    await m.close()
  }
  const log = o.log ? (await ctx.session.dut.bestMasterChanges?.().catch(() => undefined))?.filter((x) => x.atNs >= startedNs) : undefined
  return { startedNs, endNs, lockTimeoutMs: timeout, history, ...(log ? { log } : {}), recorder: m.handle.recorder }
}

// ---------------------------------------------------------------- reading a state history

/**
 * How often to poll the DUT's state while watching a choice: a switch away can last as little as
 * one announce interval, so the reads must come closer than that (G.8275.1: 125 ms).
 */
export function holdPollMs(logAnnounceInterval: number): number {
  return Math.min(50, Math.max(5, Math.round(logIntervalToMs(logAnnounceInterval) / 10)))
}

/** A duration as a reader wants it in a timeline: "2.503 s" (millisecond resolution is what the reads have). */
export function seconds(ns: bigint): string {
  return `${(Number(ns) / 1e9).toFixed(3)} s`
}

export const follows = (gm: ClockIdentity) => (s: DutState | undefined) =>
  !!s && s.grandmasterIdentity === gm && s.ports.some((p) => p.portState === 'SLAVE' || p.portState === 'UNCALIBRATED')

/** A clock by our masters' names: "gm-b (020000.fffe.000042)", else its identity. */
function describeClock(id: string, masters: readonly MasterRecord[]): string {
  const m = masters.find((x) => x.clockIdentity === id)
  return m ? `${m.name} (${id})` : id
}

/** "gm-b (020000.fffe.000042) as SLAVE" — what a read says the DUT did, named by our masters. */
export function describeRead(r: StateRead | undefined, masters: readonly MasterRecord[]): string {
  if (!r) return 'no read'
  if (!r.state) return `no answer (${r.error ?? 'unknown'})`
  const gm = r.state.grandmasterIdentity
  const m = masters.find((x) => x.clockIdentity === gm)
  const states = [...new Set(r.state.ports.map((p) => p.portState))].join('/') || 'no port'
  // Its own identity first: a harness master may be sent under it (BMCA-05's looped Announce).
  return `${gm !== undefined && gm === r.state.clockIdentity ? 'itself' : m ? `${m.name} (${gm})` : (gm ?? 'nobody')} as ${states}`
}

/** The distinct choices over a history, with their times from `t0`: "+0.4 s itself as LISTENING, +2.1 s gm-a … as SLAVE". */
export function choiceTimeline(history: readonly StateRead[], masters: readonly MasterRecord[], t0: bigint, max = 6): string {
  const out: string[] = []
  let prev = ''
  for (const r of history) {
    const d = describeRead(r, masters)
    if (d !== prev) out.push(`+${seconds(r.atNs - t0)} ${d}`)
    prev = d
  }
  return out.length > max ? [...out.slice(0, max - 1), '…', out.at(-1)!].join(', ') : out.join(', ')
}

/** Largest gap between consecutive answered reads in [fromNs, toNs] (including the edges). */
export function largestGap(history: readonly StateRead[], fromNs: bigint, toNs: bigint): bigint {
  let prev = fromNs
  let gap = 0n
  for (const r of history) {
    if (!r.state || r.atNs < fromNs || r.atNs > toNs) continue
    if (r.atNs - prev > gap) gap = r.atNs - prev
    prev = r.atNs
  }
  return toNs - prev > gap ? toNs - prev : gap
}

export interface FollowJudgement {
  check: Check
  /** When the DUT was first seen following the expected grandmaster, and the earliest it can have switched (the previous read's start). */
  atNs?: bigint
  prevNs?: bigint
}

/**
 * Did the DUT follow `expected` and keep following it to the end of the history?
 * never → FAIL naming whom it followed; followed then left → FAIL naming when and for whom;
 * too few answered reads to tell it stayed (a gap above `maxGapNs`) → INCONCLUSIVE.
 */
export function judgeFollowing(o: {
  name: string
  history: readonly StateRead[]
  expected: MasterRecord
  masters: readonly MasterRecord[]
  t0: bigint
  /** The hold must be watched up to here. */
  untilNs: bigint
  maxGapNs: bigint
  limit: string
  source: string
  unconfirmed?: boolean
  /** The DUT's own log of its BMCA choices (lab ptp4l), which sees a switch between two reads. */
  log?: readonly BestMasterChange[]
}): FollowJudgement {
  const base = { name: o.name, limit: o.limit, source: o.source, ...(o.unconfirmed ? { unconfirmed: true } : {}) }
  const answered = o.history.filter((r) => r.state)
  const timeline = choiceTimeline(o.history, o.masters, o.t0)
  if (!answered.length) {
    const errs = o.history.length
    return { check: { ...base, measured: 'no state read answered', verdict: 'inconclusive', detail: `${errs} reads, none answered (${o.history[0]?.error ?? 'no read made'}): the harness cannot see whom the DUT follows` } }
  }
  const isIt = follows(o.expected.clockIdentity)
  const i = o.history.findIndex((r) => isIt(r.state))
  if (i < 0) {
    const last = answered.at(-1)!
    return { check: { ...base, measured: `never followed ${o.expected.name}; last: ${describeRead(last, o.masters)}`, verdict: 'fail', detail: `reads: ${timeline}` } }
  }
  const at = o.history[i]!
  // The previous read sampled the state somewhere after it was sent: the switch came after that.
  const prev = i > 0 ? o.history[i - 1]! : undefined
  const prevNs = prev ? (prev.startNs ?? prev.atNs) : o.t0
  const left = o.history.slice(i + 1).find((r) => r.state && !isIt(r.state))
  if (left) {
    return {
      check: { ...base, measured: `followed ${o.expected.name} at +${seconds(at.atNs - o.t0)}, then left it at +${seconds(left.atNs - o.t0)} for ${describeRead(left, o.masters)}`, verdict: 'fail', detail: `reads: ${timeline}` },
      atNs: at.atNs,
      prevNs,
    }
  }
  const gap = largestGap(o.history, at.atNs, o.untilNs)
  const lastNs = answered.at(-1)!.atNs
  const measured = `followed ${o.expected.name} from +${seconds(at.atNs - o.t0)} (read gap ≤ ${seconds(gap)})`
  // Its log names every later choice, also one the reads fell between (a choice logged before
  // the read that first showed the expected one is that one's own).
  const other = o.log?.find((x) => x.atNs > at.atNs && x.atNs <= o.untilNs && x.clockIdentity !== o.expected.clockIdentity)
  if (other) {
    return {
      check: { ...base, measured: `followed ${o.expected.name} at +${seconds(at.atNs - o.t0)}, then its log chose ${describeClock(other.clockIdentity, o.masters)} at +${seconds(other.atNs - o.t0)}`, verdict: 'fail', detail: `reads: ${timeline}` },
      atNs: at.atNs,
      prevNs,
    }
  }
  if ((gap > o.maxGapNs || lastNs < o.untilNs - o.maxGapNs) && o.log) {
    return { check: { ...base, measured, verdict: 'pass', detail: `reads ${seconds(gap)} apart at most, and the DUT's log of its BMCA choices names no other grandmaster until +${seconds(o.untilNs - o.t0)}; reads: ${timeline}` }, atNs: at.atNs, prevNs }
  }
  if (gap > o.maxGapNs || lastNs < o.untilNs - o.maxGapNs) {
    return {
      check: { ...base, measured, verdict: 'inconclusive', detail: `largest gap between answered state reads ${seconds(gap)} exceeds ${seconds(o.maxGapNs)}, so a switch away could go unseen; reads: ${timeline}` },
      atNs: at.atNs,
      prevNs,
    }
  }
  return { check: { ...base, measured, verdict: 'pass', detail: `reads: ${timeline}` }, atNs: at.atNs, prevNs }
}
