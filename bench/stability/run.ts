/**
 * Verdict stability: the same profile run N times against the same lab DUT, one run after the
 * other, then per test the verdict agreement and per measured value its spread, printed next
 * to the noise the harness claimed for it in those same runs (harness/results/stability.ts).
 *
 * `--parallel K`: several lab DUTs on one machine. K runs one after the other first (the
 * reference, measured in this invocation), then K runs at once, each in its own namespaces;
 * printed: the agreement of each set and of both together (verdicts unaffected by running
 * side by side), and each set's per-test harness noise (median ±, stalled probes).
 *
 * Usage: node --import tsx bench/stability/run.ts [--runs 10] [--profile default-e2e]
 *          [--dut-impl ptp4l|ptpd|reference] [--tests LIST] [--out DIR] [--parallel K]
 * Each run's folder stays in --out (default: a temporary folder), so `diff` can compare any two.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadRun } from '../../reports/load.ts'
import { formatStability, stabilityOf } from '../../harness/results/stability.ts'
import type { TestResult } from '../../harness/results/record.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    profile: { type: 'string', default: 'default-e2e' },
    'dut-impl': { type: 'string', default: 'ptp4l' },
    tests: { type: 'string' },
    out: { type: 'string' },
    parallel: { type: 'string' },
  },
})
const parallel = values.parallel ? Number(values.parallel) : 0
if (values.parallel && !(Number.isInteger(parallel) && parallel >= 2)) throw new Error(`--parallel takes a number of runs ≥ 2, not '${values.parallel}'`)
const runs = parallel || Number(values.runs)
const out = values.out ?? mkdtempSync(join(tmpdir(), 'ptpc-stability-'))
const CLI = new URL('../../bin/ptp-conform.js', import.meta.url).pathname

/** One `run` into `dir`; resolves with its exit code, duration and summary line. */
function runOnce(dir: string): Promise<{ code: number | null; seconds: number; summary: string }> {
  const started = Date.now()
  const args = [CLI, 'run', '--profile', values.profile!, '--lab', '--dut-impl', values['dut-impl']!, '--no-report', '--out', dir, ...(values.tests ? ['--tests', values.tests] : [])]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.resume()
    child.on('close', (code) => resolve({ code, seconds: (Date.now() - started) / 1000, summary: (stdout.match(/^\d+ tests: .*$/m) ?? ['(no summary)'])[0] }))
  })
}

/** Per-test noise of a set of runs: the median ± and the stalled probes set aside. */
function noiseOf(set: readonly (readonly TestResult[])[]): string {
  const ns = set.flatMap((run) => run.flatMap((r) => (r.noise ? [r.noise.ns] : []))).sort((a, b) => a - b)
  const stalls = set.reduce((s, run) => s + run.reduce((t, r) => t + (r.noise?.stalls ?? 0), 0), 0)
  if (!ns.length) return 'no noise figures'
  return `per-test noise ±${(ns[0]! / 1000).toFixed(1)} … ±${(ns.at(-1)! / 1000).toFixed(1)} µs (median ±${(ns[ns.length >> 1]! / 1000).toFixed(1)} µs, ${ns.length} tests), ${stalls} stalled probes set aside`
}

async function set(label: string, n: number, atOnce: boolean): Promise<TestResult[][]> {
  const dirs = Array.from({ length: n }, (_, i) => join(out, `${label}-${String(i + 1).padStart(2, '0')}`))
  const results = atOnce ? await Promise.all(dirs.map(runOnce)) : []
  if (!atOnce) for (const d of dirs) results.push(await runOnce(d))
  results.forEach((r, i) => console.log(`${label} run ${i + 1}/${n}: exit ${r.code}, ${r.seconds.toFixed(0)} s: ${r.summary}`))
  return dirs.map((d) => loadRun(d).results)
}

const t0 = Date.now()
if (!parallel) {
  const loaded = await set('run', runs, false)
  const report = stabilityOf(loaded)
  writeFileSync(join(out, 'stability.json'), JSON.stringify(report, null, 2))
  console.log(`\n${values.profile} against ${values['dut-impl']}, ${runs} runs in ${((Date.now() - t0) / 60000).toFixed(1)} min (folders in ${out})\n${formatStability(report)}`)
} else {
  const serial = await set('serial', parallel, false)
  const together = await set('parallel', parallel, true)
  const both = stabilityOf([...serial, ...together])
  writeFileSync(join(out, 'stability.json'), JSON.stringify({ serial: stabilityOf(serial), parallel: stabilityOf(together), both }, null, 2))
  console.log(`\n${values.profile} against ${values['dut-impl']}: ${parallel} runs one after the other, then ${parallel} at once, in ${((Date.now() - t0) / 60000).toFixed(1)} min (folders in ${out})`)
  console.log(`one after the other: agreement ${(stabilityOf(serial).agreement * 100).toFixed(0)} %; ${noiseOf(serial)}`)
  console.log(`${parallel} at once:        agreement ${(stabilityOf(together).agreement * 100).toFixed(0)} %; ${noiseOf(together)}`)
  console.log(`\nall ${2 * parallel} runs together:\n${formatStability(both)}`)
}
