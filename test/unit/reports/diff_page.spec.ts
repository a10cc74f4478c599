/**
 * The diff of two runs as an HTML page: changed tests first with their checks, a margin that
 * shrank beyond its noise marked, text escaped, nothing external loaded; an empty diff says so.
 */
import { test } from '@japa/runner'
import { diffRuns } from '../../../harness/results/diff.ts'
import type { TestResult } from '../../../harness/results/record.ts'
import type { Check } from '../../../harness/verdict/verdict.ts'
import { runDiffHtml } from '../../../reports/diff_page.ts'

function result(id: string, verdict: TestResult['verdict'], checks: Check[]): TestResult {
  return { id, title: `${id} <title>`, area: id.replace(/-.*/, ''), clause: '', mapsTo: [], tags: [], severity: 'normal', profile: 'default-e2e', verdict, reason: '', checks, measurements: {}, steps: [], startedAt: '', durationMs: 0, evidence: {} }
}
const timeout = (measured: number, verdict: Check['verdict'] = 'pass'): Check => ({ name: 'time to leave SLAVE', measured, limit: '3000 … 4000 ms (N = 3)', unit: 'ms', noise: 20, source: 's', verdict })

test.group('reports / diff page', () => {
  test('regressions first, checks with values and margins, a shrunk margin marked, text escaped', ({ assert }) => {
    const a = [result('INT-03', 'pass', [timeout(3500)]), result('BMCA-03', 'pass', [timeout(3500)]), result('MF-01', 'fail', [])]
    const b = [result('INT-03', 'fail', [timeout(4100, 'fail')]), result('BMCA-03', 'pass', [timeout(3950)]), result('MF-01', 'pass', [])]
    const html = runDiffHtml(diffRuns(a, b), { a: 'run <A>', b: 'run B' })
    assert.isBelow(html.indexOf('INT-03'), html.indexOf('MF-01'), 'the regression before the improvement')
    assert.include(html, '<span class="tag" style="background:#c62828">regressed</span> default-e2e INT-03 INT-03 &lt;title&gt;: pass → fail')
    assert.include(html, '3500 ms → 4100 ms')
    assert.include(html, 'class="shrank"')
    assert.include(html, 'shrank beyond the noise')
    assert.include(html, 'run &lt;A&gt;')
    assert.notMatch(html, /<script|src="http|href="http/)
  })

  test('nothing changed says so', ({ assert }) => {
    const same = [result('INT-03', 'pass', [timeout(3500)])]
    assert.include(runDiffHtml(diffRuns(same, same), { a: 'a', b: 'b' }), 'Nothing changed')
  })
})
