/**
 * TLV-GPTP-02's judge: a grandmaster's PATH_TRACE holds itself alone; a missing TLV, a list
 * with another entry count or not ending with the sender fails; a watch shorter than the
 * Announce receipt timeout is inconclusive.
 */
import { test } from '@japa/runner'
import { buildPathTraceTlv } from '../../../harness/codec/tlvs/path_trace.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import T from '../../../suites/tlv/tlv-gptp-02-path-trace.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, envelope, HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'
import { observation, withoutFrames, withTlvs } from '../../support/evidence/tlv.ts'

const gptp = loadProfile('gptp')
const judged = (o: ReturnType<typeof observation>) => {
  const e = envelope('TLV-GPTP-02', gptp, { observation: o })
  const checks = T.judge(e, gptp).checks
  return { e, verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge TLV-GPTP-02 PATH_TRACE', () => {
  test('a conformant grandmaster (path = itself) passes, also after a round trip', ({ assert }) => {
    const r = judged(observation(gptp, { seconds: 10 }))
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.deepEqual(T.judge(roundTrip(r.e), gptp).checks, r.checks)
  })

  test('fault: Announce without PATH_TRACE fails', ({ assert }) => {
    const r = judged(observation(gptp, { seconds: 10 }, { pathTrace: false }))
    assert.deepEqual(r.failed, ['Announce without PATH_TRACE'])
  })

  test('fault: PATH_TRACE with the wrong entry count (2 entries at stepsRemoved 0) fails', ({ assert }) => {
    const r = judged(observation(gptp, { seconds: 10 }, { pathTrace: false, mutations: [withTlvs(['Announce'], [buildPathTraceTlv([HARNESS_IDENTITY(5), DUT_IDENTITY])])] }))
    assert.deepEqual(r.failed, ['PATH_TRACE lists with ≠ stepsRemoved + 1 entries'])
  })

  test('fault: PATH_TRACE not ending with the sender fails', ({ assert }) => {
    const r = judged(observation(gptp, { seconds: 10 }, { pathTrace: false, mutations: [withTlvs(['Announce'], [buildPathTraceTlv([HARNESS_IDENTITY(5)])])] }))
    assert.deepEqual(r.failed, ["PATH_TRACE lists not ending with the sender's clockIdentity"])
  })

  test('insufficient: no Announce in a watch shorter than the receipt timeout is inconclusive', ({ assert }) => {
    const r = judged(withoutFrames(observation(gptp, { seconds: 5 }), ['Announce'], 500))
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /watched the serving DUT for 500 ms, less than/)
  })

  test('fault: no Announce over the full receipt timeout fails', ({ assert }) => {
    assert.equal(judged(withoutFrames(observation(gptp, { seconds: 5 }), ['Announce'], 5000)).verdict, 'fail')
  })
})
