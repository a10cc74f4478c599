/**
 * TE-02's judge on evidence made by the engines: a DUT grandmaster on the harness's time base
 * passes; one whose time is 500 ns off, or whose Sync correctionField is not backed by its
 * timestamps, fails against the named limit; too few exchanges fail; a device makes the clock
 * comparison not applicable; a floor wider than the margin, or a lone far-out sample, is
 * inconclusive with the numbers.
 */
import { test } from '@japa/runner'
import { TimeBase } from '../../../harness/engines/time_base.ts'
import type { TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import TE02 from '../../../suites/te/te-02-two-way-time-error.ts'
import { envelope, simulatedObservation, type SimulationOptions } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const gptp = loadProfile('gptp')
const telecom = loadProfile('g8275-1')
const FINE = { ns: 10n, timeErrorFloorNs: 10n, method: 'unit test: ±10 ns (hardware-grade)' }
function judge(profile = gptp, fault: Partial<TestMasterConfig> = {}, o: Partial<SimulationOptions> = {}) {
  const ev = envelope('TE-02', profile, { observation: simulatedObservation(profile, { seconds: 30, ...o }, fault) }, { noise: FINE, ...o })
  const checks = TE02.judge(ev, profile).checks
  return { ev, verdict: combineChecks(checks), checks }
}

test.group('judge TE-02 two-way time error', () => {
  test('a DUT grandmaster on the harness time base passes (gptp lockedToMaster, G.8275.1 class A), also on stored evidence', ({ assert }) => {
    for (const profile of [gptp, telecom]) {
      const r = judge(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks)}`)
      assert.deepEqual(TE02.judge(roundTrip(r.ev), profile).checks, r.checks)
    }
    assert.include(judge(telecom).checks[0]!.detail!, 'a scaled lab window')
  })

  test('fault: a grandmaster 500 ns off the reference fails, measured ≈ 500 ns', ({ assert }) => {
    const r = judge(gptp, { timeBase: new TimeBase({ offsetNs: 500n }) })
    assert.equal(r.verdict, 'fail')
    assert.approximately(r.checks[0]!.measured as number, 500, 20)
  })

  test('fault: Sync correctionField of +1 µs not backed by the timestamps fails (correctionFields are applied)', ({ assert }) => {
    const r = judge(telecom, { mutations: [{ messageTypes: ['Sync'], mutation: { kind: 'correctionField', deltaScaled: 1_000n << 16n } }] })
    assert.equal(r.verdict, 'fail')
  })

  test('fault: a DUT that answers no Delay_Req gives too few exchanges: fail, not inconclusive', ({ assert }) => {
    const r = judge(telecom, { mutations: [{ messageTypes: ['Delay_Resp'], mutation: { kind: 'skip' } }] })
    assert.equal(r.verdict, 'fail')
    assert.equal(r.checks[0]!.name, 'complete two-way exchanges with the DUT')
  })

  test('on a device the harness clock is no reference: not applicable', ({ assert }) => {
    assert.equal(judge(gptp, {}, { mode: 'device' }).verdict, 'not-applicable')
  })

  test('noisy: a software-timestamp floor (±3 µs) wider than the 80 ns limit is inconclusive, with the floor', ({ assert }) => {
    const r = judge(gptp, {}, { noise: { ns: 3_000n, timeErrorFloorNs: 3_000n, method: 'software timestamps' } })
    assert.equal(r.verdict, 'inconclusive')
    assert.equal(r.checks[0]!.noise, 3_000)
  })

  test('one Sync 1 ms off among hundreds (a stall-like outlier) is inconclusive, not a FAIL, and says why', ({ assert }) => {
    const r = judge(gptp, { mutations: [{ messageTypes: ['Follow_Up'], select: { kind: 'sequenceIds', ids: [40] }, mutation: { kind: 'timestampJump', ns: 1_000_000n } }] })
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /1 samples .* alone would fail it/)
  })

  test('a profile naming no limit for TE-02 does not apply', ({ assert }) => {
    assert.match(String(TE02.appliesTo(loadProfile('default-e2e'))), /names no maxAbsTimeError limit/)
  })
})
