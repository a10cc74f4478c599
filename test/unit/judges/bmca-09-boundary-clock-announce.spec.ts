/**
 * BMCA-09's judge on a boundary clock's downstream Announces: the grandmaster's dataset with
 * stepsRemoved + 1 from the clock's own port passes (also on stored evidence); advertising its
 * own dataset, its own quality, no increment, the grandmaster's Announce forwarded as is, the
 * time properties dropped, or no Announce at all each fail with the check that names it.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA09 from '../../../suites/bmca/bmca-09-boundary-clock-announce.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { simulateBoundaryAnnounces, type BcFault } from '../../support/evidence/boundary_clock.ts'

const profile = loadProfile('default-e2e')
const judge = (fault?: BcFault) => {
  const ev = envelope('BMCA-09', profile, simulateBoundaryAnnounces(fault))
  const checks = BMCA09.judge(ev, profile).checks
  return { ev, verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge BMCA-09 boundary clock Announce', () => {
  test('the grandmaster re-advertised with stepsRemoved + 1 from the clock\'s own port passes, also on stored evidence', ({ assert }) => {
    const r = judge()
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks, 10)
    assert.deepEqual(BMCA09.judge(roundTrip(r.ev), profile).checks, r.checks)
  })

  test('fault: a clock advertising its own dataset never names the grandmaster', ({ assert }) => {
    const r = judge('own-dataset')
    assert.deepEqual(r.failed, ['the boundary clock re-advertised the grandmaster downstream'])
    assert.match(r.checks[0]!.detail!, /named grandmaster 020000\.fffe\.000001, class 248/)
  })

  test('fault: the grandmaster named with the clock\'s own quality fails that field only', ({ assert }) => {
    assert.deepEqual(judge('own-quality').failed, ['downstream Announce grandmasterClockQuality'])
  })

  test('fault: stepsRemoved not incremented fails', ({ assert }) => {
    assert.deepEqual(judge('steps-not-incremented').failed, ['downstream Announce stepsRemoved is the grandmaster\'s + 1'])
  })

  test('fault: the grandmaster\'s Announce forwarded as is (a switch) fails, saying so', ({ assert }) => {
    const r = judge('forwards-grandmaster')
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /arrived downstream unchanged 8 times .*forwarded, as a switch or transparent clock would/)
  })

  test('fault: a clock that re-advertises the grandmaster and also forwards its Announce fails that check only, naming the frames', ({ assert }) => {
    const r = judge('forwards-and-readvertises')
    assert.deepEqual(r.failed, ['the grandmaster\'s own Announce is not forwarded downstream'])
    const c = r.checks.find((x) => x.name === r.failed[0])!
    assert.equal(c.measured, 4)
    assert.match(c.detail!, /first frame/)
  })

  test('fault: time properties and UTC offset dropped fail both fields', ({ assert }) => {
    assert.sameMembers(judge('time-properties-dropped').failed, ['downstream Announce timeSource and currentUtcOffset', 'downstream Announce time-property flags (leap61 … frequencyTraceable)'])
  })

  test('fault: the downstream Announce sent with the upstream port\'s identity fails that field only', ({ assert }) => {
    assert.deepEqual(judge('wrong-port').failed, ['downstream Announce sourcePortIdentity is the boundary clock\'s own downstream port'])
  })

  test('fault: no Announce downstream at all fails', ({ assert }) => {
    const r = judge('silent')
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /no Announce downstream of its own/)
  })
})
