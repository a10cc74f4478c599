/**
 * Time-error filters and single-figure statistics of ITU-T G.8273.2 noise generation: cTE is the mean
 * time error, max|TE| the largest magnitude, and dTE_L / dTE_H the time error after a first-order
 * low-pass / high-pass filter with a 0.1 Hz corner.
 *
 * The first-order filters are the analog H(s) = ωc / (s + ωc) (and s / (s + ωc)) mapped to
 * sampled data by the bilinear transform with pre-warping at the corner:
 *   - the gain at fc is exactly 1/√2 (−3 dB) at any sample rate, as the standard defines the
 *     corner, where exact exponential (step-invariant) discretisation moves it with fc·τ0;
 *   - the DC gain is exactly 1 and the gain at the Nyquist frequency exactly 0;
 *   - the bilinear transform is linear in H, so the high-pass is exactly x − low-pass(x):
 *     the two parts always add back up to the input.
 */

/**
 * First-order low-pass with corner fc (Hz) at sample interval τ0 (s). With t = tan(π fc τ0) and
 * b = t / (1 + t): y[i] = y[i−1] + b (x[i] + x[i−1] − 2 y[i−1]), the bilinear difference
 * equation written as an update, so a constant input leaves y exactly unchanged. The state starts
 * at the first sample (x[−1] = y[−1] = x[0]): a series already at rest shows no start-up transient.
 */
export function lowPass(x: ArrayLike<number>, fcHz: number, tau0S: number): Float64Array {
  if (!(fcHz > 0 && tau0S > 0)) throw new RangeError(`corner and sample interval must be > 0, got fc ${fcHz} Hz, τ0 ${tau0S} s`)
  if (fcHz * tau0S >= 0.5) throw new RangeError(`corner ${fcHz} Hz is not below the Nyquist frequency ${0.5 / tau0S} Hz`)
  const t = Math.tan(Math.PI * fcHz * tau0S)
  const b = t / (1 + t)
  const y = new Float64Array(x.length)
  if (!x.length) return y
  let prevX = x[0]!
  let prevY = prevX
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!
    prevY += b * (xi + prevX - 2 * prevY)
    prevX = xi
    y[i] = prevY
  }
  return y
}

/** First-order high-pass with corner fc: x − lowPass(x) (see above for why that is exact). */
export function highPass(x: ArrayLike<number>, fcHz: number, tau0S: number): Float64Array {
  const y = lowPass(x, fcHz, tau0S)
  for (let i = 0; i < y.length; i++) y[i] = x[i]! - y[i]!
  return y
}

function checkNotEmpty(x: ArrayLike<number>): void {
  if (!x.length) throw new RangeError('no time-error samples')
}

/** cTE: the mean time error (ns). Summed relative to x[0], so a large common offset costs no digits. */
export function constantTimeError(x: ArrayLike<number>): number {
  checkNotEmpty(x)
  const x0 = x[0]!
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += x[i]! - x0
  return x0 + sum / x.length
}

/** max|TE|: the largest magnitude of the time error (ns). */
export function maxAbsTimeError(x: ArrayLike<number>): number {
  checkNotEmpty(x)
  let m = 0
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!))
  return m
}

/** Peak-to-peak time error, max − min (ns): MTIE over the whole record. */
export function peakToPeak(x: ArrayLike<number>): number {
  checkNotEmpty(x)
  let lo = x[0]!
  let hi = lo
  for (let i = 1; i < x.length; i++) {
    lo = Math.min(lo, x[i]!)
    hi = Math.max(hi, x[i]!)
  }
  return hi - lo
}
