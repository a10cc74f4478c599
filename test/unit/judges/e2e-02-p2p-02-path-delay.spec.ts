/**
 * E2E-02's and P2P-02's judge (suites/support/path_delay.ts) on evidence from the reference DUT
 * slave on a simulated link, the harness grandmaster (and link peer) emulating the longer link
 * exactly as the acquisition does. The conformant reference clock passes under both mechanisms;
 * with its path delay frozen it fails; a DUT that does not subtract its delay from the offset,
 * or never follows, fails; reports too scattered to resolve the amounts are inconclusive.
 */
import { test } from '@japa/runner'
import type { Engine } from '../../../harness/engines/actions.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { type PathDelay, TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import { delayChange, dutDelay, judgePathDelay, type Mechanism, offsetChange, type PathDelayData, type PathPhase } from '../../../suites/support/path_delay.ts'
import { peerAmounts } from '../../../suites/p2p/p2p-02-neighbor-delay-under-emulated-delay.ts'
import E2E02 from '../../../suites/e2e/e2e-02-path-delay-under-emulated-delay.ts'
import type { OffsetReport } from '../../../suites/support/offset_reports.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const D = 500_000n
const A = 500_000n
const FLOOR = 5_000n

function simulate(profileId: string, mechanism: Mechanism, o: { faults?: string[]; delayNs?: bigint; asymmetryNs?: bigint } = {}): PathDelayData {
  const profile = loadProfile(profileId)
  const gm = new TestMaster(gmConfig(profile, 'gm', 1, undefined, mechanism === 'P2P' ? { delayMechanism: 'none' } : {}))
  const engines: Engine[] = [gm]
  if (mechanism === 'P2P') engines.push(new TestMaster(gmConfig(profile, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })))
  const group = new EngineGroup('masters', engines)
  const lab = refLab(profileId, { role: 'slave', faults: o.faults ?? [], peers: { harness: group } })
  lab.link.run(lab.link.now + ms(15_000))
  const d = o.delayNs ?? D
  const a = o.asymmetryNs ?? A
  const phases: PathPhase[] = []
  for (const [name, path] of [['control', { toDutNs: 0n, fromDutNs: 0n }], ['fixed', { toDutNs: d, fromDutNs: d }], ['asymmetry', { toDutNs: a, fromDutNs: 0n }]] as [string, PathDelay][]) {
    lab.link.control('harness', () => { for (const e of engines) (e as TestMaster).setPathDelay(path) })
    const fromNs = lab.link.now
    if (name !== 'control') lab.link.run(lab.link.now + ms(12_000))
    const delay: OffsetReport[] = []
    const offset: OffsetReport[] = []
    for (let i = 0; i < 16; i++) {
      lab.link.run(lab.link.now + ms(250))
      const s = lab.dut.dutState(Number(lab.link.now / 1_000_000n))
      const dd = dutDelay(s, mechanism)
      if (dd !== undefined) delay.push({ readNs: lab.link.now, reportedNs: dd, expectedNs: delayChange(path) })
      if (s.offsetFromMasterNs !== undefined) offset.push({ readNs: lab.link.now, reportedNs: s.offsetFromMasterNs, expectedNs: gm.expectedSlaveOffsetNs(lab.link.now) + offsetChange(path) })
    }
    phases.push({ name, path, fromNs, waitedMs: 12_000, settledAfterMs: 3000, delay, offset })
  }
  const lock = [{ atNs: lab.link.now, state: lab.dut.dutState(0) }]
  return { mechanism, delayNs: d, asymmetryNs: a, amountsWhy: 'unit test', lock, locked: true, phases, recorder: new Recorder() }
}

const verdicts = (d: PathDelayData) => judgePathDelay(d, FLOOR).map((c) => c.verdict)

test.group('judge E2E-02 / P2P-02 path delay under an emulated longer link', () => {
  test('the conformant reference DUT passes all four checks under E2E (default-e2e) and P2P (default-p2p); E2E-02 re-judges stored evidence the same', ({ assert }) => {
    const e2e = simulate('default-e2e', 'E2E')
    assert.deepEqual(verdicts(e2e), ['pass', 'pass', 'pass', 'pass'], JSON.stringify(judgePathDelay(e2e, FLOOR).map((c) => [c.name, c.measured, c.detail])))
    assert.deepEqual(verdicts(simulate('default-p2p', 'P2P')), ['pass', 'pass', 'pass', 'pass'])
    const profile = loadProfile('default-e2e')
    const ev = envelope('E2E-02', profile, e2e, { noise: { ns: 1_000n, timeErrorFloorNs: FLOOR, method: 'unit test' } })
    assert.deepEqual(E2E02.judge(roundTrip(ev), profile).checks, E2E02.judge(ev, profile).checks)
  })

  test('fault path-delay-frozen: the delay never moves and the offset takes the whole path change: fails under both mechanisms', ({ assert }) => {
    for (const [id, m] of [['default-e2e', 'E2E'], ['default-p2p', 'P2P']] as const) {
      const c = judgePathDelay(simulate(id, m, { faults: ['path-delay-frozen'] }), FLOOR)
      assert.equal(c[0]!.verdict, 'fail', id)
      assert.approximately(c[0]!.measured as number, Number(D), 20_000)
      assert.equal(c[1]!.verdict, 'fail', `${id}: the offset moved by the fixed delay`)
      assert.equal(combineChecks(c), 'fail')
    }
  })

  test('fault: a DUT that does not subtract its path delay from the offset fails the fixed-delay offset check', ({ assert }) => {
    const d = simulate('default-e2e', 'E2E')
    for (const ph of d.phases) {
      const mpd = ph.delay.map((r) => r.reportedNs)
      ph.offset = ph.offset.map((r, i) => ({ ...r, reportedNs: r.reportedNs + (mpd[i] ?? mpd[0]!) }))
    }
    const c = judgePathDelay(d, FLOOR)
    assert.equal(c[1]!.verdict, 'fail')
    assert.approximately(c[1]!.measured as number, Number(D), 20_000)
  })

  test('a control phase whose delay was still moving (a slow filter converging) leaves a failed change inconclusive, naming the drift', ({ assert }) => {
    const d = simulate('default-e2e', 'E2E')
    const control = d.phases[0]!
    // ptpd-like: its delay still falls 600 µs → 0 over the control's 4 s.
    control.delay = control.delay.map((r, i) => ({ ...r, reportedNs: r.reportedNs + BigInt(600_000 - i * 40_000) }))
    const c = judgePathDelay(d, FLOOR)
    assert.equal(c[0]!.verdict, 'inconclusive', JSON.stringify(c[0]))
    assert.include(c[0]!.detail!, 'had not settled')
    assert.include(c[0]!.detail!, 'in the control it drifted')
  })

  test('a phase still converging towards the expected delay (ptpd: 336 → 348 µs of 500 µs) is inconclusive; one stuck short of it fails', ({ assert }) => {
    // ptpd as measured: 1 µs/s towards a target 160 µs away, read every 250 ms for 10 s before the samples.
    const converging = simulate('default-e2e', 'E2E')
    const fixed = converging.phases[1]!
    const t0 = fixed.delay[0]!.readNs
    const target = fixed.delay[0]!.reportedNs
    fixed.trail = Array.from({ length: 40 }, (_, i) => ({ atNs: t0 - BigInt(40 - i) * 250_000_000n, ns: target - 180_000n + BigInt(i) * 250n }))
    fixed.delay = fixed.delay.map((r, i) => ({ ...r, reportedNs: r.reportedNs - 170_000n + BigInt(i) * 250n }))
    const c = judgePathDelay(converging, FLOOR)
    assert.equal(c[0]!.verdict, 'inconclusive', JSON.stringify(c[0]))
    assert.include(c[0]!.detail!, 'still moving towards the expected value')
    const stuck = simulate('default-e2e', 'E2E')
    stuck.phases[1]!.trail = fixed.trail.map((r) => ({ ...r, ns: target - 170_000n }))
    stuck.phases[1]!.delay = stuck.phases[1]!.delay.map((r) => ({ ...r, reportedNs: r.reportedNs - 170_000n }))
    assert.equal(judgePathDelay(stuck, FLOOR)[0]!.verdict, 'fail')
  })

  test('an offset change beyond the floor but within the lab\'s path asymmetry drift is inconclusive there, a fail on a device', ({ assert }) => {
    const d = simulate('default-e2e', 'E2E')
    d.phases[1]!.offset = d.phases[1]!.offset.map((r) => ({ ...r, reportedNs: r.reportedNs + 13_000n }))
    assert.equal(judgePathDelay(d, FLOOR, 30_000n)[1]!.verdict, 'inconclusive')
    assert.include(judgePathDelay(d, FLOOR, 30_000n)[1]!.detail!, 'path asymmetry may drift')
    assert.equal(judgePathDelay(d, FLOOR)[1]!.verdict, 'fail')
  })

  test('fault: a DUT that never follows the grandmaster fails with its states', ({ assert }) => {
    const d = simulate('default-e2e', 'E2E')
    const c = judgePathDelay({ ...d, locked: false, lock: [{ atNs: 1n, state: dutState('LISTENING') }], phases: [] }, FLOOR)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, 'LISTENING')
  })

  test('amounts under 802.1AS stay below half of neighborPropDelayThresh (400 ns of 800 ns), which a 5 µs floor cannot resolve: inconclusive with the numbers', ({ assert }) => {
    const amounts = peerAmounts(loadProfile('gptp'), { delayNs: 500_000, asymmetryNs: 500_000 })
    assert.equal(amounts.delayNs, 400n)
    assert.include(amounts.why, 'neighborPropDelayThresh')
    const c = judgePathDelay(simulate('default-p2p', 'P2P', { delayNs: amounts.delayNs, asymmetryNs: amounts.asymmetryNs }), FLOOR)
    assert.isTrue(c.every((x) => x.verdict === 'inconclusive'), JSON.stringify(c.map((x) => [x.verdict, x.detail])))
    assert.include(c[0]!.detail!, 'cannot tell')
  })
})
