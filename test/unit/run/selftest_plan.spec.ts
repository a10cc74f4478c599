/** The selftest plan: a fault-free baseline of every applicable test, then each fault with the applicable tests it targets. */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Fault } from '../../../harness/refdut/faults.ts'
import { matches, matrixText, planSelftest } from '../../../harness/run/selftest_plan.ts'
import INT01 from '../../../suites/int/int-01-message-rates.ts'
import { FAULTS } from '../../../harness/refdut/faults.ts'
import { allDefinitions } from '../../../harness/run/suite_files.ts'

const e2e = loadProfile('default-e2e')
const P2P_ONLY = { ...INT01, id: 'P2P-01' }
const fault = (id: string, targets: string[], appliesTo?: Fault['appliesTo']): Fault => ({ id, title: id, targets, apply: (c) => c, ...(appliesTo ? { appliesTo } : {}) })

test.group('selftest plan', () => {
  test('baseline expects pass; each fault expects fail on the targets that apply; the rest are skipped with why', ({ assert }) => {
    const plan = planSelftest(e2e, [INT01, P2P_ONLY], [fault('sync-rate-double', ['INT-01']), fault('pdelay-turnaround', ['P2P-01']), fault('gptp-only', ['INT-01'], () => 'gPTP only')])
    assert.deepEqual(plan.cases.map((c) => [c.fault?.id ?? 'none', c.tests, c.expect]), [
      ['none', ['INT-01'], 'pass'],
      ['sync-rate-double', ['INT-01'], 'fail'],
    ])
    assert.deepEqual(plan.skipped.map((s) => s.fault), ['pdelay-turnaround', 'gptp-only'])
    assert.match(plan.skipped[0]!.why, /P2P-01/)
  })

  test('the catalogue under each profile: what cannot be shown is left out with its reason, never expected', async ({ assert }) => {
    const defs = (await allDefinitions()).map((d) => d.def)
    const power = planSelftest(loadProfile('power-2011'), defs, FAULTS)
    assert.notInclude(power.cases[0]!.tests, 'TE-02')
    assert.match(power.baselineSkipped.find((s) => s.test === 'TE-02')!.why, /gmTimeInaccuracy, \d+ ns\) is below what the reference DUT's software clock keeps/)
    assert.isDefined(power.cases.find((c) => c.fault?.id === 'time-error-50ms' && c.tests.includes('TE-02')), 'TE-02 still proven by its fault')
    const gptp = planSelftest(loadProfile('gptp'), defs, FAULTS)
    assert.notInclude(gptp.cases[0]!.tests, 'BMCA-03')
    assert.deepEqual(gptp.cases.find((c) => c.fault?.id === 'announce-timeout-early')!.tests, ['INT-03'])
    assert.match(gptp.skipped.find((s) => s.fault === 'announce-to-pdelay-address')!.why, /peer-delay address is its primary one/)
    const p2p = planSelftest(loadProfile('default-p2p'), defs, FAULTS)
    assert.includeMembers(p2p.cases[0]!.tests, ['BMCA-03', 'P2P-01'])
    assert.deepEqual(p2p.cases.find((c) => c.fault?.id === 'announce-timeout-early')!.tests, ['INT-03', 'BMCA-03'])
    assert.isDefined(p2p.cases.find((c) => c.fault?.id === 'announce-to-pdelay-address'))
    assert.lengthOf(p2p.baselineSkipped, 0)
  })

  test('the matrix marks a mismatch and counts it; inconclusive is never the expected verdict', ({ assert }) => {
    const cells = [
      { fault: 'none', test: 'INT-01', expected: 'pass' as const, got: 'pass' as const, reason: '' },
      { fault: 'sync-rate-double', test: 'INT-01', expected: 'fail' as const, got: 'inconclusive' as const, reason: 'noise' },
    ]
    assert.isFalse(matches(cells[1]!))
    const text = matrixText('default-e2e', cells)
    assert.include(text, '✗ sync-rate-double')
    assert.include(text, '2 cells (2 DUT variants × 1 tests), 1 mismatches')
  })
})
