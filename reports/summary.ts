/**
 * The console summary printed at the end of a run and by `ptp-conform report`:
 * what ran against what, the count of every verdict, and each test that did not
 * pass with its one-line reason (harness errors and failures first).
 */
import type { RunEnvironment, RunSummary, TestResult } from '../harness/results/record.ts'
import { dutName } from './allure/environment.ts'
import { reportVerdict, verdictWord, whyLine, type ReportVerdict } from './allure/status.ts'
import { countVerdicts } from './junit.ts'

export interface SummaryInput {
  results: readonly TestResult[]
  environment?: RunEnvironment
  summary?: RunSummary
  problems?: readonly { file: string; reason: string }[]
  /** The run is still in hand (live reporter): summary.json may simply not be written yet. */
  live?: boolean
  /** Where the reports were written, to print at the end. */
  paths?: { html?: string; singleFile?: string; junit?: string; allureResults?: string }
}

const ORDER: ReportVerdict[] = ['harness-error', 'fail', 'inconclusive', 'not-applicable']

export function summaryText(input: SummaryInput): string {
  const { results, environment: env } = input
  const lines: string[] = []
  if (env) {
    lines.push(
      `ptp-conform ${env.harnessVersion}: profile ${env.profile} against ${dutName(env)} (${env.dut.mode}) on ${env.interface}, ` +
        `${env.transport}, domain ${env.domainNumber}, ${env.timestamping} timestamping`,
    )
    if (env.unconfirmedValues.length) lines.push(`  verdicts rest on unconfirmed profile values: ${env.unconfirmedValues.join('; ')}`)
  } else {
    lines.push('ptp-conform: no environment.json; run details unknown')
  }
  const c = countVerdicts(results)
  lines.push(
    `${c.total} tests: ${c.pass} pass, ${c.fail} fail, ${c.inconclusive} inconclusive, ${c['not-applicable']} not applicable, ` +
      `${c['harness-error']} harness error${c['harness-error'] === 1 ? '' : 's'}`,
  )
  const width = Math.max(0, ...ORDER.map((v) => verdictWord[v].length))
  for (const v of ORDER) {
    for (const r of results.filter((x) => reportVerdict(x) === v)) {
      lines.push(`  ${verdictWord[v].padEnd(width)}  ${r.profile} ${r.id} ${r.title}: ${whyLine(r)}`)
    }
  }
  const n = input.summary?.noise
  if (n) {
    const us = (x: number) => `${(x / 1000).toFixed(1)} µs`
    lines.push(`harness noise per test: ±${us(n.minNs)} … ±${us(n.maxNs)} (median ±${us(n.medianNs)}, ${n.tests} tests${n.stalls ? `, ${n.stalls} stalled probes set aside` : ''})`)
  }
  if (input.summary) {
    if (input.summary.ending !== 'completed') lines.push(`run ended: ${input.summary.ending}`)
  } else if (!input.live) {
    lines.push('run ended: unknown (no summary.json; the run did not finish normally)')
  }
  for (const p of input.problems ?? []) lines.push(`  unreadable: ${p.file}: ${p.reason}`)
  const paths = input.paths
  if (paths?.html) lines.push(`HTML report: ${paths.html}`)
  if (paths?.singleFile) lines.push(`single-file HTML: ${paths.singleFile}`)
  if (paths?.junit) lines.push(`JUnit XML: ${paths.junit}`)
  if (paths?.allureResults) lines.push(`allure-results: ${paths.allureResults}`)
  return lines.join('\n')
}
