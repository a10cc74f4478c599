/**
 * Conversion of capture timestamps to bigint nanoseconds. pcapng stores a
 * 64-bit count of units per interface (if_tsresol: 10^-n or 2^-n seconds, plus
 * if_tsoffset seconds); classic pcap stores seconds and a µs or ns fraction.
 * Integer arithmetic only: a 2^-n resolution is truncated toward zero to whole
 * nanoseconds, which is what every tool that shows ns does.
 */
import type { TimestampToNs } from './packet.ts'

const NS_PER_S = 1_000_000_000n
const TWO32 = 4294967296n

export function pcapngTimestampToNs(base: 2 | 10, exponent: number, offsetSeconds: bigint): TimestampToNs {
  const offsetNs = offsetSeconds * NS_PER_S
  if (base === 10 && exponent === 9 && offsetNs === 0n) {
    return (high, low) => BigInt(high) * TWO32 + BigInt(low)
  }
  let mul: bigint
  let div: bigint
  if (base === 10) {
    mul = exponent <= 9 ? 10n ** BigInt(9 - exponent) : 1n
    div = exponent <= 9 ? 1n : 10n ** BigInt(exponent - 9)
  } else {
    mul = NS_PER_S
    div = 2n ** BigInt(exponent)
  }
  if (div === 1n) return (high, low) => (BigInt(high) * TWO32 + BigInt(low)) * mul + offsetNs
  return (high, low) => ((BigInt(high) * TWO32 + BigInt(low)) * mul) / div + offsetNs
}

/** Classic pcap: high = seconds, low = µs (or ns for the 0xa1b23c4d magic). */
export function pcapTimestampToNs(nanosecond: boolean): TimestampToNs {
  if (nanosecond) return (sec, frac) => BigInt(sec) * NS_PER_S + BigInt(frac)
  // sec * 1e6 + frac stays below 2^53 for any 32-bit sec, so one BigInt conversion suffices.
  return (sec, frac) => BigInt(sec * 1_000_000 + frac) * 1000n
}
