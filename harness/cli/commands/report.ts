/**
 * `ptp-conform report DIR [--serve] [--port N]`: rebuilds a run's reports from
 * its records (DIR/results/*.json): allure-results, HTML (folder and single file),
 * JUnit XML and the console summary. Works on the folder of a run that crashed and
 * on an old run. `--serve` then serves the HTML on 127.0.0.1 until Ctrl-C.
 *
 * The exit code says whether the reports were made (0), not what the verdicts
 * were: `ptp-conform run` is the command that gates on verdicts.
 */
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { regenerateReports } from '../../../reports/finalize.ts'
import { HTML_DIR } from '../../../reports/html.ts'
import { serveReport } from '../../../reports/serve.ts'
import { CliError, ExitCode } from '../../run/exit_codes.ts'

export const describe = 'rebuild the HTML, JUnit and Allure reports of a run folder (and serve them)'

const USAGE = `usage: ptp-conform report DIR [--serve] [--port N] [--no-single-file] [--history DIR]

  DIR               a run's output folder (the --out of ptp-conform run)
  --serve           serve the HTML report on http://127.0.0.1 until Ctrl-C
  --port N          port for --serve (default: any free port)
  --no-single-file  skip the single-file HTML (report-single/index.html)
  --history DIR     Allure's history kept between runs: read for each test's past verdicts
                    and the trend, and this report appended to it`

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        serve: { type: 'boolean', default: false },
        port: { type: 'string' },
        'no-single-file': { type: 'boolean', default: false },
        history: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`)
  }
  const { values, positionals } = parsed
  if (values.help) {
    console.log(USAGE)
    return ExitCode.ok
  }
  if (positionals.length !== 1) throw new CliError(`expected one run folder, got ${positionals.length}\n${USAGE}`)
  const dir = positionals[0]!
  let port = 0
  if (values.port !== undefined) {
    if (!values.serve) throw new CliError('--port only makes sense with --serve')
    port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) throw new CliError(`--port must be 1..65535, got "${values.port}"`)
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`no such folder: ${dir}`)
  if (!existsSync(join(dir, 'results')) && !existsSync(join(dir, 'environment.json'))) {
    throw new CliError(`${dir} is not a ptp-conform output folder (no results/ and no environment.json)`)
  }

  const t0 = performance.now()
  const result = await regenerateReports(dir, { singleFile: !values['no-single-file'], ...(values.history ? { historyDir: resolve(values.history) } : {}) })
  for (const w of result.warnings) console.error(`warning: ${w}`)
  console.log(result.summaryText)
  console.log(
    `reports written in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
      `(Allure HTML ${((result.htmlGenerationMs ?? 0) / 1000).toFixed(1)} s, single file ${((result.singleFileGenerationMs ?? 0) / 1000).toFixed(1)} s)`,
  )

  if (!values.serve) return ExitCode.ok
  const served = await serveReport(join(dir, HTML_DIR), port)
  console.log(`serving ${join(dir, HTML_DIR)} at ${served.url} (loopback only); Ctrl-C stops`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await served.close()
  return ExitCode.ok
}
