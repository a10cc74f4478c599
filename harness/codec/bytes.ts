/**
 * Big-endian reads and writes on Uint8Array. Direct byte arithmetic is faster than a DataView
 * per message in V8 and needs no allocation. Callers bound-check before reading: these helpers
 * assume the octets exist.
 */

const TWO_32 = 4294967296
/** |hi| below this keeps hi * 2^32 + lo exact in a double (53 bits). */
const SAFE_HI = 0x200000

export function u8(b: Uint8Array, o: number): number {
  return b[o]!
}

export function i8(b: Uint8Array, o: number): number {
  return (b[o]! << 24) >> 24
}

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!
}

export function i16(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16)) >> 16
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
}

export function i32(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!
}

/** UInteger48 as a number (always exact: 48 < 53 bits). */
export function u48(b: Uint8Array, o: number): number {
  return ((b[o]! << 8) | b[o + 1]!) * TWO_32 + u32(b, o + 2)
}

export function u48n(b: Uint8Array, o: number): bigint {
  return BigInt(u48(b, o))
}

/** Integer64 as bigint; avoids bigint shifts when the value fits 53 bits (the usual case). */
export function i64(b: Uint8Array, o: number): bigint {
  const hi = i32(b, o)
  const lo = u32(b, o + 4)
  // Zero (most correctionFields) is a constant: no bigint allocated.
  if ((hi | lo) === 0) return 0n
  if (hi > -SAFE_HI && hi < SAFE_HI) return BigInt(hi * TWO_32 + lo)
  return (BigInt(hi) << 32n) | BigInt(lo)
}

export function u64(b: Uint8Array, o: number): bigint {
  const hi = u32(b, o)
  const lo = u32(b, o + 4)
  if (hi < SAFE_HI) return BigInt(hi * TWO_32 + lo)
  return (BigInt(hi) << 32n) | BigInt(lo)
}

/** Integer96 (802.1AS ScaledNs: nanoseconds_msb 16, nanoseconds_lsb 64, fractional 16) as bigint. */
export function i96(b: Uint8Array, o: number): bigint {
  const top = BigInt(i32(b, o))
  return (top << 64n) | (BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o + 8))
}

export function w8(b: Uint8Array, o: number, v: number): void {
  b[o] = v
}

export function w16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8
  b[o + 1] = v
}

export function w24(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 16
  b[o + 1] = v >>> 8
  b[o + 2] = v
}

export function w32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24
  b[o + 1] = v >>> 16
  b[o + 2] = v >>> 8
  b[o + 3] = v
}

const MAX_SAFE_N = 0x1fffffffffffffn
const TWO_48_N = 1n << 48n

/** UInteger48 from a number or bigint; values are taken modulo 2^48. */
export function w48(b: Uint8Array, o: number, v: number | bigint): void {
  if (typeof v === 'bigint' && v >= 0n && v < TWO_48_N) {
    // Fast path (every valid secondsField): exact in a double, no bigint shifts.
    const x = Number(v)
    const hi = Math.floor(x / TWO_32)
    w16(b, o, hi)
    w32(b, o + 2, x - hi * TWO_32)
    return
  }
  const n = typeof v === 'bigint' ? BigInt.asUintN(48, v) : BigInt.asUintN(48, BigInt(Math.trunc(v)))
  const hi = Number(n >> 32n)
  const lo = Number(n & 0xffffffffn)
  w16(b, o, hi)
  w32(b, o + 2, lo)
}

/** 64-bit two's complement of v (signed or unsigned input). */
export function w64(b: Uint8Array, o: number, v: bigint): void {
  if (v >= -MAX_SAFE_N && v <= MAX_SAFE_N) {
    // Fast path: |v| < 2^53 is exact as a double; hi is floored so lo stays in [0, 2^32).
    const x = Number(v)
    const hi = Math.floor(x / TWO_32)
    w32(b, o, hi)
    w32(b, o + 4, x - hi * TWO_32)
    return
  }
  const n = BigInt.asUintN(64, v)
  w32(b, o, Number(n >> 32n))
  w32(b, o + 4, Number(n & 0xffffffffn))
}

/** 96-bit two's complement of v. */
export function w96(b: Uint8Array, o: number, v: bigint): void {
  const n = BigInt.asUintN(96, v)
  w32(b, o, Number(n >> 64n))
  w32(b, o + 4, Number((n >> 32n) & 0xffffffffn))
  w32(b, o + 8, Number(n & 0xffffffffn))
}

/** True when b[from, to) are all zero. */
export function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false
  return true
}

/** A copy of b[from, to) (never a view: decoded messages must not alias the caller's buffer). */
export function copyOf(b: Uint8Array, from: number, to: number): Uint8Array {
  return b.slice(from, to)
}

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0)
