/**
 * Edits of an encoded message's octets, for what neither the message model nor FrameEdit can say:
 * a reserved messageType nibble, a nanoseconds field of 10^9 or more, single flipped bits.
 * Offsets past the end of the (possibly truncated) message are left alone.
 */

export type ByteEdit =
  /** octet = (octet & ~mask) | (value & mask); mask default 0xFF. */
  | { offset: number; set: number; mask?: number }
  /** octet ^= xor (a bit flip). */
  | { offset: number; xor: number }

export function applyByteEdits(octets: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  if (edits.length === 0) return octets
  const out = octets.slice()
  for (const e of edits) {
    if (e.offset < 0 || e.offset >= out.length) continue
    if ('xor' in e) out[e.offset] = out[e.offset]! ^ (e.xor & 0xff)
    else {
      const mask = e.mask ?? 0xff
      out[e.offset] = (out[e.offset]! & ~mask & 0xff) | (e.set & mask)
    }
  }
  return out
}

/** Edits writing `value` big-endian into `octets` octets at `offset` (a uint up to 48 bits). */
export function setUint(offset: number, octets: number, value: bigint): ByteEdit[] {
  const out: ByteEdit[] = []
  for (let i = 0; i < octets; i++) out.push({ offset: offset + i, set: Number((value >> BigInt(8 * (octets - 1 - i))) & 0xffn) })
  return out
}
