/** Human-readable renderings of integer nanoseconds; exact (no floating point). */
import type { PtpTimestamp } from './timestamp.ts'

const UNITS: ReadonlyArray<readonly [bigint, string, number]> = [
  [1_000_000_000n, 's', 9],
  [1_000_000n, 'ms', 6],
  [1_000n, 'µs', 3],
]

/**
 * A duration in the largest unit that keeps the integer part non-zero, with the exact fraction:
 * 1500n -> '1.500 µs', -2_000_000_123n -> '-2.000000123 s', 999n -> '999 ns'.
 */
export function formatNs(value: bigint | number): string {
  // Reported statistics may be floats; they are shown to the nanosecond.
  const ns = typeof value === 'bigint' ? value : BigInt(Math.round(value))
  const negative = ns < 0n
  const abs = negative ? -ns : ns
  const sign = negative ? '-' : ''
  for (const [scale, unit, digits] of UNITS) {
    if (abs >= scale) {
      const whole = abs / scale
      const frac = (abs % scale).toString().padStart(digits, '0')
      return `${sign}${whole}.${frac} ${unit}`
    }
  }
  return `${sign}${abs} ns`
}

/** 'seconds.nanoseconds' with nine fractional digits, as pmc and Wireshark print timestamps. */
export function formatTimestamp(ts: PtpTimestamp): string {
  return `${ts.secondsField}.${String(ts.nanosecondsField).padStart(9, '0')}`
}

/**
 * A compact exact duration for descriptions, trailing zeros dropped: '+200 ms', '-1.5 µs', '+1 s',
 * '+125 ns' (formatNs keeps every digit, for measured values).
 */
export function formatDuration(ns: bigint, signed = true): string {
  const sign = ns < 0n ? '-' : signed ? '+' : ''
  const a = ns < 0n ? -ns : ns
  const units: Array<[bigint, string]> = [[1_000_000_000n, 's'], [1_000_000n, 'ms'], [1_000n, 'µs']]
  for (const [scale, name] of units) {
    if (a >= scale) {
      const whole = a / scale
      const frac = a % scale
      if (frac === 0n) return `${sign}${whole} ${name}`
      const digits = scale.toString().length - 1
      return `${sign}${whole}.${frac.toString().padStart(digits, '0').replace(/0+$/, '')} ${name}`
    }
  }
  return `${sign}${a} ns`
}
