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
import { judgedUnusable, unusableEvidence } from '../../support/evidence/unusable.ts'

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

  test('fault: leaving A (LISTENING) while only unusable masters announce fails every case, with the reads', ({ assert }) => {
    const e = unusableEvidence('BMCA-05', e2e, UNQUALIFIED_CASES)
    const i = Math.floor(e.data.watchHistory.length / 2)
    const r = e.data.watchHistory[i]!
    e.data.watchHistory[i] = { ...r, state: { ...r.state!, grandmasterIdentity: r.state!.clockIdentity, ports: r.state!.ports.map((p) => ({ ...p, portState: 'LISTENING' as const })) } }
    const failed = BMCA05.judge(e, e2e).checks.filter((c) => c.verdict === 'fail')
    assert.deepEqual(failed.map((c) => c.name), UNQUALIFIED_CASES.map((c) => `not used: ${c.title}`))
    assert.match(failed[0]!.detail!, /left its grandmaster while only masters it must not use announced/)
  })

  test('insufficient: without the DUT\'s clockIdentity the looped case is not sent and is inconclusive with why; the other case is still judged', ({ assert }) => {
    const e = unusableEvidence('BMCA-05', e2e, UNQUALIFIED_CASES.filter((c) => !c.asDut))
    const own = UNQUALIFIED_CASES.find((c) => c.asDut)!
    e.data.notRun = [{ key: own.key, title: own.title, source: own.source, reason: "the DUT's state source reported no clockIdentity within 10 s, so no Announce could be sent under it" }]
    const checks = BMCA05.judge(e, e2e).checks
    assert.equal(checks.find((c) => c.name === `not used: ${own.title}`)!.verdict, 'inconclusive')
    assert.equal(checks.find((c) => c.name === 'not used: Announce with stepsRemoved 255')!.verdict, 'pass')
  })
})
