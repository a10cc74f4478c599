/**
 * HTML from allure-results through Allure 3's own library (the `allure` npm
 * package: Node only, no Java). Two reports:
 *   <out>/report/                   the multi-file report (serve it over HTTP: it loads its data with fetch)
 *   <out>/report-single/index.html  everything in one file, opens straight from disk or an e-mail;
 *                                   traffic captures are inlined up to a budget (single_file_view.ts).
 * Allure writes into a staging folder that is then renamed into place, so a
 * failed generation never leaves half a report over a good one.
 *
 * Allure's page template loads a third-party analytics script. A conformance
 * report carries a customer's device details and is opened in labs without
 * internet, so that script is removed from every generated page, and generation
 * fails rather than ship a report that would call out.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AllureReport, resolveConfig } from '@allurereport/core'
import { allure3CategoryRules } from './allure/categories.ts'
import { buildSingleFileView, type SingleFileView } from './allure/single_file_view.ts'

export interface HtmlOptions {
  allureResultsDir: string
  outDir: string
  reportName: string
  /** Also write the single-file report (default true). */
  singleFile?: boolean
  /** Traffic captures inlined into the single file, in total bytes (default 16 MiB). */
  singleFileCaptureBudget?: number
  /**
   * Allure's history file (JSON lines, one entry per report): read for the trend and each
   * test's earlier verdicts, and this report appended to it (once, by the multi-file pass).
   */
  historyFile?: string
}

export interface HtmlResult {
  htmlDir: string
  singleFile?: string
  /** Wall time of Allure's generation of the multi-file report, ms. */
  generationMs: number
  /** ... and of the single-file report, ms. */
  singleFileMs?: number
  /** Captures left out of the single file (over the budget). */
  omittedFromSingleFile: SingleFileView['omitted']
}

export const HTML_DIR = 'report'
export const SINGLE_FILE_DIR = 'report-single'

const ANALYTICS_LOADER = /<script\b[^>]*\bsrc="https?:\/\/(?:www\.)?googletagmanager\.com\//

/** Removes Allure's analytics loader and its inline set-up script from a generated page. */
export function stripAnalytics(html: string): string {
  return html
    .replace(/<script\b[^>]*\bsrc="https?:\/\/(?:www\.)?googletagmanager\.com\/[^"]*"[^>]*>\s*<\/script>/g, '')
    .replace(/<script>\s*window\.dataLayer\s*=[\s\S]*?<\/script>/g, '')
}

function stripAnalyticsIn(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) stripAnalyticsIn(path)
    else if (entry.name.endsWith('.html')) {
      const html = readFileSync(path, 'utf8')
      const clean = stripAnalytics(html)
      if (ANALYTICS_LOADER.test(clean)) throw new Error(`${path}: could not remove the third-party analytics script`)
      if (clean !== html) writeFileSync(path, clean)
    }
  }
}

/** One Allure run with one awesome-report plugin; Allure flattens a lone plugin's output into `output`. */
async function allurePass(resultsDir: string, output: string, reportName: string, singleFile: boolean, history?: { file: string; append: boolean }): Promise<number> {
  const t0 = performance.now()
  const config = await resolveConfig(
    {
      name: reportName,
      output,
      plugins: {
        awesome: {
          options: { reportName, groupBy: ['parentSuite', 'suite'], theme: 'light', singleFile },
        },
        // Allure adds its agent-output plugin unless one is configured; a report has no use for it.
        agent: { enabled: false },
      },
      categories: allure3CategoryRules(),
      appendHistory: history?.append ?? false,
      ...(history ? { historyPath: history.file } : {}),
    } as Parameters<typeof resolveConfig>[0],
    { cwd: output },
  )
  const report = new AllureReport(config)
  await report.start()
  await report.readDirectory(resultsDir)
  await report.done()
  stripAnalyticsIn(output)
  return performance.now() - t0
}

export async function generateHtml(opts: HtmlOptions): Promise<HtmlResult> {
  const staging = join(opts.outDir, `.report-staging-${process.pid}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  const htmlStage = join(staging, 'html')
  const singleStage = join(staging, 'single')
  let generationMs: number
  let singleFileMs: number | undefined
  let omitted: SingleFileView['omitted'] = []
  try {
    mkdirSync(htmlStage)
    const history = opts.historyFile ? { file: opts.historyFile, append: true } : undefined
    if (history) mkdirSync(dirname(history.file), { recursive: true })
    // The single file first: it reads the history as it was, before the other pass appends this report.
    if (opts.singleFile !== false) {
      const view = buildSingleFileView(opts.allureResultsDir, join(staging, 'single-results'), opts.singleFileCaptureBudget)
      omitted = view.omitted
      mkdirSync(singleStage)
      singleFileMs = await allurePass(view.dir, singleStage, opts.reportName, true, history && { ...history, append: false })
    }
    generationMs = await allurePass(opts.allureResultsDir, htmlStage, opts.reportName, false, history)
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    throw err
  }

  const htmlDir = join(opts.outDir, HTML_DIR)
  const result: HtmlResult = { htmlDir, generationMs, singleFileMs, omittedFromSingleFile: omitted }
  if (opts.singleFile !== false) {
    const singleDir = join(opts.outDir, SINGLE_FILE_DIR)
    rmSync(singleDir, { recursive: true, force: true })
    mkdirSync(singleDir)
    renameSync(join(singleStage, 'index.html'), join(singleDir, 'index.html'))
    result.singleFile = join(singleDir, 'index.html')
  }
  rmSync(htmlDir, { recursive: true, force: true })
  renameSync(htmlStage, htmlDir)
  rmSync(staging, { recursive: true, force: true })
  return result
}
