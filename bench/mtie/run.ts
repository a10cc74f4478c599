/**
 * MTIE and TDEV over a long time-error record, and next to them the brute-force MTIE scan measured
 * on the same data in the same run, at a few window sizes (nothing extrapolated). The record is
 * seeded: white phase noise (σ 10 ns) on a slow random-walk wander, at τ0 = 1/16 s. MTIE runs on
 * log-spaced windows, 10 per decade up to the whole record; TDEV on the same τ (n = k − 1).
 *
 * Usage: node --import tsx bench/mtie/run.ts [samples=1000000] [brute-force windows=10,100,1000]
 */
import { SeededRandom } from '../../harness/engines/random.ts'
import { logSpacedWindows, mtie, mtieBruteForce, tdev } from '../../harness/stats/time_error/index.ts'

const n = Number(process.argv[2] ?? 1_000_000)
const bruteWindows = (process.argv[3] ?? '10,100,1000').split(',').map(Number)
const tau0 = 1 / 16

const r = new SeededRandom(1588)
const gaussian = () => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next())
let wander = 0
const x = Float64Array.from({ length: n }, () => (wander += 0.05 * gaussian()) + 10 * gaussian())

function timed<T>(fn: () => T): { ms: number; result: T } {
  const t0 = process.hrtime.bigint()
  const result = fn()
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result }
}

const windows = logSpacedWindows(n, 10)
const groups = windows.map((k) => k - 1)
// Warm-up on a short slice, so the JIT has compiled the loops before anything is timed.
const slice = x.subarray(0, 20_000)
mtie(slice, tau0, logSpacedWindows(slice.length))
tdev(slice, tau0, logSpacedWindows(slice.length).map((k) => k - 1))
mtieBruteForce(slice, tau0, [10, 100])

const m = timed(() => mtie(x, tau0, windows))
const t = timed(() => tdev(x, tau0, groups))
const rate = (ms: number) => `${((n / ms) * 1e3 / 1e6).toFixed(2)} M samples/s`
console.log(`record: ${n} samples at τ0 = ${tau0} s (${(n * tau0).toFixed(0)} s), white PM σ 10 ns + random-walk wander`)
console.log(`mtie: ${windows.length} windows (k = ${windows[0]} … ${windows.at(-1)} samples): ${m.ms.toFixed(0)} ms, ${rate(m.ms)}, ${((m.ms * 1e6) / (n * windows.length)).toFixed(2)} ns per sample per window`)
console.log(`tdev: ${t.result.length} τ (n = ${t.result[0]?.n} … ${t.result.at(-1)?.n}): ${t.ms.toFixed(0)} ms, ${rate(t.ms)}, ${((t.ms * 1e6) / (n * t.result.length)).toFixed(2)} ns per sample per τ`)
console.log('same data, one window at a time:')
for (const k of bruteWindows) {
  const fast = timed(() => mtie(x, tau0, [k]))
  const brute = timed(() => mtieBruteForce(x, tau0, [k]))
  const same = fast.result[0]?.mtieNs === brute.result[0]?.mtieNs
  console.log(
    `  k = ${String(k).padStart(5)}: mtie ${fast.ms.toFixed(1)} ms, brute force ${brute.ms.toFixed(1)} ms, ` +
      `speed-up ${(brute.ms / fast.ms).toFixed(1)}×, MTIE ${fast.result[0]?.mtieNs.toFixed(3)} ns${same ? ' (equal)' : ' (DIFFERENT)'}`,
  )
}
