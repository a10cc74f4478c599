/** The run summary from finished results: one place that counts verdicts and names the ending. */
import type { RunEnvironment, RunSummary, TestResult } from './record.ts'

export function summarize(environment: RunEnvironment, done: readonly TestResult[], interrupted: boolean): RunSummary {
  const counts: RunSummary['counts'] = { pass: 0, fail: 0, inconclusive: 0, 'not-applicable': 0, harnessErrors: 0 }
  for (const r of done) {
    counts[r.verdict]++
    if (r.harnessError) counts.harnessErrors++
  }
  return {
    environment,
    counts,
    tests: done.map((r) => ({ id: r.id, verdict: r.verdict, reason: r.reason, durationMs: r.durationMs })),
    finishedAt: new Date().toISOString(),
    ending: interrupted ? 'interrupted' : counts.harnessErrors ? 'harness-error' : 'completed',
  }
}
