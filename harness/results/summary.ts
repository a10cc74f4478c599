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
    ...(noiseSpread(done) ? { noise: noiseSpread(done) } : {}),
    finishedAt: new Date().toISOString(),
    ending: interrupted ? 'interrupted' : counts.harnessErrors ? 'harness-error' : 'completed',
  }
}

/** How the per-test noise figure varied across the run: a stable harness keeps max/min small. */
export function noiseSpread(done: readonly TestResult[]): RunSummary['noise'] {
  const ns = done.flatMap((r) => (r.noise ? [r.noise.ns] : [])).sort((a, b) => a - b)
  if (!ns.length) return undefined
  return { tests: ns.length, minNs: ns[0]!, medianNs: ns[Math.floor(ns.length / 2)]!, maxNs: ns[ns.length - 1]!, stalls: done.reduce((s, r) => s + (r.noise?.stalls ?? 0), 0) }
}
