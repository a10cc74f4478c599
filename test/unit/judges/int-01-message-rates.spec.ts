/**
 * INT-01's judge on evidence made by the engines: a conformant DUT master passes; each
 * fault the test targets fails; jitter larger than the margins makes it inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import INT01 from '../../../suites/int/int-01-message-rates.ts'
import { envelope, simulatedObservation } from '../../support/evidence/simulate.ts'
import { addressedObservation } from '../../support/evidence/mf.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const verdictOf = (ev: Parameters<typeof INT01.judge>[0], profile = e2e) => {
  const checks = INT01.judge(ev, profile).checks
  return { verdict: combineChecks(checks), checks }
}

test.group('judge INT-01 message rates', () => {
  test('a unicast Sync carries 0x7F (Table 42): no advertised-interval check is made of it, and its rate is still judged', ({ assert }) => {
    const observation = addressedObservation(e2e, { seconds: 25 }, { unicastTo: '02:00:00:00:00:02' }, { edit: (_f, a) => ({ ...a, dstIp: '192.0.2.1' }) })
    const checks = INT01.judge(roundTrip(envelope('INT-01', e2e, { observation })), e2e).checks
    assert.equal(combineChecks(checks), 'pass', checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.measured}`).join('; '))
    assert.isUndefined(checks.find((c) => c.name === 'Sync advertises the configured logMessageInterval'))
    assert.isDefined(checks.find((c) => c.name === 'Announce advertises the configured logMessageInterval'))
    assert.isTrue(checks.some((c) => c.name.startsWith('Sync (configured') && c.name.includes('mean interval')))
  })

  test('a conformant DUT master passes (E2E and P2P)', ({ assert }) => {
    for (const profile of [e2e, p2p]) {
      const ev = envelope('INT-01', profile, { observation: simulatedObservation(profile, { seconds: 30 }) })
      assert.equal(verdictOf(ev, profile).verdict, 'pass', profile.id)
    }
  })

  test('the judge gives the same verdict on evidence stored and loaded again', ({ assert }) => {
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 30 }) })
    assert.deepEqual(INT01.judge(roundTrip(ev), e2e).checks, INT01.judge(ev, e2e).checks)
  })

  test('fault: Sync at twice the configured rate, advertised honestly, fails', ({ assert }) => {
    const configured = envelope('INT-01', e2e, {}).dut.intervals.sync.value
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 30 }, { logSyncInterval: configured - 1 }) })
    const r = verdictOf(ev)
    assert.equal(r.verdict, 'fail')
    assert.isTrue(r.checks.some((c) => c.name.startsWith('Sync advertises') && c.verdict === 'fail'))
    assert.isTrue(r.checks.some((c) => c.name.startsWith('Sync (configured') && c.verdict === 'fail'))
  })

  test('fault: Announce at half the configured rate fails the mean rule', ({ assert }) => {
    const configured = envelope('INT-01', e2e, {}).dut.intervals.announce.value
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 60 }, { logAnnounceInterval: configured + 1 }) })
    const r = verdictOf(ev)
    assert.equal(r.verdict, 'fail')
    assert.isTrue(r.checks.some((c) => c.name.includes('Announce') && c.name.includes('mean interval') && c.verdict === 'fail'))
  })

  test('fault: a DUT configured with another interval than it advertises fails the advertised check', ({ assert }) => {
    // The DUT runs at its configured Sync rate but writes another logMessageInterval into the header.
    const ev = envelope('INT-01', e2e, {
      observation: simulatedObservation(e2e, { seconds: 30 }, { mutations: [{ messageTypes: ['Sync'], mutation: { kind: 'logMessageInterval', value: 3 } }] }),
    })
    const r = verdictOf(ev)
    assert.equal(r.verdict, 'fail')
    assert.deepInclude(r.checks.find((c) => c.name.startsWith('Sync advertises'))!, { verdict: 'fail', measured: 3 })
  })

  test('fault: a DUT that sends no Sync fails and says what arrived', ({ assert }) => {
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 10 }, { sendSync: false }) })
    const r = verdictOf(ev)
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /no Sync in domain 0 .* received: \d+ Announce in domain 0/)
  })

  test('fault: Sync in another domain than configured fails, naming the domain seen', ({ assert }) => {
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 10 }, { header: { domainNumber: 7 } }) })
    const r = verdictOf(ev)
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /Sync in domain 7/)
  })

  test('noisy: timestamps scattered beyond the ±30 % window are inconclusive, not pass or fail', ({ assert }) => {
    const noisy = { ns: 250_000_000n, timeErrorFloorNs: 250_000_000n, method: 'simulated stall-ridden link' }
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 30, jitterNs: 100_000_000, seed: 7 }) }, { noise: noisy })
    assert.equal(verdictOf(ev).verdict, 'inconclusive')
  })
})
