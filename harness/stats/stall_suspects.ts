/**
 * Samples a vCPU stall of the lab delayed, told apart from the rest robustly: a |value| beyond
 * the median by more than STALL_SCALES robust scales (1.4826 × MAD, but never less than a third
 * of the harness floor, so a quiet series does not call ordinary noise a stall). Judges set
 * such samples aside and say so; where they alone would decide a fail, the verdict is
 * inconclusive (a stall of the harness cannot be ruled out).
 */
import { absNs, MAD_TO_SIGMA, medianNs } from './robust.ts'

export const STALL_SCALES = 10

export interface StallSplit {
  /** Median |value|. */
  medianNs: bigint
  /** Values above this |value| are suspects. */
  stallAboveNs: bigint
  /** Per sample: set aside as a suspected stall. */
  suspect: boolean[]
  suspects: number
}

export function stallSuspects(values: readonly bigint[], floorNs: bigint): StallSplit {
  const abs = values.map(absNs)
  const med = medianNs(abs)
  const mad = medianNs(abs.map((a) => absNs(a - med)))
  const sigma = BigInt(Math.ceil(Number(mad) * MAD_TO_SIGMA))
  const scale = sigma > floorNs / 3n ? sigma : floorNs / 3n
  const stallAboveNs = med + BigInt(STALL_SCALES) * scale
  const suspect = abs.map((a) => a > stallAboveNs)
  return { medianNs: med, stallAboveNs, suspect, suspects: suspect.filter(Boolean).length }
}
