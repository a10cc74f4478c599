/**
 * P2P-01's judge on evidence made by the engines: conformant responders pass (two-step with
 * timestamps, two-step with zero timestamps and the turnaround in correctionField, one-step);
 * each fault fails (wrong or short turnaround, unanswered, no Follow_Up, link delay above
 * 802.1AS's bound); clock comparisons are lab-only; noise wider than the margin is inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import type { TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import P2P01 from '../../../suites/p2p/p2p-01-peer-delay-response.ts'
import { envelope, simulatedObservation, type SimulationOptions } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { LAB_PATH_ASYMMETRY_NS } from '../../../harness/verdict/lab_allowances.ts'

const p2p = loadProfile('default-p2p')
const gptp = loadProfile('gptp')
const QUIET = { ns: 100n, timeErrorFloorNs: 300n, method: 'unit test: ±100 ns' }
const on = (types: MutationRule['messageTypes'], mutation: MutationRule['mutation']): Partial<TestMasterConfig> => ({ mutations: [{ messageTypes: types, mutation }] })
function judge(profile = p2p, fault: Partial<TestMasterConfig> = {}, o: Partial<SimulationOptions> = {}) {
  const ev = envelope('P2P-01', profile, { observation: simulatedObservation(profile, { seconds: 20, linkDelayNs: 500, ...o }, fault) }, { noise: QUIET, ...o })
  const checks = P2P01.judge(ev, profile).checks
  return { ev, verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge P2P-01 peer-delay responses', () => {
  test('a conformant two-step responder passes (default-p2p, gptp), also on stored evidence', ({ assert }) => {
    for (const profile of [p2p, gptp]) {
      const r = judge(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks.filter((c) => c.verdict !== 'pass'))}`)
      assert.deepEqual(P2P01.judge(roundTrip(r.ev), profile).checks, r.checks)
    }
  })

  test('a two-step responder with zero timestamps and the turnaround in the Follow_Up correctionField passes', ({ assert }) => {
    const r = judge(p2p, { pdelayTurnaroundInCorrection: true })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks))
    assert.isFalse(r.checks.some((c) => c.name.startsWith('requestReceiptTimestamp')), 'no clock comparison without timestamps')
  })

  test('a one-step responder passes', ({ assert }) => {
    assert.equal(judge(p2p, { oneStepPdelayTurnaroundNs: 20_000n }).verdict, 'pass')
  })

  test('fault: responseOriginTimestamp 1 ms before requestReceiptTimestamp (negative turnaround) fails', ({ assert }) => {
    const r = judge(p2p, on(['Pdelay_Resp_Follow_Up'], { kind: 'timestampJump', ns: -1_000_000n }))
    assert.include(r.failed, 'responder turnaround (t3 − t2) + correctionFields (smallest)')
  })

  test('fault: a turnaround 100 µs short inflates the link delay: above the gPTP bound, and asymmetric one-way delays in the lab', ({ assert }) => {
    const short = on(['Pdelay_Resp'], { kind: 'timestampJump', ns: 100_000n })
    assert.include(judge(gptp, short, { mode: 'device' }).failed, 'mean link delay (median) within neighborPropDelayThresh')
    assert.include(judge(p2p, short).failed, 'one-way delays agree in both directions on the shared clock (median of (t2 − t1) − (t4 − t3))')
  })

  test('a 5 µs link delay under ±6 µs per-timestamp noise passes: the median of its exchanges is judged with its own standard error', ({ assert }) => {
    const r = judge(p2p, {}, { linkDelayNs: 5_000, jitterNs: 1_000, noise: { ns: 6_000n, timeErrorFloorNs: 16_000n, method: 'unit test: ±6 µs' } })
    const c = r.checks.find((x) => x.name === 'mean link delay (median) is non-negative')!
    assert.equal(c.verdict, 'pass', JSON.stringify(c))
    assert.isBelow(c.noise!, 5_000)
    assert.match(c.detail!, /3 × standard error of the median/)
  })

  test('fault: a turnaround 20 µs long (responseOriginTimestamp late) makes the link delay negative and fails', ({ assert }) => {
    const long = on(['Pdelay_Resp_Follow_Up'], { kind: 'timestampJump', ns: 20_000n })
    assert.include(judge(p2p, long, { mode: 'device' }).failed, 'mean link delay (median) is non-negative')
  })

  test('fault: requestReceiptTimestamp 1 ms before the request left the harness fails the lab\'s causality check', ({ assert }) => {
    const early = on(['Pdelay_Resp'], { kind: 'timestampJump', ns: -1_000_000n })
    assert.include(judge(p2p, early).failed, 'requestReceiptTimestamp after the request left the harness (median margin)')
  })

  test('fault: one Pdelay_Resp whose requestReceiptTimestamp is 1 ms before its request fails, though the median margin is fine', ({ assert }) => {
    const once: Partial<TestMasterConfig> = { mutations: [{ messageTypes: ['Pdelay_Resp'], select: { kind: 'sequenceIds', ids: [5] }, mutation: { kind: 'timestampJump', ns: -1_000_000n } }] }
    const c = judge(p2p, once).checks.find((x) => x.name === 'requestReceiptTimestamp after the request left the harness (median margin)')!
    assert.equal(c.verdict, 'fail', JSON.stringify(c))
    assert.isBelow(c.measured as number, -900_000)
  })

  test('a 5 µs link delay measured with ±7 µs noise: the smallest margin may dip below zero, the median decides (inconclusive, not fail)', ({ assert }) => {
    const r = judge(p2p, {}, { linkDelayNs: 5_000, noise: { ns: 7_000n, timeErrorFloorNs: 7_000n, method: 'unit test: ±7 µs' } })
    const c = r.checks.find((x) => x.name === 'requestReceiptTimestamp after the request left the harness (median margin)')!
    assert.equal(c.verdict, 'inconclusive')
    assert.equal(c.noise, 7_000)
    assert.equal(c.measured, 5_000)
  })

  test('software paths jittering 8 µs per frame widen the asymmetry window by the samples\' own spread: a conformant responder passes, a 100 µs wrong t2 still fails', ({ assert }) => {
    const name = 'one-way delays agree in both directions on the shared clock (median of (t2 − t1) − (t4 − t3))'
    const ok = judge(p2p, {}, { jitterNs: 8_000, seconds: 60 }).checks.find((c) => c.name === name)!
    assert.equal(ok.verdict, 'pass', JSON.stringify(ok))
    assert.isAbove(ok.noise!, 600, 'wider than twice the quiet floor')
    const bad = judge(p2p, on(['Pdelay_Resp'], { kind: 'timestampJump', ns: 100_000n }), { jitterNs: 8_000, seconds: 60 }).checks.find((c) => c.name === name)!
    assert.equal(bad.verdict, 'fail', JSON.stringify(bad))
  })

  test('a systematic asymmetry beyond the window by less than the lab\'s measured path asymmetry (30 µs) is inconclusive where the noise allows that asymmetry, a fail where it allows none', ({ assert }) => {
    const name = 'one-way delays agree in both directions on the shared clock (median of (t2 − t1) − (t4 − t3))'
    // Quiet floor 300 ns → window 600 ns; t2 1 µs late makes the gap 1 µs.
    const late = on(['Pdelay_Resp'], { kind: 'timestampJump', ns: 1_000n })
    const c = judge(p2p, late, { noise: { ...QUIET, pathAsymmetryNs: LAB_PATH_ASYMMETRY_NS } }).checks.find((x) => x.name === name)!
    assert.equal(c.verdict, 'inconclusive', JSON.stringify(c))
    assert.include(c.detail!, 'cannot tell it from a wrong t2 or t3')
    assert.equal(judge(p2p, late).checks.find((x) => x.name === name)!.verdict, 'fail', 'a noise without a path asymmetry allows none')
  })

  test('fault: a link delay of 5 µs exceeds 802.1AS neighborPropDelayThresh (800 ns)', ({ assert }) => {
    assert.include(judge(gptp, {}, { linkDelayNs: 5_000, mode: 'device' }).failed, 'mean link delay (median) within neighborPropDelayThresh')
  })

  test('in the lab the bound is the threshold lab.outsideProfile raises (100 µs, with its reason): 5 µs passes, 150 µs fails', ({ assert }) => {
    const ok = judge(gptp, {}, { linkDelayNs: 5_000 }).checks.find((c) => c.name === 'mean link delay (median) within neighborPropDelayThresh')!
    assert.equal(ok.verdict, 'pass')
    assert.match(ok.limit, /the lab's value; the profile's is 800 ns/)
    assert.include(judge(gptp, {}, { linkDelayNs: 150_000 }).failed, 'mean link delay (median) within neighborPropDelayThresh')
  })

  test('fault: unanswered requests and missing Follow_Ups fail', ({ assert }) => {
    assert.include(judge(p2p, on(['Pdelay_Resp'], { kind: 'skip' })).failed, 'Pdelay_Req answered')
    assert.include(judge(p2p, on(['Pdelay_Resp_Follow_Up'], { kind: 'skip' })).failed, 'two-step responses without Pdelay_Resp_Follow_Up')
  })

  test('on a device the clock comparisons are not applicable; the turnaround still fails', ({ assert }) => {
    const r = judge(p2p, {}, { mode: 'device' })
    assert.equal(r.checks.find((c) => c.name.startsWith('requestReceiptTimestamp'))!.verdict, 'not-applicable')
    assert.include(judge(p2p, on(['Pdelay_Resp_Follow_Up'], { kind: 'timestampJump', ns: -1_000_000n }), { mode: 'device' }).failed, 'responder turnaround (t3 − t2) + correctionFields (smallest)')
  })

  test('noise wider than the link delay is inconclusive, with the noise in the check', ({ assert }) => {
    const r = judge(p2p, {}, { noise: { ns: 50_000n, timeErrorFloorNs: 50_000n, method: 'unit test: ±50 µs' } })
    assert.equal(r.verdict, 'inconclusive')
    assert.equal(r.checks.find((c) => c.verdict === 'inconclusive')!.noise, 50_000)
  })
})
