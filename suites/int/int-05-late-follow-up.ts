/**
 * INT-05 — late Follow_Up: the harness grandmaster sends each Follow_Up late (200 ms, at most
 * half a Sync interval, so it still comes before the next Sync) and the DUT slave must keep
 * following it and keep using its Syncs. To tell "uses them" from "keeps an old offset", the
 * grandmaster's time steps by 1 ms when the Follow_Ups turn late: only a DUT that pairs each
 * late Follow_Up with its Sync reports the new offset. A DUT that times the Sync by its
 * Follow_Up's arrival is off by the lateness; one that drops late Follow_Ups keeps the old
 * offset; one that loses its master leaves SLAVE. The on-time phase before is the control: the
 * offset error must not change from it, so a constant bias (the lab link's path asymmetry, a DUT
 * error TE-08 judges) cancels.
 */
import { type Check, conformance, formatNs, logIntervalToMs, logIntervalToNs, masterConfig, mutate, type Recorder, startMasters, TimeBase, waitForState } from '../kit.ts'
import type { PortTransition } from '../../harness/dut/types.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { lockAndSettle, type StateRead } from '../support/grandmasters.ts'
import { changeCheck, type OffsetReport, sampleOffsets } from '../support/offset_reports.ts'
import { loggedTransitions } from '../support/receipt_timeout.ts'
import { followedThroughout, neverFollowedCheck } from '../support/state_history.ts'
import { absNs } from '../../harness/stats/robust.ts'

export interface LateFollowUpData {
  /** How late each Follow_Up left after its Sync's TX timestamp. */
  lateByNs: bigint
  /** The grandmaster's time step when the Follow_Ups turned late. */
  stepNs: bigint
  gmIdentity: string
  lock: StateRead[]
  locked: boolean
  onTime: OffsetReport[]
  late: OffsetReport[]
  /** Every state read while the Follow_Ups were late. */
  lateReads: StateRead[]
  /** When the late phase began and ended (timestamp clock). */
  lateFromNs?: bigint
  lateToNs?: bigint
  /** Port state changes the DUT logged from the late phase on (lab ptp4l); absent where it logs none. */
  logTransitions?: PortTransition[]
  recorder: Recorder
}

const PARAMS = { lateByMs: 200, stepNs: 1_000_000, onTimeSeconds: 4, lateSeconds: 6 }
const FOLLOWING_SOURCE = 'IEEE 1588-2019 9.5.10 (Follow_Up after its Sync, matched by sequenceId), 11.3.2 (t1 from the Follow_Up); Avnu gPTP 13.1.c'

/**
 * 200 ms (the Avnu/OpenAvnu case) or half a Sync interval if that is shorter: a Follow_Up later
 * than the next Sync may be dropped (a new Sync replaces a pending one: 802.1AS MDSyncReceiveSM,
 * linuxptp port.c's sync/Follow_Up matching), so lateness beyond it is not a conformance case.
 */
export function lateBy(lateByMs: number, logSyncInterval: number): bigint {
  const half = logIntervalToNs(logSyncInterval) / 2n
  const wanted = BigInt(Math.round(lateByMs * 1e6))
  return wanted < half ? wanted : half
}

/** The DUT kept following `gm` through the late phase: every read, and its own log where it has one. */
export function keptFollowing(d: LateFollowUpData): Check {
  return followedThroughout({
    name: 'DUT stays a slave of the grandmaster while its Follow_Ups are late',
    reads: d.lateReads,
    gm: d.gmIdentity,
    ...(d.logTransitions ? { transitions: d.logTransitions.filter((t) => d.lateToNs === undefined || t.atNs <= d.lateToNs) } : {}),
    fromNs: d.lateFromNs ?? d.lateReads[0]?.atNs ?? 0n,
    source: FOLLOWING_SOURCE,
    what: `Follow_Ups ${formatNs(d.lateByNs)} late`,
  })
}

/** What a failed change looks like: about the step (late Follow_Ups unused) or about the lateness (Sync timed at its Follow_Up). */
function likelyCause(measured: Check['measured'], d: LateFollowUpData): string {
  if (typeof measured !== 'number') return ''
  const near = (x: bigint) => Math.abs(measured - Number(x)) < Number(x) / 4
  if (near(absNs(d.stepNs))) return `; the error moved by about the ${formatNs(absNs(d.stepNs))} step: the DUT kept its old offset, as if the late Follow_Ups went unused`
  if (near(d.lateByNs)) return `; the error moved by about the ${formatNs(d.lateByNs)} lateness: as if the DUT timed the Sync by its Follow_Up`
  return ''
}

export default conformance<LateFollowUpData>({
  id: 'INT-05',
  title: 'Late Follow_Up: the DUT keeps following its grandmaster and uses the late Follow_Ups',
  area: 'INT',
  clause: 'IEEE 1588-2019 9.5.10, 11.3.2 (two-step Sync: t1 from the Follow_Up with the Sync\'s sequenceId)',
  mapsTo: ['Avnu gPTP 13.1.c (late Follow_Up)', 'OpenAvnu#299'],
  tags: ['active', 'timeouts', 'robustness'],
  severity: 'normal',
  fixture: 'dut-slave',
  params: PARAMS,
  estimatedSeconds: 25,
  criteria: {
    pass: "with every Follow_Up 200 ms (at most half a Sync interval) after its Sync, the DUT stays a slave of the grandmaster and its reported offsetFromMaster follows a 1 ms step of the grandmaster's time: its error changes from the on-time control phase by no more than the noise",
    fail: 'the DUT leaves SLAVE or stops answering while Follow_Ups are late, keeps its old offset (drops late Follow_Ups), or is off by the lateness (times the Sync by its Follow_Up)',
  },
  appliesTo: (p) => (p.steps.twoStep === 'forbidden' ? `profile ${p.id} forbids two-step clocks: there is no Follow_Up` : true),
  async acquire(ctx) {
    const p = ctx.params(PARAMS)
    const spec = { name: 'gm', identity: 1, extra: { twoStep: true } }
    const cfg = masterConfig(ctx, spec)
    const late = lateBy(p.lateByMs, cfg.logSyncInterval)
    const step = BigInt(p.stepNs)
    const m = await startMasters(ctx, [spec], { freshDut: true })
    const data: Omit<LateFollowUpData, 'recorder'> = { lateByNs: late, stepNs: step, gmIdentity: cfg.clockIdentity, lock: [], locked: false, onTime: [], late: [], lateReads: [] }
    try {
      ctx.step('waiting for the DUT to follow the grandmaster (Follow_Ups on time)')
      const locked = await lockAndSettle(ctx, cfg)
      data.lock = locked.history
      data.locked = locked.atMs !== undefined
      if (data.locked) {
        ctx.step(`control: sampling the DUT's offsetFromMaster for ${p.onTimeSeconds} s with Follow_Ups on time`)
        data.onTime = (await sampleOffsets(ctx, m, p.onTimeSeconds)).reports
        ctx.step(`every Follow_Up ${formatNs(late)} after its Sync; the grandmaster's time steps by ${formatNs(step)}`)
        data.lateFromNs = systemTimeNs()
        m.control('gm', (gm) => {
          gm.setMutations([{ id: 'late-follow-up', ...mutate.followUpLate(late) }])
          gm.setTimeBase(new TimeBase({ offsetNs: gm.timeBase.offsetNs + step }))
        })
        // The first late pair reaches the DUT a Sync interval + the lateness later.
        const settle = 2 * logIntervalToMs(cfg.logSyncInterval) + Number(late / 1_000_000n) + 500
        const during = await waitForState(ctx, () => false, settle, 50)
        const sampled = await sampleOffsets(ctx, m, p.lateSeconds)
        data.late = sampled.reports
        data.lateReads = [...during.history, ...sampled.reads]
        data.lateToNs = systemTimeNs()
        const logged = await loggedTransitions(ctx, data.lateFromNs)
        if (logged) data.logTransitions = logged
      }
    } finally {
      await m.close()
    }
    return { ...data, recorder: m.handle.recorder }
  },
  judge(ev) {
    const d = ev.data
    if (!d.locked) {
      return { checks: [neverFollowedCheck(d.lock, 'an offsetFromMaster', 'with Follow_Ups on time; ')] }
    }
    // The change from the control phase is judged, not the absolute offset: a constant bias
    // (the lab link's path asymmetry, a DUT error TE-08 judges) cancels.
    // The smaller of the two faults' errors: an old offset (the step) or t2 taken at the Follow_Up (the lateness).
    const distinguish = absNs(d.stepNs) < d.lateByNs ? absNs(d.stepNs) : d.lateByNs
    const change = changeCheck(`Follow_Ups ${formatNs(d.lateByNs)} late, grandmaster time stepped ${formatNs(d.stepNs)}`, d.onTime, d.late, ev.noise.timeErrorFloorNs, distinguish, 'a DUT that keeps its old offset or times the Sync by its Follow_Up', ev.noise.pathAsymmetryNs ?? 0n)
    const checks: Check[] = [keptFollowing(d), change.verdict === 'fail' ? { ...change, detail: `${change.detail}${likelyCause(change.measured, d)}` } : change]
    return {
      checks,
      measurements: { lateByNs: String(d.lateByNs), stepNs: String(d.stepNs), onTimeReportedNs: d.onTime.map((r) => String(r.reportedNs)), lateReportedNs: d.late.map((r) => String(r.reportedNs)) },
    }
  },
})
