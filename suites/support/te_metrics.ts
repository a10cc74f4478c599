/**
 * A boundary clock's output time error as G.8273.2 measures it (TE-04), pure: the two-way time
 * error the harness's downstream slave measures (harness/stats/two_way_time_error.ts) put on a
 * regular grid, then max|TE| (unfiltered), max|TE_L| (0.1 Hz low-pass), cTE (the mean over the window), dTE_L (0.1 Hz
 * first-order low-pass of TE − cTE) as MTIE and TDEV against the profile's masks, and dTE_H
 * (the high-pass rest) as a peak-to-peak figure.
 */
import type { TimeErrorSample } from '../../harness/stats/two_way_time_error.ts'
import { constantTimeError, highPass, logSpacedWindows, lowPass, maxAbsTimeError, mtie, peakToPeak, tdev, type CurvePoint, type Mask } from '../../harness/stats/time_error/index.ts'
import type { AccuracyLimit } from '../../harness/profiles/types.ts'

/** G.8273.2 7.1: dTE_L and dTE_H are split by a first-order filter with this corner. */
export const DTE_CORNER_HZ = 0.1

/**
 * The samples on a grid of `tau0Ns`: each cell's mean, an empty cell holding the previous value
 * (the exchanges come at randomised intervals; MTIE and TDEV need equally spaced samples).
 */
function onGrid(samples: readonly TimeErrorSample[], tau0Ns: bigint): Float64Array {
  if (!samples.length) return new Float64Array(0)
  const t0 = samples[0]!.atNs
  const cells = Number((samples.at(-1)!.atNs - t0) / tau0Ns) + 1
  const sum = new Float64Array(cells)
  const count = new Uint32Array(cells)
  for (const s of samples) {
    const i = Number((s.atNs - t0) / tau0Ns)
    sum[i]! += Number(s.teNs)
    count[i]!++
  }
  const out = new Float64Array(cells)
  let last = Number(samples[0]!.teNs)
  for (let i = 0; i < cells; i++) {
    if (count[i]) last = sum[i]! / count[i]!
    out[i] = last
  }
  return out
}

export interface TeMetrics {
  samples: number
  tau0S: number
  spanS: number
  maxAbsTeNs: number
  /** max|TE_L|: the largest |TE| after the 0.1 Hz low-pass (G.8273.2 class D's, and class C's where the profile names it). */
  maxAbsTeLNs: number
  cteNs: number
  dteHPeakToPeakNs: number
  dteLMtie: CurvePoint[]
  dteLTdev: CurvePoint[]
}

/** The metrics of a series of exchanges on a grid of `tau0Ns`; max|TE| from the exchanges themselves (a cell's mean would halve a spike). */
export function teMetrics(samples: readonly TimeErrorSample[], tau0Ns: bigint): TeMetrics {
  const grid = onGrid(samples, tau0Ns)
  const tau0S = Number(tau0Ns) / 1e9
  const cte = constantTimeError(grid)
  const centred = grid.map((v) => v - cte)
  const low = lowPass(centred, DTE_CORNER_HZ, tau0S)
  const windows = logSpacedWindows(grid.length, 10)
  return {
    samples: grid.length,
    tau0S,
    spanS: (grid.length - 1) * tau0S,
    maxAbsTeNs: samples.reduce((m, x) => Math.max(m, Math.abs(Number(x.teNs))), 0),
    maxAbsTeLNs: maxAbsTimeError(lowPass(grid, DTE_CORNER_HZ, tau0S)),
    cteNs: cte,
    dteHPeakToPeakNs: peakToPeak(highPass(centred, DTE_CORNER_HZ, tau0S)),
    dteLMtie: mtie(low, tau0S, windows).map((p) => ({ tauS: p.tauS, valueNs: p.mtieNs })),
    // TDEV needs three windows of n samples: τ up to a third of the span.
    dteLTdev: tdev(low, tau0S, windows.filter((k) => 3 * k <= grid.length)).map((p) => ({ tauS: p.tauS, valueNs: p.tdevNs })),
  }
}

/** A profile's flat mask limit over its τ range as a mask. */
export function flatMask(limit: AccuracyLimit): Mask | undefined {
  const r = limit.tauRangeS?.value
  return r ? { points: [{ tauS: r[0], limitNs: limit.limit.value }, { tauS: r[1], limitNs: limit.limit.value }] } : undefined
}
