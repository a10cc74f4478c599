/**
 * INT-03 — announceReceiptTimeout: the DUT (an ordinary clock that may become master)
 * follows the harness grandmaster; the grandmaster stops sending Announce (Sync goes on);
 * the DUT must leave SLAVE no earlier than N announce intervals after the last Announce and
 * no later than one interval after that (1588-2019 9.2.6.12, 7.7.3.1: the timeout is N
 * intervals; ptp4l adds U(0, 1] interval), N being the DUT's CONFIGURED announceReceiptTimeout.
 * How the moment it left is bracketed and judged: suites/support/receipt_timeout.ts.
 */
import { type Check, conformance, describeSetting, type DutState, type Evidence, formatNs, isSlave, lockTimeoutMs, logIntervalToNs, Recorder, betterThanDefault, startMasters, waitForState, logIntervalToMs } from '../kit.ts'
import { describeStates } from '../support/state_history.ts'
import { judgeLeave, loggedTransitions, type PolledState, RECEIPT_POLL_MS, watchUntilLeft } from '../support/receipt_timeout.ts'
import type { PortTransition } from '../../harness/dut/types.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'

export type { PolledState }

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
  /** The port state changes the DUT logged after the silence (lab ptp4l: timed to 1 ms). */
  logTransitions?: PortTransition[]
}

const SOURCE = 'IEEE 1588-2019 9.2.6.12, 7.7.3.1: announceReceiptTimeout × announce interval, plus at most one interval (ptp4l: U(0, 1])'

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
    let logTransitions: PortTransition[] | undefined
    try {
      ctx.step('waiting for the DUT to follow the harness grandmaster')
      const locked = await waitForState(ctx, isSlave, lockTimeoutMs(s.intervals.announce.value, n))
      lock = locked.history
      if (locked.atMs !== undefined) {
        await ctx.sleep(2 * tMs)
        ctx.step(`silencing Announce (Sync continues); the DUT should leave SLAVE after ${n} to ${n + 1} × ${tMs} ms`)
        silencedAtNs = systemTimeNs()
        m.control('gm', (gm) => gm.silence({ announce: true, sync: false, answers: false }))
        watch = await watchUntilLeft(ctx, (n + 3) * tMs + 3000)
        // Its first Announce as master comes after PRE_MASTER (ptp4l: about one interval).
        if (watch.at(-1)?.state && !isSlave(watch.at(-1)!.state!)) await ctx.sleep(2 * tMs + 200)
      }
      if (silencedAtNs !== undefined) logTransitions = await loggedTransitions(ctx, silencedAtNs - 1_000_000_000n)
    } finally {
      await m.close()
    }
    return { recorder: m.handle.recorder, lock, ...(silencedAtNs !== undefined ? { silencedAtNs } : {}), watch, pollMs: RECEIPT_POLL_MS, ...(logTransitions ? { logTransitions } : {}) }
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
    const name = `time from the last Announce until the DUT left SLAVE (announceReceiptTimeout ${n} × ${formatNs(t)})`
    if (d.silencedAtNs === undefined) {
      checks.push({ name: 'DUT follows the harness grandmaster', measured: 'never', limit: 'SLAVE or UNCALIBRATED', source: 'IEEE 1588-2019 9.2.5 (state decision), 9.3', verdict: 'fail', detail: `the DUT never became a slave of the harness grandmaster; its states: ${describeStates(d.lock)}` })
      return { checks }
    }
    const left = judgeLeave(ev, { stopped: 'Announce', n, intervalNs: t, name, source: SOURCE, setting: describeSetting('N', configured) })
    checks.push(left.check)
    const { timeoutIntervals: _n, intervalNs, ...rest } = left.measurements
    return { checks, measurements: { announceReceiptTimeout: n, announceIntervalNs: intervalNs!, ...rest } }
  },
})
