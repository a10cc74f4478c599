/**
 * MTIE and TDEV masks (G.8273.2 style) and a curve's margin to one. A mask is a list of
 * (τ, limit) points joined by straight lines on log-log axes — a flat segment where two points
 * share a limit, a power law where they do not — and is defined from the first τ to the last.
 * Two points at the same τ make a step; at that τ itself the lower limit applies, since a curve
 * must be under both sides. No limit values live here: profiles cite them from the standard.
 */

export interface MaskPoint {
  tauS: number
  limitNs: number
}

export interface Mask {
  points: readonly MaskPoint[]
}

/** One point of an MTIE or TDEV curve. */
export interface CurvePoint {
  tauS: number
  valueNs: number
}

/** τ computed as n·τ0 carries rounding: a τ this close (relative) to an end of the mask is on it. */
const END_TOLERANCE = 1e-9

function checkMask(mask: Mask): void {
  const p = mask.points
  if (!p.length) throw new RangeError('a mask needs at least one point')
  p.forEach((q, i) => {
    if (!(q.tauS > 0 && q.limitNs > 0)) throw new RangeError(`mask point ${i}: τ and limit must be > 0 on log-log axes`)
    if (i > 0 && q.tauS < p[i - 1]!.tauS) throw new RangeError(`mask point ${i}: τ ${q.tauS} s is below the previous ${p[i - 1]!.tauS} s`)
  })
}

/** The mask's limit at τ (ns), or undefined where the mask is not defined. */
export function maskLimitAt(mask: Mask, tauS: number): number | undefined {
  checkMask(mask)
  const p = mask.points
  const first = p[0]!.tauS
  const last = p[p.length - 1]!.tauS
  if (!(tauS >= first * (1 - END_TOLERANCE) && tauS <= last * (1 + END_TOLERANCE))) return undefined
  const t = Math.min(last, Math.max(first, tauS))
  let limit: number | undefined
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!
    if (a.tauS === t) limit = Math.min(limit ?? Infinity, a.limitNs)
    const b = p[i + 1]
    if (!b || !(a.tauS < t && t < b.tauS)) continue
    const f = Math.log(t / a.tauS) / Math.log(b.tauS / a.tauS)
    limit = Math.min(limit ?? Infinity, a.limitNs * (b.limitNs / a.limitNs) ** f)
  }
  return limit
}

export interface PointMargin extends CurvePoint {
  /** undefined where the mask is not defined at this τ. */
  limitNs: number | undefined
  /** limit − value (ns): positive is headroom, negative is over the mask. */
  marginNs: number | undefined
}

export interface MaskComparison {
  points: PointMargin[]
  /** The point with the smallest margin; undefined when no point falls inside the mask's τ range. */
  worst: (CurvePoint & { limitNs: number; marginNs: number }) | undefined
  /** How many points had a limit to compare with. */
  compared: number
  /** Every compared point is at or under the limit. True when none was compared: check `compared`. */
  allUnder: boolean
}

export function compareToMask(curve: readonly CurvePoint[], mask: Mask): MaskComparison {
  let worst: MaskComparison['worst']
  let compared = 0
  let allUnder = true
  const points = curve.map((c): PointMargin => {
    const limitNs = maskLimitAt(mask, c.tauS)
    if (limitNs === undefined) return { tauS: c.tauS, valueNs: c.valueNs, limitNs, marginNs: undefined }
    const marginNs = limitNs - c.valueNs
    compared++
    // Written so that a NaN value fails rather than passes.
    if (!(marginNs >= 0)) allUnder = false
    if (!worst || marginNs < worst.marginNs) worst = { tauS: c.tauS, valueNs: c.valueNs, limitNs, marginNs }
    return { tauS: c.tauS, valueNs: c.valueNs, limitNs, marginNs }
  })
  return { points, worst, compared, allUnder }
}
