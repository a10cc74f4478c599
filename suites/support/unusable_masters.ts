/**
 * "A better master the DUT must not use": BMCA-05 (Announce the BMCA may not qualify) and
 * ROB-04 (messages of another PTP network) share it. The DUT follows grandmaster A; then
 * every case's master — each better than A, each with one defect — announces (and sends
 * Sync) at once for the qualification window plus two intervals: the DUT must stay with A.
 * Control: the same data set without a defect must then win, or staying proved nothing.
 * Judged from the recording (what each case master sent) and the DUT's polled state; a
 * switch to a master that keeps announcing lasts, so reads need not come closer than an
 * announce interval, only reach past the moment a usable master would have been selected.
 */
import type { ClockIdentity, Tlv } from '../../harness/codec/types.ts'
import type { DutState } from '../../harness/dut/types.ts'
import type { AnnounceDataset } from '../../harness/engines/test_master.ts'
import type { MutationRule } from '../../harness/engines/mutations.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import type { Profile } from '../../harness/profiles/types.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { logIntervalToMs, logIntervalToNs } from '../../harness/time/log_interval.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { choiceTimeline, describeRead, holdPollMs, judgeFollowing, largestGap, type MasterRecord, masterRecord, seconds } from './bmca_cases.ts'
import { betterThanDefault, isSlaveOf, lockTimeoutMs, masterConfig, type MasterSpec, startMasters, type StateRead, waitForState, watchState } from './grandmasters.ts'

export interface UnusableCase {
  /** Short stable key (evidence, fault targets). */
  key: string
  /** What is wrong with this master's messages, as a check name reads it. */
  title: string
  /** Why the DUT must not use it. */
  source: string
  dataset?: Partial<AnnounceDataset>
  mutations?: MutationRule[]
  /** The Announce TLVs this master sends instead of the profile's (BMCA-10: one left out). */
  announceTlvs?: Tlv[]
  /** Send under the DUT's own clockIdentity (its own messages looped back). */
  asDut?: boolean
}

export interface UnusableEvidence {
  a: MasterRecord
  cases: { key: string; title: string; source: string; master: MasterRecord }[]
  control: MasterRecord
  /** Cases the harness could not build, with why (the looped-Announce case without the DUT's identity). */
  notRun?: { key: string; title: string; source: string; reason: string }[]
  /** The DUT's clockIdentity (its state), for the case sent under it. */
  dutClockIdentity?: ClockIdentity
  startedNs: bigint
  lockHistory: StateRead[]
  watchAtNs?: bigint
  watchHistory: StateRead[]
  controlAtNs?: bigint
  controlHistory: StateRead[]
  endNs: bigint
  recorder: Recorder
}

const IDENTITY_WAIT_MS = 10_000

/** Announce intervals the case masters announce for: the qualification window and two more (one to qualify, one to decide). */
export const watchIntervals = (profile: Profile) => profile.bmca.foreignMasterTimeWindow.value + 2

export async function acquireUnusable(ctx: TestContext, cases: readonly UnusableCase[]): Promise<UnusableEvidence> {
  const better = betterThanDefault(ctx)
  const specA: MasterSpec = { name: 'gm-a', identity: 1 }
  const silent = { sendAnnounce: false, sendSync: false }
  const specCtl: MasterSpec = { name: 'control', identity: 2 + cases.length, dataset: better, extra: silent }
  const a = masterRecord(masterConfig(ctx, specA))
  const control = masterRecord(masterConfig(ctx, specCtl))
  const poll = holdPollMs(a.logAnnounceInterval)
  // The case sent under the DUT's identity needs that identity before its engine is built.
  await ctx.session.ensureDut('slave', ctx.signal)
  let dutClockIdentity: ClockIdentity | undefined
  if (cases.some((c) => c.asDut)) {
    // A DUT just started may report an all-zero identity for a while (ptpd until its first status write).
    const deadline = Date.now() + IDENTITY_WAIT_MS
    while (!ctx.signal.aborted) {
      const id = (await ctx.session.dut.readState().catch(() => undefined))?.clockIdentity
      if (id && !/^[0.]+$/.test(id)) dutClockIdentity = id
      if (dutClockIdentity || Date.now() > deadline) break
      await ctx.sleep(200)
    }
  }
  // Without the identity the looped case cannot be built; the other cases still run.
  const run = cases.filter((c) => !c.asDut || dutClockIdentity)
  const notRun = cases.filter((c) => !run.includes(c)).map((c) => ({ key: c.key, title: c.title, source: c.source, reason: `the DUT's state source reported no clockIdentity within ${IDENTITY_WAIT_MS / 1000} s, so no Announce could be sent under it` }))
  const specs: MasterSpec[] = run.map((c, i) => ({
    name: `case-${c.key}`,
    identity: 2 + i,
    dataset: { ...better, ...c.dataset },
    extra: { ...silent, ...(c.mutations ? { mutations: c.mutations } : {}), ...(c.announceTlvs ? { announceTlvs: c.announceTlvs } : {}), ...(c.asDut ? { clockIdentity: dutClockIdentity! } : {}) },
  }))
  const records = specs.map((s) => masterRecord(masterConfig(ctx, s)))
  const m = await startMasters(ctx, [specA, ...specs, specCtl], { freshDut: true })
  const startedNs = systemTimeNs()
  const ev: UnusableEvidence = {
    a,
    cases: run.map((c, i) => ({ key: c.key, title: c.title, source: c.source, master: records[i]! })),
    ...(notRun.length ? { notRun } : {}),
    control,
    ...(dutClockIdentity ? { dutClockIdentity } : {}),
    startedNs,
    lockHistory: [],
    watchHistory: [],
    controlHistory: [],
    endNs: startedNs,
    recorder: m.handle.recorder,
  }
  try {
    ctx.step('waiting for the DUT to follow grandmaster A')
    const locked = await waitForState(ctx, isSlaveOf(a.clockIdentity), lockTimeoutMs(a.logAnnounceInterval, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings), poll)
    ev.lockHistory = locked.history
    if (locked.atMs === undefined) return ev
    const n = watchIntervals(ctx.profile)
    ctx.step(`${cases.length} better masters the DUT must not use announce for ${n} intervals: ${cases.map((c) => c.key).join(', ')}`)
    ev.watchAtNs = systemTimeNs()
    for (const s of specs) m.control(s.name, (gm, now) => gm.resume(now, { announce: true, sync: true, answers: false }))
    ev.watchHistory = await watchState(ctx, n * logIntervalToMs(a.logAnnounceInterval), poll)
    for (const s of specs) m.control(s.name, (gm) => gm.silence({ announce: true, sync: true, answers: true }))
    // A DUT that took one of them must first lose it again, or the control is not a switch from A.
    const back = await waitForState(ctx, isSlaveOf(a.clockIdentity), lockTimeoutMs(a.logAnnounceInterval, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings), poll)
    if (back.atMs === undefined) return ev
    ctx.step('control: the same data set without a defect; the DUT must switch to it')
    ev.controlAtNs = systemTimeNs()
    m.control(specCtl.name, (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
    const ctl = await waitForState(ctx, isSlaveOf(control.clockIdentity), lockTimeoutMs(control.logAnnounceInterval, 3, ctx.session.dutSettings), poll)
    ev.controlHistory = ctl.history
  } finally {
    ev.endNs = systemTimeNs()
    await m.close()
  }
  return ev
}

/** Announces a master sent in [fromNs, toNs) (its own frames, as the recorder saw them leave). */
function sentAnnounces(d: UnusableEvidence, who: MasterRecord, fromNs: bigint, toNs: bigint): number {
  return d.recorder.frames.filter((f) => f.direction === 'out' && f.message?.type === 'Announce' && f.message.header.sourcePortIdentity.clockIdentity === who.clockIdentity && f.timestampNs !== null && f.timestampNs >= fromNs && f.timestampNs < toNs).length
}

/** Whom a read says the DUT follows as a slave: its grandmaster, or its parent when the read lacks one (undefined: not a slave). */
function followed(s: DutState): ClockIdentity | undefined {
  if (!s.ports.some((p) => p.portState === 'SLAVE' || p.portState === 'UNCALIBRATED')) return undefined
  return s.grandmasterIdentity ?? s.parentPortIdentity?.clockIdentity
}

export function judgeUnusable(ev: Evidence<UnusableEvidence>, profile: Profile): Check[] {
  const d = ev.data
  const T = logIntervalToNs(d.a.logAnnounceInterval)
  const masters = [d.a, ...d.cases.map((c) => c.master), d.control]
  const checks: Check[] = []
  const lockEnd = d.lockHistory.at(-1)?.atNs ?? d.endNs
  // Only the choice is asked of this phase (the watch shows whether it held): read gaps do not matter here.
  const lock = judgeFollowing({ name: 'the DUT follows grandmaster A (the only one announcing)', history: d.lockHistory, expected: d.a, masters, t0: d.startedNs, untilNs: lockEnd, maxGapNs: lockEnd - d.startedNs + 1n, limit: `= gm-a (${d.a.clockIdentity})`, source: 'IEEE 1588-2019 9.3.3' })
  checks.push(lock.check)
  if (lock.check.verdict === 'fail' || d.watchAtNs === undefined) return checks
  const watchEnd = d.watchHistory.at(-1)?.atNs ?? d.endNs
  const needed = profile.bmca.foreignMasterThreshold.value
  // 1. Each case master must have sent enough Announces to qualify, were it usable.
  const sent = d.cases.map((c) => ({ c, n: sentAnnounces(d, c.master, d.watchAtNs!, watchEnd) }))
  // 2. Whom the DUT followed while they announced: the first read away from A, and the first
  // read naming a case master (as grandmaster, or as parent where a read lacks the grandmaster).
  const left = d.watchHistory.find((r) => r.state && followed(r.state) !== d.a.clockIdentity)
  const named = d.watchHistory.map((r) => ({ r, c: r.state && d.cases.find((c) => followed(r.state!) === c.master.clockIdentity) })).find((x) => x.c)
  const tookCase = named?.c
  const gap = largestGap(d.watchHistory, d.watchAtNs, watchEnd)
  const lastAnswered = d.watchHistory.findLast((r) => r.state)?.atNs
  const decideBy = d.watchAtNs + BigInt(needed + 1) * T
  const timeline = choiceTimeline(d.watchHistory, masters, d.watchAtNs)
  // 3. The control: the same data set without the defect wins, so staying was a choice.
  let controlWon: boolean | undefined
  if (d.controlAtNs !== undefined) {
    const ctl = judgeFollowing({ name: 'control: the DUT switches to the same data set without a defect', history: d.controlHistory, expected: d.control, masters, t0: d.controlAtNs, untilNs: d.controlHistory.at(-1)?.atNs ?? d.endNs, maxGapNs: T, limit: `follows control (${d.control.clockIdentity})`, source: 'IEEE 1588-2019 9.3.2.5, 9.3.3 (a qualified better master is selected)' })
    checks.push(ctl.check)
    controlWon = ctl.check.verdict === 'pass'
  }
  for (const { c, n } of sent) {
    const name = `not used: ${c.title}`
    const base = { name, limit: `stays with gm-a while ${c.master.name} announces ${watchIntervals(profile)} intervals`, source: c.source }
    if (n < needed) {
      checks.push({ ...base, measured: `${n} Announces sent`, verdict: 'inconclusive', detail: `the harness sent fewer than the ${needed} Announces that would qualify a usable master, so the case does not test the filter` })
      continue
    }
    if (tookCase === c) {
      checks.push({ ...base, measured: `followed ${c.master.name} ${seconds(named!.r.atNs - d.watchAtNs)} after it began announcing`, verdict: 'fail', detail: `${n} Announces of ${c.master.name} (${c.master.clockIdentity}) sent; reads: ${timeline}` })
      continue
    }
    if (left) {
      checks.push({ ...base, measured: `the DUT left gm-a for ${describeRead(left, masters)}`, verdict: tookCase ? 'inconclusive' : 'fail', detail: tookCase ? `masked: the DUT took ${tookCase.master.name} instead, so this case's filter was not tested alone; reads: ${timeline}` : `the DUT left its grandmaster while only masters it must not use announced; reads: ${timeline}` })
      continue
    }
    // A switch to a master that keeps announcing lasts, so a read after the moment a usable master
    // would have been qualified (threshold Announces) and selected (one interval more) shows it.
    if (lastAnswered === undefined || lastAnswered < decideBy) {
      checks.push({ ...base, measured: `stayed with gm-a (last answered read +${lastAnswered === undefined ? '—' : seconds(lastAnswered - d.watchAtNs)})`, verdict: 'inconclusive', detail: `no answered state read after +${seconds(decideBy - d.watchAtNs)}, by when a usable master would have been qualified (${needed} Announces) and selected: a switch could go unseen` })
      continue
    }
    if (controlWon !== true) {
      checks.push({ ...base, measured: 'stayed with gm-a', verdict: 'inconclusive', detail: 'the DUT did not take the same data set without the defect either (control), so staying does not show the defect was filtered' })
      continue
    }
    checks.push({ ...base, measured: `stayed with gm-a for ${seconds(watchEnd - d.watchAtNs)}`, verdict: 'pass', detail: `${n} Announces of ${c.master.name} sent (≥ ${needed} qualify a usable master); largest read gap ${seconds(gap)}` })
  }
  for (const c of d.notRun ?? []) checks.push({ name: `not used: ${c.title}`, measured: 'not sent', limit: 'the case run', source: c.source, verdict: 'inconclusive', detail: c.reason })
  return checks
}
