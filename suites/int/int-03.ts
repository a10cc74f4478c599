/**
 * INT-03 — announceReceiptTimeout: the DUT (an ordinary clock that may become master)
 * follows the harness grandmaster; the grandmaster stops sending Announce (Sync goes
 * on); the DUT must leave SLAVE within [N − early, N + late] announce intervals of the
 * last Announce, N being its announceReceiptTimeout. The moment it leaves is the first
 * Announce it sends as the new master, timestamped on the wire (µs); a DUT that never
 * announces (slave-only) is judged by polling its port state, with the poll period and
 * read latency as the measurement's resolution.
 */
import { conformance } from '../../harness/run/definition.ts'
import { judgeRange } from '../../harness/verdict/verdict.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'

import { betterThanDefault, isSlave, lockTimeoutMs, masterConfig, startMasters, waitForState } from '../support/grandmasters.ts'

export default conformance({
  id: 'INT-03',
  title: 'announceReceiptTimeout: the DUT leaves SLAVE in time after Announce stops',
  area: 'INT',
  clause: 'IEEE 1588-2019 9.2.6.12, 7.7.3.1',
  mapsTo: ['UNH PWR.c.1.3'],
  tags: ['active', 'timeouts'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 20,
  appliesTo: () => true,
  async run(ctx) {
    const cfg = masterConfig(ctx, { name: 'gm', identity: 1 })
    const n = ctx.session.dutSettings.announceReceiptTimeout.value
    const tIntervalMs = 2 ** cfg.logAnnounceInterval * 1000
    const w = ctx.profile.tolerances.receiptTimeoutWindow
    const m = await startMasters(ctx, [{ name: 'gm', identity: 1, dataset: betterThanDefault(ctx) }], { freshDut: true, role: 'auto' })
    let elapsedMs: number | undefined
    let resolutionMs = 0
    let method = ''
    try {
      ctx.step('waiting for the DUT to follow the harness grandmaster')
      const locked = await waitForState(ctx, isSlave, lockTimeoutMs(cfg.logAnnounceInterval, n))
      if (locked.atMs === undefined) return { checks: [{ name: 'DUT follows the harness grandmaster', measured: 'no', limit: 'SLAVE or UNCALIBRATED', source: 'IEEE 1588-2019 9.2', verdict: 'inconclusive', detail: 'the DUT never became a slave' }] }
      await ctx.sleep(2 * tIntervalMs)
      ctx.step('silencing Announce (Sync continues)')
      m.control('gm', (gm) => gm.silence({ announce: true, sync: false, answers: false }))
      const silencedFrom = m.handle.recorder.size
      const left = await waitForState(ctx, (s) => !isSlave(s), (n + 4) * tIntervalMs + 3000, 20)
      const lastAnnounce = m.handle.recorder.last({ type: 'Announce', direction: 'out' })
      // The DUT's first own Announce after the silence: it became master, i.e. it left SLAVE.
      await ctx.sleep(tIntervalMs + 200)
      const dutAnnounce = m.handle.recorder.frames.slice(silencedFrom).find((f) => f.direction === 'in' && f.message?.type === 'Announce' && f.timestampNs !== null)
      if (lastAnnounce?.timestampNs != null && dutAnnounce && (left.atNs === undefined || dutAnnounce.timestampNs! <= left.atNs + BigInt(left.resolutionMs) * 1_000_000n)) {
        elapsedMs = Number(dutAnnounce.timestampNs! - lastAnnounce.timestampNs) / 1e6
        resolutionMs = Number(ctx.noiseNs) / 1e6
        method = "the DUT's first Announce as master, timestamped on arrival"
      } else if (left.atNs !== undefined && lastAnnounce?.timestampNs != null) {
        elapsedMs = Number(left.atNs - lastAnnounce.timestampNs) / 1e6
        resolutionMs = left.resolutionMs
        method = `the DUT's port state, polled every 20 ms (resolution ±${resolutionMs} ms)`
      }
    } finally {
      await m.close()
    }
    ctx.attach('receipt-timeout.pcapng', recordingToPcapng(m.handle.recorder), 'pcapng')
    const lo = (n - w.earlyIntervals.value) * tIntervalMs
    const hi = (n + w.lateIntervals.value) * tIntervalMs
    const source = `${ctx.profile.timeouts.announceReceiptTimeout.default.source}; window ${w.earlyIntervals.source}`
    if (elapsedMs === undefined) {
      return { checks: [{ name: 'DUT left SLAVE after Announce stopped', measured: 'never', limit: `within ${lo} … ${hi} ms`, source, verdict: 'fail', detail: `still a slave ${(n + 4)} intervals after the last Announce` }] }
    }
    return {
      checks: [
        {
          name: `time from the last Announce until the DUT left SLAVE (announceReceiptTimeout ${n} × ${tIntervalMs} ms)`,
          measured: Math.round(elapsedMs),
          unit: 'ms',
          limit: `${lo} … ${hi} ms ([N − ${w.earlyIntervals.value}, N + ${w.lateIntervals.value}] intervals)`,
          noise: resolutionMs,
          source,
          unconfirmed: w.earlyIntervals.unconfirmed || w.lateIntervals.unconfirmed,
          verdict: judgeRange(elapsedMs, lo, hi, resolutionMs),
          detail: `measured from ${method}`,
        },
      ],
      measurements: { announceReceiptTimeout: n, announceIntervalMs: tIntervalMs, elapsedMs, resolutionMs },
    }
  },
})
