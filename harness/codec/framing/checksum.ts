/** Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */

/** Adds b[from, to) as big-endian 16-bit words to `sum` (odd length: last octet padded with zero). Unfolded. */
export function sumWords(b: Uint8Array, from: number, to: number, sum = 0): number {
  let i = from
  for (; i + 1 < to; i += 2) sum += (b[i]! << 8) | b[i + 1]!
  if (i < to) sum += b[i]! << 8
  return sum
}

/** Folds carries and complements: the value to put in a checksum field. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000)
  return ~sum & 0xffff
}

export function internetChecksum(b: Uint8Array, from: number, to: number): number {
  return finishChecksum(sumWords(b, from, to))
}
