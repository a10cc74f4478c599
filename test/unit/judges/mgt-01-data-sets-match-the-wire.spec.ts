/**
 * MGT-01's judge: management answers that agree with the DUT's Announce and Sync pass; a
 * value disagreeing with the wire, a refused GET and no answer at all from a DUT that claims
 * wire management fail (naming the requests); a DUT that does not claim it is not applicable;
 * requests the harness could not send are inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import T, { type ManagementRead } from '../../../suites/mgt/mgt-01-data-sets-match-the-wire.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { managementReads, observation } from '../../support/evidence/tlv.ts'

const e2e = loadProfile('default-e2e')
const obs = observation(e2e, { seconds: 6 })
const judged = (reads: ManagementRead[], claimsWireManagement = true) => {
  const e = envelope('MGT-01', e2e, { observation: obs, claimsWireManagement, implementation: 'ptp4l 3.1.1', reads })
  const out = T.judge(e, e2e)
  return { e, out, verdict: combineChecks(out.checks), checks: out.checks, failed: out.checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge MGT-01 data sets match the wire', () => {
  test('answers agreeing with Announce and Sync pass, also after a round trip', ({ assert }) => {
    const r = judged(managementReads(obs, 0))
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.isAtLeast(r.checks.length, 20)
    assert.deepEqual(T.judge(roundTrip(r.e), e2e).checks, r.checks)
  })

  test('fault: DEFAULT_DATA_SET.priority1 disagreeing with the Announce fails, with both values', ({ assert }) => {
    const r = judged(managementReads(obs, 0, (n, a) => (n === 'DEFAULT_DATA_SET' && a.data?.name === n ? { ...a, data: { ...a.data, priority1: 7 } } : a)))
    assert.deepEqual(r.failed, ['DEFAULT_DATA_SET.priority1 = Announce grandmasterPriority1'])
    assert.match(r.checks.find((c) => c.verdict === 'fail')!.detail!, /management says 7/)
  })

  test('fault: TIME_PROPERTIES_DATA_SET.currentUtcOffset disagreeing fails', ({ assert }) => {
    const r = judged(managementReads(obs, 0, (n, a) => (n === 'TIME_PROPERTIES_DATA_SET' && a.data?.name === n ? { ...a, data: { ...a.data, currentUtcOffset: 36 } } : a)))
    assert.deepEqual(r.failed, ['TIME_PROPERTIES_DATA_SET.currentUtcOffset = Announce'])
  })

  test('fault: CURRENT_DATA_SET.stepsRemoved and PARENT_DATA_SET.parentPortIdentity of a non-grandmaster fail', ({ assert }) => {
    const r = judged(managementReads(obs, 0, (n, a) => {
      if (n === 'CURRENT_DATA_SET' && a.data?.name === n) return { ...a, data: { ...a.data, stepsRemoved: 1 } }
      if (n === 'PARENT_DATA_SET' && a.data?.name === n) return { ...a, data: { ...a.data, parentPortIdentity: { clockIdentity: '020000.fffe.000099', portNumber: 1 } } }
      return a
    }))
    assert.sameMembers(r.failed, ['CURRENT_DATA_SET.stepsRemoved = Announce stepsRemoved', 'PARENT_DATA_SET.parentPortIdentity.clockIdentity = the DUT (grandmaster)'])
  })

  test('fault: a GET refused with NOT_SUPPORTED fails', ({ assert }) => {
    const r = judged(managementReads(obs, 0, (n, a) => (n === 'CURRENT_DATA_SET' ? { sourceKey: a.sourceKey, action: 'RESPONSE', error: { managementErrorId: 2, name: 'NOT_SUPPORTED' }, rxTimestampNs: a.rxTimestampNs } : a)))
    assert.deepEqual(r.failed, ['GET CURRENT_DATA_SET answered by the DUT'])
  })

  test('fault: no management answer at all from a DUT that claims wire management fails, naming the requests', ({ assert }) => {
    const r = judged(managementReads(obs, 0, () => undefined))
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /sent GET DEFAULT_DATA_SET at 0 ms, GET CURRENT_DATA_SET at 1000 ms, GET PARENT_DATA_SET .*GET TIME_PROPERTIES_DATA_SET.*no answer from 020000\.fffe\.000001/)
  })

  test('a DUT that does not claim wire management and answers nothing is not applicable', ({ assert }) => {
    const r = judged(managementReads(obs, 0, () => undefined), false)
    assert.equal(r.verdict, 'not-applicable')
  })

  test('insufficient: requests the harness could not send are inconclusive', ({ assert }) => {
    const reads = managementReads(obs, 0, () => undefined).map((x) => ({ ...x, sendError: 'sending GET on veth0: ENETDOWN' }))
    const r = judged(reads)
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /ENETDOWN/)
  })
})
