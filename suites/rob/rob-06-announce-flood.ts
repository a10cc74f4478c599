/**
 * ROB-06 — an Announce flood from many identities: 64 masters, each worse than the DUT's
 * grandmaster, announce at the announce interval for the qualification window + 8 intervals.
 * The DUT's foreign-master table overflows (ptpd keeps 5 records by default): a DUT that drops
 * its parent's record to make room loses its grandmaster. The choice must stay correct (the
 * grandmaster it follows, never one of the flood) and the DUT must keep working: once the flood
 * stops, a better master (the control) must still win.
 * Not sent: a reserved or implausible clockClass, or a regressing Announce sequenceId (catalogue
 * ROB-06). IEEE 1588-2019 gives a receiver no rule for either, so no verdict could cite one.
 */
import type { StateRead } from '../support/grandmasters.ts'
import { conformance, logIntervalToMs, logIntervalToNs, masterConfig, type MasterSpec, type Recorder, startMasters, waitForState, isSlaveOf, lockTimeoutMs } from '../kit.ts'
import { holdPollMs, judgeFollowing, type MasterRecord, masterRecord } from '../support/bmca_cases.ts'
import type { BestMasterChange } from '../../harness/dut/types.ts'
import { negotiationRequired } from '../../harness/engines/unicast/services.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { watchState } from '../support/grandmasters.ts'

export interface FloodEvidence {
  a: MasterRecord
  control: MasterRecord
  /** The flood's masters: how many, the first and last identity, the priority2 they announce. */
  flood: { count: number; first: string; last: string; priority2: number }
  startedNs: bigint
  lockHistory: StateRead[]
  floodAtNs?: bigint
  floodHistory: StateRead[]
  floodEndNs?: bigint
  controlAtNs?: bigint
  controlHistory: StateRead[]
  /** The DUT's own log of its BMCA choices from the start (lab ptp4l). */
  log?: BestMasterChange[]
  endNs: bigint
  recorder: Recorder
}

const PARAMS = { masters: 64, extraIntervals: 8 }
const FIRST_FLOOD_IDENTITY = 16
const SOURCE = 'IEEE 1588-2019 9.3.2.4 (foreign masters), 9.3.3 (the best master is chosen from all qualified ones; a worse one never displaces it)'

export default conformance<FloodEvidence>({
  id: 'ROB-06',
  title: 'An Announce flood from 64 worse masters: the DUT keeps its grandmaster and keeps choosing',
  area: 'ROB',
  clause: 'IEEE 1588-2019 9.3.2.4, 9.3.3',
  mapsTo: ['catalogue ROB-06 (rogue grandmaster)', 'ptpd max_foreign_records (default 5)', 'Defensics PTP flood cases'],
  tags: ['active', 'robustness', 'load'],
  severity: 'normal',
  fixture: 'dut-slave',
  params: PARAMS,
  estimatedSeconds: 30,
  criteria: {
    pass: 'while 64 worse masters announce for the qualification window + 8 intervals, every read shows the DUT following its grandmaster (and its log names no other choice); afterwards a better master still wins',
    fail: 'the DUT leaves its grandmaster or takes a flood master, stops answering or crashes, or no longer takes a better master after the flood',
  },
  appliesTo: (p) => (negotiationRequired(p) ? `profile ${p.id} is unicast-only: the DUT hears Announce only from the masters in its table that granted it` : true),
  async acquire(ctx) {
    const p = ctx.params(PARAMS)
    const specA: MasterSpec = { name: 'gm-a', identity: 1 }
    const cfgA = masterConfig(ctx, specA)
    const a = masterRecord(cfgA)
    // priority2 is compared under every BMCA variant: one more is worse everywhere.
    const worse = Math.min(255, a.priority2 + 1)
    const silentFlood = { sendAnnounce: false, sendSync: false }
    const floodSpecs: MasterSpec[] = Array.from({ length: p.masters }, (_, i) => ({ name: `flood-${i}`, identity: FIRST_FLOOD_IDENTITY + i, dataset: { grandmasterPriority2: worse }, extra: silentFlood }))
    const specCtl: MasterSpec = { name: 'control', identity: 2, dataset: { grandmasterPriority2: Math.max(0, a.priority2 - 10) }, extra: { sendAnnounce: false, sendSync: false } }
    const control = masterRecord(masterConfig(ctx, specCtl))
    const floodIds = floodSpecs.map((s) => masterConfig(ctx, s).clockIdentity)
    const T = cfgA.logAnnounceInterval
    const poll = holdPollMs(T)
    const m = await startMasters(ctx, [specA, specCtl, ...floodSpecs], { freshDut: true })
    const startedNs = systemTimeNs()
    const ev: FloodEvidence = { a, control, flood: { count: p.masters, first: floodIds[0]!, last: floodIds.at(-1)!, priority2: worse }, startedNs, lockHistory: [], floodHistory: [], controlHistory: [], endNs: startedNs, recorder: m.handle.recorder }
    const lockMs = lockTimeoutMs(T, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings)
    try {
      ctx.step('waiting for the DUT to follow grandmaster A')
      const locked = await waitForState(ctx, isSlaveOf(a.clockIdentity), lockMs, poll)
      ev.lockHistory = locked.history
      if (locked.atMs === undefined) return ev
      const n = ctx.profile.bmca.foreignMasterTimeWindow.value + p.extraIntervals
      ctx.step(`${p.masters} worse masters announce for ${n} intervals`)
      ev.floodAtNs = systemTimeNs()
      for (const s of floodSpecs) m.control(s.name, (gm, now) => gm.resume(now, { announce: true, sync: false, answers: false }))
      ev.floodHistory = await watchState(ctx, n * logIntervalToMs(T), poll)
      for (const s of floodSpecs) m.control(s.name, (gm) => gm.silence({ announce: true, sync: true, answers: true }))
      ev.floodEndNs = systemTimeNs()
      ctx.step('control: a better master announces; the DUT must still switch to it')
      ev.controlAtNs = systemTimeNs()
      m.control(specCtl.name, (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
      ev.controlHistory = (await waitForState(ctx, isSlaveOf(control.clockIdentity), lockMs, poll)).history
    } finally {
      ev.endNs = systemTimeNs()
      await m.close()
    }
    const log = (await ctx.session.dut.bestMasterChanges?.().catch(() => undefined))?.filter((x) => x.atNs >= startedNs)
    if (log) ev.log = log
    return ev
  },
  judge(ev, profile) {
    const d = ev.data
    const masters = [d.a, d.control]
    const T = logIntervalToNs(d.a.logAnnounceInterval)
    const lockEnd = d.lockHistory.at(-1)?.atNs ?? d.endNs
    const lock = judgeFollowing({ name: 'the DUT follows grandmaster A before the flood', history: d.lockHistory, expected: d.a, masters, t0: d.startedNs, untilNs: lockEnd, maxGapNs: lockEnd - d.startedNs + 1n, limit: `= gm-a (${d.a.clockIdentity})`, source: 'IEEE 1588-2019 9.3.3' })
    if (lock.check.verdict === 'fail' || d.floodAtNs === undefined || d.floodEndNs === undefined) return { checks: [lock.check] }
    const flood = d.flood
    const sent = d.recorder.query({ type: 'Announce', direction: 'out', from: d.floodAtNs, to: d.floodEndNs, where: (f) => f.message!.header.sourcePortIdentity.clockIdentity !== d.a.clockIdentity }).length
    const needed = flood.count * profile.bmca.foreignMasterThreshold.value
    const kept = judgeFollowing({
      name: `the DUT keeps grandmaster A while ${flood.count} worse masters announce`,
      history: d.floodHistory,
      expected: d.a,
      masters,
      t0: d.floodAtNs,
      untilNs: d.floodEndNs,
      maxGapNs: T,
      limit: `every read follows gm-a (${d.a.clockIdentity}); no logged choice of another`,
      source: SOURCE,
      ...(d.log ? { log: d.log } : {}),
    }).check
    const checks = [lock.check]
    if (sent < needed) {
      checks.push({ ...kept, verdict: 'inconclusive', detail: `the harness sent ${sent} flood Announces, fewer than the ${needed} that qualify all ${flood.count} (${profile.bmca.foreignMasterThreshold.value} each): the table was not filled as intended; ${kept.detail ?? ''}` })
    } else {
      checks.push({ ...kept, detail: `${sent} Announces from ${flood.count} masters (${flood.first} … ${flood.last}, priority2 ${flood.priority2}); ${kept.detail ?? ''}` })
    }
    if (d.controlAtNs !== undefined) {
      const ctlEnd = d.controlHistory.at(-1)?.atNs ?? d.endNs
      checks.push(judgeFollowing({ name: 'after the flood the DUT still takes a better master (control)', history: d.controlHistory, expected: d.control, masters, t0: d.controlAtNs, untilNs: ctlEnd, maxGapNs: ctlEnd - d.controlAtNs + 1n, limit: `follows control (${d.control.clockIdentity})`, source: 'IEEE 1588-2019 9.3.2.5, 9.3.3 (a qualified better master is selected)' }).check)
    }
    return { checks, measurements: { floodMasters: flood.count, floodAnnounces: sent } }
  },
})
