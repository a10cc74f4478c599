/**
 * BMCA-02's judge on a recording of the harness grandmasters (A continuous, B one Announce,
 * then B continuous) and a DUT state timeline: a DUT that waits for the threshold passes; one
 * that qualifies on a single Announce, never qualifies B, or takes far too long fails; sparse
 * state reads are inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA02 from '../../../suites/bmca/bmca-02-foreign-master-qualification.ts'
import { type Choice, gmConfig, ms, polled, recordOf, runMasters, s, sentBy, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, envelope } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')

interface Model {
  /** When the DUT follows B: after B's k-th Announce of the control phase (1-based), or after B's single Announce. */
  switchAfter: { control: number; delayMs?: number } | 'single' | 'never'
  pollMs?: number
}

function evidence(profile: Profile, m: Model) {
  const cfgA = gmConfig(profile, 'gm-a', 1)
  const cfgB = gmConfig(profile, 'gm-b', 2, { grandmasterPriority2: profile.priorities.priority2.default.value - 10 }, { sendAnnounce: false, sendSync: false })
  const T = logIntervalToNs(cfgA.logAnnounceInterval)
  const singleAtNs = START_NS + s(5)
  const controlAtNs = singleAtNs + BigInt(profile.bmca.foreignMasterTimeWindow.value + 1) * T + ms(500)
  const endNs = controlAtNs + s(8)
  const recorder = runMasters([cfgA, cfgB], {
    endNs,
    script: [
      { atNs: singleAtNs, master: 'gm-b', fn: (gm, now) => gm.resume(now, { announce: true, sync: false, answers: false }) },
      { atNs: singleAtNs + T / 2n, master: 'gm-b', fn: (gm) => gm.silence({ announce: true, sync: true, answers: true }) },
      { atNs: controlAtNs, master: 'gm-b', fn: (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }) },
    ],
  })
  const a = recordOf(cfgA)
  const b = recordOf(cfgB)
  const fromB = sentBy(recorder, b.clockIdentity)
  const single = fromB[0]!
  const control = fromB.filter((t) => t >= controlAtNs)
  const choices: Choice[] = [
    { atNs: START_NS, portState: 'LISTENING', grandmaster: DUT_IDENTITY },
    { atNs: START_NS + s(2.5), portState: 'SLAVE', grandmaster: a.clockIdentity },
  ]
  if (m.switchAfter === 'single') choices.push({ atNs: single + ms(100), portState: 'SLAVE', grandmaster: b.clockIdentity })
  else if (m.switchAfter !== 'never') choices.push({ atNs: control[m.switchAfter.control - 1]! + ms(m.switchAfter.delayMs ?? 100), portState: 'SLAVE', grandmaster: b.clockIdentity })
  const poll = m.pollMs ?? 50
  return envelope('BMCA-02', profile, {
    a,
    b,
    startedNs: START_NS,
    lockHistory: polled(choices, START_NS, START_NS + s(2.6), poll),
    singleAtNs,
    watchHistory: polled(choices, single + ms(2), controlAtNs, poll),
    controlAtNs,
    controlHistory: polled(choices, controlAtNs, endNs, poll),
    endNs,
    recorder,
  })
}

const verdictOf = (profile: Profile, m: Model) => {
  const checks = BMCA02.judge(evidence(profile, m), profile).checks
  return { verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail') }
}
const THRESHOLD = { control: 2 }

test.group('judge BMCA-02 foreign-master qualification', () => {
  test('a DUT that qualifies B on the threshold passes (default and gPTP)', ({ assert }) => {
    for (const profile of [e2e, gptp]) {
      const r = verdictOf(profile, { switchAfter: THRESHOLD })
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks.filter((c) => c.verdict !== 'pass'))}`)
    }
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const ev = evidence(e2e, { switchAfter: THRESHOLD })
    assert.deepEqual(BMCA02.judge(roundTrip(ev), e2e).checks, BMCA02.judge(ev, e2e).checks)
  })

  test('fault: a DUT qualifying on one Announce fails, naming when it switched', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfter: 'single' })
    assert.equal(r.verdict, 'fail')
    assert.match(String(r.failed.find((c) => c.name === 'the DUT does not switch to B after a single Announce')!.measured), /switched to gm-b 1\d\d ms after B's only Announce/)
  })

  test('fault: a DUT switching after the first of B\'s continuous Announces fails the threshold count', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfter: { control: 1 } })
    assert.equal(r.verdict, 'fail')
    assert.deepInclude(r.failed.find((c) => c.name.startsWith('B Announces within the window'))!, { measured: 1, limit: '≥ 2' })
  })

  test('fault: a DUT that never qualifies the better clock fails', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfter: 'never' })
    assert.equal(r.verdict, 'fail')
    assert.match(String(r.failed[0]!.measured), /never followed gm-b; last: gm-a .* as SLAVE/)
  })

  test('fault: a DUT that takes 3 intervals after the qualifying Announce to switch fails as late', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfter: { control: 2, delayMs: 3000 } })
    assert.equal(r.verdict, 'fail')
    assert.equal(r.failed[0]!.name, "time from B's qualifying Announce to the switch")
  })

  test('noisy: state reads 2.5 s apart are inconclusive, with the gap', ({ assert }) => {
    const r = verdictOf(e2e, { switchAfter: THRESHOLD, pollMs: 2500 })
    assert.equal(r.verdict, 'inconclusive')
    assert.isTrue(r.checks.some((c) => c.verdict === 'inconclusive' && /gap .* exceeds/.test(c.detail ?? '')))
  })

  test('with the DUT\'s log of its BMCA choices (lab ptp4l): a choice of B between two reads fails; sparse reads and no other choice logged pass the single-Announce phase', ({ assert }) => {
    const ev = evidence(e2e, { switchAfter: THRESHOLD, pollMs: 2500 })
    const single = (e: typeof ev) => BMCA02.judge(e, e2e).checks.find((c) => /single Announce|announced once/.test(c.name))!
    assert.equal(single(ev).verdict, 'inconclusive')
    const quiet = { ...ev, data: { ...ev.data, bestMasterLog: [] } }
    assert.equal(single(quiet).verdict, 'pass', single(quiet).detail)
    assert.match(single(quiet).detail!, /log of its BMCA choices names no other grandmaster/)
    const chose = { ...ev, data: { ...ev.data, bestMasterLog: [{ atNs: ev.data.singleAtNs! + 300_000_000n, resolutionNs: 1_000_000n, clockIdentity: ev.data.b.clockIdentity }] } }
    assert.equal(single(chose).verdict, 'fail')
    assert.match(String(single(chose).measured), /its log chose gm-b/)
  })
})
