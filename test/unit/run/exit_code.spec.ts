/** The exit code a CI gate reads: fail is 1; inconclusive is 1 only when asked (`--fail-on inconclusive`). */
import { test } from '@japa/runner'
import { exitCodeFor } from '../../../harness/run/runner.ts'
import { parseRunOptions } from '../../../harness/run/options.ts'
import type { TestResult } from '../../../harness/results/record.ts'

const result = (verdict: TestResult['verdict'], harnessError?: string) => ({ id: 'X', verdict, ...(harnessError ? { harnessError } : {}) }) as TestResult

test.group('run / exit code', () => {
  test('all pass or not applicable → 0; any fail → 1; a harness error → 3; interrupted → 130', ({ assert }) => {
    assert.equal(exitCodeFor([result('pass'), result('not-applicable')], false), 0)
    assert.equal(exitCodeFor([result('pass'), result('fail')], false), 1)
    assert.equal(exitCodeFor([result('fail'), result('inconclusive', 'boom')], false), 3)
    assert.equal(exitCodeFor([result('pass')], true), 130)
  })

  test('inconclusive is 0 by default and 1 with --fail-on inconclusive', ({ assert }) => {
    assert.equal(exitCodeFor([result('pass'), result('inconclusive')], false), 0)
    assert.equal(exitCodeFor([result('pass'), result('inconclusive')], false, ['inconclusive']), 1)
    assert.equal(exitCodeFor([result('pass')], false, ['inconclusive']), 0)
  })

  test('--fail-on parses inconclusive and refuses anything else', ({ assert }) => {
    const o = parseRunOptions(['--profile', 'default', '--lab', '--fail-on', 'inconclusive'])
    assert.deepEqual(o !== 'help' && o.failOn, ['inconclusive'])
    assert.throws(() => parseRunOptions(['--profile', 'default', '--lab', '--fail-on', 'not-applicable']), /--fail-on takes/)
  })

  test('with the gate: new-failures forgives known failures; margin-regressions adds the gate\'s margins; Ctrl-C and harness errors keep their codes', ({ assert }) => {
    const known = { passed: true, findings: [{ profile: 'p', id: 'X', outcome: 'fail' as const, status: 'known (baseline)' as const, detail: '' }] }
    const fresh = { passed: false, findings: [{ profile: 'p', id: 'X', outcome: 'fail' as const, status: 'new failure' as const, detail: '' }] }
    const margin = { passed: true, findings: [{ profile: 'p', id: 'X', outcome: 'pass' as const, status: 'margin regression' as const, detail: '' }] }
    assert.equal(exitCodeFor([result('fail')], false, ['new-failures'], known), 0)
    assert.equal(exitCodeFor([result('fail')], false, ['new-failures'], fresh), 1)
    assert.equal(exitCodeFor([result('fail')], false, [], known), 1, 'without --fail-on new-failures a known failure still fails')
    assert.equal(exitCodeFor([result('pass')], false, [], margin), 0, 'margins are listed only')
    assert.equal(exitCodeFor([result('pass')], false, ['margin-regressions'], margin), 1)
    assert.equal(exitCodeFor([result('fail'), result('inconclusive', 'boom')], false, ['new-failures'], known), 3)
    assert.equal(exitCodeFor([result('fail')], true, ['new-failures'], known), 130)
  })
})
