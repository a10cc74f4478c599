/**
 * INT-03 — announceReceiptTimeout: the DUT (an ordinary clock that may become master)
 * follows the harness grandmaster; the grandmaster stops sending Announce (Sync goes on);
 * the DUT must leave SLAVE no earlier than N announce intervals after the last Announce and
 * no later than one interval after that (1588-2019 9.2.6.12, 7.7.3.1: the timeout is N
 * intervals; ptp4l adds U(0, 1] interval), N being the DUT's CONFIGURED announceReceiptTimeout.
 * The moment it left is bracketed by its port state, polled (last SLAVE read … first other
 * read), and tightened by its first own Announce on the wire when that comes earlier; the
 * window is widened only by that bracket and the harness's timestamp noise.
 */
import { type Check, conformance, describeSetting, type DutState, type Evidence, formatNs, isSlave, lockTimeoutMs, logIntervalToNs, Recorder, betterThanDefault, startMasters, judgeRange, type TestContext, waitForState, logIntervalToMs } from '../kit.ts'
import { describeStates, portStates } from '../support/state_history.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'

/** One management read of the DUT's state, bracketed on the timestamp clock. */
export interface PolledState {
  startNs: bigint
  endNs: bigint
  state?: DutState
  error?: string
}

export interface ReceiptTimeoutData {
  /** The harness port: the grandmaster's Announce/Sync out, the DUT's frames in. */
  recorder: Recorder
  /** What the DUT said while the harness waited for it to follow (waitForState history). */
  lock: { atNs: bigint; state?: DutState; error?: string }[]
  /** When the harness stopped its Announce (timestamp clock); absent if the DUT never followed. */
  silencedAtNs?: bigint
  /** The DUT's state after the silence, every read bracketed. */
  watch: PolledState[]
  pollMs: number
}

const POLL_MS = 20
const SOURCE = 'IEEE 1588-2019 9.2.6.12, 7.7.3.1: announceReceiptTimeout × announce interval, plus at most one interval (ptp4l: U(0, 1])'

/** Poll the port state until it is no longer SLAVE/UNCALIBRATED (or timeout), keeping every read. */
async function watchState(ctx: TestContext, timeoutMs: number): Promise<PolledState[]> {
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
    await ctx.sleep(POLL_MS)
  }
  return reads
}

const ms = (ns: bigint | number) => Number(ns) / 1e6
/** "+3478.0" / "−0.0": ms after the last Announce, signed. */
const after = (ns: bigint, digits = 1) => `${ns < 0n ? '−' : '+'}${Math.abs(ms(ns)).toFixed(digits)}`

export default conformance<ReceiptTimeoutData>({
  id: 'INT-03',
  title: 'announceReceiptTimeout: the DUT leaves SLAVE in time after Announce stops',
  area: 'INT',
  clause: 'IEEE 1588-2019 9.2.6.12, 7.7.3.1',
  mapsTo: ['UNH PWR.c.1.3'],
  tags: ['active', 'timeouts'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 25,
  criteria: {
    pass: "the DUT's configured announceReceiptTimeout N lies in the profile's range, and it leaves SLAVE between N and N + 1 announce intervals after the last Announce",
    fail: 'N is outside the range, or the DUT never follows the grandmaster, leaves SLAVE before N intervals, later than N + 1, or never',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const s = ctx.session.dutSettings
    const n = s.announceReceiptTimeout.value
    const tMs = logIntervalToMs(s.intervals.announce.value)
    const m = await startMasters(ctx, [{ name: 'gm', identity: 1, dataset: betterThanDefault(ctx) }], { freshDut: true, role: 'auto' })
    let lock: ReceiptTimeoutData['lock'] = []
    let silencedAtNs: bigint | undefined
    let watch: PolledState[] = []
    try {
      ctx.step('waiting for the DUT to follow the harness grandmaster')
      const locked = await waitForState(ctx, isSlave, lockTimeoutMs(s.intervals.announce.value, n))
      lock = locked.history
      if (locked.atMs !== undefined) {
        await ctx.sleep(2 * tMs)
        ctx.step(`silencing Announce (Sync continues); the DUT should leave SLAVE after ${n} to ${n + 1} × ${tMs} ms`)
        silencedAtNs = systemTimeNs()
        m.control('gm', (gm) => gm.silence({ announce: true, sync: false, answers: false }))
        watch = await watchState(ctx, (n + 3) * tMs + 3000)
        // Its first Announce as master comes after PRE_MASTER (ptp4l: about one interval).
        if (watch.at(-1)?.state && !isSlave(watch.at(-1)!.state!)) await ctx.sleep(2 * tMs + 200)
      }
    } finally {
      await m.close()
    }
    return { recorder: m.handle.recorder, lock, ...(silencedAtNs !== undefined ? { silencedAtNs } : {}), watch, pollMs: POLL_MS }
  },
  judge(ev: Evidence<ReceiptTimeoutData>, profile) {
    const d = ev.data
    const configured = ev.dut.announceReceiptTimeout
    const n = configured.value
    const range = profile.timeouts.announceReceiptTimeout.range
    const checks: Check[] = [
      {
        name: "configured announceReceiptTimeout within the profile's range",
        measured: n,
        limit: `${range.value[0]} … ${range.value[1]}`,
        source: range.source,
        unconfirmed: range.unconfirmed,
        verdict: n >= range.value[0] && n <= range.value[1] ? 'pass' : 'fail',
        detail: describeSetting('announceReceiptTimeout', configured),
      },
    ]
    const t = logIntervalToNs(ev.dut.intervals.announce.value)
    const lo = BigInt(n) * t
    const hi = lo + t
    const limit = `${formatNs(lo)} … ${formatNs(hi)} (N = ${n} to N + 1 intervals of ${formatNs(t)})`
    const base = { name: `time from the last Announce until the DUT left SLAVE (announceReceiptTimeout ${n} × ${formatNs(t)})`, limit, source: SOURCE }
    if (d.silencedAtNs === undefined) {
      checks.push({ ...base, name: 'DUT follows the harness grandmaster', measured: 'never', limit: 'SLAVE or UNCALIBRATED', source: 'IEEE 1588-2019 9.2.5 (state decision), 9.3', verdict: 'fail', detail: `the DUT never became a slave of the harness grandmaster; its states: ${describeStates(d.lock)}` })
      return { checks }
    }
    const harness = new Set(ev.session.harnessClockIdentities)
    const lastAnnounce = d.recorder.last({ type: 'Announce', direction: 'out' })
    if (lastAnnounce?.timestampNs == null) {
      checks.push({ ...base, measured: null, verdict: 'inconclusive', detail: 'the recording holds no Announce sent by the harness grandmaster, so the timeout has no start' })
      return { checks }
    }
    const tA = lastAnnounce.timestampNs
    const sinceLast = d.watch.filter((r) => r.startNs >= tA || r.endNs >= tA)
    const leftAt = sinceLast.findIndex((r) => r.state !== undefined && !isSlave(r.state))
    // The DUT's first own Announce after the last one the harness sent: it had left SLAVE by then.
    const wire = d.recorder.first({ type: 'Announce', direction: 'in', from: tA, where: (f) => !harness.has(f.message!.header.sourcePortIdentity.clockIdentity) })
    const noise = ev.noise.ns
    let earliest: bigint | undefined
    let latest: bigint | undefined
    let how = ''
    if (leftAt >= 0) {
      const prevSlave = sinceLast.slice(0, leftAt).reverse().find((r) => r.state && isSlave(r.state))
      earliest = prevSlave ? prevSlave.startNs : tA
      latest = sinceLast[leftAt]!.endNs
      how = `port state polled every ${d.pollMs} ms: SLAVE read at ${after(earliest - tA)} ms, ${portStates(sinceLast[leftAt]!.state)} read by ${after(latest - tA)} ms`
    }
    if (wire?.timestampNs != null && (latest === undefined || wire.timestampNs < latest)) {
      latest = wire.timestampNs
      earliest ??= [...sinceLast].reverse().find((r) => r.state && isSlave(r.state) && r.startNs < wire.timestampNs!)?.startNs ?? tA
      how = `${how ? `${how}; ` : ''}its first own Announce arrived at ${after(wire.timestampNs - tA, 3)} ms`
    }
    if (latest === undefined || earliest === undefined) {
      const lastRead = sinceLast.filter((r) => r.state).at(-1)
      if (lastRead && lastRead.startNs - tA > hi + noise) {
        checks.push({ ...base, measured: 'never', verdict: 'fail', detail: `still ${portStates(lastRead.state)} ${ms(lastRead.startNs - tA).toFixed(0)} ms after the last Announce (${sinceLast.length} reads), and it sent no Announce of its own` })
      } else {
        checks.push({ ...base, measured: null, verdict: 'inconclusive', detail: `the DUT's state could not be read long enough after the last Announce (${sinceLast.length} reads, ${sinceLast.filter((r) => r.error).length} without answer, last ${lastRead ? `+${ms(lastRead.startNs - tA).toFixed(0)} ms` : 'none'}) and it sent no Announce` })
      }
      return { checks, measurements: { announceReceiptTimeout: n, announceIntervalNs: String(t) } }
    }
    // The leave lies in [earliest, latest]; the harness's timestamp noise widens it on both sides.
    const fromNs = earliest - tA - noise
    const toNs = latest - tA + noise
    const midMs = ms(fromNs + toNs) / 2
    const halfMs = ms(toNs - fromNs) / 2
    checks.push({
      ...base,
      measured: Number(midMs.toFixed(1)),
      unit: 'ms',
      limit: `${ms(lo)} … ${ms(hi)} ms (N = ${n} to N + 1 intervals of ${ms(t)} ms)`,
      noise: Number(halfMs.toFixed(1)),
      verdict: judgeRange(midMs, ms(lo), ms(hi), halfMs),
      detail: `left between ${after(fromNs)} and ${after(toNs)} ms after the last Announce (${how}; ±${formatNs(noise)} timestamp noise); ${describeSetting('N', configured)}`,
    })
    return { checks, measurements: { announceReceiptTimeout: n, announceIntervalNs: String(t), leftFromNs: String(fromNs), leftToNs: String(toNs) } }
  },
})
