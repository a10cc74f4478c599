/**
 * TE-08 — the DUT slave's self-reported offsetFromMaster agrees with the offset the harness
 * grandmaster injects. The emulated grandmaster runs its time base ahead of the timestamp
 * clock by a known offset, so a conformant slave reports offsetFromMaster = −offset; a second
 * phase moves part of that time into correctionField (timestamps shifted by the same amount),
 * which a correct slave subtracts, reporting the same offset. The agreement rule (noise floor +
 * 3 standard errors of the median; inconclusive where that reaches half the injected offset or
 * half the correction shift) is suites/support/offset_reports.ts.
 */
import { conformance, formatNs, logIntervalToMs, masterConfig, startMasters, TimeBase, type Recorder } from '../kit.ts'
import { lockAndSettle } from '../support/grandmasters.ts'
import type { StateRead } from '../support/grandmasters.ts'
import { neverFollowedCheck } from '../support/state_history.ts'
import { agreementCheck, type OffsetReport, sampleOffsets } from '../support/offset_reports.ts'
import { absNs } from '../../harness/stats/robust.ts'

export type { OffsetReport } from '../support/offset_reports.ts'

export interface ReportedOffsetData {
  injectedOffsetNs: bigint
  correctionShiftNs: bigint
  lock: StateRead[]
  locked: boolean
  plain: OffsetReport[]
  shifted: OffsetReport[]
  /** State reads during sampling that gave no offset (error, not a slave). */
  missedReads: number
  recorder: Recorder
}

const PARAMS = { injectedOffsetNs: 1_000_000, correctionShiftNs: 250_000, sampleSeconds: 6 }

export default conformance<ReportedOffsetData>({
  id: 'TE-08',
  title: "The DUT's self-reported offset agrees with the injected offset",
  area: 'TE',
  clause: 'IEEE 1588-2019 11.2, 11.3 (offsetFromMaster), 13.3.2.9 (correctionField)',
  mapsTo: ['Meinberg self-report vs measured'],
  tags: ['active', 'time-error', 'management'],
  severity: 'normal',
  fixture: 'dut-slave',
  params: PARAMS,
  estimatedSeconds: 30,
  criteria: {
    pass: 'the median reported offsetFromMaster equals −injected offset within the harness time-error floor plus 3 standard errors, also with part of it carried in correctionField',
    fail: 'the DUT never follows the grandmaster, reports too rarely, or its median report is off: 0, the wrong sign, or correctionField ignored',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const p = ctx.params(PARAMS)
    const injected = BigInt(p.injectedOffsetNs)
    const spec = { name: 'gm', identity: 1, extra: { timeBase: new TimeBase({ offsetNs: injected }) } }
    const cfg = masterConfig(ctx, spec)
    const m = await startMasters(ctx, [spec], { freshDut: true })
    const data: Omit<ReportedOffsetData, 'recorder'> = { injectedOffsetNs: injected, correctionShiftNs: BigInt(p.correctionShiftNs), lock: [], locked: false, plain: [], shifted: [], missedReads: 0 }
    try {
      ctx.step(`grandmaster time base ahead by ${formatNs(injected)}; waiting for the DUT to lock`)
      const locked = await lockAndSettle(ctx, cfg)
      data.lock = locked.history
      data.locked = locked.atMs !== undefined
      if (data.locked) {
        ctx.step(`sampling the DUT's offsetFromMaster for ${p.sampleSeconds} s`)
        const plain = await sampleOffsets(ctx, m, p.sampleSeconds)
        ctx.step(`moving ${formatNs(data.correctionShiftNs)} into correctionField`)
        m.control('gm', (gm) => gm.setCorrectionShift({ ns: data.correctionShiftNs }))
        await ctx.sleep(2 * logIntervalToMs(cfg.logSyncInterval) + 500)
        const shifted = await sampleOffsets(ctx, m, p.sampleSeconds)
        Object.assign(data, { plain: plain.reports, shifted: shifted.reports, missedReads: plain.missed + shifted.missed })
      }
    } finally {
      await m.close()
    }
    return { ...data, recorder: m.handle.recorder }
  },
  judge(ev) {
    const d = ev.data
    if (!d.locked) {
      return {
        checks: [neverFollowedCheck(d.lock)],
      }
    }
    // Only the lab's noise carries a path asymmetry: on a device the path is the network's, part of what is judged.
    const allowance = ev.noise.pathAsymmetryNs ?? 0n
    const checks = [
      agreementCheck('injected offset', d.plain, ev.noise.timeErrorFloorNs, absNs(d.injectedOffsetNs), 'a DUT reporting 0 or the wrong sign', allowance),
      agreementCheck('with the offset partly in correctionField', d.shifted, ev.noise.timeErrorFloorNs, absNs(d.correctionShiftNs), 'a DUT ignoring correctionField', allowance),
    ]
    return {
      checks,
      measurements: { injectedOffsetNs: String(d.injectedOffsetNs), reportedPlainNs: d.plain.map((r) => String(r.reportedNs)), reportedShiftedNs: d.shifted.map((r) => String(r.reportedNs)), missedReads: d.missedReads },
    }
  },
})
