/**
 * TLV-PWR-01's judge: a grandmaster sending its edition's C37.238 TLV passes; a missing TLV,
 * another OUI, the other edition's subtype, a lengthField of neither convention, a grandmasterID
 * outside the profile's range (suites.overrides) and a locked grandmaster stating more
 * inaccuracy than the budget fail; a watch shorter than the receipt timeout is inconclusive.
 */
import { test } from '@japa/runner'
import { buildC37238Tlv2011, buildC37238Tlv2017 } from '../../../harness/codec/tlvs/c37_238.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import T from '../../../suites/tlv/tlv-pwr-01-c37-238.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { observation, orgTlv, powerTlvs, withoutFrames, withTlvs } from '../../support/evidence/tlv.ts'

const p2011 = loadProfile('power-2011')
const p2017 = loadProfile('power-2017')
const judged = (o: ReturnType<typeof observation>, profile: Profile = p2011) => {
  const e = envelope('TLV-PWR-01', profile, { observation: o })
  const checks = T.judge(e, profile).checks
  return { e, verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}
const atoi = (profile: Profile) => powerTlvs(profile).filter((t) => t.kind === 'ALTERNATE_TIME_OFFSET_INDICATOR')

test.group('judge TLV-PWR-01 C37.238 TLV', () => {
  test('a conformant grandmaster passes under 2011 and 2017, also after a round trip', ({ assert }) => {
    for (const profile of [p2011, p2017]) {
      const r = judged(observation(profile, { seconds: 8 }, { announceTlvs: powerTlvs(profile) }), profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks, null, 1)}`)
      assert.deepEqual(T.judge(roundTrip(r.e), profile).checks, r.checks)
    }
  })

  test('the 2011 text\'s lengthField 12 is accepted', ({ assert }) => {
    const c12 = buildC37238Tlv2011({ grandmasterID: 3, grandmasterTimeInaccuracy: 100, networkTimeInaccuracy: 200, lengthConvention: 12 })
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: [c12, ...atoi(p2011)] }))
    assert.equal(r.verdict, 'pass', r.failed.join('; '))
  })

  test('fault: no C37.238 TLV (ptp4l 3.1.1) fails', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: atoi(p2011) }))
    assert.deepEqual(r.failed, ['Announce without IEEE_C37_238_2011'])
    assert.match(r.checks[0]!.detail!, /ALTERNATE_TIME_OFFSET_INDICATOR/)
  })

  test('fault: wrong OUI (1C-12-9E) fails, naming it', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: [orgTlv(0x1c129e, 1, 12), ...atoi(p2011)] }))
    assert.include(r.failed, 'C37.238 TLV: organizationId other than expected')
    assert.match(r.checks.find((c) => c.name.includes('organizationId'))!.detail!, /1C-12-9E/)
  })

  test('fault: the 2017 subtype under the 2011 profile fails', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: [buildC37238Tlv2017({ grandmasterID: 3, totalTimeInaccuracy: 100 }), ...atoi(p2011)] }))
    assert.include(r.failed, 'C37.238 TLV: organizationSubType other than expected')
  })

  test('fault: a lengthField of neither convention fails', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: powerTlvs(p2011), mutations: [{ messageTypes: ['Announce'], mutation: { kind: 'tlvLength', tlvIndex: 0, delta: 2 } }] }))
    assert.include(r.failed, 'C37.238 TLV: lengthField other than expected')
  })

  test('fault: grandmasterID 2 outside the 2011 range 0x0003–0x00FE fails, citing the override', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: powerTlvs(p2011, { grandmasterID: 2 }) }))
    assert.deepEqual(r.failed, ['grandmasterID inside 0x0003–0x00FE'])
    assert.match(r.checks.find((c) => c.name.startsWith('grandmasterID'))!.source, /5\.12\.2/)
  })

  test('without a range in the profile (2017) the grandmasterID is reported, not judged', ({ assert }) => {
    const r = judged(observation(p2017, { seconds: 8 }, { announceTlvs: powerTlvs(p2017, { grandmasterID: 2 }) }), p2017)
    assert.equal(r.verdict, 'pass')
    assert.deepEqual(T.judge(r.e, p2017).measurements!.grandmasterIds, [2])
  })

  test('fault: a locked grandmaster (clockClass 6) stating 500 ns grandmasterTimeInaccuracy fails', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: powerTlvs(p2011, { grandmasterTimeInaccuracy: 500, networkTimeInaccuracy: 800 }), dataset: { grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d } } }))
    assert.deepEqual(r.failed, ['grandmasterTimeInaccuracy of an in-spec grandmaster (clockClass 6/7) within the budget'])
  })

  test('insufficient: no Announce in a watch shorter than the receipt timeout is inconclusive', ({ assert }) => {
    assert.equal(judged(withoutFrames(observation(p2011, { seconds: 8 }, { announceTlvs: powerTlvs(p2011) }), ['Announce'], 1500)).verdict, 'inconclusive')
  })
})
