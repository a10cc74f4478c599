/**
 * BMCA-03's judge on a recording of two harness grandmasters (A silenced mid-run) and a DUT
 * state timeline: a switch inside [N, N+1] intervals (+ requalification) after A's last
 * Announce passes; too early, too late, never, or leaving B again fails; N is the DUT's
 * configured value; the 802.1AS sync receipt timer counts where the profile has one; reads too
 * sparse to place the switch are inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA03 from '../../../suites/bmca/bmca-03-grandmaster-failover.ts'
import { type Choice, gmConfig, ms, polled, recordOf, runMasters, s, sentBy, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, type EnvelopeOptions, envelope } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')

interface Model {
  /** When the DUT follows B, after A's last Announce (or its last Sync with `afterSync`); undefined = never. */
  switchAfterMs?: number
  afterSync?: boolean
  /** The DUT leaves B this long after following it. */
  leaveAfterMs?: number
  pollMs?: number
}

function evidence(profile: Profile, m: Model, o: EnvelopeOptions = {}) {
  const cfgA = gmConfig(profile, 'gm-a', 1, { grandmasterPriority2: profile.priorities.priority2.default.value - 10 }, {}, o)
  const cfgB = gmConfig(profile, 'gm-b', 2, undefined, {}, o)
  const T = logIntervalToNs(cfgA.logAnnounceInterval)
  const silencedAtNs = START_NS + s(6) + ms(300)
  const endNs = silencedAtNs + s(14)
  const recorder = runMasters([cfgA, cfgB], { endNs, script: [{ atNs: silencedAtNs, master: 'gm-a', fn: (gm) => gm.silence() }] })
  const a = recordOf(cfgA)
  const b = recordOf(cfgB)
  const lastA = sentBy(recorder, a.clockIdentity).at(-1)!
  const lastSync = sentBy(recorder, a.clockIdentity, 'Sync').at(-1)!
  const choices: Choice[] = [
    { atNs: START_NS, portState: 'LISTENING', grandmaster: DUT_IDENTITY },
    { atNs: START_NS + s(2.5), portState: 'SLAVE', grandmaster: a.clockIdentity },
  ]
  if (m.switchAfterMs !== undefined) {
    const at = (m.afterSync ? lastSync : lastA) + ms(m.switchAfterMs)
    choices.push({ atNs: at, portState: 'SLAVE', grandmaster: b.clockIdentity })
    if (m.leaveAfterMs !== undefined) choices.push({ atNs: at + ms(m.leaveAfterMs), portState: 'LISTENING', grandmaster: DUT_IDENTITY })
  } else {
    choices.push({ atNs: lastA + s(3.5), portState: 'LISTENING', grandmaster: DUT_IDENTITY })
  }
  const poll = m.pollMs ?? 20
  return {
    ev: envelope('BMCA-03', profile, { a, b, startedNs: START_NS, lockHistory: polled(choices, START_NS, silencedAtNs, poll), silencedAtNs, switchHistory: polled(choices, silencedAtNs, endNs, poll), endNs, recorder }, o),
    T,
  }
}

const verdictOf = (profile: Profile, m: Model, o: EnvelopeOptions = {}) => {
  const checks = BMCA03.judge(evidence(profile, m, o).ev, profile).checks
  return { verdict: combineChecks(checks), checks, timing: checks.find((c) => c.name.startsWith('time from A'))! }
}

test.group('judge BMCA-03 grandmaster failover', () => {
  test('a DUT switching after N + U(0,1] intervals plus requalification passes', ({ assert }) => {
    for (const after of [3300, 4500, 5600]) {
      const r = verdictOf(e2e, { switchAfterMs: after })
      assert.equal(r.verdict, 'pass', `${after} ms: ${JSON.stringify(r.timing)}`)
    }
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const { ev } = evidence(e2e, { switchAfterMs: 4500 })
    assert.deepEqual(BMCA03.judge(roundTrip(ev), e2e).checks, BMCA03.judge(ev, e2e).checks)
  })

  test('fault: failing over one interval after A\'s last Announce (too early) fails', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfterMs: 1500 })
    assert.equal(r.timing.verdict, 'fail')
    assert.match(r.timing.detail!, /too early/)
  })

  test('fault: failing over at N + 4 intervals (too late) fails', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfterMs: 7000 })
    assert.equal(r.timing.verdict, 'fail')
    assert.match(r.timing.detail!, /too late/)
    assert.equal(r.timing.limit, '3000 … 6000 ms')
  })

  test('fault: never failing over fails, saying what the DUT reported', ({ assert }) => {
    const r = verdictOf(e2e, {})
    assert.equal(r.verdict, 'fail')
    assert.deepInclude(r.timing, { measured: 'never', verdict: 'fail' })
    assert.match(r.timing.detail!, /itself as LISTENING/)
  })

  test('fault: leaving the backup again after failing over fails', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfterMs: 4500, leaveAfterMs: 800 })
    assert.equal(r.verdict, 'fail')
    assert.isTrue(r.checks.some((c) => c.verdict === 'fail' && /then left it/.test(String(c.measured))))
  })

  test('N is the DUT\'s configured announceReceiptTimeout: 7.2 s passes with N = 5, fails with N = 3', ({ assert }) => {
    assert.equal(verdictOf(e2e, { switchAfterMs: 7200 }, { dutOptions: { announceReceiptTimeout: 5 } }).timing.verdict, 'pass')
    assert.equal(verdictOf(e2e, { switchAfterMs: 7200 }).timing.verdict, 'fail')
  })

  test('802.1AS: a DUT failing over on syncReceiptTimeout passes', ({ assert }) => {
    const r = verdictOf(gptp, { switchAfterMs: 450 + 1000, afterSync: true })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.timing))
  })

  test('fault: an 802.1AS DUT ignoring syncReceiptTimeout (switching on the announce timeout only) fails as too late', ({ assert }) => {
    const r = verdictOf(gptp, { switchAfterMs: 3500 })
    assert.equal(r.timing.verdict, 'fail')
    assert.match(r.timing.detail!, /syncReceiptTimeout 3 .* too late/)
  })

  test('noisy: reads 2 s apart around the window\'s edge are inconclusive, with the resolution', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfterMs: 5800, pollMs: 2000 })
    assert.equal(r.timing.verdict, 'inconclusive', JSON.stringify(r.timing))
    assert.isAbove(r.timing.noise!, 500)
    assert.notEqual(r.verdict, 'fail')
  })

  test('the DUT\'s own log of choosing B (lab ptp4l, 1 ms) decides a switch the reads leave on the window\'s edge; a logged choice outside the reads is not used', ({ assert }) => {
    // ptp4l's edge case: a switch at 3.07 s against a window from 3.00 s, reads ~300 ms apart.
    const { ev } = evidence(e2e, { switchAfterMs: 3070, pollMs: 300 })
    const timing = (e: typeof ev) => BMCA03.judge(e, e2e).checks.find((c) => c.name.startsWith("time from A's last Announce"))!
    assert.equal(timing(ev).verdict, 'inconclusive', JSON.stringify(timing(ev)))
    const lastA = sentBy(ev.data.recorder, ev.data.a.clockIdentity).at(-1)!
    const log = (atNs: bigint) => ({ ...ev, data: { ...ev.data, bestMasterLog: [{ atNs, resolutionNs: ms(1), clockIdentity: ev.data.b.clockIdentity }] } })
    const t = timing(log(lastA + ms(3070)))
    assert.equal(t.verdict, 'pass', t.detail)
    assert.match(t.detail!, /logged by the DUT \("selected best master clock 020000\.fffe\.000042"\) at \+3\.070 s, 1 ms log resolution/)
    assert.isBelow(t.noise!, 1)
    const outside = timing(log(lastA + ms(1000)))
    assert.equal(outside.verdict, 'inconclusive')
    assert.match(outside.detail!, /between the reads/)
  })

  test('the hold: a choice of another clock in the DUT\'s log after it followed B fails even when no read saw it; reads too sparse for the hold pass when the log names no other choice', ({ assert }) => {
    const { ev } = evidence(gptp, { switchAfterMs: 400, afterSync: true, pollMs: 1500 })
    const hold = (e: typeof ev) => BMCA03.judge(e, gptp).checks.find((c) => c.name.startsWith('the DUT follows B after the failover'))!
    assert.equal(hold(ev).verdict, 'inconclusive')
    const quiet = { ...ev, data: { ...ev.data, bestMasterLog: [] } }
    assert.equal(hold(quiet).verdict, 'pass', hold(quiet).detail)
    const firstB = ev.data.switchHistory.find((r) => r.state?.grandmasterIdentity === ev.data.b.clockIdentity)!
    const away = { ...ev, data: { ...ev.data, bestMasterLog: [{ atNs: firstB.atNs + 700_000_000n, resolutionNs: 1_000_000n, clockIdentity: ev.data.a.clockIdentity }] } }
    assert.equal(hold(away).verdict, 'fail')
    assert.match(String(hold(away).measured), /then its log chose gm-a/)
  })
})
