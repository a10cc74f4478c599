/**
 * Receipt timeouts (INT-03 announceReceiptTimeout, INT-04 syncReceiptTimeout): the DUT
 * follows the harness grandmaster, which stops one message type; the DUT must leave SLAVE no
 * earlier than N intervals after the last such message and no later than one interval after
 * that. The moment it left is bracketed by its port state, polled (last SLAVE read … first
 * other read), tightened by its first own Announce on the wire when that comes earlier, and
 * by its own log where it times transitions (lab ptp4l, to 1 ms) when that agrees; the window
 * is widened only by that bracket and the harness's timestamp noise.
 */
import type { DutState, PortTransition } from '../../harness/dut/types.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { formatNs } from '../../harness/time/format.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { type Check, judgeRange } from '../../harness/verdict/verdict.ts'
import { isSlave } from './grandmasters.ts'
import { portStates } from './state_history.ts'

/** One management read of the DUT's state, bracketed on the timestamp clock. */
export interface PolledState {
  startNs: bigint
  endNs: bigint
  state?: DutState
  error?: string
}

export const RECEIPT_POLL_MS = 20

/** The port state changes the DUT logged from `fromNs` on (lab ptp4l: timed to 1 ms), or none where it logs none. */
export async function loggedTransitions(ctx: TestContext, fromNs: bigint): Promise<PortTransition[] | undefined> {
  const all = await ctx.session.dut.portTransitions?.().catch(() => undefined)
  return all?.filter((t) => t.atNs >= fromNs)
}

const following = (s: string) => s === 'SLAVE' || s === 'UNCALIBRATED'

/** Poll the port state until it is no longer SLAVE/UNCALIBRATED (or timeout), keeping every read. */
export async function watchUntilLeft(ctx: TestContext, timeoutMs: number): Promise<PolledState[]> {
  const reads: PolledState[] = []
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    const startNs = systemTimeNs()
    try {
      const state = await ctx.session.dut.readState()
      reads.push({ startNs, endNs: systemTimeNs(), state })
      if (!isSlave(state)) break
    } catch (err) {
      reads.push({ startNs, endNs: systemTimeNs(), error: (err as Error).message })
    }
    await ctx.sleep(RECEIPT_POLL_MS)
  }
  return reads
}

/** How far the log's time may sit outside the polled bracket and still be the same change (read latency, clock mapping). */
const LOG_SLACK_NS = 5_000_000n
const ms = (ns: bigint | number) => Number(ns) / 1e6
/** "+3478.0" / "−0.0": ms after the last message, signed. */
const after = (ns: bigint, digits = 1) => `${ns < 0n ? '−' : '+'}${Math.abs(ms(ns)).toFixed(digits)}`

export interface LeaveRule {
  /** The message type the grandmaster stopped. */
  stopped: 'Announce' | 'Sync'
  /** The DUT's configured timeout, in intervals of that message. */
  n: number
  intervalNs: bigint
  /** Check name, source and the setting's description for the detail. */
  name: string
  source: string
  setting: string
}

/** When the DUT left SLAVE after the grandmaster's last `stopped` message, against N … N + 1 intervals. */
export function judgeLeave(ev: Evidence<{ recorder: Recorder; watch: PolledState[]; pollMs: number; logTransitions?: PortTransition[] }>, r: LeaveRule): { check: Check; measurements: Record<string, string | number> } {
  const d = ev.data
  const t = r.intervalNs
  const lo = BigInt(r.n) * t
  const hi = lo + t
  const base = { name: r.name, limit: `${formatNs(lo)} … ${formatNs(hi)} (N = ${r.n} to N + 1 intervals of ${formatNs(t)})`, source: r.source }
  const measurements: Record<string, string | number> = { timeoutIntervals: r.n, intervalNs: String(t) }
  const harness = new Set(ev.session.harnessClockIdentities)
  const last = d.recorder.last({ type: r.stopped, direction: 'out' })
  if (last?.timestampNs == null) {
    return { check: { ...base, measured: null, verdict: 'inconclusive', detail: `the recording holds no ${r.stopped} sent by the harness grandmaster, so the timeout has no start` }, measurements }
  }
  const tA = last.timestampNs
  const what = `the last ${r.stopped}`
  const sinceLast = d.watch.filter((x) => x.startNs >= tA || x.endNs >= tA)
  const leftAt = sinceLast.findIndex((x) => x.state !== undefined && !isSlave(x.state))
  // The DUT's first own Announce after the last message the harness sent: it had left SLAVE by then.
  const wire = d.recorder.first({ type: 'Announce', direction: 'in', from: tA, where: (f) => !harness.has(f.message!.header.sourcePortIdentity.clockIdentity) })
  const noise = ev.noise.ns
  let earliest: bigint | undefined
  let latest: bigint | undefined
  let how = ''
  if (leftAt >= 0) {
    const prevSlave = sinceLast.slice(0, leftAt).reverse().find((x) => x.state && isSlave(x.state))
    earliest = prevSlave ? prevSlave.startNs : tA
    latest = sinceLast[leftAt]!.endNs
    how = `port state polled every ${d.pollMs} ms: SLAVE read at ${after(earliest - tA)} ms, ${portStates(sinceLast[leftAt]!.state)} read by ${after(latest - tA)} ms`
  }
  if (wire?.timestampNs != null && (latest === undefined || wire.timestampNs < latest)) {
    latest = wire.timestampNs
    earliest ??= [...sinceLast].reverse().find((x) => x.state && isSlave(x.state) && x.startNs < wire.timestampNs!)?.startNs ?? tA
    how = `${how ? `${how}; ` : ''}its first own Announce arrived at ${after(wire.timestampNs - tA, 3)} ms`
  }
  // The DUT's own log, where it times its transitions (lab ptp4l, 1 ms): the tightest bracket,
  // used when it agrees with the polled one (same change, clocks mapped right).
  const logged = d.logTransitions?.find((x) => x.atNs + x.resolutionNs >= tA && following(x.from) && !following(x.to))
  if (logged) {
    const lo2 = logged.atNs
    const hi2 = logged.atNs + logged.resolutionNs
    const agrees = (earliest === undefined || hi2 + LOG_SLACK_NS >= earliest) && (latest === undefined || lo2 - LOG_SLACK_NS <= latest)
    if (agrees) {
      earliest = lo2
      latest = hi2
      how = `${how ? `${how}; ` : ''}its log: port ${logged.port} ${logged.from} to ${logged.to} on ${logged.event} at ${after(lo2 - tA)} ms (1 ms log resolution)`
    } else {
      how = `${how ? `${how}; ` : ''}its log's ${logged.from} to ${logged.to} at ${after(lo2 - tA)} ms lies outside that bracket and was not used`
    }
  }
  if (latest === undefined || earliest === undefined) {
    const lastRead = sinceLast.filter((x) => x.state).at(-1)
    if (lastRead && lastRead.startNs - tA > hi + noise) {
      return { check: { ...base, measured: 'never', verdict: 'fail', detail: `still ${portStates(lastRead.state)} ${ms(lastRead.startNs - tA).toFixed(0)} ms after ${what} (${sinceLast.length} reads), and it sent no Announce of its own` }, measurements }
    }
    return { check: { ...base, measured: null, verdict: 'inconclusive', detail: `the DUT's state could not be read long enough after ${what} (${sinceLast.length} reads, ${sinceLast.filter((x) => x.error).length} without answer, last ${lastRead ? `+${ms(lastRead.startNs - tA).toFixed(0)} ms` : 'none'}) and it sent no Announce` }, measurements }
  }
  // The leave lies in [earliest, latest]; the harness's timestamp noise widens it on both sides.
  const fromNs = earliest - tA - noise
  const toNs = latest - tA + noise
  const midMs = ms(fromNs + toNs) / 2
  const halfMs = ms(toNs - fromNs) / 2
  const verdict = judgeRange(midMs, ms(lo), ms(hi), halfMs)
  const edge = fromNs < lo && toNs > lo ? `N intervals (${ms(lo)} ms)` : fromNs < hi && toNs > hi ? `N + 1 intervals (${ms(hi)} ms)` : undefined
  const undecided = verdict === 'inconclusive' && edge ? `; undecided: the bracket (${ms(toNs - fromNs).toFixed(1)} ms wide) straddles the window's edge at ${edge}` : ''
  return {
    check: {
      ...base,
      measured: Number(midMs.toFixed(1)),
      unit: 'ms',
      limit: `${ms(lo)} … ${ms(hi)} ms (N = ${r.n} to N + 1 intervals of ${ms(t)} ms)`,
      noise: Number(halfMs.toFixed(1)),
      verdict,
      detail: `left between ${after(fromNs)} and ${after(toNs)} ms after ${what} (${how}; ±${formatNs(noise)} timestamp noise); ${r.setting}${undecided}`,
    },
    measurements: { ...measurements, leftFromNs: String(fromNs), leftToNs: String(toNs) },
  }
}
