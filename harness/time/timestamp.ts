/**
 * PTP Timestamp (IEEE 1588-2019 5.3.3): secondsField is a UInteger48, nanosecondsField a UInteger32
 * that is below 10^9 on valid input. Time in ptp-conform is integer nanoseconds as bigint; these
 * helpers convert between the two without floating point.
 */
export interface PtpTimestamp {
  /** 48-bit unsigned seconds. */
  secondsField: bigint
  /** 0..999 999 999 on valid input; the wire allows any UInteger32 and the codec keeps what it read. */
  nanosecondsField: number
}

export const NS_PER_SECOND = 1_000_000_000n
/** 2^48: first secondsField value that does not fit the wire. */
export const SECONDS_FIELD_LIMIT = 1n << 48n

/** Nanoseconds since the PTP epoch. A nanosecondsField >= 10^9 (invalid on the wire) is added as is. */
export function timestampToNs(ts: PtpTimestamp): bigint {
  return ts.secondsField * NS_PER_SECOND + BigInt(ts.nanosecondsField)
}

/** Inverse of timestampToNs. Throws RangeError for negative times or seconds beyond 48 bits. */
export function nsToTimestamp(ns: bigint): PtpTimestamp {
  if (ns < 0n) throw new RangeError(`negative time ${ns} ns has no PTP Timestamp`)
  const secondsField = ns / NS_PER_SECOND
  if (secondsField >= SECONDS_FIELD_LIMIT) throw new RangeError(`${ns} ns overflows the 48-bit secondsField`)
  return { secondsField, nanosecondsField: Number(ns % NS_PER_SECOND) }
}

export const ZERO_TIMESTAMP: Readonly<PtpTimestamp> = Object.freeze({ secondsField: 0n, nanosecondsField: 0 })

export { correctionToNs, nsToCorrection, correctionRemainder, CORRECTION_FIELD_MIN, CORRECTION_FIELD_MAX } from './scaled_ns.ts'
export { formatNs, formatTimestamp } from './format.ts'
