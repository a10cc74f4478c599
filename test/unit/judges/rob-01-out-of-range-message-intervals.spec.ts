/**
 * ROB-01's judge on the reference DUT run sans-IO with the acquisition's phases: the conformant
 * clock keeps its grandmaster and its Delay_Req interval while the grandmaster advertises 0x7F
 * and −128, and passes; adopts-delay-resp-interval-0x7f stops requesting and fails; a flood of
 * requests, a DUT that leaves SLAVE and a case whose fault was never sent are judged from the
 * same evidence changed as such a DUT would change it.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import ROB01, { intervalCases } from '../../../suites/rob/rob-01-out-of-range-message-intervals.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { faultyStreamEvidence } from '../../support/evidence/faulty_stream.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const evidence = (faults: string[] = [], profile = e2e) => faultyStreamEvidence('ROB-01', profile, intervalCases(profile), { faults })
const checks = (e: ReturnType<typeof evidence>, profile = e2e) => ROB01.judge(e, profile).checks

test.group('judge ROB-01 out-of-range logMessageInterval', () => {
  test('the cases: 0x7F and −128 in every message carrying an interval; 0x7F in Announce only where unicast makes it the right value', ({ assert }) => {
    const e2eCases = intervalCases(e2e)
    assert.deepEqual(e2eCases.map((c) => c.key), ['interval-0x7f', 'interval-minus-128'])
    assert.deepEqual(e2eCases[0]!.mutations[0]!.messageTypes, ['Announce', 'Sync', 'Follow_Up', 'Delay_Resp'])
    assert.deepEqual(intervalCases(loadProfile('g8275-2'))[0]!.mutations[0]!.messageTypes, ['Announce'])
    assert.deepEqual(intervalCases(loadProfile('default-p2p'))[1]!.mutations[0]!.messageTypes, ['Announce', 'Sync', 'Follow_Up'])
  })

  test('the conformant reference DUT passes (E2E, P2P, G.8275.1), also on stored evidence', ({ assert }) => {
    for (const id of ['default-e2e', 'default-p2p', 'g8275-1']) {
      const p = loadProfile(id)
      const e = evidence([], p)
      const c = checks(e, p)
      assert.equal(combineChecks(c), 'pass', `${id}: ${JSON.stringify(c.map((x) => [x.name, x.verdict, x.detail]))}`)
      assert.lengthOf(c, 2 * intervalCases(p).length, 'following and requests per case')
      if (id === 'default-e2e') assert.deepEqual(ROB01.judge(roundTrip(e), p).checks, c)
    }
  })

  test('fault adopts-delay-resp-interval-0x7f: the DUT stops requesting and fails, with its count and gap', ({ assert }) => {
    const c = checks(evidence(['adopts-delay-resp-interval-0x7f']))
    const failed = c.filter((x) => x.verdict === 'fail')
    assert.include(failed[0]!.name, 'interval-0x7f: the DUT keeps its Delay_Req')
    assert.include(failed[0]!.detail!, 'as if the DUT took a longer interval, or stopped')
  })

  test('fault: a DUT that floods Delay_Req after −128 fails (as if it took a shorter interval)', ({ assert }) => {
    const e = evidence()
    const c128 = e.data.cases[1]!
    const req = e.data.recorder.frames.find((f) => f.direction === 'in' && f.message?.type === 'Delay_Req')!
    for (let i = 0; i < 200; i++) e.data.recorder.record({ ...req, findings: req.findings, message: req.message!, timestampNs: c128.fromNs + BigInt(i) * 20_000_000n })
    const c = checks(e).find((x) => x.name.startsWith('interval-minus-128: the DUT keeps'))!
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, 'as if the DUT took a shorter interval')
  })

  test('fault: a DUT that leaves SLAVE while the grandmaster advertises −128 fails, naming the read', ({ assert }) => {
    const e = evidence()
    const reads = e.data.cases[1]!.reads
    reads[5] = { atNs: reads[5]!.atNs, state: dutState('LISTENING') }
    const c = checks(e).find((x) => x.name.startsWith('interval-minus-128: the DUT stays'))!
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, 'LISTENING')
  })

  test('a case whose faulty messages were never sent is inconclusive, saying it tested nothing', ({ assert }) => {
    const e = evidence()
    e.data.cases[0]!.applied = 0
    const c = checks(e)
    assert.equal(c[0]!.verdict, 'inconclusive')
    assert.include(c[0]!.detail!, 'tested nothing')
    assert.equal(combineChecks(c), 'inconclusive')
  })

  test('a DUT that never followed the grandmaster fails with its states', ({ assert }) => {
    const e = evidence()
    e.data.locked = false
    e.data.lock = [{ atNs: 1n, state: dutState('LISTENING') }]
    const c = checks(e)
    assert.deepEqual(c.map((x) => x.verdict), ['fail'])
    assert.include(c[0]!.detail!, 'LISTENING')
  })
})
