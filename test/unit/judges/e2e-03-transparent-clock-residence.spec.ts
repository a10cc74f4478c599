/**
 * E2E-03's judge on the recordings around a simulated transparent clock: an E2E and a P2P clock
 * that add their residence pass (also on stored evidence); each fault the test targets fails with
 * the check that names it; a residence within the links' noise, or links as noisy as the
 * residence, is inconclusive with the numbers.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import E2E03 from '../../../suites/e2e/e2e-03-transparent-clock-residence.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { simulateTransparentClock, type TcSimulation } from '../../support/evidence/transparent_clock.ts'
import { combineLinks } from '../../../suites/support/residence.ts'
import type { HarnessNoise, RelayLinks } from '../../../harness/run/session_types.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const judge = (o: TcSimulation) => {
  const profile = o.clockType === 'p2p-tc' ? p2p : e2e
  const ev = envelope('E2E-03', profile, simulateTransparentClock(o))
  const checks = E2E03.judge(ev, profile).checks
  return { ev, profile, verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name), inconclusive: checks.filter((c) => c.verdict === 'inconclusive') }
}

test.group('judge E2E-03 transparent clock residence', () => {
  test('an E2E TC adding its residence passes, also on stored evidence', ({ assert }) => {
    const r = judge({ clockType: 'e2e-tc' })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks, 10)
    assert.deepEqual(E2E03.judge(roundTrip(r.ev), r.profile).checks, r.checks)
  })

  test('a P2P TC adding residence and upstream link delay passes', ({ assert }) => {
    const r = judge({ clockType: 'p2p-tc' })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.include(r.checks.map((c) => c.name), 'two-step grandmaster: peer-delay messages not forwarded')
  })

  test('fault: a clock that adds nothing (a plain switch) fails every residence check, saying so', ({ assert }) => {
    for (const clockType of ['e2e-tc', 'p2p-tc'] as const) {
      const r = judge({ clockType, fault: 'adds-nothing' })
      assert.equal(r.verdict, 'fail')
      const residence = r.checks.filter((c) => c.name.endsWith('correctionField grows by the residence time'))
      assert.isTrue(residence.every((c) => c.verdict === 'fail'))
      assert.match(residence[0]!.detail!, /the clock added nothing/)
    }
  })

  test('fault: a clock that adds nothing to every fourth Sync fails on those messages though the median is right', ({ assert }) => {
    // 45 Syncs in the judged window (6 s at 8/s less the last half second); held 200 µs, a missing correction sits far outside the links' slowest probes (±6 µs here).
    const r = judge({ clockType: 'e2e-tc', fault: 'adds-nothing-to-every-fourth', residenceNs: 200_000 })
    const c = r.checks.find((x) => x.name === 'two-step grandmaster, Sync: correctionField grows by the residence time')!
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /12 of 45 messages were corrected by more or less than they were held/)
    assert.match(c.detail!, /Sync #0: .* added 0 ns/)
  })

  test('fault: overwriting the grandmaster\'s correction instead of adding to it fails', ({ assert }) => {
    const r = judge({ clockType: 'e2e-tc', fault: 'overwrites-correction' })
    assert.includeMembers(r.failed, ['two-step grandmaster, Sync: correctionField grows by the residence time', 'two-step grandmaster, Delay_Req: correctionField grows by the residence time'])
    // One-step: the grandmaster's correction rides in the Sync, which the clock leaves alone.
    assert.notInclude(r.failed, 'one-step grandmaster, Sync: correctionField grows by the residence time')
  })

  test('fault: adding the residence twice fails as "more than it held"', ({ assert }) => {
    const r = judge({ clockType: 'e2e-tc', fault: 'adds-twice' })
    const c = r.checks.find((x) => x.name === 'two-step grandmaster, Sync: correctionField grows by the residence time')!
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /added more than it held/)
  })

  test('fault: a P2P TC that leaves out its ingress link delay fails', ({ assert }) => {
    // 1.5 µs of link against ±3 µs: a residual that small is inside the noise, so make the link longer.
    const r = judge({ clockType: 'p2p-tc', fault: 'no-link-delay', linkNs: 20_000 })
    assert.include(r.failed, 'two-step grandmaster, Sync: correctionField grows by the residence time')
  })

  test('fault: Follow_Up dropped, origin changed or source rewritten fails the forwarding check', ({ assert }) => {
    for (const fault of ['drops-follow-up', 'changes-origin', 'changes-source'] as const) {
      const r = judge({ clockType: 'e2e-tc', fault })
      assert.include(r.failed, 'two-step grandmaster: Sync/Follow_Up forwarded with their identity and origin', fault)
    }
  })

  test('fault: lost Syncs and lost Delay_Resps fail, naming them', ({ assert }) => {
    const syncs = judge({ clockType: 'e2e-tc', fault: 'drops-syncs' })
    const c = syncs.checks.find((x) => x.name === 'two-step grandmaster: every Sync forwarded downstream')!
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /#3 /)
    const resp = judge({ clockType: 'e2e-tc', fault: 'drops-delay-resp' })
    assert.include(resp.failed, 'two-step grandmaster: Delay_Req forwarded upstream and Delay_Resp downstream')
  })

  test('fault: a P2P TC forwarding peer-delay messages fails', ({ assert }) => {
    const r = judge({ clockType: 'p2p-tc', fault: 'forwards-pdelay' })
    assert.include(r.failed, 'two-step grandmaster: peer-delay messages not forwarded')
  })

  test('noise: a residence within the links\' ± is inconclusive, not a pass, with its numbers', ({ assert }) => {
    // A clock holding messages 1.5 µs: adding nothing would look the same against ±2 µs.
    const r = judge({ clockType: 'e2e-tc', fault: 'adds-nothing', residenceNs: 1_500, residenceJitterNs: 200 })
    assert.equal(r.verdict, 'inconclusive', JSON.stringify(r.checks, null, 1))
    assert.match(r.inconclusive[0]!.detail!, /a clock that added nothing would look the same/)
    assert.match(r.inconclusive[0]!.detail!, /median held/)
  })

  test('noise: links measured at ±30 µs cannot judge a 40 µs residence', ({ assert }) => {
    const r = judge({ clockType: 'e2e-tc', linkNoiseNs: 30_000 })
    assert.equal(r.verdict, 'inconclusive')
    assert.isAbove(r.inconclusive.length, 0)
  })

  test('noise: a residual beyond the links\' ± but within the lab\'s path allowance is inconclusive; beyond both fails', ({ assert }) => {
    // A P2P clock leaving out a 5 µs upstream link: 5 µs against ±3 µs, with a 10 µs allowance.
    const within = judge({ clockType: 'p2p-tc', fault: 'no-link-delay', linkNs: 5_000, pathAllowanceNs: 10_000 })
    const c = within.checks.find((x) => x.name === 'two-step grandmaster, Sync: correctionField grows by the residence time')!
    assert.equal(c.verdict, 'inconclusive')
    assert.match(c.detail!, /within the lab's path allowance \(±10\.000 µs/)
    const beyond = judge({ clockType: 'p2p-tc', fault: 'no-link-delay', linkNs: 20_000, pathAllowanceNs: 10_000 })
    assert.include(beyond.failed, 'two-step grandmaster, Sync: correctionField grows by the residence time')
    // A plain switch holding 40 µs is beyond any allowance.
    assert.equal(judge({ clockType: 'e2e-tc', fault: 'adds-nothing', pathAllowanceNs: 10_000 }).verdict, 'fail')
  })

  test('links measured before and after: the mean latency, the ± widened by half of how far it moved', ({ assert }) => {
    const n = (latencyNs: bigint): HarnessNoise => ({ ns: 2_000n, timeErrorFloorNs: latencyNs + 2_000n, latencyNs, tailNs: 20_000n, stalls: 1, probes: 100, method: 'probe' })
    const links = (toSlave: bigint): RelayLinks => ({ upstream: { towardSlave: n(toSlave), towardGrandmaster: n(3_800n) }, downstream: { towardSlave: n(3_900n), towardGrandmaster: n(3_900n) } })
    const c = combineLinks(links(7_700n), links(25_300n))
    assert.equal(c.upstream.towardSlave.latencyNs, 16_500n)
    assert.equal(c.upstream.towardSlave.ns, 2_000n + 8_800n)
    assert.equal(c.upstream.towardSlave.probes, 200)
    assert.match(c.upstream.towardSlave.method, /± widened by half the move, 8800 ns/)
    assert.equal(c.upstream.towardGrandmaster.ns, 2_000n)
  })
})
