/**
 * Verdict stability over repeated runs: agreement per test (a flip is counted), and each
 * measured value's spread next to the median noise the runs claimed for it.
 */
import { test } from '@japa/runner'
import { formatStability, stabilityOf } from '../../../harness/results/stability.ts'
import type { TestResult } from '../../../harness/results/record.ts'

const r = (id: string, verdict: TestResult['verdict'], measured?: number, noise?: number): TestResult => ({
  id, title: id, area: 'INT', clause: '', mapsTo: [], tags: [], severity: 'normal', profile: 'default-e2e', verdict, reason: '',
  checks: measured === undefined ? [] : [{ name: 'leave time', measured, unit: 'ms', limit: '3000 … 4000 ms', source: 's', verdict, ...(noise !== undefined ? { noise } : {}) }],
  measurements: {}, steps: [], startedAt: '', durationMs: 0, evidence: {},
})

test.group('results / stability over repeated runs', () => {
  test('agreement per test and overall; spread and claimed noise per measured value', ({ assert }) => {
    const s = stabilityOf([
      [r('INT-03', 'pass', 3050, 10), r('MF-01', 'pass')],
      [r('INT-03', 'pass', 3900, 12), r('MF-01', 'pass')],
      [r('INT-03', 'inconclusive', 4001, 14), r('MF-01', 'pass')],
    ])
    const int03 = s.tests.find((t) => t.id === 'INT-03')!
    assert.deepEqual(int03.verdicts, { pass: 2, inconclusive: 1 })
    assert.equal(int03.modal, 'pass')
    assert.closeTo(int03.agreement, 2 / 3, 1e-9)
    assert.deepEqual(int03.checks[0], { name: 'leave time', unit: 'ms', n: 3, min: 3050, median: 3900, max: 4001, spread: 951, noiseMedian: 12 })
    assert.equal(s.agreement, 0.5)
    const text = formatStability(s)
    assert.match(text, /^3 runs; 50\.0 % of the tests gave the same verdict in every run/)
    assert.match(text, /INT-03 +UNSTABLE pass 2, inconclusive 1\n {4}leave time: median 3900 ms, 3050 … 4001 \(spread 951 ms; claimed noise ±12 ms, n 3\)/)
  })
})
