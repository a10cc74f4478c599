/**
 * BMCA-07's judge on evidence from the engines: the harness grandmaster (class 6) and the
 * reference DUT (ReferenceClock, with or without its faults) on a simulated link, the
 * grandmaster silenced as the live test does, and the DUT's state polled. A conformant DUT
 * announces its configured class; the lost grandmaster's class, a class off the profile's
 * degradation path, naming the lost grandmaster and moving back to a better class fail.
 */
import { test } from '@japa/runner'
import type { AnnounceMessage } from '../../../harness/codec/types.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { ReferenceClock } from '../../../harness/refdut/clock.ts'
import { applyFaults } from '../../../harness/refdut/faults.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA07, { holdoverPaths, LOCKED_CLOCK_CLASS } from '../../../suites/bmca/bmca-07-clock-class-after-reference-loss.ts'
import type { PolledState, ReceiptTimeoutData } from '../../../suites/support/receipt_timeout.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'
import { gmConfig, ms, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope, type EnvelopeOptions } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const telecom = loadProfile('g8275-1')
const power = loadProfile('power-2011')
const isSlave = (s: PolledState['state']) => !!s && s.ports.some((p) => p.portState === 'SLAVE' || p.portState === 'UNCALIBRATED')

/** The live acquisition, simulated: lock, silence Announce and Sync, watch the DUT leave, then 8 announce intervals more. */
function evidence(profile: Profile, o: { faults?: string[] } & EnvelopeOptions = {}) {
  const settings = dutSettingsFor(profile, o)
  const gm = gmConfig(profile, 'gm', 1, { grandmasterPriority2: profile.priorities.priority2.default.value - 10, grandmasterClockQuality: { clockClass: LOCKED_CLOCK_CLASS, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d } }, {}, o)
  const group = new EngineGroup('masters', [new TestMaster(gm)])
  const dut = new ReferenceClock(applyFaults({ name: 'refdut', clockIdentity: DUT_IDENTITY, profile, settings, role: 'auto', behaviour: {}, seed: 7 }, o.faults ?? []))
  const link = new SimulatedLink({ startNs: START_NS })
  link.add('dut', dut)
  link.add('harness', group)
  link.start()
  const read = (): PolledState => ({ startNs: link.now - ms(3), endNs: link.now, state: dut.dutState(Number(link.now / 1_000_000n)) })
  const lock: ReceiptTimeoutData['lock'] = []
  while (link.now < START_NS + 20_000_000_000n) {
    link.run(link.now + ms(50))
    const r = read()
    lock.push({ atNs: r.endNs, state: r.state! })
    if (isSlave(r.state)) break
  }
  const tMs = 1000 * 2 ** settings.intervals.announce.value
  const data: ReceiptTimeoutData = { recorder: new Recorder(), lock, watch: [], pollMs: 20 }
  if (isSlave(lock.at(-1)?.state)) {
    link.run(link.now + ms(2 * tMs))
    data.silencedAtNs = link.now
    link.control('harness', () => group.control<TestMaster>('gm', (m) => m.silence({ announce: true, sync: true, answers: false })))
    while (link.now < data.silencedAtNs + ms((settings.announceReceiptTimeout.value + 3) * tMs + 3000)) {
      link.run(link.now + ms(20))
      const r = read()
      data.watch.push(r)
      if (!isSlave(r.state)) break
    }
    link.run(link.now + ms(8 * tMs + 200))
  }
  for (const f of link.recorder.frames) if (f.port === 'harness') data.recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return envelope('BMCA-07', profile, data, o)
}

const judged = (profile: Profile, o: Parameters<typeof evidence>[1] = {}) => {
  const ev = evidence(profile, o)
  const checks = BMCA07.judge(ev, profile).checks
  return { ev, checks, verdict: combineChecks(checks), check: (prefix: string) => checks.find((c) => c.name.startsWith(prefix))! }
}

/** The DUT's Announces after the loss, with their class replaced in order (a crafted degradation). */
function withClasses(ev: ReturnType<typeof evidence>, classes: (i: number) => number | undefined, edit: Partial<AnnounceMessage> = {}) {
  const recorder = new Recorder()
  const tA = ev.data.recorder.last({ type: 'Announce', direction: 'out' })!.timestampNs!
  let i = 0
  for (const f of ev.data.recorder.frames) {
    const m = f.message
    const dutAnnounce = f.direction === 'in' && m?.type === 'Announce' && f.timestampNs! >= tA
    const { index: _i, ...rest } = f
    if (!dutAnnounce) {
      recorder.record(rest)
      continue
    }
    const c = classes(i++)
    const a = m as AnnounceMessage
    recorder.record({ ...rest, message: { ...a, ...edit, grandmasterClockQuality: { ...a.grandmasterClockQuality, ...(c !== undefined ? { clockClass: c } : {}) } } })
  }
  return { ...ev, data: { ...ev.data, recorder } }
}

test.group('judge BMCA-07 clockClass after the reference is lost', () => {
  test('a conformant DUT announces its configured class after losing its class-6 grandmaster: default-e2e 248, G.8275.1 248, power-2011 187', ({ assert }) => {
    for (const profile of [e2e, telecom, power]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks.map((c) => [c.name, c.verdict, c.measured, c.detail]))}`)
      assert.equal(r.check('clockClass after the loss').measured, String(dutSettingsFor(profile).clockClass.value))
      assert.match(r.check('clockClass never moves back').detail!, /watched \d+\.\d s after the loss \(\d+ Announces\)/)
    }
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const { ev } = judged(telecom)
    assert.deepEqual(BMCA07.judge(roundTrip(ev), telecom).checks, BMCA07.judge(ev, telecom).checks)
  })

  test('fault holdover-keeps-lost-class: the DUT advertises the lost grandmaster\'s class 6 and fails, under each profile', ({ assert }) => {
    for (const profile of [e2e, telecom, power]) {
      const c = judged(profile, { faults: ['holdover-keeps-lost-class'] }).check('clockClass after the loss')
      assert.equal(c.verdict, 'fail', profile.id)
      assert.include(c.detail!, `with clockClass ${LOCKED_CLOCK_CLASS} (the lost grandmaster's class)`)
    }
  })

  test('fault holdover-claims-primary-holdover: class 7 from a clock configured 248 (or 187) fails; 7 is only a former 6\'s', ({ assert }) => {
    for (const profile of [e2e, telecom, power]) assert.equal(judged(profile, { faults: ['holdover-claims-primary-holdover'] }).check('clockClass after the loss').verdict, 'fail', profile.id)
  })

  test('G.8275.1 T-BC degradation 135 → 165 → 248 passes; 135 → 165 → 135 moves back and fails', ({ assert }) => {
    const { ev } = judged(telecom)
    const down = withClasses(ev, (i) => (i < 3 ? 135 : i < 6 ? 165 : 248))
    const ok = BMCA07.judge(down, telecom).checks
    assert.equal(combineChecks(ok), 'pass', JSON.stringify(ok))
    assert.equal(ok.find((c) => c.name.startsWith('clockClass never'))!.measured, '135 → 165 → 248')
    const back = BMCA07.judge(withClasses(ev, (i) => (i < 3 ? 135 : i < 6 ? 165 : 135)), telecom).checks.find((c) => c.name.startsWith('clockClass never'))!
    assert.equal(back.verdict, 'fail')
    assert.match(back.detail!, /moved from 165 back to 135/)
  })

  test('the path is the configured class\'s: a G.8275.1 T-GM configured 6 may go 7 → 140; a clock configured 248 may not use 7', ({ assert }) => {
    assert.deepEqual(holdoverPaths(telecom, 6), [[7, 140, 248], [7, 150, 248], [7, 160, 248]])
    assert.deepEqual(holdoverPaths(telecom, 248), [[135, 165, 248]])
    assert.deepEqual(holdoverPaths(e2e, 248), [[248]])
    const { ev } = judged(e2e)
    assert.equal(BMCA07.judge(withClasses(ev, () => 7), e2e).checks.find((c) => c.name.startsWith('clockClass after'))!.verdict, 'fail')
  })

  test('fault: Announces after the loss still naming the lost grandmaster fail', ({ assert }) => {
    const { ev } = judged(e2e)
    const lost = ev.data.recorder.last({ type: 'Announce', direction: 'out' })!.message as AnnounceMessage
    const c = BMCA07.judge(withClasses(ev, () => undefined, { grandmasterIdentity: lost.grandmasterIdentity, stepsRemoved: 1 }), e2e).checks.find((x) => x.name.startsWith('Announces after the loss'))!
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, new RegExp(`names grandmaster ${lost.grandmasterIdentity}, stepsRemoved 1`))
  })

  test('fault: a DUT that announces nothing after losing its grandmaster fails, naming how long was watched', ({ assert }) => {
    const { ev } = judged(e2e)
    const recorder = new Recorder()
    for (const { index: _i, ...f } of ev.data.recorder.frames) if (!(f.direction === 'in' && f.message?.type === 'Announce')) recorder.record(f)
    const checks = BMCA07.judge({ ...ev, data: { ...ev.data, recorder } }, e2e).checks
    assert.equal(combineChecks(checks), 'fail')
    assert.match(checks[0]!.detail!, /no Announce of its own in \d+\.\d s after the grandmaster's last Announce/)
  })

  test('fault silent: a DUT that never follows the grandmaster fails', ({ assert }) => {
    assert.equal(judged(e2e, { faults: ['silent'] }).verdict, 'fail')
  })

  test('insufficient: a recording without the grandmaster\'s Announce is inconclusive; a slave-only DUT is not applicable', ({ assert }) => {
    const { ev } = judged(e2e)
    const recorder = new Recorder()
    for (const { index: _i, ...f } of ev.data.recorder.frames) if (f.direction === 'in') recorder.record(f)
    assert.equal(combineChecks(BMCA07.judge({ ...ev, data: { ...ev.data, recorder } }, e2e).checks), 'inconclusive')
    const slaveOnly = envelope('BMCA-07', e2e, ev.data, { dutOptions: { clockClass: 255 } })
    assert.equal(combineChecks(BMCA07.judge(slaveOnly, e2e).checks), 'not-applicable')
  })
})
