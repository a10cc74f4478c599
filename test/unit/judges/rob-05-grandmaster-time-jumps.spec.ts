/**
 * ROB-05's judge on the reference DUT run sans-IO with the acquisition's phases: the conformant
 * clock recovers from a one-off 1 s timestamp jump and follows ±1 s steps, and passes;
 * ignores-time-steps keeps its old offset after a step and fails; a DUT that keeps the jumped
 * time and one that leaves SLAVE are judged from the same evidence changed as such a DUT would.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import ROB05, { timeCases } from '../../../suites/rob/rob-05-grandmaster-time-jumps.ts'
import { dutState } from '../../support/evidence/dut_slave.ts'
import { faultyStreamEvidence } from '../../support/evidence/faulty_stream.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import type { OffsetReport } from '../../../suites/support/offset_reports.ts'

const e2e = loadProfile('default-e2e')
const evidence = (faults: string[] = [], p = e2e) => faultyStreamEvidence('ROB-05', p, timeCases(p), { faults })
const checks = (e: ReturnType<typeof evidence>, p = e2e) => ROB05.judge(e, p).checks

test.group('judge ROB-05 time jumps from the grandmaster', () => {
  test('the jump goes into a Follow_Up, or into a Sync where two-step is forbidden', ({ assert }) => {
    assert.deepEqual(timeCases(e2e)[0]!.mutations[0]!.messageTypes, ['Follow_Up'])
    const oneStep = { ...e2e, steps: { ...e2e.steps, twoStep: 'forbidden' as const } }
    assert.deepEqual(timeCases(oneStep)[0]!.mutations[0]!.messageTypes, ['Sync'])
  })

  test('the conformant reference DUT passes (default E2E, gPTP, G.8275.1), also on stored evidence', ({ assert }) => {
    for (const id of ['default-e2e', 'gptp', 'g8275-1']) {
      const p = loadProfile(id)
      const e = evidence([], p)
      const c = checks(e, p)
      assert.equal(combineChecks(c), 'pass', `${id}: ${JSON.stringify(c.filter((x) => x.verdict !== 'pass').map((x) => [x.name, x.detail]))}`)
      assert.lengthOf(c, 7)
      if (id === 'default-e2e') assert.deepEqual(ROB05.judge(roundTrip(e), p).checks, c)
    }
  })

  test('fault ignores-time-steps: the DUT keeps its old offset after the 1 s step and fails by it', ({ assert }) => {
    const c = checks(evidence(['ignores-time-steps']))
    const step = c.find((x) => x.name.startsWith('step-forward') && x.name.includes('change of the median'))!
    assert.equal(step.verdict, 'fail')
    assert.approximately(step.measured as number, 1e9, 1e6)
  })

  test('fault: a DUT that keeps the jumped time after the outlier fails, naming the reports', ({ assert }) => {
    const e = evidence()
    const k = e.data.cases[0]!
    k.after = k.after.map((r: OffsetReport) => ({ ...r, reportedNs: r.reportedNs + 1_000_000_000n }))
    const c = checks(e).filter((x) => x.name.startsWith('one-timestamp-back'))
    assert.deepEqual(c.map((x) => x.verdict), ['pass', 'fail', 'fail'])
    assert.include(c[2]!.detail!, 'kept the jumped time')
  })

  test('fault: a DUT that leaves SLAVE on the step back fails, naming the read', ({ assert }) => {
    const e = evidence()
    const k = e.data.cases[2]!
    k.reads[4] = { atNs: k.reads[4]!.atNs, state: dutState('FAULTY') }
    const c = checks(e).find((x) => x.name.startsWith('step-back: the DUT stays'))!
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, 'FAULTY')
  })

  test('a DUT that reports its offset fewer than 5 times in a phase fails, with the counts', ({ assert }) => {
    const e = evidence()
    e.data.cases[1]!.reports = e.data.cases[1]!.reports.slice(0, 2)
    const c = checks(e).find((k) => k.name.startsWith('step-forward') && k.name.includes('change of the median'))!
    assert.equal(c.verdict, 'fail')
    assert.include(c.detail!, '2 after the change')
  })

  test('noisy: reports scattered by ±0.6 s cannot tell a 1 s step apart (inconclusive)', ({ assert }) => {
    const e = evidence()
    let x = 5
    const scatter = (r: OffsetReport) => ((x = (x * 1103515245 + 12345) % 2 ** 31), { ...r, reportedNs: r.reportedNs + BigInt(Math.round((x / 2 ** 31 - 0.5) * 1.2e9)) })
    e.data.control = e.data.control.map(scatter)
    e.data.cases[1]!.reports = e.data.cases[1]!.reports.map(scatter)
    const c = checks(e).find((k) => k.name.startsWith('step-forward') && k.name.includes('change of the median'))!
    assert.equal(c.verdict, 'inconclusive')
  })
})
