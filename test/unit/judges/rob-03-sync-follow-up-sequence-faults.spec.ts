/**
 * ROB-03's judge on the reference DUT run sans-IO with the acquisition's phases: the conformant
 * clock pairs by sequenceId, ignores the intruder and follows each 1 ms step, and passes;
 * pairs-follow-up-with-latest-sync is off by a Sync interval every other Sync and fails;
 * ignores-time-steps style staleness, an intruder's Sync used, a departure from SLAVE, and
 * reports too noisy to tell are judged from the same evidence changed as such a DUT would.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import ROB03, { sequenceCases } from '../../../suites/rob/rob-03-sync-follow-up-sequence-faults.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { faultyStreamEvidence } from '../../support/evidence/faulty_stream.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutSettingsFor } from '../../support/evidence/simulate.ts'
import { misusedReportsCheck, type OffsetReport } from '../../../suites/support/offset_reports.ts'

const gptp = loadProfile('gptp')
const cases = (p = gptp) => sequenceCases(p, dutSettingsFor(p).intervals.sync.value)
const evidence = (faults: string[] = [], p = gptp) => faultyStreamEvidence('ROB-03', p, cases(p), { faults })
const checks = (e: ReturnType<typeof evidence>, p = gptp) => ROB03.judge(e, p).checks
const named = (c: ReturnType<typeof checks>, prefix: string) => c.filter((x) => x.name.startsWith(prefix))

test.group('judge ROB-03 Sync/Follow_Up sequence faults', () => {
  test('the conformant reference DUT passes every case (gPTP, default E2E, power), also on stored evidence', ({ assert }) => {
    for (const id of ['gptp', 'default-e2e', 'power-2017']) {
      const p = loadProfile(id)
      const e = evidence([], p)
      const c = checks(e, p)
      assert.equal(combineChecks(c), 'pass', `${id}: ${JSON.stringify(c.filter((x) => x.verdict !== 'pass').map((x) => [x.name, x.detail]))}`)
      assert.lengthOf(e.data.cases, p.timeouts.syncReceiptTimeout ? 6 : 7)
      if (id === 'gptp') assert.deepEqual(ROB03.judge(roundTrip(e), p).checks, c)
    }
  })

  test('fault pairs-follow-up-with-latest-sync: an orphan Follow_Up paired with the Sync before it fails by a Sync interval', ({ assert }) => {
    const e = evidence(['pairs-follow-up-with-latest-sync'])
    const c = named(checks(e), 'follow-up-without-sync')
    const misused = c.find((x) => x.name.includes('reports off by'))!
    assert.equal(misused.verdict, 'fail')
    assert.include(misused.detail!, 'pairs a Follow_Up with another Sync')
    assert.equal(combineChecks(checks(e)), 'fail')
  })

  test('fault: a DUT that stops using the stream after a sequenceId jump keeps its old offset and fails by the 1 ms step', ({ assert }) => {
    const e = evidence()
    const jump = e.data.cases.find((x) => x.key === 'sequence-jump')!
    jump.reports = jump.reports.map((r: OffsetReport) => ({ ...r, reportedNs: r.reportedNs + 1_000_000n }))
    const c = named(checks(e), 'sequence-jump').find((x) => x.name.includes('change of the median'))!
    assert.equal(c.verdict, 'fail')
    assert.approximately(c.measured as number, 1_000_000, 10_000)
  })

  test('a DUT still settling after the step (errors decaying from 300 µs, as ptpd 2.3.1\'s did through its delay filter) passes, saying it moved', ({ assert }) => {
    const e = evidence()
    const x = e.data.cases.find((k) => k.key === 'intruder-sync')!
    x.reports = x.reports.map((r: OffsetReport, i: number) => ({ ...r, reportedNs: r.reportedNs - BigInt(Math.round(300_000 * Math.exp(-i / 6))) }))
    const c = named(checks(e), 'intruder-sync').find((k) => k.name.includes('change of the median'))!
    assert.equal(c.verdict, 'pass')
    assert.include(c.detail!, 'settling')
  })

  test("fault: a DUT that takes the intruder's Sync is off by its 10 ms and fails", ({ assert }) => {
    const e = evidence()
    const x = e.data.cases.find((k) => k.key === 'intruder-sync')!
    x.reports = x.reports.map((r: OffsetReport, i: number) => (i % 2 ? { ...r, reportedNs: r.reportedNs - 10_000_000n } : r))
    const c = named(checks(e), 'intruder-sync').find((k) => k.name.includes('reports off by'))!
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, "takes Sync from a port other than its parent")
  })

  test('random Follow_Up drops run only where no sync receipt timeout counts missing pairs (under 802.1AS leaving SLAVE after 3 would be right)', ({ assert }) => {
    assert.notInclude(cases(gptp).map((c) => c.key), 'follow-up-drop-50')
    assert.include(cases(loadProfile('default-e2e')).map((c) => c.key), 'follow-up-drop-50')
  })

  test('fault: a DUT that leaves SLAVE when half the Follow_Ups are dropped fails, naming the read', ({ assert }) => {
    const p = loadProfile('default-e2e')
    const e = evidence([], p)
    const drop = e.data.cases.find((k) => k.key === 'follow-up-drop-50')!
    drop.reads[3] = { atNs: drop.reads[3]!.atNs, state: dutState('LISTENING') }
    const c = named(checks(e, p), 'follow-up-drop-50')[0]!
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, 'LISTENING')
  })

  test('noisy: reports scattered by ±1 ms cannot tell a 1 ms step apart (inconclusive with the numbers)', ({ assert }) => {
    const e = evidence()
    let x = 11
    const scatter = (r: OffsetReport) => ((x = (x * 1103515245 + 12345) % 2 ** 31), { ...r, reportedNs: r.reportedNs + BigInt(Math.round((x / 2 ** 31 - 0.5) * 4e6)) })
    e.data.control = e.data.control.map(scatter)
    for (const k of e.data.cases) k.reports = k.reports.map(scatter)
    const c = named(checks(e), 'sequence-jump').find((k) => k.name.includes('change of the median'))!
    assert.equal(c.verdict, 'inconclusive')
    assert.include(c.detail!, 'cannot tell')
  })

  test('single reports: no reports fails with the counts; half the misuse error within the noise cannot tell (inconclusive)', ({ assert }) => {
    const e = evidence()
    const k = e.data.cases.find((y) => y.key === 'duplicated-follow-up')!
    const misuse = k.misuse!
    const none = misusedReportsCheck('x', e.data.control, [], misuse, 0n)
    assert.equal(none.verdict, 'fail')
    assert.include(none.detail!, '0 times in this one')
    const noisy = misusedReportsCheck('x', e.data.control, k.reports, misuse, misuse.errorNs / 2n)
    assert.equal(noisy.verdict, 'inconclusive')
    assert.include(noisy.detail!, 'cannot tell')
  })

  test('one report off alone is inconclusive (a stalled timestamp), two fail', ({ assert }) => {
    const e = evidence()
    const k = e.data.cases.find((y) => y.key === 'duplicated-follow-up')!
    const T = logIntervalToNs(dutSettingsFor(gptp).intervals.sync.value)
    k.reports[4] = { ...k.reports[4]!, reportedNs: k.reports[4]!.reportedNs + T }
    assert.equal(named(checks(e), 'duplicated-follow-up').find((y) => y.name.includes('reports off by'))!.verdict, 'inconclusive')
    k.reports[7] = { ...k.reports[7]!, reportedNs: k.reports[7]!.reportedNs + T }
    assert.equal(named(checks(e), 'duplicated-follow-up').find((y) => y.name.includes('reports off by'))!.verdict, 'fail')
  })
})
