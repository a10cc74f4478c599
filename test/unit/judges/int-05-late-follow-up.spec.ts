/**
 * INT-05's judge on evidence from the reference DUT on a simulated link: the harness grandmaster
 * turns its Follow_Ups late and steps its time, exactly as the acquisition does. The conformant
 * reference clock passes; with the follow-up-deadline fault (late Follow_Ups dropped) it keeps
 * its old offset and fails; a DUT that times the Sync at its Follow_Up, leaves SLAVE, logs a
 * departure between reads or stops answering fails; reports too noisy to tell are inconclusive.
 */
import { test } from '@japa/runner'
import { mutate } from '../../../harness/engines/mutations.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TimeBase } from '../../../harness/engines/time_base.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import INT05, { lateBy, type LateFollowUpData } from '../../../suites/int/int-05-late-follow-up.ts'
import type { OffsetReport } from '../../../suites/support/offset_reports.ts'
import type { StateRead } from '../../../suites/support/grandmasters.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { gmConfig } from '../../support/evidence/bmca.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { refLab } from '../../support/refdut/clock.ts'

const ms = (n: number) => BigInt(n) * 1_000_000n
const STEP = 1_000_000n

/** The acquisition's phases against the reference DUT under `profileId`, with `faults`. */
function simulate(profileId: string, faults: string[] = []) {
  const cfg = gmConfig(loadProfile(profileId), 'gm', 1, undefined, { twoStep: true })
  const gm = new TestMaster(cfg)
  const lab = refLab(profileId, { role: 'slave', faults, peers: { harness: gm } , linkPeer: false })
  const late = lateBy(200, cfg.logSyncInterval)
  const read = (): StateRead => ({ atNs: lab.link.now, state: lab.dut.dutState(Number(lab.link.now / 1_000_000n)) })
  const sample = (seconds: number) => {
    const reports: OffsetReport[] = []
    const reads: StateRead[] = []
    const end = lab.link.now + ms(seconds * 1000)
    while (lab.link.now < end) {
      lab.link.run(lab.link.now + ms(250))
      const r = read()
      reads.push(r)
      const off = r.state?.offsetFromMasterNs
      if (off !== undefined) reports.push({ readNs: r.atNs, reportedNs: off, expectedNs: gm.expectedSlaveOffsetNs(r.atNs) })
    }
    return { reports, reads }
  }
  const lock: StateRead[] = []
  const deadline = lab.link.now + ms(20_000)
  while (lab.link.now < deadline && lock.at(-1)?.state?.offsetFromMasterNs === undefined) {
    lab.link.run(lab.link.now + ms(100))
    lock.push(read())
  }
  lab.link.run(lab.link.now + ms(2000))
  const onTime = sample(4).reports
  const lateFromNs = lab.link.now
  lab.link.control('harness', () => {
    gm.setMutations([{ id: 'late-follow-up', ...mutate.followUpLate(late) }])
    gm.setTimeBase(new TimeBase({ offsetNs: gm.timeBase.offsetNs + STEP }))
  })
  lab.link.run(lab.link.now + ms(1000))
  const lateRun = sample(6)
  const data: LateFollowUpData = {
    lateByNs: late, stepNs: STEP, gmIdentity: cfg.clockIdentity, lock, locked: lock.some((r) => r.state?.offsetFromMasterNs !== undefined),
    onTime, late: lateRun.reports, lateReads: lateRun.reads, lateFromNs, lateToNs: lab.link.now, recorder: new Recorder(),
  }
  return { data, profile: lab.profile }
}

const judge = (s: ReturnType<typeof simulate>) => INT05.judge(envelope('INT-05', s.profile, s.data), s.profile).checks
const verdict = (s: ReturnType<typeof simulate>) => combineChecks(judge(s))

test.group('judge INT-05 late Follow_Up', () => {
  test('the lateness is 200 ms, or half the Sync interval where that is shorter', ({ assert }) => {
    assert.equal(lateBy(200, 0), 200_000_000n)
    assert.equal(lateBy(200, -3), 62_500_000n)
    assert.equal(lateBy(200, -4), 31_250_000n)
  })

  test('the conformant reference DUT passes under gPTP and the default profile, also on stored evidence', ({ assert }) => {
    for (const id of ['gptp', 'default-e2e']) {
      const s = simulate(id)
      assert.isAbove(s.data.late.length, 10)
      assert.equal(verdict(s), 'pass', JSON.stringify(judge(s).map((c) => [c.verdict, c.detail])))
      assert.deepEqual(INT05.judge(roundTrip(envelope('INT-05', s.profile, s.data)), s.profile).checks, judge(s))
    }
  })

  test('a constant offset error (a lab path asymmetry of 25 µs) cancels against the control phase', ({ assert }) => {
    const s = simulate('gptp')
    const bias = (r: OffsetReport) => ({ ...r, reportedNs: r.reportedNs + 25_000n })
    s.data.onTime = s.data.onTime.map(bias)
    s.data.late = s.data.late.map(bias)
    assert.equal(verdict(s), 'pass')
  })

  test('fault follow-up-deadline-20ms: the reference DUT drops the late Follow_Ups, keeps its old offset and fails by the step', ({ assert }) => {
    const s = simulate('gptp', ['follow-up-deadline-20ms'])
    const c = judge(s)
    assert.equal(c[0]!.verdict, 'pass', 'it still follows the grandmaster')
    assert.equal(c[1]!.verdict, 'fail')
    assert.approximately(c[1]!.measured as number, Number(s.data.stepNs), 20_000)
    assert.include(c[1]!.detail!, 'kept its old offset')
  })

  test('fault: a DUT timing the Sync at its Follow_Up (off by the lateness) fails', ({ assert }) => {
    const s = simulate('gptp')
    s.data.late = s.data.late.map((r) => ({ ...r, reportedNs: r.reportedNs + s.data.lateByNs }))
    const c = judge(s)
    assert.equal(c[1]!.verdict, 'fail')
    assert.approximately(c[1]!.measured as number, Number(s.data.lateByNs), 50_000)
    assert.include(c[1]!.detail!, 'timed the Sync by its Follow_Up')
  })

  test('fault: a DUT that leaves SLAVE while Follow_Ups are late fails, naming the read', ({ assert }) => {
    const s = simulate('gptp')
    const i = Math.floor(s.data.lateReads.length / 2)
    s.data.lateReads[i] = { atNs: s.data.lateReads[i]!.atNs, state: dutState('LISTENING') }
    const c = judge(s)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, 'LISTENING')
  })

  test('fault: a departure the DUT logged between two reads fails', ({ assert }) => {
    const s = simulate('gptp')
    s.data.logTransitions = [{ atNs: s.data.lateFromNs! + ms(1500), resolutionNs: ms(1), port: 1, from: 'SLAVE', to: 'LISTENING', event: 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES' }, { atNs: s.data.lateFromNs! + ms(1600), resolutionNs: ms(1), port: 1, from: 'LISTENING', to: 'UNCALIBRATED', event: 'RS_SLAVE' }]
    const c = judge(s)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES')
  })

  test('fault: a DUT that stops answering fails with the reads and the report count', ({ assert }) => {
    const s = simulate('gptp')
    s.data.lateReads = s.data.lateReads.map((r, i) => (i > 2 ? { atNs: r.atNs, error: 'timeout' } : r))
    s.data.late = s.data.late.slice(0, 3)
    const c = judge(s)
    assert.deepEqual(c.map((x) => x.verdict), ['fail', 'fail'])
    assert.include(c[0]!.detail!, 'no answer (timeout)')
  })

  test('fault: a DUT that never follows the grandmaster fails with its states', ({ assert }) => {
    const s = simulate('gptp')
    s.data.locked = false
    s.data.lock = [{ atNs: 1n, state: dutState('LISTENING') }]
    const c = judge(s)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, 'LISTENING')
  })

  test('reports scattered by ±1 ms cannot tell a 1 ms step apart: inconclusive with the numbers', ({ assert }) => {
    const s = simulate('gptp')
    let x = 7
    const scatter = (r: OffsetReport) => ((x = (x * 1103515245 + 12345) % 2 ** 31), { ...r, reportedNs: r.reportedNs + BigInt(Math.round((x / 2 ** 31 - 0.5) * 4e6)) })
    s.data.onTime = s.data.onTime.map(scatter)
    s.data.late = s.data.late.map(scatter)
    const c = judge(s)
    assert.equal(c[1]!.verdict, 'inconclusive')
    assert.include(c[1]!.detail!, 'cannot tell')
  })
})
