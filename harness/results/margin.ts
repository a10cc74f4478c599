/**
 * How far a measured check sits inside (or outside) its limit, read back from the limit as
 * the judges write it: "≤ 8 ms (…)", "≥ 0.9 of 100 intervals …", "3000 … 4000 ms (…)",
 * "0 ± 24 µs (…)". Times are converted to the measured value's unit; a limit this cannot
 * read (an exact value, a count "0 of 12", words) has no margin, and the diff then compares
 * verdicts and values only.
 */
import type { Check } from '../verdict/verdict.ts'

const TIME_UNITS: Record<string, number> = { ns: 1, 'µs': 1e3, us: 1e3, ms: 1e6, s: 1e9 }
const NUMBER = String.raw`[−-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?`
const UNIT = String.raw`(?:\s*(ns|µs|us|ms|s|ppm|%)\b)?`

export interface Bound {
  lo?: number
  hi?: number
}

function num(text: string): number {
  return Number(text.replace('−', '-'))
}

/** A limit value in the measured unit: a time unit converts to a time unit; any other unit must be the measured one (or absent). */
function convert(value: number, unit: string | undefined, measuredUnit: string | undefined): number | undefined {
  if (!unit) return value
  const from = TIME_UNITS[unit]
  const to = measuredUnit ? TIME_UNITS[measuredUnit] : undefined
  if (from !== undefined && to !== undefined) return (value * from) / to
  return unit === measuredUnit ? value : undefined
}

/** The numeric bound a limit states, in the measured value's unit; undefined where the limit is not a bound. */
export function boundOf(limit: string, measuredUnit?: string): Bound | undefined {
  const text = limit.trim()
  let m = new RegExp(`^(≤|<=|<|≥|>=|>)\\s*(${NUMBER})${UNIT}`).exec(text)
  if (m) {
    const v = convert(num(m[2]!), m[3], measuredUnit)
    if (v === undefined) return undefined
    return m[1]!.startsWith('≤') || m[1]!.startsWith('<') ? { hi: v } : { lo: v }
  }
  m = new RegExp(`^(${NUMBER})${UNIT}\\s*…\\s*(${NUMBER})${UNIT}`).exec(text)
  if (m) {
    // "3000 … 4000 ms": a unit on the upper end only applies to both.
    const lo = convert(num(m[1]!), m[2] ?? m[4], measuredUnit)
    const hi = convert(num(m[3]!), m[4] ?? m[2], measuredUnit)
    return lo === undefined || hi === undefined ? undefined : { lo, hi }
  }
  m = new RegExp(`^(${NUMBER})${UNIT}\\s*±\\s*(${NUMBER})${UNIT}`).exec(text)
  if (m) {
    const unit = m[4] ?? m[2]
    const mid = convert(num(m[1]!), m[2] ?? unit, measuredUnit)
    const half = convert(num(m[3]!), unit, measuredUnit)
    return mid === undefined || half === undefined ? undefined : { lo: mid - half, hi: mid + half }
  }
  return undefined
}

/** Distance from the measured value to the nearest bound: positive inside, negative outside; undefined when not measurable. */
export function marginOf(c: Pick<Check, 'measured' | 'limit' | 'unit'>): number | undefined {
  if (typeof c.measured !== 'number' || !Number.isFinite(c.measured)) return undefined
  const b = boundOf(c.limit, c.unit)
  if (!b) return undefined
  const sides = [b.lo !== undefined ? c.measured - b.lo : undefined, b.hi !== undefined ? b.hi - c.measured : undefined].filter((x): x is number => x !== undefined)
  return sides.length ? Math.min(...sides) : undefined
}
