/**
 * BMCA-10's judge on the reference DUT run sans-IO under power-2011: the conformant clock
 * ignores a better master whose Announce lacks the C37.238 TLV, and one whose Announce lacks
 * the ATOI TLV, then takes the control with both (pass); with the fault that lets such an
 * Announce into the BMCA it follows one of them (fail); not applicable where the profile does
 * not ask for it; a state source that stops answering during the watch is inconclusive.
 */
import { test } from '@japa/runner'
import { tlvName } from '../../../harness/codec/tlvs/index.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import BMCA10, { missingTlvCases } from '../../../suites/bmca/bmca-10-announce-without-power-tlvs.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { judgedUnusable } from '../../support/evidence/unusable.ts'

const power = loadProfile('power-2011')
const judged = (o: { faults?: string[]; unreadableWatch?: boolean } = {}) => judgedUnusable(BMCA10, power, missingTlvCases(power), o)

test.group('judge BMCA-10 Announce without the power profile TLVs', () => {
  test('one case per mandatory TLV, each Announce lacking exactly that one', ({ assert }) => {
    const cases = missingTlvCases(power)
    assert.deepEqual(cases.map((c) => c.key), ['without-ieee-c37-238-2011', 'without-alternate-time-offset-indicator'])
    assert.deepEqual(cases.map((c) => c.announceTlvs!.map(tlvName)), [['ALTERNATE_TIME_OFFSET_INDICATOR'], ['IEEE_C37_238_2011']])
  })

  test('a clock that ignores them stays with A and takes the control: pass, also after a round trip', ({ assert }) => {
    const r = judged()
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks, 4)
    assert.deepEqual(BMCA10.judge(roundTrip(r.e), power).checks, r.checks)
  })

  test('fault accepts-announce-without-power-tlvs: it follows one of them and fails, naming it', ({ assert }) => {
    const r = judged({ faults: ['accepts-announce-without-power-tlvs'] })
    assert.equal(r.verdict, 'fail')
    assert.lengthOf(r.failed, 1)
    assert.match(r.failed[0]!, /^not used: Announce without the (IEEE_C37_238_2011|ALTERNATE_TIME_OFFSET_INDICATOR) TLV$/)
  })

  test('not applicable where the profile lets the BMCA use such an Announce', ({ assert }) => {
    assert.isString(BMCA10.appliesTo(loadProfile('default-e2e')))
    assert.isTrue(BMCA10.appliesTo(power))
  })

  test('insufficient: no state read answered during the watch is inconclusive', ({ assert }) => {
    assert.equal(judged({ unreadableWatch: true }).verdict, 'inconclusive')
  })
})
