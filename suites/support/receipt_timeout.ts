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
import type { AnnounceDataset } from '../../harness/engines/test_master.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { formatNs } from '../../harness/time/format.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { type Check, judgeRange } from '../../harness/verdict/verdict.ts'
import { betterThanDefault, isSlave, lockTimeoutMs, negotiationDelayMs, startMasters, waitForState } from './grandmasters.ts'
import { LOG_SLACK_NS, neverFollowedCheck, portStates } from './state_history.ts'

/** One management read of the DUT's state, bracketed on the timestamp clock. */
export interface PolledState {
  startNs: bigint
  endNs: bigint
  state?: DutState
  error?: string
}

export const RECEIPT_POLL_MS = 20

export interface ReceiptTimeoutData {
  /** The harness port: the grandmaster's Announce/Sync out, the DUT's frames in. */
  recorder: Recorder
  /** What the DUT said while the harness waited for it to follow (waitForState history). */
  lock: { atNs: bigint; state?: DutState; error?: string }[]
  /** When the harness stopped the message (timestamp clock); absent if the DUT never followed. */
  silencedAtNs?: bigint
  /** The DUT's state after the silence, every read bracketed. */
  watch: PolledState[]
  pollMs: number
  /** The port state changes the DUT logged after the silence (lab ptp4l: timed to 1 ms). */
  logTransitions?: PortTransition[]
}

/**
 * The DUT (role auto) follows one harness grandmaster; after `settleMs` the grandmaster stops
 * `stop` (the other message goes on; 'all': Announce and Sync stop) and the DUT's state is polled
 * until it leaves SLAVE, then for `afterLeaveMs` more so its own Announces are recorded.
 */
export async function acquireReceiptTimeout(
  ctx: TestContext,
  o: { stop: 'Announce' | 'Sync' | 'all'; n: number; intervalMs: number; settleMs: number; afterLeaveMs: number; dataset?: Partial<AnnounceDataset> },
): Promise<ReceiptTimeoutData> {
  const s = ctx.session.dutSettings
  const m = await startMasters(ctx, [{ name: 'gm', identity: 1, dataset: { ...betterThanDefault(ctx), ...o.dataset } }], { freshDut: true, role: 'auto', askDutAnnounce: true })
  const d: ReceiptTimeoutData = { recorder: m.handle.recorder, lock: [], watch: [], pollMs: RECEIPT_POLL_MS }
  try {
    ctx.step('waiting for the DUT to follow the harness grandmaster')
    const locked = await waitForState(ctx, isSlave, lockTimeoutMs(s.intervals.announce.value, s.announceReceiptTimeout.value, ctx.session.dutSettings))
    d.lock = locked.history
    if (locked.atMs === undefined) return d
    // A unicast slave has Sync only a query tick or two after it chose its master: settle past that.
    await ctx.sleep(o.settleMs + negotiationDelayMs(s))
    const other = o.stop === 'Announce' ? 'Sync' : 'Announce'
    ctx.step(`silencing ${o.stop === 'all' ? 'the grandmaster' : `${o.stop} (${other} continues)`}; the DUT should leave SLAVE after ${o.n} to ${o.n + 1} × ${o.intervalMs} ms`)
    d.silencedAtNs = systemTimeNs()
    // Peer-delay answers go on: the link stays up (under 802.1AS a port without them is not asCapable and sends nothing).
    m.control('gm', (gm) => gm.silence({ announce: o.stop !== 'Sync', sync: o.stop !== 'Announce', answers: false }))
    d.watch = await watchUntilLeft(ctx, (o.n + 3) * o.intervalMs + 3000)
    // Its first Announce as master comes after PRE_MASTER (ptp4l: about one announce interval).
    if (d.watch.at(-1)?.state && !isSlave(d.watch.at(-1)!.state!)) await ctx.sleep(o.afterLeaveMs)
    const logged = await loggedTransitions(ctx, d.silencedAtNs - 1_000_000_000n)
    if (logged) d.logTransitions = logged
  } finally {
    await m.close()
  }
  return d
}

/** The FAIL when the DUT never followed the grandmaster, so no timeout could start (undefined: it did). */
export function neverFollowed(d: ReceiptTimeoutData): Check | undefined {
  if (d.silencedAtNs !== undefined) return undefined
  return neverFollowedCheck(d.lock, 'its grandmaster', 'the DUT never became a slave of the harness grandmaster; ')
}

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
export function judgeLeave(ev: Evidence<ReceiptTimeoutData>, r: LeaveRule): { check: Check; measurements: Record<string, string | number> } {
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
  // A read that ended before the last message went out and shows the DUT no longer a slave: it
  // left while the messages still flowed (a timeout far too short), whatever happened after.
  const early = d.watch.find((x) => x.endNs < tA && x.state !== undefined && !isSlave(x.state))
  if (early) {
    return { check: { ...base, measured: `${portStates(early.state)} ${ms(tA - early.endNs).toFixed(1)} ms before ${what}`, verdict: 'fail', detail: `a state read that ended ${ms(tA - early.endNs).toFixed(1)} ms before ${what} went out shows ${portStates(early.state)}: the DUT left SLAVE while ${r.stopped} still flowed` }, measurements }
  }
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
