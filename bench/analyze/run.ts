/**
 * `analyze` on a large capture, next to tshark on the same file: messages per second and peak
 * memory (max RSS), both measured here, in this run. The capture is synthetic_capture.ts's
 * conformant grandmaster (made once, reused from os.tmpdir()); analyze judges it against
 * default-e2e and must pass every capturable test, so the figures are of a full judgement,
 * not of a reader alone. tshark dissects every frame (-T fields -e ptp.v2.sequenceid, output
 * discarded). Both run under GNU time (/usr/bin/time, package `time`) for their peak RSS.
 *
 * V8 grows its heap while garbage piles up faster than it collects, so the peak RSS of a
 * default run says more about V8 than about what analyze keeps: `--heap-mb N` runs it with
 * `--max-old-space-size=N` to show the memory it needs (it fails with "heap out of memory" if
 * the windows do not fit).
 *
 * Usage: node --import tsx bench/analyze/run.ts [megabytes=1000] [--window-frames N] [--heap-mb N] [--no-tshark]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GM, writeSyntheticCapture } from './synthetic_capture.ts'

const args = process.argv.slice(2)
const mb = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000)
const wf = args.indexOf('--window-frames')
const windowArgs = wf >= 0 ? ['--window-frames', args[wf + 1]!] : []
const hm = args.indexOf('--heap-mb')
const heapArgs = hm >= 0 ? [`--max-old-space-size=${args[hm + 1]}`] : []
const TIME = '/usr/bin/time'
if (!existsSync(TIME)) {
  console.error('bench/analyze needs GNU time at /usr/bin/time for peak memory (apt-get install time)')
  process.exit(2)
}

const file = join(tmpdir(), `ptpc-bench-analyze-${mb}MB.pcap`)
let frames: number
if (existsSync(file)) {
  frames = Number(readFileSync(`${file}.frames`, 'utf8'))
} else {
  const t0 = Date.now()
  frames = writeSyntheticCapture(`${file}.part`, mb * 1e6)
  renameSync(`${file}.part`, file)
  writeFileSync(`${file}.frames`, `${frames}\n`)
  console.log(`made ${file}: ${frames} frames in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}
const bytes = statSync(file).size

/** Runs a command under GNU time: wall seconds, peak RSS (MB), its stdout. */
function timed(cmd: string, argv: string[]): { seconds: number; rssMb: number; stdout: string; code: number | null } {
  const r = spawnSync(TIME, ['-f', 'PTPC-TIME %e %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 })
  const m = /PTPC-TIME ([\d.]+) (\d+)/.exec(r.stderr)
  if (!m) throw new Error(`${cmd} ${argv.join(' ')}: no timing (${r.stderr.slice(-500)})`)
  return { seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, stdout: r.stdout, code: r.status }
}

const out = mkdtempSync(join(tmpdir(), 'ptpc-bench-analyze-out-'))
const a = timed(process.execPath, [...heapArgs, 'bin/ptp-conform.js', 'analyze', file, '--profile', 'default', '--dut', GM.clockIdentity, '--no-report', '--out', out, ...windowArgs])
const verdicts = [...a.stdout.matchAll(/^\s+(pass|fail|inconclusive)\s+(\S+):/gm)].map((m) => `${m[2]} ${m[1]}`)
const windows = /in (\d+) windows/.exec(a.stdout)?.[1] ?? '1'
console.log(`capture: ${(bytes / 1e6).toFixed(0)} MB, ${frames} PTP frames (pcap, ns timestamps)`)
console.log(`ptp-conform analyze${heapArgs.length ? ` (${heapArgs[0]})` : ''}: ${a.seconds.toFixed(1)} s, ${(frames / a.seconds / 1000).toFixed(0)} k msg/s, peak RSS ${a.rssMb.toFixed(0)} MB, ${windows} windows, exit ${a.code}`)
console.log(`  verdicts: ${verdicts.join(', ')}`)
if (!args.includes('--no-tshark')) {
  const t = timed('tshark', ['-r', file, '-T', 'fields', '-e', 'ptp.v2.sequenceid'])
  const lines = t.stdout.split('\n').filter(Boolean).length
  console.log(`tshark (every frame dissected): ${t.seconds.toFixed(1)} s, ${(lines / t.seconds / 1000).toFixed(0)} k msg/s, peak RSS ${t.rssMb.toFixed(0)} MB`)
  console.log(`ratio: analyze takes ${(a.seconds / t.seconds).toFixed(2)}× tshark's time, ${(a.rssMb / t.rssMb).toFixed(2)}× its memory`)
}
