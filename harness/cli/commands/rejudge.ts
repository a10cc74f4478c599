/**
 * `ptp-conform rejudge RESULTS_DIR [--out DIR]`: judge a stored run's evidence again with
 * today's code and write the same outputs as `run` (records, reports, exit code), so a
 * verdict can be reproduced — or a fixed rule applied to old evidence — without the DUT.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { regenerateReports } from '../../../reports/finalize.ts'
import { rejudgeRun } from '../../run/rejudge.ts'
import { exitCodeFor } from '../../run/runner.ts'
import { CliError, ExitCode } from '../../run/exit_codes.ts'

export const describe = "judge a stored run's evidence again with this version's rules"

const USAGE = `usage: ptp-conform rejudge RESULTS_DIR [--out DIR] [--profiles DIR] [--no-report]

  RESULTS_DIR   the --out folder of an earlier ptp-conform run
  --out DIR     where to write the new records and reports (default: RESULTS_DIR itself)
  --profiles D  extra folder of profile YAML files (as for run)
  --no-report   write records and summary only
  --fail-on inconclusive  exit 1 also when a test is inconclusive

Exit codes as for run: 0 all passed, 1 a conformance failure, 2 usage error, 3 harness error.`

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, profiles: { type: 'string', multiple: true }, 'no-report': { type: 'boolean', default: false }, 'fail-on': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h', default: false } } })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`)
  }
  if (parsed.values.help) {
    console.log(USAGE)
    return ExitCode.ok
  }
  if (parsed.positionals.length !== 1) throw new CliError(`expected one results folder\n${USAGE}`)
  const inDir = parsed.positionals[0]!
  if (!existsSync(inDir)) throw new CliError(`no such folder: ${inDir}`)
  const failOn = parsed.values['fail-on'] ?? []
  for (const f of failOn) if (f !== 'inconclusive') throw new CliError(`--fail-on takes 'inconclusive', not '${f}'`)
  const outDir = parsed.values.out ?? inDir
  let r
  try {
    r = await rejudgeRun(inDir, outDir, { profileDirs: parsed.values.profiles })
  } catch (err) {
    throw new CliError((err as Error).message)
  }
  for (const p of r.problems) console.error(`warning: ${p.file}: ${p.reason}`)
  for (const k of r.kept) console.log(`  ${k.id.padEnd(12)} kept as recorded (${k.why})`)
  for (const c of r.changes) console.log(`  ${c.id.padEnd(12)} ${c.before} → ${c.after}: ${c.reason}`)
  console.log(`${r.results.length} results judged again, ${r.changes.length} verdicts changed`)
  if (!parsed.values['no-report']) console.log((await regenerateReports(resolve(outDir))).summaryText)
  return exitCodeFor(r.results, false, failOn as 'inconclusive'[])
}
