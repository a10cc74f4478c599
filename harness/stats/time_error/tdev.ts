/**
 * TDEV, time deviation (ITU-T G.810; the estimator of O.172), from N time-error samples x
 * at interval τ0:
 *
 *   TVAR(n·τ0) = 1 / (6 n² (N − 3n + 1)) · Σ_{j=1}^{N−3n+1} [ Σ_{i=j}^{n+j−1} (x_{i+2n} − 2 x_{i+n} + x_i) ]²
 *   TDEV = √TVAR
 *
 * With prefix sums S_m = Σ_{i<m} x_i the inner sum is S_{j+3n} − 3 S_{j+2n} + 3 S_{j+n} − S_j,
 * so each n costs O(N) however large it is.
 */

export interface TdevPoint {
  /** Samples per averaging group (n). */
  n: number
  /** n·τ0, seconds. */
  tauS: number
  tdevNs: number
  /** How many squared terms were averaged: N − 3n + 1. */
  terms: number
}

/**
 * Prefix sums of x minus its chord (the line from x[0] to x[N−1]). A second difference is blind
 * to any straight line, so TDEV is unchanged; what changes is the size of the sums. A frequency
 * offset makes x a ramp and its plain prefix sums grow as N², and the inner sum, a small
 * difference of four of them, would then lose the digits TDEV is made of.
 */
function detrendedPrefixSums(x: ArrayLike<number>): Float64Array {
  const N = x.length
  const x0 = x[0]!
  const slope = N > 1 ? (x[N - 1]! - x0) / (N - 1) : 0
  const s = new Float64Array(N + 1)
  for (let i = 0; i < N; i++) s[i + 1] = s[i]! + (x[i]! - x0 - slope * i)
  return s
}

/** TDEV for each n (samples per group); n with fewer than one term (3n > N + 1) is skipped. */
export function tdev(x: ArrayLike<number>, tau0S: number, ns: readonly number[]): TdevPoint[] {
  for (const n of ns) if (!Number.isInteger(n) || n < 1) throw new RangeError(`TDEV needs an integer n ≥ 1, got ${n}`)
  const N = x.length
  const fitting = ns.filter((n) => N - 3 * n + 1 >= 1)
  if (!fitting.length) return []
  const s = detrendedPrefixSums(x)
  return fitting.map((n) => {
    const terms = N - 3 * n + 1
    let sum = 0
    for (let j = 0; j < terms; j++) {
      const inner = s[j + 3 * n]! - 3 * s[j + 2 * n]! + 3 * s[j + n]! - s[j]!
      sum += inner * inner
    }
    return { n, tauS: n * tau0S, tdevNs: Math.sqrt(sum / (6 * n * n * terms)), terms }
  })
}
