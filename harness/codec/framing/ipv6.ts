/** IPv6 header (RFC 8200) and IPv6/UDP encoding for PTP (IEEE 1588-2019 Annex E). */
import { formatIpv6, parseIpv6 } from './address.ts'
import { sumWords } from './checksum.ts'
import type { FrameCursor } from './cursor.ts'
import { IPPROTO_UDP, ipv6PseudoSum, UDP_HEADER_LENGTH, writeUdp } from './udp.ts'

export const IPV6_HEADER_LENGTH = 40

export interface Ipv6Header {
  version: 6
  dscp: number
  ecn: number
  flowLabel: number
  payloadLength: number
  /** Next header of the fixed header (before any extension headers). */
  nextHeader: number
  hopLimit: number
  src: string
  dst: string
}

/** Extension headers skipped on the way to UDP: hop-by-hop, routing, destination options. */
const FRAGMENT = 44

/**
 * Decodes the header at b[o, end), skips hop-by-hop / routing / destination-options headers and
 * sets the cursor to the upper-layer payload (cur.protocol its protocol); a string says why not.
 */
export function decodeIpv6(b: Uint8Array, o: number, end: number, cur: FrameCursor): Ipv6Header | string {
  if (end - o < IPV6_HEADER_LENGTH) return 'truncated IPv6 header'
  const version = b[o]! >>> 4
  if (version !== 6) return `IP version ${version} where IPv6 was expected`
  const tc = ((b[o]! & 0xf) << 4) | (b[o + 1]! >>> 4)
  const payloadLength = (b[o + 4]! << 8) | b[o + 5]!
  const ip: Ipv6Header = {
    version: 6,
    dscp: tc >>> 2,
    ecn: tc & 3,
    flowLabel: ((b[o + 1]! & 0xf) << 16) | (b[o + 2]! << 8) | b[o + 3]!,
    payloadLength,
    nextHeader: b[o + 6]!,
    hopLimit: b[o + 7]!,
    src: formatIpv6(b, o + 8),
    dst: formatIpv6(b, o + 24),
  }
  const payloadEnd = Math.min(end, o + IPV6_HEADER_LENGTH + payloadLength)
  let protocol = ip.nextHeader
  let p = o + IPV6_HEADER_LENGTH
  while (protocol === 0 || protocol === 43 || protocol === 60) {
    if (payloadEnd - p < 8) return 'truncated IPv6 extension header'
    const next = b[p]!
    p += (b[p + 1]! + 1) * 8
    protocol = next
  }
  if (protocol === FRAGMENT) return 'fragmented IPv6 datagram'
  if (p > payloadEnd) return 'truncated IPv6 extension header'
  cur.offset = p
  cur.end = payloadEnd
  cur.addressSum = sumWords(b, o + 8, o + 40)
  cur.protocol = protocol
  return ip
}

/** An IPv6 packet carrying one UDP datagram with its (mandatory) checksum. hopLimit defaults to 1 for ff02::6b, else 64. */
export function encodeIpv6Udp(p: {
  src: string
  dst: string
  srcPort: number
  dstPort: number
  payload: Uint8Array
  hopLimit?: number
  dscp?: number
  ecn?: number
  flowLabel?: number
}): Uint8Array {
  const src = parseIpv6(p.src)
  const dst = parseIpv6(p.dst)
  const udpLength = UDP_HEADER_LENGTH + p.payload.length
  if (udpLength > 0xffff) throw new RangeError(`UDP datagram of ${udpLength} octets is too long`)
  const b = new Uint8Array(IPV6_HEADER_LENGTH + udpLength)
  const tc = ((p.dscp ?? 0) << 2) | ((p.ecn ?? 0) & 3)
  const flow = p.flowLabel ?? 0
  b[0] = 0x60 | (tc >>> 4)
  b[1] = ((tc & 0xf) << 4) | ((flow >>> 16) & 0xf)
  b[2] = (flow >>> 8) & 0xff
  b[3] = flow & 0xff
  b[4] = udpLength >>> 8
  b[5] = udpLength & 0xff
  b[6] = IPPROTO_UDP
  b[7] = p.hopLimit ?? (formatIpv6(dst, 0) === 'ff02::6b' ? 1 : 64)
  b.set(src, 8)
  b.set(dst, 24)
  writeUdp(b, IPV6_HEADER_LENGTH, p.srcPort, p.dstPort, p.payload, ipv6PseudoSum(src, dst, udpLength))
  return b
}
