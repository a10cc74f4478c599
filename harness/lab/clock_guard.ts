/**
 * Proof that the lab never moved this machine's clock.
 *
 * All namespaces share CLOCK_REALTIME, so a DUT that managed to steer "its"
 * clock would steer ours. We read the kernel's time-keeping state with
 * adjtimex(2) in read-only mode (modes = 0) and the realtime-minus-monotonic
 * distance, before and after a run, and compare:
 *
 *   freq, offset, status, tick, constant, tai, return state   must be equal
 *   CLOCK_REALTIME − CLOCK_MONOTONIC                          within tolerance
 *
 * A frequency or offset change means someone slewed the clock; a change of
 * realtime − monotonic means someone stepped it (steps move REALTIME only;
 * slews move both). maxerror/esterror grow on their own and are not compared.
 *
 * Node has no adjtimex binding, and this check must not depend on our own
 * native addon, so a few lines of Python (ctypes, standard library) do the
 * syscall. `adjtimex --print` would do too but its Debian package runs
 * adjtimexconfig on install, which can change the tick: not on a test machine.
 */
import { execFileSync } from 'node:child_process'

export interface ClockState {
  /** adjtimex return value: TIME_OK 0 ... TIME_ERROR 5. */
  state: number
  /** ns or µs (STA_NANO) of remaining PLL offset. */
  offset: number
  /** Frequency offset, ppm × 2^16. */
  freq: number
  status: number
  tick: number
  constant: number
  tai: number
  /** CLOCK_REALTIME − CLOCK_MONOTONIC, ns (string: beyond 2^53). */
  realtimeMinusMonotonicNs: string
  /** Width of the monotonic window the realtime read fell into (uncertainty), ns. */
  windowNs: number
}

const PY = String.raw`
import ctypes, json, time
class timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]
class timex(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
        ("constant", ctypes.c_long), ("precision", ctypes.c_long), ("tolerance", ctypes.c_long),
        ("time", timeval), ("tick", ctypes.c_long), ("ppsfreq", ctypes.c_long), ("jitter", ctypes.c_long),
        ("shift", ctypes.c_int), ("stabil", ctypes.c_long), ("jitcnt", ctypes.c_long), ("calcnt", ctypes.c_long),
        ("errcnt", ctypes.c_long), ("stbcnt", ctypes.c_long), ("tai", ctypes.c_int), ("pad", ctypes.c_int * 11)]
assert ctypes.sizeof(timex) == 208, ctypes.sizeof(timex)
libc = ctypes.CDLL(None, use_errno=True)
t = timex()
t.modes = 0  # read only: nothing is changed
state = libc.adjtimex(ctypes.byref(t))
if state < 0:
    raise OSError(ctypes.get_errno(), "adjtimex")
best = None
for _ in range(50):
    m1 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    rt = time.clock_gettime_ns(time.CLOCK_REALTIME)
    m2 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    if best is None or m2 - m1 < best[0]:
        best = (m2 - m1, rt - (m1 + m2) // 2)
print(json.dumps({"state": state, "offset": t.offset, "freq": t.freq, "status": t.status, "tick": t.tick,
    "constant": t.constant, "tai": t.tai, "realtimeMinusMonotonicNs": str(best[1]), "windowNs": best[0]}))
`

export function readClockState(): ClockState {
  let out: string
  try {
    out = execFileSync('python3', ['-c', PY], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    throw new Error(`cannot read the clock state (python3 + adjtimex): ${(e as Error).message}`)
  }
  return JSON.parse(out) as ClockState
}

/** Default step tolerance: far below anything a PTP servo would step by, far above read jitter. */
export const STEP_TOLERANCE_NS = 20_000n

/** Differences, in words; empty when the clock was left alone. */
export function compareClockState(before: ClockState, after: ClockState, stepToleranceNs = STEP_TOLERANCE_NS): string[] {
  const diffs: string[] = []
  for (const k of ['state', 'offset', 'freq', 'status', 'tick', 'constant', 'tai'] as const) {
    if (before[k] !== after[k]) diffs.push(`${k} changed from ${before[k]} to ${after[k]}`)
  }
  const step = BigInt(after.realtimeMinusMonotonicNs) - BigInt(before.realtimeMinusMonotonicNs)
  const tol = stepToleranceNs + BigInt(before.windowNs + after.windowNs)
  if (step > tol || step < -tol) diffs.push(`CLOCK_REALTIME was stepped by ${step} ns relative to CLOCK_MONOTONIC (tolerance ±${tol} ns)`)
  return diffs
}
