/**
 * BMCA-05's judge on the reference DUT run sans-IO against the harness masters: the conformant
 * clock stays with A and takes the control (pass, under the 1588 and the 802.1AS BMCA); with
 * the fault that qualifies stepsRemoved 255, or the one that uses its own looped Announce, the
 * case it targets fails; a state source that stops answering during the watch is inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import BMCA05, { UNQUALIFIED_CASES } from '../../../suites/bmca/bmca-05-unqualified-announce.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { judgedUnusable } from '../../support/evidence/unusable.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')
const judged = (o: { faults?: string[]; pollMs?: number; unreadableWatch?: boolean; profile?: typeof e2e } = {}) => judgedUnusable(BMCA05, o.profile ?? e2e, UNQUALIFIED_CASES, o)

test.group('judge BMCA-05 unqualified Announce', () => {
  test('a clock that filters both stays with A, takes the control, and passes; also after a round trip', ({ assert }) => {
    const r = judged()
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.deepEqual(r.checks.map((c) => c.name), [
      'the DUT follows grandmaster A (the only one announcing)',
      'control: the DUT switches to the same data set without a defect',
      'not used: Announce with stepsRemoved 255',
      "not used: Announce sent under the DUT's own clockIdentity",
    ])
    assert.deepEqual(BMCA05.judge(roundTrip(r.e), e2e).checks, r.checks)
  })

  test('passes under the 802.1AS BMCA too', ({ assert }) => {
    assert.equal(judged({ profile: gptp }).verdict, 'pass')
  })

  test('fault accepts-steps-removed-255: the stepsRemoved case fails, naming the master and time', ({ assert }) => {
    const r = judged({ faults: ['accepts-steps-removed-255'] })
    assert.deepEqual(r.failed, ['not used: Announce with stepsRemoved 255'])
    assert.match(r.checks.find((c) => c.verdict === 'fail')!.measured as string, /followed case-steps-removed-255 \d+\.\d{3} s after it began announcing/)
  })

  test('fault accepts-own-identity: the own-identity case fails', ({ assert }) => {
    const r = judged({ faults: ['accepts-own-identity'] })
    assert.include(r.failed, "not used: Announce sent under the DUT's own clockIdentity")
    assert.equal(r.verdict, 'fail')
  })

  test('insufficient: no state read answered while the masters announced is inconclusive, saying so', ({ assert }) => {
    const r = judged({ unreadableWatch: true })
    assert.equal(r.verdict, 'inconclusive')
    assert.match(JSON.stringify(r.checks), /no answered state read after/)
  })

  test('reads 3 s apart still pass: a switch to a master that keeps announcing would show in a later read', ({ assert }) => {
    assert.equal(judged({ pollMs: 3000 }).verdict, 'pass')
  })
})
