/**
 * The run diff: margins read back from the limits the judges write (with their units), verdict
 * changes classified, and a margin that shrank beyond its noise flagged while both runs pass.
 */
import { test } from '@japa/runner'
import { diffRuns, formatRunDiff, sinceBaseline } from '../../../harness/results/diff.ts'
import { boundOf, marginOf } from '../../../harness/results/margin.ts'
import type { TestResult } from '../../../harness/results/record.ts'
import type { Check } from '../../../harness/verdict/verdict.ts'

function result(id: string, verdict: TestResult['verdict'], checks: Check[], extra: Partial<TestResult> = {}): TestResult {
  return { id, title: `${id} title`, area: id.replace(/-.*/, ''), clause: '', mapsTo: [], tags: [], severity: 'normal', profile: 'default-e2e', verdict, reason: '', checks, measurements: {}, steps: [], startedAt: '', durationMs: 0, evidence: {}, ...extra }
}
const check = (name: string, measured: Check['measured'], limit: string, o: Partial<Check> = {}): Check => ({ name, measured, limit, source: 's', verdict: 'pass', ...o })

test.group('results / margins from the limits as written', () => {
  test('one-sided, two-sided and ± limits, with units converted to the measured one', ({ assert }) => {
    assert.deepEqual(boundOf('≤ 8 ms (one announce interval)', 'ns'), { hi: 8e6 })
    assert.deepEqual(boundOf('≥ 0.9 of 100 intervals in 0.7 s … 1.3 s', 'fraction'), { lo: 0.9 })
    assert.deepEqual(boundOf('3000 … 4000 ms (N = 3 to N + 1 intervals of 1000 ms)', 'ms'), { lo: 3000, hi: 4000 })
    assert.deepEqual(boundOf('700 ms … 1.3 s (nominal 1 s ± 30 %)', 'ns'), { lo: 7e8, hi: 1.3e9 })
    assert.deepEqual(boundOf('0 ± 24 µs (twice the harness time-error floor)', 'ns'), { lo: -24000, hi: 24000 })
    assert.deepEqual(boundOf('≤ 0.5 ppm', 'ppm'), { hi: 0.5 })
    assert.isUndefined(boundOf('≤ 2 ppm', 'ns'), 'a unit that does not convert is not a bound')
    assert.isUndefined(boundOf('0 of 12'))
    assert.isUndefined(boundOf('= 248'))
    assert.equal(marginOf(check('x', 3500, '3000 … 4000 ms', { unit: 'ms' })), 500)
    assert.equal(marginOf(check('x', 4100, '3000 … 4000 ms', { unit: 'ms' })), -100)
    assert.isUndefined(marginOf(check('x', 'never', '3000 … 4000 ms', { unit: 'ms' })))
  })
})

test.group('results / diff of two runs', () => {
  const timeout = (measured: number, verdict: Check['verdict'] = 'pass') => check('time to leave SLAVE', measured, '3000 … 4000 ms (N = 3)', { unit: 'ms', noise: 20, verdict })

  test('verdict changes: regressed, improved, changed, new, gone, same', ({ assert }) => {
    const a = [result('INT-03', 'pass', []), result('BMCA-02', 'fail', []), result('MF-06', 'pass', []), result('TE-02', 'not-applicable', []), result('MF-01', 'pass', [])]
    const b = [result('INT-03', 'fail', []), result('BMCA-02', 'pass', []), result('TE-02', 'inconclusive', []), result('BMCA-07', 'pass', []), result('MF-01', 'pass', [])]
    const d = diffRuns(a, b)
    const change = Object.fromEntries(d.tests.map((t) => [t.id, t.change]))
    assert.deepEqual(change, { 'BMCA-02': 'improved', 'BMCA-07': 'new', 'INT-03': 'regressed', 'MF-01': 'same', 'MF-06': 'gone', 'TE-02': 'changed' })
    assert.deepEqual(d.counts, { same: 1, regressed: 1, improved: 1, changed: 1, new: 1, gone: 1, marginsShrank: 0 })
  })

  test('a harness error in B is a regression of the run, not a DUT verdict', ({ assert }) => {
    const d = diffRuns([result('INT-03', 'pass', [])], [result('INT-03', 'inconclusive', [], { harnessError: 'port already driven' })])
    assert.equal(d.tests[0]!.b, 'harness-error')
    assert.equal(d.tests[0]!.change, 'regressed')
  })

  test('both pass, the margin shrank by more than the noise: flagged; by less: reported only when the value moved', ({ assert }) => {
    const shrank = diffRuns([result('INT-03', 'pass', [timeout(3500)])], [result('INT-03', 'pass', [timeout(3050)])])
    const c = shrank.tests[0]!.checks[0]!
    assert.deepEqual([c.marginA, c.marginB, c.noise, c.marginShrank], [500, 50, 20, true])
    assert.equal(shrank.counts.marginsShrank, 1)
    assert.match(formatRunDiff(shrank, { a: 'A', b: 'B' }), /! time to leave SLAVE: pass; 3500 ms → 3050 ms \(limit 3000 … 4000 ms \(N = 3\)\); margin 500 ms → 50 ms \(noise ±20 ms\); margin shrank beyond the noise/)
    const within = diffRuns([result('INT-03', 'pass', [timeout(3500)])], [result('INT-03', 'pass', [timeout(3490)])])
    assert.isFalse(within.tests[0]!.checks[0]!.marginShrank)
    assert.equal(within.counts.marginsShrank, 0)
    const same = diffRuns([result('INT-03', 'pass', [timeout(3500)])], [result('INT-03', 'pass', [timeout(3500)])])
    assert.lengthOf(same.tests[0]!.checks, 0)
  })

  test('a shrink beyond the noise but under a tenth of the margin is not flagged (a mean interval 0.2 ms nearer a 300 ms margin)', ({ assert }) => {
    const mean = (ns: number) => check('Announce mean interval', ns, '700.000000 ms … 1.300000000 s (nominal 1 s ± 30 %)', { unit: 'ns', noise: 4236 })
    const d = diffRuns([result('INT-01', 'pass', [mean(1_000_340_000)])], [result('INT-01', 'pass', [mean(1_000_470_000)])])
    assert.isFalse(d.tests[0]!.checks[0]!.marginShrank)
    assert.equal(d.counts.marginsShrank, 0)
  })

  test('a check without a noise figure reports its margin change but is not flagged', ({ assert }) => {
    const frac = (v: number) => check('intervals within ±30 %', v, '≥ 0.9 of 100 intervals in 0.7 s … 1.3 s', { unit: 'fraction' })
    const d = diffRuns([result('INT-01', 'pass', [frac(1)])], [result('INT-01', 'pass', [frac(0.91)])])
    const c = d.tests[0]!.checks[0]!
    assert.closeTo(c.marginB!, 0.01, 1e-9)
    assert.isFalse(c.marginShrank)
  })

  test('the text lists regressions first and ends with the counts', ({ assert }) => {
    const d = diffRuns([result('INT-03', 'pass', [timeout(3500)]), result('BMCA-02', 'fail', [])], [result('INT-03', 'fail', [timeout(4200, 'fail')]), result('BMCA-02', 'pass', [])])
    const text = formatRunDiff(d, { a: 'ptp4l', b: 'ptpd' })
    assert.isBelow(text.indexOf('REGRESSED'), text.indexOf('IMPROVED'))
    assert.match(text, /REGRESSED default-e2e INT-03 INT-03 title: pass → fail/)
    assert.match(text, /time to leave SLAVE: pass → fail; 3500 ms → 4200 ms/)
    assert.match(text, /2 tests: 1 regressed, 1 improved, 0 changed, 0 new, 0 gone, 0 unchanged; 1 margin\(s\) shrank beyond the noise$/)
  })

  test('one record against its baseline: what it was, the change, the checks that moved', ({ assert }) => {
    const now = result('INT-03', 'fail', [timeout(4200, 'fail')])
    const sb = sinceBaseline('ci/baseline', [result('INT-03', 'pass', [timeout(3500)]), result('MF-01', 'pass', [])], now)
    assert.deepEqual({ ...sb, checks: sb.checks.map((c) => [c.name, c.verdictA, c.verdictB, c.marginA, c.marginB, c.marginShrank]) }, {
      baseline: 'ci/baseline',
      was: 'pass',
      change: 'regressed',
      checks: [['time to leave SLAVE', 'pass', 'fail', 500, -200, true]],
    })
    assert.equal(sinceBaseline('ci/baseline', [], now).change, 'new')
  })
})
