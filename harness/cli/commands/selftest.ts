/**
 * `ptp-conform selftest [--profile P[,P…]] [--tests IDS] [--faults IDS] [--out DIR]`: the
 * harness proves its own verdicts. For each profile it runs every applicable test against
 * the reference DUT (the harness's engines as a lab DUT) without faults — each must pass —
 * and, for every fault of the catalogue, the tests that fault targets — each must fail.
 * Every case is a separate `ptp-conform run` process (its own lab, its own records), so one
 * case cannot disturb the next. Prints the matrix fault × test → expected / got and exits 1
 * on any mismatch.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { loadProfile } from '../../profiles/index.ts'
import type { TestResult } from '../../results/record.ts'
import { FAULTS } from '../../refdut/faults.ts'
import { allDefinitions } from '../../run/suite_files.ts'
import { matches, matrixText, planSelftest, type SelftestCell } from '../../run/selftest_plan.ts'
import { CliError, ExitCode } from '../../run/exit_codes.ts'

export const describe = 'prove the verdicts: run the tests against the reference DUT with and without each fault'

const USAGE = `usage: ptp-conform selftest [--profile P[,P…]] [--tests ID,…] [--faults ID,…] [--out DIR] [--list]

  --profile   profiles to prove (default: default-e2e,default-p2p,gptp,power-2011)
  --tests     only these test IDs
  --faults    only these faults of the catalogue (the fault-free baseline always runs)
  --out       keep every case's run folder here (default: a temporary folder)
  --list      print the fault catalogue and the plan, run nothing

Exit codes: 0 every cell as expected, 1 a mismatch, 2 usage error.`

const CLI = fileURLToPath(new URL('../../../bin/ptp-conform.js', import.meta.url))
const DEFAULT_PROFILES = ['default-e2e', 'default-p2p', 'gptp', 'power-2011']

/** Set by Ctrl-C: the running case is stopped (its run tears its lab down) and no further case starts. */
let interrupted = false

function runCase(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const stop = () => {
      interrupted = true
      child.kill('SIGINT')
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    child.on('close', (code) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      res({ code, output })
    })
  })
}

function readVerdicts(dir: string): Map<string, TestResult> {
  const out = new Map<string, TestResult>()
  try {
    for (const f of readdirSync(join(dir, 'results'))) {
      if (!f.endsWith('.json')) continue
      const r = JSON.parse(readFileSync(join(dir, 'results', f), 'utf8')) as TestResult
      out.set(r.id, r)
    }
  } catch {
    // No records: every cell of the case reads 'missing' with the run's output as the reason.
  }
  return out
}

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: { profile: { type: 'string' }, tests: { type: 'string' }, faults: { type: 'string' }, out: { type: 'string' }, list: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`)
  }
  const v = parsed.values
  if (v.help) {
    console.log(USAGE)
    return ExitCode.ok
  }
  const split = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined)
  const onlyFaults = split(v.faults)
  for (const f of onlyFaults ?? []) if (!FAULTS.some((x) => x.id === f)) throw new CliError(`unknown fault '${f}'; known: ${FAULTS.map((x) => x.id).join(', ')}`)
  const defs = (await allDefinitions()).map((d) => d.def)
  const outRoot = resolve(v.out ?? mkdtempSync(join(tmpdir(), 'ptpc-selftest-')))
  mkdirSync(outRoot, { recursive: true })
  const all: { profile: string; cells: SelftestCell[] }[] = []
  for (const id of split(v.profile) ?? DEFAULT_PROFILES) {
    let profile
    try {
      profile = loadProfile(id)
    } catch (err) {
      throw new CliError((err as Error).message)
    }
    const plan = planSelftest(profile, defs, FAULTS, { tests: split(v.tests), faults: onlyFaults })
    if (v.list) {
      console.log(`${profile.id}: ${plan.cases.length} cases`)
      for (const c of plan.cases) console.log(`  ${(c.fault?.id ?? 'no fault').padEnd(34)} expect ${c.expect}: ${c.tests.join(', ')}`)
      for (const s of plan.skipped) console.log(`  ${s.fault.padEnd(34)} skipped: ${s.why}`)
      for (const s of plan.baselineSkipped) console.log(`  no fault, ${s.test.padEnd(24)} not expected to pass: ${s.why}`)
      continue
    }
    for (const s of plan.baselineSkipped) console.log(`[${profile.id}] ${s.test} left out of the fault-free case: ${s.why}`)
    const cells: SelftestCell[] = []
    for (const [i, c] of plan.cases.entries()) {
      if (interrupted) break
      const name = c.fault?.id ?? 'no-fault'
      const dir = join(outRoot, profile.id, `${String(i).padStart(2, '0')}-${name}`)
      console.log(`[${profile.id} ${i + 1}/${plan.cases.length}] ${name}: ${c.tests.join(', ')} (expect ${c.expect})`)
      const args = ['run', '--profile', profile.id, '--lab', '--dut-impl', 'reference', '--tests', c.tests.join(','), '--out', dir, '--no-report', '--allow-set']
      if (c.fault) args.push('--dut-fault', c.fault.id)
      const r = await runCase(args)
      const got = readVerdicts(dir)
      for (const t of c.tests) {
        const res = got.get(t)
        const cell: SelftestCell = { fault: name, test: t, expected: c.expect, got: res?.verdict ?? 'missing', reason: res?.reason ?? `no record (run exited ${r.code}): ${r.output.trim().split('\n').slice(-3).join(' / ')}` }
        cells.push(cell)
        console.log(`    ${matches(cell) ? 'ok ' : 'MISMATCH'} ${t}: ${cell.got}${matches(cell) ? '' : ` — ${cell.reason}`}`)
      }
    }
    all.push({ profile: profile.id, cells })
    if (interrupted) break
  }
  if (v.list) return ExitCode.ok
  for (const m of all) console.log(matrixText(m.profile, m.cells))
  writeFileSync(join(outRoot, 'selftest.json'), JSON.stringify(all, null, 2))
  const bad = all.reduce((n, m) => n + m.cells.filter((c) => !matches(c)).length, 0)
  const total = all.reduce((n, m) => n + m.cells.length, 0)
  console.log(`selftest: ${total} cells, ${bad} mismatches; run folders in ${outRoot}${interrupted ? ' (interrupted: the matrix is partial)' : ''}`)
  if (interrupted) return ExitCode.interrupted
  return bad ? ExitCode.fail : ExitCode.ok
}
