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
