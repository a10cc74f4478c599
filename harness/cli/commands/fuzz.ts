/**
 * `ptp-conform fuzz`: ROB-08's campaign for as long as asked. It is `run --tests ROB-08` with the
 * campaign's length, seed and batch size set, so it shares everything `run` does: the safety
 * rules on a real interface, the lab and its teardown, Ctrl-C, the result record, the reports.
 * Then the campaign's figures and every failure's reproducer are printed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseRunOptions } from '../../run/options.ts'
import { runConformance } from '../../run/runner.ts'
import { CliError } from '../../run/exit_codes.ts'
import type { TestResult } from '../../results/record.ts'

export const describe = 'fuzz a DUT: seeded broken messages in batches, health checks, failures minimised to a replayable reproducer'

const USAGE = `usage: ptp-conform fuzz --profile ID (--lab [--dut-impl ptp4l|ptpd|reference] | --interface IF --dut FILE) [options]

  --minutes M        how long to fuzz (default 10); minimising a failure comes on top
  --seed S           the seed (default 1): the same seed sends the same cases
  --batch-size N     cases per batch, each batch followed by a health check (default 32)
  --max-failures N   stop after N failures, each minimised to a reproducer (default 10)
  --out DIR          results, reproducers (evidence/*.pcapng) and reports (default: results)

  and run's: --dut-fault, --dut-option, --domain, --transport, --profiles, --allow-net,
  --i-know-this-is-a-test-network, --allow-set, --no-report (see ptp-conform run --help).
  Transmits only as run does: on the named interface, in the run's domain; a Management
  frame is always a GET unless --allow-set.

Replay a failure: ptp-conform replay <out>/evidence/<...>.pcapng (--lab … | --interface IF --dut FILE)
Exit codes: 0 the DUT stayed well, 1 a failure, 2 usage error, 3 harness error, 130 interrupted.`

const OWN = { minutes: { type: 'string' }, seed: { type: 'string' }, 'batch-size': { type: 'string' }, 'max-failures': { type: 'string' } } as const

function positive(v: string | undefined, name: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new CliError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, not '${v}'`)
  return n
}

/** Splits fuzz's own options from run's. */
function split(argv: string[]): { own: Record<string, string | undefined>; rest: string[] } {
  const own: Record<string, string | undefined> = {}
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined]
    const name = flag.replace(/^--/, '')
    if (flag.startsWith('--') && name in OWN) {
      own[name] = inline ?? argv[++i]
      if (own[name] === undefined) throw new CliError(`--${name} needs a value`)
    } else rest.push(a)
  }
  return { own, rest }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE)
    return 0
  }
  const { own, rest } = split(argv)
  for (const f of ['--tests', '--tags', '--suites', '--list', '--baseline', '--known-failures', '--fail-on']) {
    if (rest.some((a) => a === f || a.startsWith(`${f}=`))) throw new CliError(`fuzz runs ROB-08 only: ${f} is not one of its options\n\n${USAGE}`)
  }
  const minutes = positive(own.minutes, 'minutes', false) ?? 10
  const seed = positive(own.seed, 'seed', true) ?? 1
  const batchSize = positive(own['batch-size'], 'batch-size', true) ?? 32
  const maxFailures = positive(own['max-failures'], 'max-failures', true) ?? 10
  const o = parseRunOptions([...rest, '--tests', 'ROB-08'])
  if (o === 'help') {
    console.log(USAGE)
    return 0
  }
  if (o.compareImpls) throw new CliError('fuzz takes one --dut-impl')
  o.testParams = { 'ROB-08': { minutes, seed, batchSize, maxFailures } }
  console.log(`ptp-conform fuzz: ${minutes} min, seed ${seed}, ${batchSize} cases per batch, at most ${maxFailures} failures`)
  const code = await runConformance(o)
  printCampaign(resolve(o.outDir))
  return code
}

/** The campaign's figures and reproducers, from the result record. */
function printCampaign(outDir: string): void {
  const dir = join(outDir, 'results')
  const file = existsSync(dir) ? readdirSync(dir).find((n) => n.endsWith('.ROB-08.json')) : undefined
  if (!file) return
  const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as TestResult
  const m = r.measurements as Record<string, unknown>
  console.log(`fuzz campaign: ${m.cases ?? 0} cases in ${m.batches ?? 0} batches (${m.frames ?? 0} frames), ${m.healthChecks ?? 0} health checks, seed ${m.seed}, stopped: ${m.stopped}`)
  const failures = (m.failures as string[] | undefined) ?? []
  if (failures.length === 0 && r.verdict === 'pass') console.log('  no failure: the DUT was well after every batch')
  for (const f of failures) console.log(`  failure: ${f}`)
}
