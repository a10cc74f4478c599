/**
 * BMCA-02 — foreign-master qualification (1588-2019 9.3.2.5): while the DUT follows
 * grandmaster A, a single Announce from a better clock B must not make it switch; once B
 * keeps announcing, FOREIGN_MASTER_THRESHOLD Announces within FOREIGN_MASTER_TIME_WINDOW
 * qualify it and the DUT must switch. Judged from the recording (B's Announces and their
 * times) and the DUT's polled state history.
 */
import { systemTimeNs } from '../../harness/transport/index.ts'
import type { BestMasterChange } from '../../harness/dut/types.ts'
import { loggedChoice } from '../support/state_history.ts'
import { betterThanDefault, type Check, conformance, judgeBound, logIntervalToNs, type Recorder, logIntervalToMs } from '../kit.ts'
import { choiceTimeline, follows, holdPollMs, judgeFollowing, largestGap, type MasterRecord, masterRecord } from '../support/bmca_cases.ts'
import { isSlaveOf, lockTimeoutMs, masterConfig, startMasters, type StateRead, waitForState, watchState } from '../support/grandmasters.ts'

export interface QualificationEvidence {
  a: MasterRecord
  b: MasterRecord
  startedNs: bigint
  lockHistory: StateRead[]
  /** When the harness let B send one Announce, and the reads that followed. */
  singleAtNs?: bigint
  watchHistory: StateRead[]
  /** When B started announcing continuously, and the reads that followed. */
  controlAtNs?: bigint
  controlHistory: StateRead[]
  endNs: bigint
  recorder: Recorder
  /** The grandmasters the DUT logged selecting from the single Announce on (lab ptp4l: timed to 1 ms). */
  bestMasterLog?: BestMasterChange[]
}

const bAnnounces = (ev: QualificationEvidence, fromNs: bigint, toNs: bigint) =>
  ev.recorder.frames.filter((f) => f.direction === 'out' && f.message?.type === 'Announce' && f.message.header.sourcePortIdentity.clockIdentity === ev.b.clockIdentity && f.timestampNs !== null && f.timestampNs >= fromNs && f.timestampNs < toNs)

export default conformance<QualificationEvidence>({
  id: 'BMCA-02',
  title: 'A single Announce does not qualify a foreign master; the threshold does',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.2.5 (foreign master qualification)',
  mapsTo: ['facebook/time PR #198', 'linuxptp foreign.h FOREIGN_MASTER_THRESHOLD'],
  tags: ['active', 'bmca'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 15,
  criteria: {
    pass: 'one Announce from a better clock leaves the DUT on its grandmaster; the threshold of Announces within the window makes it switch',
    fail: 'the DUT switches on a single Announce, switches with fewer Announces than the threshold, or never switches to the better clock',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const specA = { name: 'gm-a', identity: 1 }
    const specB = { name: 'gm-b', identity: 2, dataset: betterThanDefault(ctx), extra: { sendAnnounce: false, sendSync: false } }
    const a = masterRecord(masterConfig(ctx, specA))
    const b = masterRecord(masterConfig(ctx, specB))
    const t = logIntervalToMs(a.logAnnounceInterval)
    const window = ctx.profile.bmca.foreignMasterTimeWindow.value
    const poll = holdPollMs(a.logAnnounceInterval)
    const m = await startMasters(ctx, [specA, specB], { freshDut: true })
    const startedNs = systemTimeNs()
    const ev: QualificationEvidence = { a, b, startedNs, lockHistory: [], watchHistory: [], controlHistory: [], endNs: startedNs, recorder: m.handle.recorder }
    try {
      ctx.step('waiting for the DUT to follow grandmaster A')
      const locked = await waitForState(ctx, isSlaveOf(a.clockIdentity), lockTimeoutMs(a.logAnnounceInterval, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings), poll)
      ev.lockHistory = locked.history
      if (locked.atMs === undefined) return ev
      ctx.step('one Announce from the better clock B')
      const before = m.handle.recorder.size
      ev.singleAtNs = systemTimeNs()
      m.control('gm-b', (gm, now) => gm.resume(now, { announce: true, sync: false, answers: false }))
      // Silence B as soon as its first Announce has left (its next one is an interval away).
      const sentB = () => m.handle.recorder.frames.slice(before).some((f) => f.direction === 'out' && f.message?.type === 'Announce' && f.message.header.sourcePortIdentity.clockIdentity === b.clockIdentity)
      const deadline = Date.now() + 3 * t + 1000
      while (Date.now() < deadline && !sentB()) await ctx.sleep(2)
      m.control('gm-b', (gm) => gm.silence({ announce: true, sync: true, answers: true }))
      // Past the window, so the single Announce has aged out when the control starts.
      ctx.step(`watching ${window + 1} announce intervals for a switch`)
      ev.watchHistory = await watchState(ctx, (window + 1) * t, poll)
      ctx.step('control: B announces continuously; the DUT must now switch')
      ev.controlAtNs = systemTimeNs()
      m.control('gm-b', (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
      const control = await waitForState(ctx, isSlaveOf(b.clockIdentity), lockTimeoutMs(b.logAnnounceInterval, 3, ctx.session.dutSettings), poll)
      ev.controlHistory = control.history
      if (control.atMs !== undefined) ev.controlHistory.push(...(await watchState(ctx, 2 * t, poll)))
      const logged = await ctx.session.dut.bestMasterChanges?.().catch(() => undefined)
      if (logged) ev.bestMasterLog = logged.filter((x) => x.atNs >= ev.singleAtNs! - 1_000_000_000n)
    } finally {
      ev.endNs = systemTimeNs()
      await m.close()
    }
    return ev
  },
  judge(ev, profile) {
    const d = ev.data
    const T = logIntervalToNs(d.a.logAnnounceInterval)
    const threshold = profile.bmca.foreignMasterThreshold
    const window = profile.bmca.foreignMasterTimeWindow
    const masters = [d.a, d.b]
    const qualSource = `${threshold.source}; ${window.source}; IEEE 1588-2019 9.3.2.5`
    const unconfirmed = !!(threshold.unconfirmed || window.unconfirmed)
    const checks: Check[] = []
    // 1. The DUT must first follow A, or nothing else can be tested — and not following it is its fault.
    // Only the choice is asked of this phase; the watch phase shows whether it held.
    const lockEnd = d.lockHistory.at(-1)?.atNs ?? d.endNs
    const lock = judgeFollowing({ name: 'the DUT follows grandmaster A (the only one announcing)', history: d.lockHistory, expected: d.a, masters, t0: d.startedNs, untilNs: lockEnd, maxGapNs: T, limit: `= gm-a (${d.a.clockIdentity})`, source: 'IEEE 1588-2019 9.3.3' })
    checks.push(lock.check)
    if (lock.check.verdict === 'fail' || d.singleAtNs === undefined) return { checks }
    // 2. Exactly one Announce from B in the single phase, or the phase proves nothing (harness).
    const singles = bAnnounces(d, d.singleAtNs, d.controlAtNs ?? d.endNs)
    checks.push({ name: 'Announce messages B sent in the single-Announce phase', measured: singles.length, limit: '= 1', source: 'test set-up', verdict: singles.length === 1 ? 'pass' : 'inconclusive', ...(singles.length === 1 ? {} : { detail: 'the harness did not send exactly one Announce, so the phase does not test qualification' }) })
    const single = singles[0]
    if (single) {
      const sentNs = single.timestampNs!
      const watchEnd = d.controlAtNs ?? d.endNs
      const switched = d.watchHistory.find((r) => follows(d.b.clockIdentity)(r.state))
      const gap = largestGap(d.watchHistory, sentNs, watchEnd)
      // Its log names a choice of B even between two reads (lab ptp4l).
      const loggedB = d.bestMasterLog?.find((x) => x.clockIdentity === d.b.clockIdentity && x.atNs >= sentNs && x.atNs < watchEnd)
      const base = { name: 'the DUT does not switch to B after a single Announce', limit: `stays with gm-a (threshold ${threshold.value} Announces within ${window.value} intervals)`, source: qualSource, unconfirmed }
      if (switched) checks.push({ ...base, measured: `switched to gm-b ${formatMs(switched.atNs - sentNs)} after B's only Announce`, verdict: 'fail', detail: `reads: ${choiceTimeline(d.watchHistory, masters, sentNs)}` })
      else if (loggedB) checks.push({ ...base, measured: `its log chose gm-b ${formatMs(loggedB.atNs - sentNs)} after B's only Announce`, verdict: 'fail', detail: `between two state reads; reads: ${choiceTimeline(d.watchHistory, masters, sentNs)}` })
      else {
        const left = d.watchHistory.find((r) => r.state && !follows(d.a.clockIdentity)(r.state))
        if (left) checks.push({ ...base, name: 'the DUT stays with A while B announced once', measured: `left gm-a ${formatMs(left.atNs - sentNs)} after B's Announce for another choice`, verdict: 'fail', detail: `reads: ${choiceTimeline(d.watchHistory, masters, sentNs)}` })
        else {
          const seen = gap <= T || d.bestMasterLog !== undefined
          const why = gap <= T ? `largest read gap ${formatMs(gap)}` : d.bestMasterLog ? `reads ${formatMs(gap)} apart at most, and the DUT's log of its BMCA choices names no other grandmaster in the phase` : `largest gap between answered reads ${formatMs(gap)} exceeds one announce interval (${formatMs(T)}): a switch could go unseen`
          checks.push({ ...base, measured: `stayed with gm-a for ${formatMs(watchEnd - sentNs)}`, verdict: seen ? 'pass' : 'inconclusive', detail: why })
        }
      }
    }
    // 3. Control: continuous Announces must qualify B, and not before the threshold is reached.
    if (d.controlAtNs !== undefined) {
      const ctl = judgeFollowing({ name: 'the DUT switches to B once B keeps announcing', history: d.controlHistory, expected: d.b, masters, t0: d.controlAtNs, untilNs: d.endNs, maxGapNs: T, limit: `follows gm-b after ${threshold.value} Announces within ${window.value} intervals`, source: qualSource, unconfirmed, ...(d.bestMasterLog ? { log: d.bestMasterLog } : {}) })
      checks.push(ctl.check)
      if (ctl.atNs !== undefined) {
        // The switch lies between the previous read and the first read showing B, or — where the
        // DUT logged choosing B inside that span (lab ptp4l, 1 ms) — at that logged moment.
        const prevNs = ctl.prevNs ?? ctl.atNs
        const shownNs = ctl.atNs
        const chose = loggedChoice(d.bestMasterLog, d.b.clockIdentity, prevNs, shownNs)
        const fromNs = chose ? chose.atNs : prevNs
        const toNs = chose ? chose.atNs + chose.resolutionNs : shownNs
        const when = chose ? `the DUT logged choosing gm-b at +${formatMs(chose.atNs - d.controlAtNs)} (1 ms)` : `the switch happened between two reads ${formatMs(toNs - fromNs)} apart`
        const seen = bAnnounces(d, toNs - BigInt(window.value) * T, toNs).length
        const needed = threshold.value
        // At most `seen` Announces of B can have reached the DUT before it switched.
        checks.push({ name: 'B Announces within the window before the DUT switched', measured: seen, limit: `≥ ${needed}`, source: qualSource, unconfirmed, verdict: seen >= needed ? 'pass' : 'fail', detail: `counted from the recording in the ${window.value} announce intervals before ${chose ? 'its logged choice of gm-b' : 'the first read showing gm-b'}` })
        // The threshold-th Announce qualifies B; the state decision follows it, so one interval of slack plus the switch's bracket.
        const nth = bAnnounces(d, d.controlAtNs, d.endNs)[needed - 1]
        if (nth?.timestampNs != null) {
          const lateMs = Number(toNs - nth.timestampNs) / 1e6
          const resMs = Number(toNs - fromNs) / 1e6
          checks.push({ name: "time from B's qualifying Announce to the switch", measured: Math.round(lateMs), unit: 'ms', limit: `≤ ${Number(T) / 1e6} ms (one announce interval)`, noise: resMs, source: 'IEEE 1588-2019 9.2.6 (STATE_DECISION_EVENT: the BMCA runs at least once per announce interval)', verdict: judgeBound(lateMs - resMs / 2, Number(T) / 1e6, resMs / 2, 'max'), detail: when })
        }
      }
    }
    return { checks }
  },
})

function formatMs(ns: bigint): string {
  return `${Number(ns / 1_000_000n)} ms`
}
