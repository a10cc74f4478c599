/** Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */

/** Adds b[from, to) as big-endian 16-bit words to `sum` (odd length: last octet padded with zero). Unfolded. */
export function sumWords(b: Uint8Array, from: number, to: number, sum = 0): number {
  // High and low octets are summed apart and combined once; eight octets a step. Every UDP
  // frame is summed on decode, and this is about twice as fast as a word at a time.
  let hi = 0
  let lo = 0
  let i = from
  for (const stop = to - 7; i < stop; i += 8) {
    hi += b[i]! + b[i + 2]! + b[i + 4]! + b[i + 6]!
    lo += b[i + 1]! + b[i + 3]! + b[i + 5]! + b[i + 7]!
  }
  for (; i + 1 < to; i += 2) {
    hi += b[i]!
    lo += b[i + 1]!
  }
  if (i < to) hi += b[i]!
  return sum + hi * 256 + lo
}

/** Folds carries and complements: the value to put in a checksum field. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000)
  return ~sum & 0xffff
}

export function internetChecksum(b: Uint8Array, from: number, to: number): number {
  return finishChecksum(sumWords(b, from, to))
}
