/**
 * `run --lab --dut-impl ptp4l,ptpd`: the same profile against each implementation, one after
 * the other, each in its own folder (`<out>/<impl>/`), then in `<out>/`: a verdict table with a
 * column per implementation (comparison.md), the diff of each against the first (diff-*.txt),
 * and one HTML report over all of them (their Allure results side by side; each result carries
 * its DUT as a parameter, so they stay apart).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadRun } from '../../reports/load.ts'
import { generateHtml } from '../../reports/html.ts'
import { ALLURE_RESULTS_DIR } from '../../reports/finalize.ts'
import { comparisonTable } from '../results/comparison.ts'
import { runDiffHtml } from '../../reports/diff_page.ts'
import { diffRuns, formatRunDiff } from '../results/diff.ts'
import { ExitCode } from './exit_codes.ts'
import type { RunOptions } from './options.ts'
import { runConformance } from './runner.ts'

/** The worse of two exit codes: interrupted > harness error > conformance failure > ok. */
function worse(a: number, b: number): number {
  const rank = (c: number) => (c === ExitCode.interrupted ? 4 : c === ExitCode.harness ? 3 : c === ExitCode.fail ? 2 : c === ExitCode.ok ? 0 : 1)
  return rank(b) > rank(a) ? b : a
}

export async function runDifferential(o: RunOptions, impls: readonly RunOptions['dutImpl'][]): Promise<number> {
  let code: number = ExitCode.ok
  const done: RunOptions['dutImpl'][] = []
  for (const impl of impls) {
    console.log(`\n=== ${o.profile} against ${impl} ===`)
    const c = await runConformance({ ...o, dutImpl: impl, outDir: join(o.outDir, impl) })
    code = worse(code, c)
    done.push(impl)
    if (c === ExitCode.interrupted) break
  }
  const runs = done.map((impl) => ({ impl, run: loadRun(join(o.outDir, impl)) }))
  const label = (r: (typeof runs)[number]) => (r.run.environment ? `${r.impl} ${r.run.environment.dut.version}` : r.impl)
  const table = comparisonTable(runs.map((r) => ({ label: label(r), results: r.run.results })))
  const profile = runs[0]?.run.environment?.profile ?? o.profile
  writeFileSync(join(o.outDir, 'comparison.md'), `${table}\n`)
  console.log(`\n${profile}: verdicts per implementation (${join(o.outDir, 'comparison.md')})\n${table}`)
  const [first, ...others] = runs
  for (const other of others) {
    const d = diffRuns(first!.run.results, other.run.results)
    const file = join(o.outDir, `diff-${first!.impl}-${other.impl}.txt`)
    writeFileSync(file, `${formatRunDiff(d, { a: label(first!), b: label(other) })}\n`)
    writeFileSync(file.replace(/\.txt$/, '.json'), JSON.stringify(d, null, 2))
    writeFileSync(file.replace(/\.txt$/, '.html'), runDiffHtml(d, { a: label(first!), b: label(other) }, `ptp-conform: ${profile}, ${label(first!)} → ${label(other)}`))
    console.log(`${label(first!)} → ${label(other)}: ${d.counts.regressed} worse, ${d.counts.improved} better, ${d.counts.changed} changed (${file})`)
  }
  if (o.report && runs.length > 1) {
    const merged = join(o.outDir, ALLURE_RESULTS_DIR)
    mkdirSync(merged, { recursive: true })
    for (const r of runs) {
      const dir = join(r.run.outDir, ALLURE_RESULTS_DIR)
      // Result and attachment files are named by uuids of their own run: they do not collide.
      if (existsSync(dir)) for (const f of readdirSync(dir)) if (!f.startsWith('environment') && !f.startsWith('categories')) copyFileSync(join(dir, f), join(merged, f))
    }
    const html = await generateHtml({ allureResultsDir: merged, outDir: o.outDir, reportName: `ptp-conform: ${profile} against ${runs.map(label).join(', ')}` })
    console.log(`one report for all: ${html.htmlDir}`)
  }
  return code
}
