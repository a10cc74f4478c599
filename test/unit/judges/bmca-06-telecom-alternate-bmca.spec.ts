/**
 * BMCA-06's judge on evidence from the reference DUT on a simulated link, acquired as the test
 * does (two conflicting grandmasters per comparison case; a clockClass-6 grandmaster against the
 * DUT as an ordinary clock and as masterOnly). The conformant reference clock passes; running
 * IEEE 1588's comparison fails both comparison cases; a masterOnly port that follows fails;
 * a control that never follows, or unanswered reads, leave the masterOnly check inconclusive.
 */
import { test } from '@japa/runner'
import { predictChoice } from '../../../harness/bmca/predictor.ts'
import type { Engine } from '../../../harness/engines/actions.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA06, { type AlternateBmcaData, comparisonCases, type ComparisonCase, judgeMasterOnly, type MasterOnlyRun } from '../../../suites/bmca/bmca-06-telecom-alternate-bmca.ts'
import { choiceInputs, localPriorities, masterRecord } from '../../../suites/support/bmca_cases.ts'
import type { StateRead } from '../../../suites/support/grandmasters.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const g8275 = loadProfile('g8275-1')
const PRC = { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }

/** Read the reference DUT every 20 ms for `seconds`; the harness port's frames as a live recording holds them. */
function watch(profileId: string, o: { role: 'slave' | 'auto' | 'master'; faults: string[]; harness: Engine; seconds: number }) {
  const lab = refLab(profileId, { role: o.role, faults: o.faults, peers: { harness: o.harness } })
  const startedNs = lab.link.now
  const history: StateRead[] = []
  while (lab.link.now < startedNs + ms(o.seconds * 1000)) {
    const before = lab.link.now
    lab.link.run(lab.link.now + ms(20))
    history.push({ startNs: before, atNs: lab.link.now, state: lab.dut.dutState(Number(lab.link.now / 1_000_000n)) })
  }
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return { startedNs, endNs: lab.link.now, history, recorder }
}

function comparisons(faults: string[] = []): ComparisonCase[] {
  return comparisonCases(g8275).map((c) => {
    const cfgs = [gmConfig(g8275, 'gm-a', c.aIdentity, c.a), gmConfig(g8275, 'gm-b', c.bIdentity, c.b)]
    const masters = cfgs.map(masterRecord)
    const inputs = choiceInputs('g8275x', dutSettingsFor(g8275), DUT_IDENTITY, masters, localPriorities(g8275))
    const w = watch('g8275-1', { role: 'slave', faults, harness: new EngineGroup('masters', cfgs.map((x) => new TestMaster(x))), seconds: 3 })
    return { attribute: c.attribute, title: c.title, masters, inputs, lockTimeoutMs: 3000, ...w }
  })
}

function masterOnly(faults: string[] = []): MasterOnlyRun[] {
  return (['auto', 'master'] as const).map((role) => {
    const cfg = gmConfig(g8275, 'gm-prc', 3, { grandmasterClockQuality: PRC })
    return { role, gm: masterRecord(cfg), ...watch('g8275-1', { role, faults, harness: new TestMaster(cfg), seconds: 4 }) }
  })
}

const evidence = (data: AlternateBmcaData) => envelope('BMCA-06', g8275, data)
const judge = (data: AlternateBmcaData) => BMCA06.judge(evidence(data), g8275).checks

test.group('judge BMCA-06 G.8275.x alternate BMCA', () => {
  test('each comparison case makes the 1588 comparison pick the other grandmaster', ({ assert }) => {
    for (const c of comparisons()) {
      const telecom = predictChoice(c.inputs).grandmasterIdentity
      const ieee = predictChoice({ ...c.inputs, variant: 'default-1588' }).grandmasterIdentity
      assert.notEqual(telecom, ieee, c.title)
    }
  })

  test('the conformant reference DUT passes all three checks, also on stored evidence', ({ assert }) => {
    const data = { comparisons: comparisons(), masterOnly: masterOnly() }
    const checks = judge(data)
    assert.deepEqual(checks.map((c) => c.verdict), ['pass', 'pass', 'pass'], JSON.stringify(checks.map((c) => [c.name, c.measured])))
    assert.deepEqual(BMCA06.judge(roundTrip(evidence(data)), g8275).checks, checks)
  })

  test('fault telecom-bmca-as-1588: the 1588 comparison follows the other grandmaster in both comparison cases', ({ assert }) => {
    const checks = judge({ comparisons: comparisons(['telecom-bmca-as-1588']), masterOnly: masterOnly(['telecom-bmca-as-1588']) })
    assert.deepEqual(checks.map((c) => c.verdict), ['fail', 'fail', 'pass'])
    assert.include(String(checks[0]!.measured), 'never followed gm-b')
    assert.include(String(checks[1]!.measured), 'never followed gm-a')
  })

  test('fault master-only-follows: the masterOnly port follows (UNCALIBRATED/SLAVE) the clockClass-6 grandmaster and fails', ({ assert }) => {
    const c = judgeMasterOnly(masterOnly(['master-only-follows']))
    assert.equal(c.verdict, 'fail')
    assert.include(String(c.measured), 'gm-prc')
    assert.match(String(c.measured), /as (UNCALIBRATED|SLAVE)/)
  })

  test('fault: a masterOnly port that sends no Announce fails', ({ assert }) => {
    const runs = masterOnly()
    const silent = new Recorder()
    for (const f of runs[1]!.recorder.frames) if (f.direction !== 'in') silent.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    runs[1] = { ...runs[1]!, recorder: silent }
    const c = judgeMasterOnly(runs)
    assert.equal(c.verdict, 'fail')
    assert.equal(c.measured, 'no Announce from the DUT')
  })

  test('fault: a masterOnly port announcing another grandmaster fails, naming the frame', ({ assert }) => {
    const runs = masterOnly()
    const f = runs[1]!.recorder.frames.find((x) => x.direction === 'in' && x.message?.type === 'Announce')!
    if (f.message?.type === 'Announce') f.message.grandmasterIdentity = '020000.fffe.0000ee'
    const c = judgeMasterOnly(runs)
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, `frame #${f.index}`)
  })

  test('fault: a masterOnly port that announces itself but never reaches MASTER fails', ({ assert }) => {
    const runs = masterOnly()
    const own = runs[1]!.history.find((r) => r.state)!.state!.clockIdentity!
    runs[1] = { ...runs[1]!, history: runs[1]!.history.map((r) => ({ atNs: r.atNs, state: dutState('LISTENING', own) })) }
    const c = judgeMasterOnly(runs)
    assert.equal(c.verdict, 'fail')
    assert.include(String(c.measured), 'LISTENING')
  })

  test('a control that never follows the grandmaster leaves the masterOnly check inconclusive', ({ assert }) => {
    const runs = masterOnly()
    runs[0] = { ...runs[0]!, history: runs[0]!.history.map((r) => ({ atNs: r.atNs, state: dutState('LISTENING', DUT_IDENTITY) })) }
    const c = judgeMasterOnly(runs)
    assert.equal(c.verdict, 'inconclusive')
    assert.include(c.detail!, 'never followed')
  })

  test('unanswered reads of the masterOnly DUT are inconclusive; a DUT without the master role is inconclusive with why', ({ assert }) => {
    const runs = masterOnly()
    runs[1] = { ...runs[1]!, history: runs[1]!.history.map((r) => ({ atNs: r.atNs, error: 'management timeout' })) }
    assert.equal(judgeMasterOnly(runs).verdict, 'inconclusive')
    const skipped = judgeMasterOnly([], 'the DUT cannot be configured masterOnly (its roles: slave)')
    assert.equal(skipped.verdict, 'inconclusive')
    assert.include(skipped.detail!, 'roles: slave')
  })

  test('the overall verdict is fail when one case fails', ({ assert }) => {
    assert.equal(combineChecks(judge({ comparisons: comparisons(), masterOnly: masterOnly(['master-only-follows']) })), 'fail')
  })
})
