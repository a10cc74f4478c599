/**
 * TLV-PWR-02's judge: ATOI is mandatory under C37.238-2011 and, under 2017, required only when
 * the DUT is configured with local time (not applicable otherwise). Missing ATOI, contents
 * outside civil offsets, invalid displayName and values differing from the configuration fail;
 * a watch shorter than the receipt timeout is inconclusive.
 */
import { test } from '@japa/runner'
import { buildAlternateTimeOffsetIndicatorTlv } from '../../../harness/codec/tlvs/alternate_time_offset.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import T, { type LocalTime, localTimeFrom } from '../../../suites/tlv/tlv-pwr-02-alternate-time-offset.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { observation, powerTlvs, withoutFrames } from '../../support/evidence/tlv.ts'

const p2011 = loadProfile('power-2011')
const p2017 = loadProfile('power-2017')
const CET = { keyField: 1, currentOffset: 3600, jumpSeconds: 3600, timeOfNextJump: 1_774_746_037n, displayName: 'CET' }
const cetOptions = { 'atoi.keyField': 1, 'atoi.currentOffset': 3600, 'atoi.jumpSeconds': 3600, 'atoi.timeOfNextJump': '1774746037', 'atoi.displayName': 'CET' }
const c37 = (profile: Profile) => powerTlvs(profile).filter((t) => t.kind === 'ORGANIZATION_EXTENSION')
const judged = (o: ReturnType<typeof observation>, profile: Profile, localTime: LocalTime | null = null) => {
  const e = envelope('TLV-PWR-02', profile, { observation: o, localTime })
  const out = T.judge(e, profile)
  return { e, out, verdict: combineChecks(out.checks), checks: out.checks, failed: out.checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge TLV-PWR-02 ALTERNATE_TIME_OFFSET_INDICATOR', () => {
  test('2011: a grandmaster sending ATOI (UTC, offset 0) passes, also after a round trip', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: powerTlvs(p2011) }), p2011)
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.deepEqual(T.judge(roundTrip(r.e), p2011).checks, r.checks)
  })

  test('fault: 2011, ATOI missing fails (mandatory, C37.238-2011 5.12.2)', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: c37(p2011) }), p2011)
    assert.deepEqual(r.failed, ['Announce without ALTERNATE_TIME_OFFSET_INDICATOR'])
    assert.match(r.checks[0]!.source, /5\.12\.2/)
  })

  test('2017 without local time configured: not applicable, with that reason', ({ assert }) => {
    const r = judged(observation(p2017, { seconds: 8 }, { announceTlvs: c37(p2017) }), p2017)
    assert.equal(r.verdict, 'not-applicable')
    assert.match(r.out.reason!, /optional.*not configured with local time/)
  })

  test('2017 with local time configured and sent as configured passes', ({ assert }) => {
    const local = localTimeFrom(cetOptions, 'dut option')
    const r = judged(observation(p2017, { seconds: 8 }, { announceTlvs: [...c37(p2017), buildAlternateTimeOffsetIndicatorTlv(CET)] }), p2017, local)
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks.filter((c) => c.name.endsWith('= configured')), 5)
  })

  test('fault: 2017, local time configured but no ATOI sent fails', ({ assert }) => {
    const r = judged(observation(p2017, { seconds: 8 }, { announceTlvs: c37(p2017) }), p2017, localTimeFrom(cetOptions, 'dut option'))
    assert.deepEqual(r.failed, ['Announce without ALTERNATE_TIME_OFFSET_INDICATOR'])
    assert.match(r.checks[0]!.source, /configured with local time/)
  })

  test('fault: currentOffset differing from the configuration fails', ({ assert }) => {
    const r = judged(observation(p2017, { seconds: 8 }, { announceTlvs: [...c37(p2017), buildAlternateTimeOffsetIndicatorTlv({ ...CET, currentOffset: 7200 })] }), p2017, localTimeFrom(cetOptions, 'dut option'))
    assert.deepEqual(r.failed, ['ATOI currentOffset = configured'])
  })

  test('fault: currentOffset outside civil UTC offsets fails', ({ assert }) => {
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: [...c37(p2011), buildAlternateTimeOffsetIndicatorTlv({ keyField: 0, currentOffset: 100_000, jumpSeconds: 0, timeOfNextJump: 0n, displayName: 'X' })] }), p2011)
    assert.includeMembers(r.failed, ['ATOI currentOffset outside civil UTC offsets'])
  })

  test('fault: displayName that is not UTF-8 fails', ({ assert }) => {
    const bad = { ...buildAlternateTimeOffsetIndicatorTlv({ keyField: 0, currentOffset: 0, jumpSeconds: 0, timeOfNextJump: 0n, displayName: 'AB' }) }
    bad.displayName = new Uint8Array([0xff, 0xfe])
    const r = judged(observation(p2011, { seconds: 8 }, { announceTlvs: [...c37(p2011), bad] }), p2011)
    assert.deepEqual(r.failed, ['ATOI displayName not valid UTF-8'])
  })

  test('insufficient: no Announce in a watch shorter than the receipt timeout is inconclusive', ({ assert }) => {
    const r = judged(withoutFrames(observation(p2011, { seconds: 8 }, { announceTlvs: powerTlvs(p2011) }), ['Announce'], 1000), p2011)
    assert.equal(r.verdict, 'inconclusive')
  })
})
