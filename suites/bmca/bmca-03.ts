/**
 * BMCA-03 — failover: the DUT follows grandmaster A with backup B announcing too;
 * A falls silent; the DUT must move to B within the window our BMCA engine predicts:
 * its announce receipt timeout ([N − early, N + late] intervals after A's last
 * Announce, per the profile) plus the time B may need to requalify.
 */
import { predictFailover } from '../../harness/bmca/predictor.ts'
import { conformance } from '../../harness/run/definition.ts'
import { judgeRange } from '../../harness/verdict/verdict.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'

import { betterThanDefault, isSlaveOf, lockTimeoutMs, masterConfig, startMasters, waitForState } from '../support/grandmasters.ts'

export default conformance({
  id: 'BMCA-03',
  title: 'Failover to the backup grandmaster in the predicted time',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.2.6.12, 9.3.2.5',
  mapsTo: ['linuxptp-testsuite 07-latereselect', 'eco-gotests BC master-interface failure'],
  tags: ['active', 'bmca'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 20,
  appliesTo: () => true,
  async run(ctx) {
    const a = { name: 'gm-a', identity: 1, dataset: betterThanDefault(ctx) }
    const b = { name: 'gm-b', identity: 2 }
    const cfgA = masterConfig(ctx, a)
    const cfgB = masterConfig(ctx, b)
    const n = ctx.session.dutSettings.announceReceiptTimeout.value
    const w = ctx.profile.tolerances.receiptTimeoutWindow
    const tNs = BigInt(Math.round(2 ** cfgA.logAnnounceInterval * 1e9))
    const prediction = predictFailover({
      announceReceiptTimeout: n,
      logAnnounceInterval: cfgA.logAnnounceInterval,
      spread: 'standard',
      backup: { logAnnounceInterval: cfgB.logAnnounceInterval, qualification: 'requalify', threshold: ctx.profile.bmca.foreignMasterThreshold.value },
    })
    // 802.1AS also ages a master whose Sync stops (syncReceiptTimeout × sync interval, 10.7.3.1):
    // with both silenced, that timer may fire first, so the earliest switch is the sooner of the two.
    const sync = ctx.profile.timeouts.syncReceiptTimeout
    const ns = ctx.session.dutSettings.syncReceiptTimeout?.value
    const announceLoMs = Number(BigInt(n - w.earlyIntervals.value) * tNs) / 1e6
    const syncLoMs = ns !== undefined ? (ns - 1) * 2 ** cfgA.logSyncInterval * 1000 : Infinity
    const loMs = Math.min(announceLoMs, syncLoMs)
    const hiMs = Number(BigInt(n + w.lateIntervals.value) * tNs + prediction.qualificationNs) / 1e6
    const m = await startMasters(ctx, [a, b], { freshDut: true })
    let elapsedMs: number | undefined
    let resolutionMs = 0
    try {
      ctx.step('waiting for the DUT to follow grandmaster A')
      const locked = await waitForState(ctx, isSlaveOf(cfgA.clockIdentity), lockTimeoutMs(cfgA.logAnnounceInterval, n))
      if (locked.atMs === undefined) return { checks: [{ name: 'DUT follows grandmaster A', measured: locked.last?.grandmasterIdentity ?? 'none', limit: `= ${cfgA.clockIdentity}`, source: 'IEEE 1588-2019 9.3', verdict: 'inconclusive', detail: 'the DUT never followed A' }] }
      await ctx.sleep(Number(tNs) / 1e6)
      ctx.step(`grandmaster A falls silent; predicted switch ${loMs} … ${hiMs} ms after its last Announce`)
      m.control('gm-a', (gm) => gm.silence())
      const switched = await waitForState(ctx, isSlaveOf(cfgB.clockIdentity), hiMs + 5000, 20)
      const lastA = m.handle.recorder.last({ type: 'Announce', direction: 'out', sender: cfgA.clockIdentity })
      resolutionMs = switched.resolutionMs
      if (switched.atNs !== undefined && lastA?.timestampNs != null) elapsedMs = Number(switched.atNs - lastA.timestampNs) / 1e6
    } finally {
      await m.close()
      ctx.attach('failover.pcapng', recordingToPcapng(m.handle.recorder), 'pcapng')
    }
    const source = [ctx.profile.timeouts.announceReceiptTimeout.default.source, sync?.default.source, ctx.profile.bmca.foreignMasterThreshold.source].filter(Boolean).join('; ')
    return {
      checks: [
        {
          name: 'time from A\'s last Announce until the DUT followed B',
          measured: elapsedMs === undefined ? 'never' : Math.round(elapsedMs),
          unit: 'ms',
          limit: `${loMs} … ${hiMs} ms`,
          noise: resolutionMs,
          source,
          unconfirmed: w.lateIntervals.unconfirmed || ctx.profile.bmca.foreignMasterThreshold.unconfirmed,
          verdict: elapsedMs === undefined ? 'fail' : judgeRange(elapsedMs, loMs, hiMs, resolutionMs),
          detail: `${prediction.explanation}${ns !== undefined ? `; or syncReceiptTimeout ${ns} × ${2 ** cfgA.logSyncInterval * 1000} ms after the last Sync` : ''}; DUT state polled every 20 ms, resolution ±${resolutionMs} ms`,
        },
      ],
      measurements: { elapsedMs, predictedLoMs: loMs, predictedHiMs: hiMs, resolutionMs },
    }
  },
})
