/** UDP header and checksum over the IPv4 / IPv6 pseudo-header (RFC 768, RFC 8200 8.1). */
import { finishChecksum, sumWords } from './checksum.ts'
import type { FrameCursor } from './cursor.ts'

export const UDP_HEADER_LENGTH = 8
export const IPPROTO_UDP = 17

export interface UdpHeader {
  srcPort: number
  dstPort: number
  length: number
  checksum: number
  /** true/false: verified; null: checksum 0 = not computed (allowed on IPv4 only). */
  checksumOk: boolean | null
}

/** Pseudo-header sum for IPv4: src, dst, protocol 17, UDP length. */
export function ipv4PseudoSum(src: Uint8Array, dst: Uint8Array, udpLength: number): number {
  return sumWords(dst, 0, 4, sumWords(src, 0, 4)) + IPPROTO_UDP + udpLength
}

/** Pseudo-header sum for IPv6: src, dst, 32-bit length, next header 17. */
export function ipv6PseudoSum(src: Uint8Array, dst: Uint8Array, udpLength: number): number {
  return sumWords(dst, 0, 16, sumWords(src, 0, 16)) + (udpLength >>> 16) + (udpLength & 0xffff) + IPPROTO_UDP
}

/**
 * Decodes the UDP header at b[o] with `end` the end of the IP payload; checks the checksum when
 * it is non-zero. addressSum: the 16-bit word sum of the source and destination addresses in the
 * IP header (the rest of the IPv4 and IPv6 pseudo-headers is protocol 17 and the UDP length).
 */
export function decodeUdp(b: Uint8Array, o: number, end: number, addressSum: number, cur: FrameCursor): UdpHeader | null {
  if (end - o < UDP_HEADER_LENGTH) return null
  const length = (b[o + 4]! << 8) | b[o + 5]!
  const checksum = (b[o + 6]! << 8) | b[o + 7]!
  const payloadEnd = Math.min(end, o + Math.max(length, UDP_HEADER_LENGTH))
  let checksumOk: boolean | null = null
  if (checksum !== 0) {
    // Over what is present; a truncated datagram fails the check, which is the truth.
    checksumOk = length <= end - o && finishChecksum(sumWords(b, o, o + length, addressSum + IPPROTO_UDP + length)) === 0
  }
  cur.offset = o + UDP_HEADER_LENGTH
  cur.end = payloadEnd
  return { srcPort: (b[o]! << 8) | b[o + 1]!, dstPort: (b[o + 2]! << 8) | b[o + 3]!, length, checksum, checksumOk }
}

/** Writes a UDP header + payload at b[o] with its checksum (0 computed as 0xFFFF). */
export function writeUdp(
  b: Uint8Array,
  o: number,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
  pseudoSum: number | null,
): void {
  const length = UDP_HEADER_LENGTH + payload.length
  b[o] = srcPort >>> 8
  b[o + 1] = srcPort & 0xff
  b[o + 2] = dstPort >>> 8
  b[o + 3] = dstPort & 0xff
  b[o + 4] = length >>> 8
  b[o + 5] = length & 0xff
  b[o + 6] = 0
  b[o + 7] = 0
  b.set(payload, o + UDP_HEADER_LENGTH)
  if (pseudoSum === null) return
  let c = finishChecksum(sumWords(b, o, o + length, pseudoSum))
  if (c === 0) c = 0xffff
  b[o + 6] = c >>> 8
  b[o + 7] = c & 0xff
}
