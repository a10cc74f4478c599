/**
 * Verdict stability: the same profile run N times against the same lab DUT, one run after the
 * other, then per test the verdict agreement and per measured value its spread, printed next
 * to the noise the harness claimed for it in those same runs (harness/results/stability.ts).
 *
 * Usage: node --import tsx bench/stability/run.ts [--runs 10] [--profile default-e2e]
 *          [--dut-impl ptp4l|ptpd|reference] [--tests LIST] [--out DIR]
 * Each run's folder stays in --out (default: a temporary folder), so `diff` can compare any two.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadRun } from '../../reports/load.ts'
import { formatStability, stabilityOf } from '../../harness/results/stability.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    profile: { type: 'string', default: 'default-e2e' },
    'dut-impl': { type: 'string', default: 'ptp4l' },
    tests: { type: 'string' },
    out: { type: 'string' },
  },
})
const runs = Number(values.runs)
const out = values.out ?? mkdtempSync(join(tmpdir(), 'ptpc-stability-'))
const CLI = new URL('../../bin/ptp-conform.js', import.meta.url).pathname
const loaded = []
const t0 = Date.now()
for (let i = 1; i <= runs; i++) {
  const dir = join(out, `run-${String(i).padStart(2, '0')}`)
  const started = Date.now()
  const args = [CLI, 'run', '--profile', values.profile!, '--lab', '--dut-impl', values['dut-impl']!, '--no-report', '--out', dir, ...(values.tests ? ['--tests', values.tests] : [])]
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 })
  const summary = (r.stdout.match(/^\d+ tests: .*$/m) ?? ['(no summary)'])[0]
  console.log(`run ${i}/${runs}: exit ${r.status}, ${((Date.now() - started) / 1000).toFixed(0)} s: ${summary}`)
  loaded.push(loadRun(dir).results)
}
const report = stabilityOf(loaded)
const text = formatStability(report)
writeFileSync(join(out, 'stability.json'), JSON.stringify(report, null, 2))
console.log(`\n${values.profile} against ${values['dut-impl']}, ${runs} runs in ${((Date.now() - t0) / 60000).toFixed(1)} min (folders in ${out})\n${text}`)
