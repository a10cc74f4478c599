/**
 * BMCA-04 — a DUT that is grandmaster (an ordinary clock, alone on its link) yields
 * to a better grandmaster: once the harness's better clock is qualified
 * (foreignMasterThreshold Announces), the DUT must stop sending Announce and Sync.
 * Measured on the wire: from the harness's first Announce to the DUT's last Announce
 * or Sync, against (threshold + 1) announce intervals.
 */
import { conformance } from '../../harness/run/definition.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { judgeBound } from '../../harness/verdict/verdict.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'
import { betterThanDefault, masterConfig, startMasters } from '../support/grandmasters.ts'

export default conformance({
  id: 'BMCA-04',
  title: 'A DUT grandmaster yields to a better grandmaster',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.3, 9.2.5 (state decision; a slave or passive port sends no Announce/Sync)',
  mapsTo: ['OpenAvnu PR #372', 'IEEE 802.1AS 10.3.12'],
  tags: ['active', 'bmca'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 25,
  appliesTo: () => true,
  async run(ctx) {
    const gm = { name: 'gm', identity: 1, dataset: betterThanDefault(ctx), extra: { sendAnnounce: false, sendSync: false } }
    const cfg = masterConfig(ctx, gm)
    const tMs = 2 ** cfg.logAnnounceInterval * 1000
    const threshold = ctx.profile.bmca.foreignMasterThreshold.value
    const m = await startMasters(ctx, [gm], { freshDut: true, role: 'auto' })
    const checks: Check[] = []
    let yieldMs: number | undefined
    try {
      ctx.step('waiting for the DUT to become grandmaster on its own')
      const t0 = Date.now()
      const dutSends = () => m.handle.recorder.query({ direction: 'in' }).filter((f) => f.message?.type === 'Announce' || f.message?.type === 'Sync')
      while (Date.now() - t0 < 30_000 && !dutSends().some((f) => f.message?.type === 'Announce')) await ctx.sleep(100)
      const wasMaster = dutSends().some((f) => f.message?.type === 'Announce')
      checks.push({ name: 'DUT is grandmaster before the test', measured: wasMaster ? 'sends Announce' : 'silent', limit: 'sends Announce', source: 'IEEE 1588-2019 9.2.5', verdict: wasMaster ? 'pass' : 'inconclusive' })
      if (!wasMaster) return { checks }
      await ctx.sleep(2 * tMs)
      ctx.step('a better grandmaster starts announcing')
      m.control('gm', (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
      await ctx.sleep((threshold + 6) * tMs)
      const first = m.handle.recorder.first({ type: 'Announce', direction: 'out' })
      const dutAfter = dutSends().filter((f) => f.timestampNs !== null && first?.timestampNs != null && f.timestampNs > first.timestampNs)
      const lastDut = dutAfter.at(-1) ?? dutSends().filter((f) => f.timestampNs !== null).at(-1)
      if (first?.timestampNs != null && lastDut?.timestampNs != null) yieldMs = Math.max(0, Number(lastDut.timestampNs - first.timestampNs) / 1e6)
      const now = m.handle.recorder.frames.at(-1)?.timestampNs ?? 0n
      const tail = dutSends().filter((f) => f.timestampNs !== null && now - f.timestampNs! < BigInt(Math.round(3 * tMs * 1e6)))
      checks.push({
        name: 'DUT Announce/Sync in the last 3 announce intervals',
        measured: tail.length,
        limit: '= 0',
        source: 'IEEE 1588-2019 9.2.5',
        verdict: tail.length === 0 ? 'pass' : 'fail',
      })
    } finally {
      await m.close()
      ctx.attach('yield.pcapng', recordingToPcapng(m.handle.recorder), 'pcapng')
    }
    const hiMs = (threshold + 1) * tMs
    checks.push({
      name: "time from the harness's first Announce to the DUT's last Announce or Sync",
      measured: yieldMs === undefined ? 'n/a' : Math.round(yieldMs * 1000) / 1000,
      unit: 'ms',
      limit: `≤ ${hiMs} ms (foreignMasterThreshold ${threshold} + 1 announce intervals)`,
      noise: Number(ctx.noiseNs) / 1e6,
      source: ctx.profile.bmca.foreignMasterThreshold.source,
      unconfirmed: ctx.profile.bmca.foreignMasterThreshold.unconfirmed,
      verdict: yieldMs === undefined ? 'inconclusive' : judgeBound(yieldMs, hiMs, Number(ctx.noiseNs) / 1e6, 'max'),
    })
    return { checks, measurements: { yieldMs, limitMs: hiMs } }
  },
})
