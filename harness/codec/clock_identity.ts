/**
 * ClockIdentity (1588-2019 7.5.2.2) <-> the dotted hex form linuxptp prints ('001122.fffe.334455').
 * Decoding is on the hot path of every message (sourcePortIdentity), so formatting uses a byte->hex
 * table and a small direct-mapped cache: a capture holds few distinct clocks and a repeat costs
 * two 32-bit compares instead of building a string.
 */
import type { ClockIdentity } from './types.ts'

const HEX: string[] = []
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'))

const CACHE_SIZE = 64
const cacheHi = new Int32Array(CACHE_SIZE)
const cacheLo = new Int32Array(CACHE_SIZE)
const cacheStr: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined)

/** The 8 octets at b[o] as a ClockIdentity string. */
export function readClockIdentity(b: Uint8Array, o: number): ClockIdentity {
  const hi = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!
  const lo = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!
  const slot = Math.imul(hi ^ Math.imul(lo, 0x85ebca6b), 0x9e3779b1) >>> 26 // top 6 bits: 64 slots
  const hit = cacheStr[slot]
  if (hit !== undefined && cacheHi[slot] === hi && cacheLo[slot] === lo) return hit
  const s =
    HEX[b[o]!]! + HEX[b[o + 1]!]! + HEX[b[o + 2]!]! + '.' + HEX[b[o + 3]!]! + HEX[b[o + 4]!]! + '.' +
    HEX[b[o + 5]!]! + HEX[b[o + 6]!]! + HEX[b[o + 7]!]!
  cacheHi[slot] = hi
  cacheLo[slot] = lo
  cacheStr[slot] = s
  return s
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/**
 * Writes a ClockIdentity given as 'xxxxxx.xxxx.xxxxxx', 16 plain hex digits, or 8 octets
 * separated by ':' or '-'. Throws RangeError on anything else.
 */
export function writeClockIdentity(b: Uint8Array, o: number, id: ClockIdentity): void {
  let n = 0
  let hiNibble = -1
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    if (c === 0x2e || c === 0x3a || c === 0x2d) continue // . : -
    const v = hexValue(c)
    if (v < 0 || n >= 8) throw new RangeError(`invalid ClockIdentity '${id}'`)
    if (hiNibble < 0) hiNibble = v
    else {
      b[o + n++] = (hiNibble << 4) | v
      hiNibble = -1
    }
  }
  if (n !== 8 || hiNibble >= 0) throw new RangeError(`invalid ClockIdentity '${id}' (need 8 octets)`)
}

/** The 8 octets of a ClockIdentity string. */
export function clockIdentityToBytes(id: ClockIdentity): Uint8Array {
  const b = new Uint8Array(8)
  writeClockIdentity(b, 0, id)
  return b
}

/** Canonical dotted form of any accepted spelling (throws RangeError when invalid). */
export function normalizeClockIdentity(id: string): ClockIdentity {
  return readClockIdentity(clockIdentityToBytes(id), 0)
}

/**
 * ClockIdentity derived from an EUI-48 MAC the way linuxptp does it (generate_clock_identity):
 * the first three octets, FF FE, the last three.
 */
export function clockIdentityFromMac(mac: string): ClockIdentity {
  const parts = mac.split(/[:-]/)
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new RangeError(`invalid MAC address '${mac}'`)
  }
  const [a, b, c, d, e, f] = parts.map((p) => p.toLowerCase())
  return `${a}${b}${c}.fffe.${d}${e}${f}`
}

export const WILDCARD_CLOCK_IDENTITY: ClockIdentity = 'ffffff.ffff.ffffff'
export const ZERO_CLOCK_IDENTITY: ClockIdentity = '000000.0000.000000'
