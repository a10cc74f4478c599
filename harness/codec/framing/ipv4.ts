/** IPv4 header (RFC 791) and IPv4/UDP encoding for PTP (IEEE 1588-2019 Annex C). */
import { formatIpv4, parseIpv4 } from './address.ts'
import { internetChecksum, sumWords } from './checksum.ts'
import type { FrameCursor } from './cursor.ts'
import { IPPROTO_UDP, ipv4PseudoSum, UDP_HEADER_LENGTH, writeUdp } from './udp.ts'

export const IPV4_MIN_HEADER = 20

export interface Ipv4Header {
  version: 4
  /** Header length in octets. */
  headerLength: number
  dscp: number
  ecn: number
  totalLength: number
  identification: number
  /** 3 bits: 0x2 don't fragment, 0x1 more fragments. */
  flags: number
  fragmentOffset: number
  ttl: number
  protocol: number
  headerChecksum: number
  headerChecksumOk: boolean
  src: string
  dst: string
}

/** Decodes the header at b[o, end) and sets the cursor to the IP payload; a string says why it is not IPv4. */
export function decodeIpv4(b: Uint8Array, o: number, end: number, cur: FrameCursor): Ipv4Header | string {
  if (end - o < IPV4_MIN_HEADER) return 'truncated IPv4 header'
  const version = b[o]! >>> 4
  if (version !== 4) return `IP version ${version} where IPv4 was expected`
  const headerLength = (b[o]! & 0xf) * 4
  if (headerLength < IPV4_MIN_HEADER || end - o < headerLength) return 'bad IPv4 header length'
  const totalLength = (b[o + 2]! << 8) | b[o + 3]!
  const flagsFrag = (b[o + 6]! << 8) | b[o + 7]!
  const ip: Ipv4Header = {
    version: 4,
    headerLength,
    dscp: b[o + 1]! >>> 2,
    ecn: b[o + 1]! & 3,
    totalLength,
    identification: (b[o + 4]! << 8) | b[o + 5]!,
    flags: flagsFrag >>> 13,
    fragmentOffset: flagsFrag & 0x1fff,
    ttl: b[o + 8]!,
    protocol: b[o + 9]!,
    headerChecksum: (b[o + 10]! << 8) | b[o + 11]!,
    headerChecksumOk: internetChecksum(b, o, o + headerLength) === 0,
    src: formatIpv4(b, o + 12),
    dst: formatIpv4(b, o + 16),
  }
  cur.offset = o + headerLength
  cur.end = Math.min(end, o + Math.max(totalLength, headerLength))
  cur.addressSum = sumWords(b, o + 12, o + 20)
  cur.protocol = ip.protocol
  return ip
}

/**
 * An IPv4 packet carrying one UDP datagram, header checksum and UDP checksum computed
 * (udpChecksum false leaves the UDP checksum 0, which Annex C allows). Defaults: TTL 1 for
 * 224.0.0.107 (Annex C requires it for peer delay) and 64 otherwise, DSCP 0, DF set.
 */
export function encodeIpv4Udp(p: {
  src: string
  dst: string
  srcPort: number
  dstPort: number
  payload: Uint8Array
  ttl?: number
  dscp?: number
  ecn?: number
  identification?: number
  dontFragment?: boolean
  udpChecksum?: boolean
}): Uint8Array {
  const src = parseIpv4(p.src)
  const dst = parseIpv4(p.dst)
  const udpLength = UDP_HEADER_LENGTH + p.payload.length
  const total = IPV4_MIN_HEADER + udpLength
  if (total > 0xffff) throw new RangeError(`IPv4 packet of ${total} octets is too long`)
  const b = new Uint8Array(total)
  b[0] = 0x45
  b[1] = ((p.dscp ?? 0) << 2) | ((p.ecn ?? 0) & 3)
  b[2] = total >>> 8
  b[3] = total & 0xff
  const id = p.identification ?? 0
  b[4] = id >>> 8
  b[5] = id & 0xff
  b[6] = p.dontFragment === false ? 0 : 0x40
  b[7] = 0
  b[8] = p.ttl ?? (p.dst === '224.0.0.107' ? 1 : 64)
  b[9] = IPPROTO_UDP
  b.set(src, 12)
  b.set(dst, 16)
  const c = internetChecksum(b, 0, IPV4_MIN_HEADER)
  b[10] = c >>> 8
  b[11] = c & 0xff
  writeUdp(b, IPV4_MIN_HEADER, p.srcPort, p.dstPort, p.payload, p.udpChecksum === false ? null : ipv4PseudoSum(src, dst, udpLength))
  return b
}
