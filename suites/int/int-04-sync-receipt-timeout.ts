/**
 * INT-04 — syncReceiptTimeout (802.1AS): the DUT follows the harness grandmaster, which stops
 * Sync (and Follow_Up) while its Announce goes on; the DUT must stop using it — leave SLAVE —
 * no earlier than N sync intervals after the last Sync and no later than one interval after
 * that, N being the DUT's configured syncReceiptTimeout (ptp4l: port_set_sync_rx_tmo, an
 * exact N × 2^logSyncInterval restarted by each Sync/Follow_Up pair). Bracketing and judging:
 * suites/support/receipt_timeout.ts.
 */
import { type Check, conformance, describeSetting, type Evidence, formatNs, logIntervalToMs, logIntervalToNs } from '../kit.ts'
import { acquireReceiptTimeout, judgeLeave, neverFollowed, type ReceiptTimeoutData } from '../support/receipt_timeout.ts'

export type SyncTimeoutData = ReceiptTimeoutData

export default conformance<SyncTimeoutData>({
  id: 'INT-04',
  title: 'syncReceiptTimeout: the DUT leaves SLAVE in time after Sync stops while Announce goes on',
  area: 'INT',
  clause: 'IEEE 802.1AS-2020 syncReceiptTimeout (a port whose master stops Sync ages it like an announce receipt timeout)',
  mapsTo: ['excelfore gPTP scenarios (Sync stopped, Announce kept)', 'linuxptp port.c port_set_sync_rx_tmo'],
  tags: ['active', 'timeouts', 'gptp'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 8,
  criteria: {
    pass: "the DUT's configured syncReceiptTimeout N lies in the profile's range, and it leaves SLAVE between N and N + 1 sync intervals after the last Sync while Announce continues",
    fail: 'N is outside the range, or the DUT never follows the grandmaster, leaves SLAVE before N intervals, later than N + 1, or never',
  },
  appliesTo: (p) => (p.timeouts.syncReceiptTimeout ? true : `profile ${p.id} defines no syncReceiptTimeout`),
  // Its timer fires exactly N intervals after the last Sync, the window's lower edge: a ~20 ms
  // state-read bracket around it cannot tell that from leaving a few ms early.
  referenceBaseline: () => 'the reference DUT ages its master exactly N sync intervals after the last Sync, on the window\'s lower edge, which the ~20 ms state-read bracket cannot decide',
  acquire(ctx) {
    const s = ctx.session.dutSettings
    const n = s.syncReceiptTimeout?.value
    if (n === undefined) throw new Error('the DUT settings hold no syncReceiptTimeout although the profile defines one')
    const tMs = logIntervalToMs(s.intervals.sync.value)
    return acquireReceiptTimeout(ctx, { stop: 'Sync', n, intervalMs: tMs, settleMs: 4 * tMs + 200, afterLeaveMs: 2 * logIntervalToMs(s.intervals.announce.value) + 200 })
  },
  judge(ev: Evidence<SyncTimeoutData>, profile) {
    const d = ev.data
    const configured = ev.dut.syncReceiptTimeout
    const spec = profile.timeouts.syncReceiptTimeout
    if (!configured || !spec) {
      return { checks: [{ name: 'configured syncReceiptTimeout', measured: null, limit: 'set', source: 'DUT settings', verdict: 'not-applicable', detail: 'neither the profile nor the DUT settings define a syncReceiptTimeout' }] }
    }
    const n = configured.value
    const range = spec.range
    const checks: Check[] = [
      {
        name: "configured syncReceiptTimeout within the profile's range",
        measured: n,
        limit: `${range.value[0]} … ${range.value[1]}`,
        source: range.source,
        ...(range.unconfirmed ? { unconfirmed: true } : {}),
        verdict: n >= range.value[0] && n <= range.value[1] ? 'pass' : 'fail',
        detail: describeSetting('syncReceiptTimeout', configured),
      },
    ]
    const never = neverFollowed(d)
    if (never) return { checks: [...checks, never] }
    const t = logIntervalToNs(ev.dut.intervals.sync.value)
    const left = judgeLeave(ev, {
      stopped: 'Sync',
      n,
      intervalNs: t,
      name: `time from the last Sync until the DUT left SLAVE (syncReceiptTimeout ${n} × ${formatNs(t)})`,
      source: `${spec.default.source}: syncReceiptTimeout × sync interval, plus at most one interval`,
      setting: describeSetting('N', configured),
    })
    checks.push(left.check)
    return { checks, measurements: left.measurements }
  },
})
