/**
 * MF-02's judge on engine-made evidence with live-like addressing: a conformant DUT master
 * passes (no UTC offset claim to judge, as ptp4l on CLOCK_REALTIME), and so does one declaring
 * 37 s valid; each fault fails — unicastFlag on multicast Sync, a multicast-addressed message
 * without it, leap61 with leap59, 36 s declared valid. A header bit is read exactly and the
 * offset is whole seconds: MF-02 has no inconclusive case; frames without a recorded
 * destination make the flag check not applicable.
 */
import { test } from '@japa/runner'
import { FLAG_CURRENT_UTC_OFFSET_VALID, FLAG_LEAP59, FLAG_LEAP61, FLAG_PTP_TIMESCALE, FLAG_UNICAST } from '../../../harness/codec/constants.ts'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF02 from '../../../suites/mf/mf-02-flags-and-utc-offset.ts'
import { addressedObservation } from '../../support/evidence/mf.ts'
import { envelope, simulatedObservation } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { taiMinusUtcAt } from '../../../harness/time/utc_offset.ts'

const e2e = loadProfile('default-e2e')
/** TAI − UTC at the simulation's start (1.7e18 ns, November 2023), from the one table. */
const TAI_UTC = taiMinusUtcAt(1_700_000_000_000_000_000n)!
const gptp = loadProfile('gptp')
const power = loadProfile('power-2011')

function judged(profile: Profile, mutations: MutationRule[] = [], addressed = true) {
  const fault = mutations.length ? { mutations } : {}
  const observation = addressed ? addressedObservation(profile, { seconds: 10 }, fault) : simulatedObservation(profile, { seconds: 10 }, fault)
  const ev = envelope('MF-02', profile, { observation })
  const out = MF02.judge(ev, profile)
  return { ev, out, verdict: combineChecks(out.checks), check: (name: string) => out.checks.find((c) => c.name.startsWith(name))! }
}
const flags = (types: MutationRule['messageTypes'], set: number): MutationRule => ({ messageTypes: types, mutation: { kind: 'flags', set } })
const utcValid = flags(['Announce'], FLAG_CURRENT_UTC_OFFSET_VALID | FLAG_PTP_TIMESCALE)
const offset = (s: number): MutationRule => ({ messageTypes: ['Announce'], mutation: { kind: 'fields', overrides: { currentUtcOffset: s } } })

test.group('judge MF-02 flags and the UTC offset', () => {
  test('a conformant DUT master passes (default-e2e, gPTP, power-2011); an offset not declared valid is not judged', ({ assert }) => {
    for (const profile of [e2e, gptp, power]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.out.checks.filter((c) => c.verdict !== 'pass'))}`)
      assert.equal(r.check('currentUtcOffset equals TAI − UTC').verdict, 'not-applicable')
      assert.deepEqual(MF02.judge(roundTrip(r.ev), profile).checks, r.out.checks)
    }
  })

  test('a grandmaster declaring TAI − UTC (37 s) valid on the PTP timescale passes', ({ assert }) => {
    const r = judged(gptp, [utcValid])
    assert.deepInclude(r.check('currentUtcOffset equals TAI − UTC'), { verdict: 'pass', measured: String(TAI_UTC) })
  })

  test('fault: 36 s (one short) declared valid fails, naming the frame and TAI − UTC', ({ assert }) => {
    const r = judged(gptp, [utcValid, offset(TAI_UTC - 1)])
    const c = r.check('currentUtcOffset equals TAI − UTC')
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, new RegExp(`Announce #\\d+ \\(frame #\\d+\\) says ${TAI_UTC - 1} s, TAI − UTC is ${TAI_UTC} s`))
  })

  test('with leap61 announced, the offset of either side of the leap passes (TAI − UTC or one more)', ({ assert }) => {
    assert.equal(judged(gptp, [utcValid, flags(['Announce'], FLAG_LEAP61), offset(TAI_UTC + 1)]).check('currentUtcOffset equals TAI − UTC').verdict, 'pass')
    assert.equal(judged(gptp, [utcValid, flags(['Announce'], FLAG_LEAP61), offset(TAI_UTC + 2)]).check('currentUtcOffset equals TAI − UTC').verdict, 'fail')
  })

  test('fault: leap61 and leap59 both set fails', ({ assert }) => {
    assert.equal(judged(e2e, [flags(['Announce'], FLAG_LEAP59 | FLAG_LEAP61)]).check('Announce with leap61 and leap59').verdict, 'fail')
  })

  test('fault: unicastFlag on Sync sent to the multicast group fails (L2 and UDP)', ({ assert }) => {
    for (const profile of [e2e, gptp]) {
      const c = judged(profile, [flags(['Sync'], FLAG_UNICAST)]).check('unicastFlag matches the destination')
      assert.equal(c.verdict, 'fail', profile.id)
      assert.match(c.detail!, /Sync #\d+ \(frame #\d+\) to \S+ with unicastFlag set/)
    }
  })

  test('without recorded destinations the unicastFlag check is not applicable, never a pass', ({ assert }) => {
    assert.equal(judged(e2e, [flags(['Sync'], FLAG_UNICAST)], false).check('unicastFlag matches the destination').verdict, 'not-applicable')
  })
})
