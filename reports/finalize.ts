/**
 * Turns a run's output folder into its reports. The records in `<out>/results/`
 * are the source of truth; everything here can be rebuilt from them:
 *   <out>/allure-results/           Allure results (+ environment.properties, categories.json)
 *   <out>/junit.xml                 JUnit XML
 *   <out>/report/index.html         Allure 3 HTML (serve over HTTP)
 *   <out>/report-single/index.html  the same report as one file
 * and a console summary.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../harness/results/writer.ts'
import { dutName } from './allure/environment.ts'
import { AllureResultsWriter } from './allure/results_writer.ts'
import { generateHtml } from './html.ts'
import { countVerdicts, junitXml, type VerdictCounts } from './junit.ts'
import { loadRun, type LoadedRun } from './load.ts'
import { summaryText } from './summary.ts'

export const ALLURE_RESULTS_DIR = 'allure-results'
export const JUNIT_FILE = 'junit.xml'
/** Allure 3's history, one JSON line per report, in the --history folder. */
export const HISTORY_FILE = 'allure-history.jsonl'

export interface FinalizeOptions {
  /** Generate the HTML reports (default true). */
  html?: boolean
  /** Also the single-file HTML (default true). */
  singleFile?: boolean
  /** Print the summary to stdout (default false: the caller decides). */
  print?: boolean
  /** A folder kept between runs (CI cache): Allure's history there gives the trend and each test's past verdicts. */
  historyDir?: string
  /** Called by the live reporter: the run is still in hand, so a missing summary.json says nothing. */
  live?: boolean
}

export interface FinalizeResult {
  allureResults: string
  junit: string
  htmlDir?: string
  singleFile?: string
  /** Allure's generation time of the multi-file report, ms. */
  htmlGenerationMs?: number
  /** ... and of the single-file report, ms. */
  singleFileGenerationMs?: number
  summaryText: string
  counts: VerdictCounts
  /** Evidence that could not be attached, records that could not be read. */
  warnings: string[]
}

export function reportName(run: Pick<LoadedRun, 'environment' | 'results'>): string {
  const env = run.environment
  const profile = env?.profile ?? run.results[0]?.profile ?? 'unknown profile'
  return env ? `ptp-conform: ${profile} against ${dutName(env)}` : `ptp-conform: ${profile}`
}

/**
 * Writes the Allure result of every record in `results/` (only those not yet
 * written, unless `rewrite`), then environment and categories.
 */
export function writeAllureResults(run: LoadedRun, rewrite: boolean): { dir: string; warnings: string[] } {
  const dir = join(run.outDir, ALLURE_RESULTS_DIR)
  if (rewrite) rmSync(dir, { recursive: true, force: true })
  const writer = new AllureResultsWriter(dir)
  const warnings: string[] = []
  for (const r of run.results) {
    if (!rewrite && writer.has(r)) continue
    const w = writer.writeTest(r, { outDir: run.outDir, environment: run.environment })
    warnings.push(...w.warnings.map((x) => `${r.profile}.${r.id}: ${x}`))
  }
  if (run.environment) writer.writeEnvironment(run.environment)
  writer.writeCategories()
  return { dir, warnings }
}

async function render(run: LoadedRun, allureDir: string, warnings: string[], opts: FinalizeOptions): Promise<FinalizeResult> {
  warnings.push(...run.problems.map((p) => `unreadable ${p.file}: ${p.reason}`))
  const junit = join(run.outDir, JUNIT_FILE)
  writeFileAtomic(junit, junitXml(run.results, run.environment))
  const result: FinalizeResult = {
    allureResults: allureDir,
    junit,
    summaryText: '',
    counts: countVerdicts(run.results),
    warnings,
  }
  if (opts.html !== false) {
    const html = await generateHtml({
      allureResultsDir: allureDir,
      outDir: run.outDir,
      reportName: reportName(run),
      singleFile: opts.singleFile,
      ...(opts.historyDir ? { historyFile: join(opts.historyDir, HISTORY_FILE) } : {}),
    })
    result.htmlDir = html.htmlDir
    result.singleFile = html.singleFile
    result.htmlGenerationMs = html.generationMs
    result.singleFileGenerationMs = html.singleFileMs
    const omitted = html.omittedFromSingleFile
    if (omitted.length) {
      const mb = omitted.reduce((s, o) => s + o.bytes, 0) / 1e6
      warnings.push(
        `${omitted.length} traffic capture(s), ${mb.toFixed(1)} MB, not inlined in the single-file report ` +
          `(over its budget); they are in report/ and evidence/`,
      )
    }
  }
  result.summaryText = summaryText({
    results: run.results,
    environment: run.environment,
    summary: run.summary,
    problems: run.problems,
    live: opts.live,
    paths: {
      html: result.htmlDir ? join(result.htmlDir, 'index.html') : undefined,
      singleFile: result.singleFile,
      junit,
    },
  })
  if (opts.print) console.log(result.summaryText)
  return result
}

/** End of a run: completes allure-results from the records, then JUnit, HTML and the summary. */
export async function finalizeReports(outDir: string, opts: FinalizeOptions = {}): Promise<FinalizeResult> {
  const run = loadRun(outDir)
  const { dir, warnings } = writeAllureResults(run, false)
  return render(run, dir, warnings, opts)
}

/** `ptp-conform report`: rebuilds allure-results from scratch, then everything else. */
export async function regenerateReports(outDir: string, opts: FinalizeOptions = {}): Promise<FinalizeResult> {
  const run = loadRun(outDir)
  const { dir, warnings } = writeAllureResults(run, true)
  return render(run, dir, warnings, opts)
}
