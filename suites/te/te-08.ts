/**
 * TE-08 — the DUT slave's self-reported offset agrees with the offset the harness
 * grandmaster injects. The emulated grandmaster runs its time base ahead of the
 * timestamp clock by a known offset; a conformant slave must report
 * offsetFromMaster = −offset. A second phase moves part of that time into
 * correctionField and shifts the timestamps by the same amount: a correct slave
 * reports the same offset. Agreement is judged against the harness's noise plus the
 * spread of the DUT's own reports.
 */
import { TimeBase } from '../../harness/engines/time_base.ts'
import { conformance } from '../../harness/run/definition.ts'
import { summarize } from '../../harness/stats/percentiles.ts'
import { formatNs } from '../../harness/time/format.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'
import type { TestContext } from '../../harness/run/context.ts'
import { isSlave, lockTimeoutMs, masterConfig, startMasters, waitForState } from '../support/grandmasters.ts'
import type { Masters } from '../support/grandmasters.ts'

async function sampleOffsets(ctx: TestContext, m: Masters, seconds: number): Promise<{ reported: bigint[]; errors: bigint[] }> {
  const reported: bigint[] = []
  const errors: bigint[] = []
  const end = Date.now() + seconds * 1000
  while (Date.now() < end) {
    const s = await ctx.session.dut.readState().catch(() => undefined)
    if (s?.offsetFromMasterNs !== undefined && isSlave(s)) {
      const expected = m.master('gm').expectedSlaveOffsetNs(BigInt(s.readAt) * 1_000_000n)
      reported.push(s.offsetFromMasterNs)
      errors.push(s.offsetFromMasterNs - expected)
    }
    await ctx.sleep(250)
  }
  return { reported, errors }
}

function medianAbs(values: bigint[]): bigint {
  const s = summarize(values)
  return s.p50 < 0n ? -s.p50 : s.p50
}

export default conformance({
  id: 'TE-08',
  title: "The DUT's self-reported offset agrees with the injected offset",
  area: 'TE',
  clause: 'IEEE 1588-2019 11.2, 11.3 (offsetFromMaster), 13.3.2.9 (correctionField)',
  mapsTo: ['Meinberg self-report vs measured'],
  tags: ['active', 'time-error', 'management'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 30,
  appliesTo: () => true,
  async run(ctx) {
    const p = ctx.params({ injectedOffsetNs: 1_000_000, correctionShiftNs: 250_000, sampleSeconds: 6 })
    const injected = BigInt(p.injectedOffsetNs)
    const spec = { name: 'gm', identity: 1, extra: { timeBase: new TimeBase({ offsetNs: injected }) } }
    const cfg = masterConfig(ctx, spec)
    const m = await startMasters(ctx, [spec], { freshDut: true })
    const checks: Check[] = []
    const measurements: Record<string, unknown> = { injectedOffsetNs: String(injected) }
    try {
      ctx.step(`grandmaster time base ahead by ${formatNs(injected)}; waiting for the DUT to lock`)
      const locked = await waitForState(ctx, (s) => isSlave(s) && s.offsetFromMasterNs !== undefined, lockTimeoutMs(cfg.logAnnounceInterval, 3))
      if (locked.atMs === undefined) return { checks: [{ name: 'DUT follows the harness grandmaster', measured: 'no', limit: 'SLAVE or UNCALIBRATED', source: 'IEEE 1588-2019 9.2', verdict: 'inconclusive', detail: 'the DUT never became a slave' }] }
      // Let the DUT's delay measurement settle (it needs a few Delay_Req exchanges).
      await ctx.sleep(4 * 2 ** Math.max(cfg.logSyncInterval, cfg.logMinDelayReqInterval ?? 0) * 1000 + 1000)
      ctx.step(`sampling the DUT's offsetFromMaster for ${p.sampleSeconds} s`)
      const plain = await sampleOffsets(ctx, m, p.sampleSeconds)
      ctx.step(`moving ${formatNs(BigInt(p.correctionShiftNs))} into correctionField`)
      m.control('gm', (gm) => gm.setCorrectionShift({ ns: BigInt(p.correctionShiftNs) }))
      await ctx.sleep(2 * 2 ** cfg.logSyncInterval * 1000 + 500)
      const shifted = await sampleOffsets(ctx, m, p.sampleSeconds)
      measurements.reportedPlainNs = plain.reported.map(String)
      measurements.reportedShiftedNs = shifted.reported.map(String)
      for (const [label, s] of [['injected offset', plain], ['with the offset partly in correctionField', shifted]] as const) {
        if (s.errors.length < 5) {
          checks.push({ name: `${label}: DUT reports`, measured: s.errors.length, limit: '≥ 5 reports', source: 'harness', verdict: 'inconclusive', detail: 'too few offset reports while the DUT was a slave' })
          continue
        }
        const spread = summarize(s.errors.map((e) => (e < 0n ? -e : e))).p90
        const err = medianAbs(s.errors)
        const noise = Number(ctx.noiseNs + spread)
        checks.push({
          name: `${label}: |median reported − expected offsetFromMaster|`,
          measured: Number(err),
          unit: 'ns',
          limit: '0 ns (within the measurement noise)',
          noise,
          source: 'IEEE 1588-2019 11.3.2 (offsetFromMaster)',
          // Agreement means the disagreement is no larger than what harness and DUT jitter explain.
          verdict: Number(err) <= noise ? 'pass' : 'fail',
          detail: `expected ${formatNs(-injected)}; median reported ${formatNs(summarize(s.reported).p50)}; noise = harness ${formatNs(ctx.noiseNs)} + DUT report spread p90 ${formatNs(spread)}`,
        })
      }
    } finally {
      await m.close()
      ctx.attach('offset.pcapng', recordingToPcapng(m.handle.recorder), 'pcapng')
    }
    return { checks, measurements }
  },
})
