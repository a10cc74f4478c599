/**
 * ROB-06's judge on the reference DUT run sans-IO with the acquisition's phases (lock to A, 64
 * worse masters announce, then a better control): the conformant clock keeps A and passes;
 * foreign-table-evicts-parent (a 5-record table, as ptpd keeps) loses A to the flood and fails;
 * a DUT that stops answering is inconclusive, one that ignores the control fails, and a flood
 * too thin to fill the table is inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import ROB06, { type FloodEvidence } from '../../../suites/rob/rob-06-announce-flood.ts'
import { masterRecord } from '../../../suites/support/bmca_cases.ts'
import type { StateRead } from '../../../suites/support/grandmasters.ts'
import { gmConfig, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { refdutWithMasters, simulatedReads } from '../../support/evidence/unusable.ts'
import { envelope } from '../../support/evidence/simulate.ts'

function simulate(profile: Profile, o: { faults?: string[]; masters?: number } = {}) {
  const silent = { sendAnnounce: false, sendSync: false }
  const cfgA = gmConfig(profile, 'gm-a', 1)
  const a = masterRecord(cfgA)
  const cfgCtl = gmConfig(profile, 'control', 2, { grandmasterPriority2: a.priority2 - 10 }, silent)
  const floodCfgs = Array.from({ length: o.masters ?? 64 }, (_, i) => gmConfig(profile, `flood-${i}`, 16 + i, { grandmasterPriority2: a.priority2 + 1 }, silent))
  const { dut, link, ctl, harnessRecording } = refdutWithMasters(profile, [cfgA, cfgCtl, ...floodCfgs], o.faults ? { faults: o.faults } : {})
  const T = logIntervalToNs(cfgA.logAnnounceInterval)
  const { watch } = simulatedReads(link, dut)
  const slaveOf = (id: string) => (r: StateRead) => r.state?.grandmasterIdentity === id && r.state.ports.some((p) => p.portState === 'SLAVE')
  const lockHistory = watch(20n * T, slaveOf(cfgA.clockIdentity))
  const floodAtNs = link.now
  for (const c of floodCfgs) ctl(c.name, (gm, now) => gm.resume(now, { announce: true, sync: false, answers: false }))
  const floodHistory = watch(BigInt(profile.bmca.foreignMasterTimeWindow.value + 8) * T)
  for (const c of floodCfgs) ctl(c.name, (gm) => gm.silence({ announce: true, sync: true, answers: true }))
  const floodEndNs = link.now
  const controlAtNs = link.now
  ctl('control', (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
  const controlHistory = watch(20n * T, slaveOf(cfgCtl.clockIdentity))
  const recorder = harnessRecording()
  const data: FloodEvidence = {
    a, control: masterRecord(cfgCtl), flood: { count: floodCfgs.length, first: floodCfgs[0]?.clockIdentity ?? '', last: floodCfgs.at(-1)?.clockIdentity ?? '', priority2: a.priority2 + 1 },
    startedNs: START_NS, lockHistory, floodAtNs, floodHistory, floodEndNs, controlAtNs, controlHistory, endNs: link.now, recorder,
  }
  return envelope('ROB-06', profile, data)
}

const e2e = loadProfile('default-e2e')
const judge = (e: ReturnType<typeof simulate>, p = e2e) => ROB06.judge(e, p).checks

test.group('judge ROB-06 Announce flood', () => {
  test('the conformant reference DUT keeps its grandmaster through the flood and takes the control (E2E, gPTP); also stored', ({ assert }) => {
    for (const id of ['default-e2e', 'gptp']) {
      const p = loadProfile(id)
      const e = simulate(p)
      const c = judge(e, p)
      assert.equal(combineChecks(c), 'pass', `${id}: ${JSON.stringify(c.map((x) => [x.name, x.verdict, x.detail]))}`)
      assert.lengthOf(c, 3)
      if (id === 'default-e2e') assert.deepEqual(ROB06.judge(roundTrip(e), p).checks, c)
    }
  })

  test('not applicable where unicast negotiation is required', ({ assert }) => {
    assert.include(String(ROB06.appliesTo(loadProfile('g8275-2'))), 'unicast-only')
  })

  test('fault foreign-table-evicts-parent: the flood evicts the grandmaster\'s record and the DUT leaves it; fails naming the read', ({ assert }) => {
    const c = judge(simulate(e2e, { faults: ['foreign-table-evicts-parent'] }))
    assert.equal(c[1]!.verdict, 'fail')
    assert.match(String(c[1]!.measured), /then left it at \+[\d.]+ s for /)
  })

  test('a DUT that never follows grandmaster A fails at once, naming whom it followed', ({ assert }) => {
    const e = simulate(e2e)
    e.data.lockHistory = e.data.lockHistory.map((r) => ({ ...r, state: { ...r.state!, grandmasterIdentity: r.state!.clockIdentity, ports: [{ portNumber: 1, portState: 'LISTENING' as const }] } }))
    const c = judge(e)
    assert.lengthOf(c, 1)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(String(c[0]!.measured), 'never followed gm-a')
  })

  test('a DUT that stops answering during the flood is inconclusive (a switch could go unseen)', ({ assert }) => {
    const e = simulate(e2e)
    e.data.floodHistory = e.data.floodHistory.map((r, i) => (i > 3 ? { atNs: r.atNs, error: 'pmc: no answer within 1000 ms' } : r))
    assert.equal(judge(e)[1]!.verdict, 'inconclusive')
  })

  test('a DUT that no longer takes a better master after the flood fails the control', ({ assert }) => {
    const e = simulate(e2e)
    e.data.controlHistory = e.data.controlHistory.map((r) => ({ ...r, state: { ...r.state!, grandmasterIdentity: e.data.a.clockIdentity } }))
    const c = judge(e)
    assert.equal(c[2]!.verdict, 'fail')
  })

  test('a flood too thin to qualify every master is inconclusive, with the count', ({ assert }) => {
    const e = simulate(e2e)
    e.data.flood = { ...e.data.flood, count: 500 }
    const c = judge(e)
    assert.equal(c[1]!.verdict, 'inconclusive')
    assert.include(c[1]!.detail!, `fewer than the ${500 * e2e.bmca.foreignMasterThreshold.value} that qualify all 500`)
  })
})
