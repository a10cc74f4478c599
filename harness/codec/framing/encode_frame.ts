/**
 * A PTP message in a complete Ethernet frame for one of the three transports, with the
 * addresses and ports 1588-2019 Annexes C, E, F prescribe unless given.
 */
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_PTP,
  IPV4_PTP_PDELAY,
  IPV4_PTP_PRIMARY,
  IPV6_PTP_PDELAY,
  ipv6PtpPrimary,
  isPeerDelayMessage,
  MAC_PTP_PDELAY,
  MAC_PTP_PRIMARY,
  udpPortFor,
} from '../constants.ts'
import { parseIpv4, parseIpv6 } from './address.ts'
import { encodeEthernet } from './ethernet.ts'
import { encodeIpv4Udp } from './ipv4.ts'
import { encodeIpv6Udp } from './ipv6.ts'
import type { VlanTag } from './vlan.ts'

export type PtpTransport = 'l2' | 'udp4' | 'udp6'

const hex2 = (n: number) => n.toString(16).padStart(2, '0')

/** Ethernet multicast address of an IP multicast group (RFC 1112 / RFC 2464). */
function multicastMac(transport: 'udp4' | 'udp6', ip: string): string | undefined {
  if (transport === 'udp4') {
    const a = parseIpv4(ip)
    if ((a[0]! & 0xf0) !== 0xe0) return undefined
    return `01:00:5e:${hex2(a[1]! & 0x7f)}:${hex2(a[2]!)}:${hex2(a[3]!)}`
  }
  const a = parseIpv6(ip)
  if (a[0] !== 0xff) return undefined
  return `33:33:${hex2(a[12]!)}:${hex2(a[13]!)}:${hex2(a[14]!)}:${hex2(a[15]!)}`
}

export function encodePtpFrame(
  message: Uint8Array,
  p: {
    transport: PtpTransport
    srcMac: string
    /** Default: the Annex F multicast address (l2; 01-80-C2-00-00-0E for peer delay or gPTP) or the IP group's MAC. */
    dstMac?: string
    vlan?: VlanTag[]
    srcIp?: string
    /** Default: 224.0.1.129 / 224.0.0.107, ff0e::181 / ff02::6b. */
    dstIp?: string
    srcPort?: number
    dstPort?: number
    ttl?: number
    dscp?: number
    /** Scope nibble for ff0X::181 (default 0xE, as linuxptp). */
    ipv6Scope?: number
  },
): Uint8Array {
  const messageType = (message[0] ?? 0) & 0xf
  const pdelay = isPeerDelayMessage(messageType)
  if (p.transport === 'l2') {
    const gptp = (message[0] ?? 0) >>> 4 === 1
    return encodeEthernet({
      dst: p.dstMac ?? (pdelay || gptp ? MAC_PTP_PDELAY : MAC_PTP_PRIMARY),
      src: p.srcMac,
      etherType: ETHERTYPE_PTP,
      payload: message,
      vlan: p.vlan,
    })
  }
  const port = udpPortFor(messageType)
  const srcPort = p.srcPort ?? port
  const dstPort = p.dstPort ?? port
  if (p.transport === 'udp4') {
    const dst = p.dstIp ?? (pdelay ? IPV4_PTP_PDELAY : IPV4_PTP_PRIMARY)
    const packet = encodeIpv4Udp({ src: p.srcIp ?? '192.0.2.1', dst, srcPort, dstPort, payload: message, ttl: p.ttl, dscp: p.dscp })
    const dstMac = p.dstMac ?? multicastMac('udp4', dst)
    if (dstMac === undefined) throw new RangeError(`dstMac is needed for unicast ${dst}`)
    return encodeEthernet({ dst: dstMac, src: p.srcMac, etherType: ETHERTYPE_IPV4, payload: packet, vlan: p.vlan })
  }
  const dst = p.dstIp ?? (pdelay ? IPV6_PTP_PDELAY : ipv6PtpPrimary(p.ipv6Scope ?? 0xe))
  const packet = encodeIpv6Udp({ src: p.srcIp ?? '2001:db8::1', dst, srcPort, dstPort, payload: message, hopLimit: p.ttl, dscp: p.dscp })
  const dstMac = p.dstMac ?? multicastMac('udp6', dst)
  if (dstMac === undefined) throw new RangeError(`dstMac is needed for unicast ${dst}`)
  return encodeEthernet({ dst: dstMac, src: p.srcMac, etherType: ETHERTYPE_IPV6, payload: packet, vlan: p.vlan })
}
