/**
 * Scaled nanoseconds: correctionField (IEEE 1588-2019 13.3.2.9) and TimeInterval (5.3.2) are
 * Integer64 values of nanoseconds multiplied by 2^16. The low 16 bits are fractional nanoseconds.
 */

export const CORRECTION_FIELD_MIN = -(1n << 63n)
export const CORRECTION_FIELD_MAX = (1n << 63n) - 1n

/**
 * Whole nanoseconds of a scaled value, rounded toward minus infinity (floor), so that
 * correctionToNs(x) * 2^16 + correctionRemainder(x) === x for every x, negative ones included.
 * 0x7FFFFFFFFFFFFFFF ("too big to represent", 1588-2019 13.3.2.9) is returned as its plain quotient;
 * callers that care compare with CORRECTION_FIELD_MAX first.
 */
export function correctionToNs(scaled: bigint): bigint {
  return scaled >> 16n // arithmetic shift on bigint is floor division by 2^16
}

/** Fractional part in units of 2^-16 ns, always 0..65535 (pairs with the floored correctionToNs). */
export function correctionRemainder(scaled: bigint): number {
  return Number(scaled & 0xffffn)
}

/** ns x 2^16. Throws RangeError when the result does not fit Integer64. */
export function nsToCorrection(ns: bigint): bigint {
  const scaled = ns << 16n
  if (scaled < CORRECTION_FIELD_MIN || scaled > CORRECTION_FIELD_MAX) {
    throw new RangeError(`${ns} ns does not fit a 64-bit scaled-nanosecond field`)
  }
  return scaled
}
