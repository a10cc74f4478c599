/**
 * BMCA-04's judge on recordings of a DUT alone on the link (silent, or the lab DUT's master
 * engine) and its polled port states: silent not-GM-capable configurations pass next to a
 * control that does send Sync; a slave-only (or priority1 255 / clockClass 255) DUT that sends
 * Sync or reports MASTER fails; an ordinary clock that never becomes GM fails the control;
 * an observation too short to tell is inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA04, { type NotGmCase, type NotGmConfig } from '../../../suites/bmca/bmca-04-not-grandmaster-capable.ts'
import { type Choice, polled, runMasters, s, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutMasterEngine, type EnvelopeOptions, envelope } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')

/** How the simulated DUT behaves in a case: silent and LISTENING, or a grandmaster (sends, reports MASTER). */
type Behaviour = 'silent' | 'master' | 'master-state-only' | 'announce-only'

function runCase(profile: Profile, config: NotGmConfig, behaviour: Behaviour, i: number, seconds: number, o: EnvelopeOptions): NotGmCase {
  const start = START_NS + s(100 * i)
  const endNs = start + s(seconds)
  const dut = behaviour === 'master' ? dutMasterEngine(profile, o) : behaviour === 'announce-only' ? dutMasterEngine(profile, o, { sendSync: false }) : undefined
  const recorder = runMasters([], { startNs: start, endNs, ...(dut ? { dut } : {}) })
  const choices: Choice[] = [{ atNs: start, portState: 'LISTENING', grandmaster: DUT_IDENTITY }]
  if (behaviour !== 'silent') choices.push({ atNs: start + s(3.5), portState: 'MASTER', grandmaster: DUT_IDENTITY })
  return { config, how: 'simulated', configuredAtNs: start, endNs, history: polled(choices, start, endNs, 250), recorder }
}

function evidence(profile: Profile, b: Partial<Record<NotGmConfig, Behaviour>>, o: EnvelopeOptions & { seconds?: number } = {}) {
  const sec = o.seconds ?? 7
  const cases: NotGmCase[] = [runCase(profile, 'ordinary clock (control)', b['ordinary clock (control)'] ?? 'master', 0, sec, o)]
  if (o.dutOptions?.clockClass === 255) cases.push(runCase(profile, 'clockClass 255', b['clockClass 255'] ?? 'silent', 1, sec, o))
  else cases.push({ config: 'clockClass 255', how: 'not configured', skipped: 'the DUT is configured with clockClass 248', configuredAtNs: 0n, endNs: 0n, history: [] })
  if (profile.bmca.variant === '802.1as') cases.push(runCase(profile, 'priority1 255', b['priority1 255'] ?? 'silent', 2, sec, o))
  cases.push(runCase(profile, 'slaveOnly', b.slaveOnly ?? 'silent', 3, sec, o))
  return envelope('BMCA-04', profile, { cases }, o)
}

const verdictOf = (profile: Profile, b: Partial<Record<NotGmConfig, Behaviour>>, o: EnvelopeOptions & { seconds?: number } = {}) => {
  const checks = BMCA04.judge(evidence(profile, b, o), profile).checks
  return { verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail') }
}

test.group('judge BMCA-04 not grandmaster-capable', () => {
  test('silent not-GM-capable configurations pass next to a control that sends Sync (default, gPTP, clockClass 255)', ({ assert }) => {
    const d = verdictOf(e2e, {})
    assert.equal(d.verdict, 'pass', JSON.stringify(d.checks))
    assert.equal(d.checks.find((c) => c.name.startsWith('clockClass 255'))!.verdict, 'not-applicable')
    const g = verdictOf(gptp, {})
    assert.equal(g.verdict, 'pass', JSON.stringify(g.checks))
    assert.isTrue(g.checks.some((c) => c.name.startsWith('priority1 255') && c.verdict === 'pass'))
    const cc = verdictOf(e2e, {}, { dutOptions: { clockClass: 255 } })
    assert.equal(cc.checks.find((c) => c.name.startsWith('clockClass 255'))!.verdict, 'pass')
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const ev = evidence(gptp, {})
    assert.deepEqual(BMCA04.judge(roundTrip(ev), gptp).checks, BMCA04.judge(ev, gptp).checks)
  })

  test('fault: a slave-only DUT sending Sync fails, with counts and the first frame', ({ assert }) => {
    const r = verdictOf(e2e, { slaveOnly: 'master' })
    assert.deepEqual(r.failed.map((c) => c.name), ['slaveOnly: the DUT never acts as grandmaster'])
    assert.match(String(r.failed[0]!.measured), /^\d+ Sync, \d+ Announce, \d+ reads in MASTER/)
    assert.match(r.failed[0]!.detail!, /first (Sync|Announce) at \+\d+ ms in domain 0/)
  })

  test('fault: an 802.1AS DUT with priority1 255 acting as grandmaster fails', ({ assert }) => {
    const r = verdictOf(gptp, { 'priority1 255': 'master' })
    assert.deepEqual(r.failed.map((c) => c.name), ['priority1 255: the DUT never sends Sync as grandmaster'])
  })

  test('an 802.1AS DUT with priority1 255 that announces (master port, no grandmaster present) but sends no Sync passes', ({ assert }) => {
    const r = verdictOf(gptp, { 'priority1 255': 'announce-only' })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks))
  })

  test('fault: a slave-only DUT that only announces (no Sync) still fails', ({ assert }) => {
    const r = verdictOf(e2e, { slaveOnly: 'announce-only' })
    assert.match(String(r.failed[0]!.measured), /^0 Sync, \d+ Announce/)
  })

  test('fault: a DUT configured with clockClass 255 acting as grandmaster fails', ({ assert }) => {
    const r = verdictOf(e2e, { 'clockClass 255': 'master' }, { dutOptions: { clockClass: 255 } })
    assert.deepEqual(r.failed.map((c) => c.name), ['clockClass 255: the DUT never acts as grandmaster'])
  })

  test('fault: a slave-only DUT reporting MASTER without sending fails', ({ assert }) => {
    const r = verdictOf(e2e, { slaveOnly: 'master-state-only' })
    assert.match(String(r.failed[0]!.measured), /0 Sync, 0 Announce, \d+ reads in MASTER/)
  })

  test('fault: an ordinary clock alone that never becomes grandmaster fails the control (and the silences prove nothing)', ({ assert }) => {
    const r = verdictOf(e2e, { 'ordinary clock (control)': 'silent' })
    assert.equal(r.verdict, 'fail')
    assert.deepEqual(r.failed.map((c) => c.name), ['control: the DUT as an ordinary clock alone becomes grandmaster and sends Sync'])
    assert.equal(r.checks.find((c) => c.name.startsWith('slaveOnly'))!.verdict, 'inconclusive')
  })

  test('noisy: an observation shorter than an ordinary clock needs to become grandmaster is inconclusive, with the numbers', ({ assert }) => {
    const r = verdictOf(e2e, {}, { seconds: 4.5 })
    const c = r.checks.find((x) => x.name.startsWith('slaveOnly'))!
    assert.equal(c.verdict, 'inconclusive')
    assert.match(c.detail!, /watched 4\d\d\d ms, less than the 5000 ms/)
  })
})
