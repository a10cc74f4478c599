/**
 * `ptp-conform diff RESULTS_A RESULTS_B [--json] [--fail-on regressions]`: per test, the
 * verdict change from run A (the baseline) to run B, and for measured checks the value and
 * its margin to the limit, flagging a margin that shrank by more than the noise.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { runDiffHtml } from '../../../reports/diff_page.ts'
import { parseArgs } from 'node:util'
import { loadRun } from '../../../reports/load.ts'
import { diffRuns, formatRunDiff } from '../../results/diff.ts'
import { CliError, ExitCode } from '../../run/exit_codes.ts'

export const describe = 'what changed between two runs: verdicts, measured values, margins'

const USAGE = `usage: ptp-conform diff RESULTS_A RESULTS_B [--json] [--html FILE] [--fail-on regressions]

  RESULTS_A, RESULTS_B  the --out folders of two runs (A: the baseline)
  --json                the diff as JSON instead of text
  --html FILE           also write it as one self-contained HTML page
  --fail-on regressions exit 1 when a verdict got worse or a margin shrank beyond its noise

Exit codes: 0 compared (and, with --fail-on, nothing regressed), 1 a regression, 2 usage error.`

function describeRun(dir: string, env: ReturnType<typeof loadRun>['environment']): string {
  return env ? `${dir} (${env.profile}, ${env.dut.implementation} ${env.dut.version}, ${env.dut.mode}, ${env.startedAt})` : dir
}

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false }, html: { type: 'string' }, 'fail-on': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h', default: false } } })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`)
  }
  if (parsed.values.help) {
    console.log(USAGE)
    return ExitCode.ok
  }
  if (parsed.positionals.length !== 2) throw new CliError(`expected two results folders\n${USAGE}`)
  const failOn = parsed.values['fail-on'] ?? []
  for (const f of failOn) if (f !== 'regressions') throw new CliError(`--fail-on takes 'regressions', not '${f}'`)
  const [dirA, dirB] = parsed.positionals as [string, string]
  for (const d of [dirA, dirB]) if (!existsSync(d)) throw new CliError(`no such folder: ${d}`)
  const a = loadRun(dirA)
  const b = loadRun(dirB)
  for (const p of [...a.problems, ...b.problems]) console.error(`warning: ${p.file}: ${p.reason}`)
  if (!a.results.length || !b.results.length) throw new CliError(`no test results in ${!a.results.length ? dirA : dirB}/results`)
  const d = diffRuns(a.results, b.results)
  const labels = { a: describeRun(dirA, a.environment), b: describeRun(dirB, b.environment) }
  console.log(parsed.values.json ? JSON.stringify({ a: labels.a, b: labels.b, ...d }, null, 2) : formatRunDiff(d, labels))
  if (parsed.values.html) writeFileSync(parsed.values.html, runDiffHtml(d, labels))
  const regressed = d.counts.regressed > 0 || d.counts.marginsShrank > 0
  return failOn.length && regressed ? ExitCode.fail : ExitCode.ok
}
