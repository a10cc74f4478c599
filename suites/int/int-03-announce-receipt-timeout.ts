/**
 * INT-03 — announceReceiptTimeout: the DUT (an ordinary clock that may become master)
 * follows the harness grandmaster; the grandmaster stops sending Announce (Sync goes on);
 * the DUT must leave SLAVE no earlier than N announce intervals after the last Announce and
 * no later than one interval after that (1588-2019 9.2.6.12, 7.7.3.1: the timeout is N
 * intervals; ptp4l adds U(0, 1] interval), N being the DUT's CONFIGURED announceReceiptTimeout.
 * How the moment it left is bracketed and judged: suites/support/receipt_timeout.ts.
 */
import { type Check, conformance, describeSetting, type Evidence, formatNs, logIntervalToMs, logIntervalToNs } from '../kit.ts'
import { acquireReceiptTimeout, judgeLeave, neverFollowed, type PolledState, type ReceiptTimeoutData } from '../support/receipt_timeout.ts'

export type { PolledState, ReceiptTimeoutData }

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
  acquire(ctx) {
    const s = ctx.session.dutSettings
    const tMs = logIntervalToMs(s.intervals.announce.value)
    return acquireReceiptTimeout(ctx, { stop: 'Announce', n: s.announceReceiptTimeout.value, intervalMs: tMs, settleMs: 2 * tMs, afterLeaveMs: 2 * tMs + 200 })
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
    const never = neverFollowed(d)
    if (never) return { checks: [...checks, never] }
    const left = judgeLeave(ev, { stopped: 'Announce', n, intervalNs: t, name, source: SOURCE, setting: describeSetting('N', configured) })
    checks.push(left.check)
    const { timeoutIntervals: _n, intervalNs, ...rest } = left.measurements
    return { checks, measurements: { announceReceiptTimeout: n, announceIntervalNs: intervalNs!, ...rest } }
  },
})
