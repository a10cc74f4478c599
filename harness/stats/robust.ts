/** Robust location and spread, for judges that must not be moved by a few stalled samples. */

const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)

/** |v| of integer nanoseconds (bigint has no Math.abs). */
export const absNs = (v: bigint): bigint => (v < 0n ? -v : v)

/** The median (upper median for an even count) of integer nanoseconds. */
export function medianNs(v: readonly bigint[]): bigint {
  if (!v.length) throw new RangeError('median of no values')
  return [...v].sort(byValue)[Math.floor(v.length / 2)]!
}

/** Median absolute deviation from the median, integer nanoseconds. */
export function madNs(v: readonly bigint[]): bigint {
  const m = medianNs(v)
  return medianNs(v.map((x) => absNs(x - m)))
}

/** The median (upper median for an even count) of floats (reported statistics, slopes). */
export function median(v: readonly number[]): number {
  if (!v.length) throw new RangeError('median of no values')
  return [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
}

/** Median absolute deviation from the median, floats. */
export function mad(v: readonly number[]): number {
  const m = median(v)
  return median(v.map((x) => Math.abs(x - m)))
}

/** σ of a normal distribution from its MAD. */
export const MAD_TO_SIGMA = 1.4826

/** √(π/2): the standard error of a normal sample's median is this × σ/√n. */
export const MEDIAN_SE_FACTOR = 1.2533

/** The standard error of the median of n samples whose σ is known: 1.2533 × σ / √n. */
export function medianStandardErrorOf(sigma: number, n: number): number {
  return (MEDIAN_SE_FACTOR * sigma) / Math.sqrt(n)
}

/** The standard error of a sample's median, σ estimated robustly: 1.2533 × 1.4826 × MAD / √n. */
export function medianStandardError(v: readonly number[]): number {
  return medianStandardErrorOf(MAD_TO_SIGMA * mad(v), v.length)
}

/** medianStandardError of integer nanoseconds (as a float, ns). */
export function medianStandardErrorNs(v: readonly bigint[]): number {
  return medianStandardErrorOf(MAD_TO_SIGMA * Number(madNs(v)), v.length)
}
