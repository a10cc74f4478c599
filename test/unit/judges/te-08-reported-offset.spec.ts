/**
 * TE-08's judge: a DUT reporting −injected (with report jitter) passes; reporting 0, the
 * wrong sign, or ignoring the correctionField share fails; a DUT that never locks fails with
 * its states; jitter too wide to tell those faults apart is inconclusive, with the numbers.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import TE08, { type ReportedOffsetData } from '../../../suites/te/te-08-reported-offset.ts'
import { agreementCheck, type OffsetReport } from '../../../suites/support/offset_reports.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { LAB_PATH_ASYMMETRY_NS } from '../../../harness/verdict/lab_allowances.ts'
import type { HarnessNoise } from '../../../harness/run/session_types.ts'

const e2e = loadProfile('default-e2e')
const INJECTED = 1_000_000n
const SHIFT = 250_000n

/** Seeded, roughly normal jitter (sum of 4 uniforms), ns. */
function jitter(seed: number, sigmaNs: number): () => bigint {
  let x = seed
  const u = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31)
  return () => BigInt(Math.round((u() + u() + u() + u() - 2) * sigmaNs * Math.sqrt(3)))
}

/** n reports at 250 ms; `report(expected)` is what the DUT says. */
function reports(n: number, report: (expected: bigint) => bigint, sigmaNs = 2_000, seed = 1): OffsetReport[] {
  const j = jitter(seed, sigmaNs)
  return Array.from({ length: n }, (_, i) => ({ readNs: 1_700_000_000_000_000_000n + BigInt(i) * 250_000_000n, expectedNs: -INJECTED, reportedNs: report(-INJECTED) + j() }))
}

function evidence(plain: OffsetReport[], shifted: OffsetReport[], locked = true, noise?: HarnessNoise) {
  const data: ReportedOffsetData = { injectedOffsetNs: INJECTED, correctionShiftNs: SHIFT, lock: [{ atNs: 1n, state: dutState(locked ? 'SLAVE' : 'LISTENING') }], locked, plain, shifted, missedReads: 0, recorder: new Recorder() }
  return envelope('TE-08', e2e, data, noise ? { noise } : {})
}
const verdict = (ev: ReturnType<typeof evidence>) => combineChecks(TE08.judge(ev, e2e).checks)
const honest = (e: bigint) => e

test.group('judge TE-08 reported offset', () => {
  test('a DUT reporting −injected offset (±2 µs jitter) passes in both phases, also on stored evidence', ({ assert }) => {
    const ev = evidence(reports(24, honest), reports(24, honest, 2_000, 2))
    assert.equal(verdict(ev), 'pass')
    assert.deepEqual(TE08.judge(roundTrip(ev), e2e).checks, TE08.judge(ev, e2e).checks)
  })

  test('fault: a DUT reporting 0 fails', ({ assert }) => {
    assert.equal(verdict(evidence(reports(24, () => 0n), reports(24, () => 0n))), 'fail')
  })

  test('fault: a DUT reporting the wrong sign fails', ({ assert }) => {
    const r = TE08.judge(evidence(reports(24, (e) => -e), reports(24, (e) => -e)), e2e).checks
    assert.equal(r[0]!.verdict, 'fail')
    assert.approximately(r[0]!.measured as number, 2_000_000, 10_000)
  })

  test('fault: a DUT ignoring correctionField fails the shifted phase only', ({ assert }) => {
    const r = TE08.judge(evidence(reports(24, honest), reports(24, (e) => e + SHIFT)), e2e).checks
    assert.deepEqual(r.map((c) => c.verdict), ['pass', 'fail'])
  })

  test('fault: a DUT that never becomes a slave fails, naming its states', ({ assert }) => {
    const r = TE08.judge(evidence([], [], false), e2e).checks
    assert.equal(r[0]!.verdict, 'fail')
    assert.include(r[0]!.detail!, 'LISTENING')
  })

  test('fault: a slave that reports its offset fewer than 5 times fails with the count', ({ assert }) => {
    const r = TE08.judge(evidence(reports(3, honest), reports(24, honest)), e2e).checks
    assert.equal(r[0]!.verdict, 'fail')
    assert.equal(r[0]!.measured, 3)
  })

  test('a 17 µs bias beyond a 7 µs floor (within the lab\'s 10 µs path asymmetry allowance) is inconclusive where the noise allows a path asymmetry, naming it; a DUT ignoring correctionField (250 µs) still fails', ({ assert }) => {
    const biased = (e: bigint) => e + 17_000n
    const labNoise: HarnessNoise = { ns: 2_000n, timeErrorFloorNs: 7_000n, method: 'unit test', pathAsymmetryNs: LAB_PATH_ASYMMETRY_NS }
    const judged = TE08.judge(evidence(reports(17, biased, 2_000), reports(17, honest, 2_000), true, labNoise), e2e).checks
    assert.equal(judged[0]!.verdict, 'inconclusive', JSON.stringify(judged[0]))
    assert.include(judged[0]!.detail!, 'path asymmetry the harness noise allows')
    const { pathAsymmetryNs: _, ...deviceNoise } = labNoise
    assert.equal(TE08.judge(evidence(reports(17, biased, 2_000), reports(17, honest, 2_000), true, deviceNoise), e2e).checks[0]!.verdict, 'fail', 'a noise without a path asymmetry (a device) allows none')
    const c = agreementCheck('injected offset', reports(17, biased, 2_000), 7_000n, INJECTED, 'a fault', LAB_PATH_ASYMMETRY_NS)
    assert.equal(c.verdict, 'inconclusive', JSON.stringify(c))
    assert.equal(agreementCheck('injected offset', reports(17, biased, 2_000), 7_000n, INJECTED, 'a fault').verdict, 'fail', 'without the lab allowance (a device) it fails')
    const ignoring = (e: bigint) => e + 250_000n
    assert.equal(agreementCheck('with the offset partly in correctionField', reports(17, ignoring, 2_000), 7_000n, 250_000n, 'a DUT ignoring correctionField', LAB_PATH_ASYMMETRY_NS).verdict, 'fail')
  })

  test('the tolerance shrinks with the number of reports (standard error of the median)', ({ assert }) => {
    const few = agreementCheck('x', reports(8, honest, 50_000), 2_000n, INJECTED, 'a fault')
    const many = agreementCheck('x', reports(200, honest, 50_000), 2_000n, INJECTED, 'a fault')
    assert.isBelow(many.noise!, few.noise! / 3)
  })

  test('noisy: report jitter so wide that 0 could not be told from −1 ms is inconclusive, with the numbers', ({ assert }) => {
    const c = agreementCheck('injected offset', reports(10, honest, 800_000), 2_000n, INJECTED, 'a DUT reporting 0 or the wrong sign')
    assert.equal(c.verdict, 'inconclusive')
    assert.match(c.detail!, /MAD .*standard error of the median .*cannot tell/)
  })
})
