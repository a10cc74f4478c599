/**
 * ROB-07's judge on a simulated link: fleets of emulated slaves ask a simulated DUT grandmaster
 * and the figures per step come from the recording. A conformant master answers every request
 * correctly and passes; answers with sequenceId + 1 (the reference DUT's delay-resp-wrong-sequence,
 * proven live by selftest) name requests never sent and fail at every load; a DUT dropping 30 %
 * of its answers fails where it states a capacity above the load and is only reported where it
 * states none; a step the harness could not offer (half its requests missing) is inconclusive.
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import type { Engine } from '../../../harness/engines/actions.ts'
import { testSlaveConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { createSlaveFleet } from '../../../harness/engines/slave_fleet.ts'
import { emulatedClockIdentity } from '../../../harness/engines/clock_identities.ts'
import { configuredIntervals } from '../../../harness/dut/settings.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import ROB07, { type LoadEvidence, stepFigures } from '../../../suites/rob/rob-07-delay-request-load.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'
import { ms, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutMasterEngine, dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const FAMILY = 0x02_5e_07

/** The DUT master (a TestMaster, as the passive tests' simulated DUT); `wrongSequence`: its Delay_Resp name sequenceId + 1, as the reference DUT's fault. */
const dutMaster = (o: { wrongSequence?: boolean; dropPct?: number } = {}): Engine =>
  dutMasterEngine(e2e, {}, {
    mutations: [
      ...(o.wrongSequence ? [{ messageTypes: ['Delay_Resp'] as const, mutation: { kind: 'sequenceId' as const, delta: 1 } }] : []),
      ...(o.dropPct ? [{ messageTypes: ['Delay_Resp'] as const, select: { kind: 'probability' as const, p: o.dropPct / 100 }, mutation: { kind: 'skip' as const } }] : []),
    ],
  })

function simulate(o: { dut?: () => Engine; slaves?: number[]; capacity?: number } = {}) {
  const settings = dutSettingsFor(e2e)
  const dutOptions = o.capacity !== undefined ? { delayRequestCapacity: o.capacity } : undefined
  const data: LoadEvidence = { identityFamily: FAMILY, steps: [], recordings: [] }
  let t0 = START_NS
  for (const n of o.slaves ?? [1, 10, 40]) {
    const dut = (o.dut ?? dutMaster)()
    const shared = testSlaveConfigFromProfile(e2e, { name: 'load', clockIdentity: emulatedClockIdentity(0, FAMILY), intervals: configuredIntervals(settings) }, { delayMechanism: 'E2E', maxSamples: 16 })
    const { name: _n, clockIdentity: _c, ...slave } = shared
    const fleet = createSlaveFleet({ name: `load-${n}`, count: n, identityFamily: FAMILY, slave, seed: n })
    const link = new SimulatedLink({ startNs: t0 })
    link.add('dut', dut)
    link.add('harness', fleet)
    link.start()
    link.run(t0 + ms(10_000))
    const recorder = new Recorder()
    for (const f of link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    data.steps.push({ slaves: n, offeredPerSecond: n * (1e9 / Number(logIntervalToNs(settings.intervals.delayReq.value))), fromNs: t0, toNs: link.now })
    data.recordings.push(recorder)
    t0 = link.now + ms(1000)
  }
  return envelope('ROB-07', e2e, data, dutOptions ? { dutOptions } : {})
}

const checks = (e: ReturnType<typeof simulate>) => ROB07.judge(e, e2e).checks

test.group('judge ROB-07 Delay_Req load', () => {
  test('a conformant DUT master answers every request correctly: pass, with the curve; also on stored evidence', ({ assert }) => {
    const e = simulate({ capacity: 100 })
    const c = checks(e)
    assert.equal(combineChecks(c), 'pass', JSON.stringify(c.map((x) => [x.name, x.verdict, x.detail])))
    assert.lengthOf(c, 6)
    const f = stepFigures(e.data.steps[2]!, e.data.recordings[2]!, FAMILY)
    assert.isAbove(f.sent, 150)
    assert.equal(f.answered, f.judged)
    assert.deepEqual(ROB07.judge(roundTrip(e), e2e).checks, c)
  })

  test('no stated capacity: the curve is reported and the capacity checks are not applicable, saying how to state one', ({ assert }) => {
    const c = checks(simulate())
    assert.equal(combineChecks(c), 'pass')
    assert.equal(c[1]!.verdict, 'pass', 'one slave at the configured interval is judged whatever the capacity')
    assert.include(c[3]!.detail!, '--dut-option delayRequestCapacity=N')
    assert.equal(c[3]!.verdict, 'not-applicable')
  })

  test('fault delay-resp-wrong-sequence (answers with sequenceId + 1): they name requests never sent, a fail at every load', ({ assert }) => {
    const c = checks(simulate({ dut: () => dutMaster({ wrongSequence: true }) }))
    const stray = c.filter((x) => x.name.includes('names a request that was sent'))
    assert.deepEqual(stray.map((x) => x.verdict), ['fail', 'fail', 'fail'])
    assert.isAbove(stray[2]!.measured as number, 10)
  })

  test('a DUT dropping 30 % of its answers fails within its stated capacity; without one only the configured-rate step is judged, the rest reported with the knee', ({ assert }) => {
    const dropping = () => dutMaster({ dropPct: 30 })
    const c = checks(simulate({ dut: dropping, capacity: 1000 }))
    assert.equal(c.find((x) => x.name.startsWith('40 slaves: every request'))!.verdict, 'fail')
    const none = simulate({ dut: dropping })
    const n = checks(none)
    assert.equal(n.find((x) => x.name.startsWith('40 slaves: every request'))!.verdict, 'not-applicable')
    assert.equal(n.find((x) => x.name.startsWith('1 slaves: every request'))!.verdict, 'fail')
    assert.match(String(ROB07.judge(none, e2e).measurements!.knee), /% answered/)
  })

  test('a load beyond the stated capacity is not applicable for the capacity check', ({ assert }) => {
    const c = checks(simulate({ capacity: 5 }))
    assert.equal(c.find((x) => x.name.startsWith('40 slaves: every request'))!.verdict, 'not-applicable')
    assert.equal(c.find((x) => x.name.startsWith('1 slaves: every request'))!.verdict, 'pass')
  })

  test('a step the harness could not offer (half its requests missing) is inconclusive, not the DUT\'s failure', ({ assert }) => {
    const e = simulate({ capacity: 1000 })
    const rec = e.data.recordings[2]!
    const kept = new Recorder()
    let i = 0
    for (const f of rec.frames) if (!(f.direction === 'out' && f.message?.type === 'Delay_Req' && i++ % 2 === 0)) kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    e.data.recordings[2] = kept
    const c = checks(e).find((x) => x.name.startsWith('40 slaves: every request'))!
    assert.equal(c.verdict, 'inconclusive')
    assert.include(c.detail!, 'the harness sent')
  })

  test('a step whose requests are all younger than a second, or a fleet that sent nothing while the DUT sent Sync, is inconclusive', ({ assert }) => {
    const e = simulate({ capacity: 1000 })
    const step = e.data.steps[1]!
    e.data.steps[1] = { ...step, toNs: step.fromNs + 1n }
    const young = checks(e).find((x) => x.name.startsWith('10 slaves: every request'))!
    assert.equal(young.verdict, 'inconclusive')
    assert.include(young.detail!, 'nothing to judge')
    const syncsOnly = new Recorder()
    for (const f of e.data.recordings[0]!.frames) if (f.message?.type === 'Sync') syncsOnly.record({ ...f, findings: f.findings, message: f.message })
    e.data.recordings[0] = syncsOnly
    const none = checks(e).find((x) => x.name.startsWith('1 slaves: every Delay_Resp'))!
    assert.equal(none.verdict, 'inconclusive')
    assert.include(none.detail!, 'the fleet sent no Delay_Req')
  })

  test('a DUT that leaves requests from one slave at its configured interval unanswered fails, with no capacity stated', ({ assert }) => {
    const c = checks(simulate({ dut: () => dutMaster({ dropPct: 30 }) }))
    const first = c.find((x) => x.name.startsWith('1 slaves: every request answered'))!
    assert.equal(first.verdict, 'fail')
    assert.match(String(first.measured), /^\d+\/\d+$/)
  })

  test('a DUT grandmaster that sends no Sync fails, with the counts (nothing for the fleet to follow)', ({ assert }) => {
    const c = checks(simulate({ dut: () => dutMasterEngine(e2e, {}, { sendSync: false }) }))
    const stray = c.filter((x) => x.name.includes('names a request that was sent'))
    assert.deepEqual(stray.map((x) => x.verdict), ['fail', 'fail', 'fail'])
    assert.include(stray[0]!.detail!, 'sent at most one Sync')
  })

  test('steps beyond the harness budget are listed as not run, with the figure', ({ assert }) => {
    const e = simulate({ slaves: [1] })
    e.data.steps.push({ slaves: 100000, offeredPerSecond: 100000, fromNs: 0n, toNs: 0n, skipped: "100000 Delay_Req/s is beyond the harness's budget of 2000/s (params.maxOfferedPerSecond)" })
    const c = checks(e)
    assert.equal(c.at(-1)!.verdict, 'not-applicable')
    assert.include(c.at(-1)!.detail!, 'budget')
  })
})
