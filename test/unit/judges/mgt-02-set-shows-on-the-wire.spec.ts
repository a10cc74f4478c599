/**
 * MGT-02's judge on evidence from the reference DUT (a master) on a simulated link, with the
 * harness's management node (a ManagementPoller that only sends when told) sending the SETs as the acquisition does. The conformant reference
 * clock (accepts SET PRIORITY2) passes; one answering but not applying, or not answering, fails;
 * a refusal with NOT_SUPPORTED passes only if the Announces stay as they were; a local SET that
 * never reaches the Announces, or reaches them late, fails; without --allow-set it is not run.
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { ManagementPoller } from '../../../harness/engines/management_poller.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { ManagementErrorId } from '../../../harness/codec/constants.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MGT02, { followsSet, managerFor, newPriority2, sentSequenceId, type SetData } from '../../../suites/mgt/mgt-02-set-shows-on-the-wire.ts'
import { ms } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope, HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const PROFILE = 'default-e2e'

/** The acquisition's wire phase against the reference DUT as a master. */
function simulate(faults: string[] = []) {
  const profile = loadProfile(PROFILE)
  const s = dutSettingsFor(profile)
  const manager = managerFor(HARNESS_IDENTITY(7), { domainNumber: s.domainNumber.value }, s.intervals.announce.value)
  const group = new EngineGroup('mgt-02', [manager])
  const lab = refLab(PROFILE, { role: 'master', faults, peers: { harness: group } })
  const configured = s.priority2.value
  const value = newPriority2(configured)
  const interval = s.intervals.announce.value
  const holdNs = 4n * logIntervalToNs(interval) + ms(500)
  lab.link.run(lab.link.now + BigInt(s.announceReceiptTimeout.value + 2) * logIntervalToNs(interval))
  const set = (v: number) => {
    let seq = -1
    lab.link.control('harness', () => group.control<ManagementPoller>('manager', (r) => {
      const actions = r.request('SET', { name: 'PRIORITY2', value: v, reserved: 0 })
      seq = sentSequenceId(actions)
      return actions
    }))
    return { sequenceId: seq, sentAtNs: lab.link.now, value: v }
  }
  const first = set(value)
  lab.link.run(lab.link.now + holdNs)
  const restore = set(configured)
  lab.link.run(lab.link.now + holdNs)
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  const data: SetData = {
    allowed: true, configured, value, logAnnounceInterval: interval, dutClockIdentity: DUT_IDENTITY, recorder,
    phases: [
      { how: 'wire', set: first, restore, endNs: lab.link.now },
      { how: 'local', skipped: 'the reference DUT adapter applies priority2 by restarting the DUT with a new configuration, not by a management SET', endNs: lab.link.now },
    ],
  }
  return { data, profile: lab.profile }
}

const judge = (s: ReturnType<typeof simulate>) => MGT02.judge(envelope('MGT-02', s.profile, s.data), s.profile).checks

/** The DUT's answer to the first SET turned into MANAGEMENT_ERROR_STATUS NOT_SUPPORTED. */
function refuse(s: ReturnType<typeof simulate>) {
  const seq = s.data.phases[0]!.set!.sequenceId
  for (const f of s.data.recorder!.frames) {
    if (f.direction === 'in' && f.message?.type === 'Management' && f.message.header.sequenceId === seq) {
      f.message.tlvs = [{ kind: 'MANAGEMENT_ERROR_STATUS', tlvType: 2, lengthField: 8, managementErrorId: ManagementErrorId.NOT_SUPPORTED, managementId: 0x2006, reserved: 0, displayData: null, pad: new Uint8Array(0) } as never]
    }
  }
  s.data.phases[0] = { ...s.data.phases[0]!, restore: undefined } as never
  return s
}

test.group('judge MGT-02 management SET shows on the wire', () => {
  test('the reference DUT accepting SET PRIORITY2 passes: answered with the new value, on the wire in time, and back; also on stored evidence', ({ assert }) => {
    const s = simulate()
    const checks = judge(s)
    assert.deepEqual(checks.map((c) => c.verdict), ['pass', 'pass', 'pass', 'not-applicable'], JSON.stringify(checks.map((c) => [c.name, c.measured, c.detail])))
    assert.equal(combineChecks(checks), 'pass')
    assert.deepEqual(MGT02.judge(roundTrip(envelope('MGT-02', s.profile, s.data)), s.profile).checks, checks)
  })

  test('fault management-set-not-applied: answered with the new value but the Announces keep the old one fails', ({ assert }) => {
    const checks = judge(simulate(['management-set-not-applied']))
    assert.equal(checks[0]!.verdict, 'pass')
    assert.equal(checks[1]!.verdict, 'fail')
    assert.include(String(checks[1]!.measured), 'never')
  })

  test('fault management-set-unanswered: silence to a SET fails with the sequenceId', ({ assert }) => {
    const checks = judge(simulate(['management-set-unanswered']))
    assert.equal(checks[0]!.verdict, 'fail')
    assert.include(checks[0]!.detail!, 'SET #0')
  })

  test('a refusal (NOT_SUPPORTED) passes when the Announces stay; a refusal with a change on the wire fails', ({ assert }) => {
    const kept = judge(refuse(simulate(['management-set-not-applied'])))
    assert.deepEqual(kept.slice(0, 2).map((c) => c.verdict), ['pass', 'pass'])
    assert.include(String(kept[0]!.measured), 'NOT_SUPPORTED')
    const changed = judge(refuse(simulate()))
    assert.equal(changed[1]!.verdict, 'fail')
    assert.include(changed[1]!.detail!, 'refused')
  })

  test('a local SET applied at runtime is judged on the Announces: shown passes, never shown fails', ({ assert }) => {
    const localFrom = (s: ReturnType<typeof simulate>) => {
      const w = s.data.phases[0]!
      s.data.phases = [{ how: 'local', applied: 'runtime', setAtNs: w.set!.sentAtNs, restoredAtNs: w.restore!.sentAtNs, endNs: w.endNs }]
      return judge(s)
    }
    assert.deepEqual(localFrom(simulate()).map((c) => c.verdict), ['pass', 'pass'])
    assert.equal(localFrom(simulate(['management-set-not-applied']))[0]!.verdict, 'fail')
  })

  test('a change later than two announce intervals fails with when it came', ({ assert }) => {
    const s = simulate()
    const w = s.data.phases[0]!
    const T = logIntervalToNs(s.data.logAnnounceInterval!)
    const announces = s.data.recorder!.frames.filter((f) => f.direction === 'in' && f.message?.type === 'Announce').map((f) => ({ frame: f, priority2: (f.message as { grandmasterPriority2: number }).grandmasterPriority2 }))
    const c = followsSet('late', announces, w.set!.sentAtNs - 3n * T, w.restore!.sentAtNs, s.data.value!, 2n * T)
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, 'later than')
  })

  test('fault: a RESPONSE to the SET carrying another value than was set fails', ({ assert }) => {
    const s = simulate()
    const seq = s.data.phases[0]!.set!.sequenceId
    for (const f of s.data.recorder!.frames) {
      const t = f.direction === 'in' && f.message?.type === 'Management' && f.message.header.sequenceId === seq ? f.message.tlvs[0] : undefined
      if (t?.kind === 'MANAGEMENT' && t.dataField && 'value' in t.dataField) t.dataField.value = s.data.configured!
    }
    const c = judge(s)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(String(c[0]!.measured), `RESPONSE ${s.data.configured}`)
  })

  test('a local SET the DUT refuses passes only if the Announces stay as they were', ({ assert }) => {
    const localRefused = (s: ReturnType<typeof simulate>) => {
      const w = s.data.phases[0]!
      s.data.phases = [{ how: 'local', refused: 'pmc: MANAGEMENT_ERROR_STATUS NOT_SUPPORTED', setAtNs: w.set!.sentAtNs, endNs: w.restore!.sentAtNs }]
      return judge(s)
    }
    assert.deepEqual(localRefused(simulate(['management-set-not-applied'])).map((c) => c.verdict), ['pass'])
    const changed = localRefused(simulate())
    assert.equal(changed[0]!.verdict, 'fail')
    assert.include(changed[0]!.detail!, 'refused the SET')
  })

  test('a DUT that sends no Announce after the SET fails', ({ assert }) => {
    const s = simulate()
    const kept = new Recorder()
    for (const f of s.data.recorder!.frames) if (!(f.direction === 'in' && f.message?.type === 'Announce')) kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    s.data.recorder = kept
    const checks = judge(s)
    assert.equal(checks[1]!.verdict, 'fail')
    assert.equal(checks[1]!.measured, 'no Announce')
  })

  test('without --allow-set the test is not run: not applicable, saying how to allow it', ({ assert }) => {
    const s = simulate()
    const r = MGT02.judge(envelope('MGT-02', s.profile, { allowed: false, phases: [] }), s.profile)
    assert.equal(r.checks[0]!.verdict, 'not-applicable')
    assert.include(r.checks[0]!.detail!, '--allow-set')
  })
})
