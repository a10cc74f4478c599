/**
 * decodeFrame: a captured link-layer frame -> its Ethernet / VLAN / IP / UDP headers and the
 * decoded PTP message. Never throws: a PTP payload that cannot be decoded comes back as
 * ptpError, a frame that is not PTP as notPtp. Transport findings (checksums, ports, addresses
 * per 1588-2019 Annexes C, E, F) carry offsets from the start of the frame.
 */
import type { DecodeResult, Finding } from '../types.ts'
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_PTP,
  isEventMessage,
  isPeerDelayMessage,
  UDP_PORT_EVENT,
  UDP_PORT_GENERAL,
} from '../constants.ts'
import { CodecError } from '../errors.ts'
import { decodeMessage, type DecodeOptions } from '../message.ts'
import { Clause } from '../findings/clauses.ts'
import { error, warning } from '../findings/finding.ts'
import { decodeEthernet, ETHERNET_MIN_FRAME, type EthernetHeader } from './ethernet.ts'
import { decodeIpv4, type Ipv4Header } from './ipv4.ts'
import { decodeIpv6, type Ipv6Header } from './ipv6.ts'
import { decodeUdp, IPPROTO_UDP, type UdpHeader } from './udp.ts'
import { newCursor } from './cursor.ts'

/**
 * 'ethernet' Ethernet II (pcap LINKTYPE_ETHERNET 1); 'raw-ip' IPv4 or IPv6 by version
 * (LINKTYPE_RAW 101); 'raw-ipv4' (228); 'raw-ipv6' (229); 'linux-sll' (113) and 'linux-sll2'
 * (276) Linux cooked captures; 'ptp' the bare PTP message.
 */
export type LinkType = 'ethernet' | 'raw-ip' | 'raw-ipv4' | 'raw-ipv6' | 'linux-sll' | 'linux-sll2' | 'ptp'

const PCAP_LINK_TYPES: Record<number, LinkType> = {
  1: 'ethernet',
  101: 'raw-ip',
  228: 'raw-ipv4',
  229: 'raw-ipv6',
  113: 'linux-sll',
  276: 'linux-sll2',
}

/** The LinkType of a pcap/pcapng link-type number, undefined when not supported. */
export function linkTypeFromPcap(linkType: number): LinkType | undefined {
  return PCAP_LINK_TYPES[linkType]
}

export interface SllHeader {
  packetType: number
  /** ARPHRD_ type. */
  hardwareType: number
  /** Link-layer address in hex (colon separated). */
  address: string
  protocol: number
  interfaceIndex?: number
}

export interface FrameDecode {
  linkType: LinkType
  eth?: EthernetHeader
  sll?: SllHeader
  ip?: Ipv4Header | Ipv6Header
  udp?: UdpHeader
  /** Offset of the PTP message in the frame; -1 when there is none. */
  ptpOffset: number
  /** Octets given to the PTP decoder (UDP payload, or the rest of an L2 frame). */
  ptpLength: number
  ptp?: DecodeResult
  ptpError?: CodecError
  notPtp?: string
  /** Transport-level findings; offsets from the start of the frame. */
  findings: Finding[]
}

const MAC_PRIMARY = [0x01, 0x1b, 0x19, 0x00, 0x00, 0x00]
const MAC_PDELAY = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e]

function macIs(b: Uint8Array, o: number, mac: number[]): boolean {
  for (let i = 0; i < 6; i++) if (b[o + i] !== mac[i]) return false
  return true
}

/** FF0X::181 (X any scope) at b[o]. */
function isPtpPrimaryV6(b: Uint8Array, o: number): boolean {
  if (b[o] !== 0xff || (b[o + 1]! & 0xf0) !== 0) return false
  for (let i = 2; i < 14; i++) if (b[o + i] !== 0) return false
  return b[o + 14] === 0x01 && b[o + 15] === 0x81
}

function isPtpPort(port: number): boolean {
  return port === UDP_PORT_EVENT || port === UDP_PORT_GENERAL
}

function notPtp(r: FrameDecode, reason: string): FrameDecode {
  r.notPtp = reason
  return r
}

const PADDING: DecodeOptions = { trailerIsPadding: true }
/**
 * UDP senders may append 2 octets after the PTP message for a one-step device's UDP checksum
 * fix-up: linuxptp does on every UDP/IPv6 message and on one-step event messages over IPv4.
 */
const UDP_TRAILER: DecodeOptions = { allowedTrailer: 2 }

function decodePtp(r: FrameDecode, b: Uint8Array, o: number, end: number, options: DecodeOptions | undefined): void {
  r.ptpOffset = o
  r.ptpLength = end - o
  try {
    r.ptp = decodeMessage(b, o, end - o, options)
  } catch (e) {
    if (e instanceof CodecError) r.ptpError = e
    else throw e
  }
}

export interface FrameDecodeOptions {
  /**
   * Report wrong IPv4 header and UDP checksums as findings. Off by default: frames captured on
   * the sending host or on veth carry checksums the NIC (or nobody) fills in later, so a capture
   * shows them "wrong" (Wireshark does not check them by default either). checksumOk and
   * headerChecksumOk are computed either way. A zero UDP checksum over IPv6 is always reported.
   */
  checksumFindings?: boolean
  /**
   * The destination MACs a profile gives Ethernet messages (e.g. G.8275.1 accepts the
   * non-forwardable 01-80-C2-00-00-0E for every message). Absent: IEEE 1588 Annex F, with
   * 802.1AS's all-peer-delay rule for majorSdoId 1.
   */
  l2Destinations?: { primary: string; pdelay: string; accepted?: readonly string[] }
}

const macText = (b: Uint8Array): string => Array.from(b.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join(':')
const normMac = (m: string): string => m.toLowerCase().replace(/-/g, ':')

/** decodeFrame runs to completion without calling out, so one cursor serves every call. */
const CURSOR = newCursor()

/** Decodes a frame of the given link type; `bytes` is exactly one captured frame. */
export function decodeFrame(bytes: Uint8Array, linkType: LinkType, options?: FrameDecodeOptions): FrameDecode {
  const checksums = options?.checksumFindings === true
  // Every key present from the start keeps one object shape for V8 (absent ones stay undefined).
  const r: FrameDecode = {
    linkType,
    eth: undefined,
    sll: undefined,
    ip: undefined,
    udp: undefined,
    ptpOffset: -1,
    ptpLength: 0,
    ptp: undefined,
    ptpError: undefined,
    notPtp: undefined,
    findings: [],
  }
  const end = bytes.length
  const cur = CURSOR
  let p = 0
  let etherType: number
  switch (linkType) {
    case 'ptp':
      decodePtp(r, bytes, 0, end, undefined)
      return r
    case 'ethernet': {
      const eth = decodeEthernet(bytes, 0, end, cur)
      if (eth === null) return notPtp(r, 'truncated Ethernet header')
      r.eth = eth
      etherType = eth.etherType
      p = cur.offset
      if (etherType === ETHERTYPE_PTP) {
        // Short L2 frames are padded to 60 octets; octets after messageLength are then padding.
        decodePtp(r, bytes, p, end, end <= ETHERNET_MIN_FRAME + 4 ? PADDING : undefined)
        checkL2Destination(r, bytes, options?.l2Destinations)
        return r
      }
      break
    }
    case 'linux-sll':
    case 'linux-sll2': {
      const sll2 = linkType === 'linux-sll2'
      const hl = sll2 ? 20 : 16
      if (end < hl) return notPtp(r, 'truncated Linux cooked header')
      const alen = Math.min(bytes[sll2 ? 11 : 5]!, 8)
      const addrAt = sll2 ? 12 : 6
      const addr: string[] = []
      for (let i = 0; i < alen; i++) addr.push(bytes[addrAt + i]!.toString(16).padStart(2, '0'))
      etherType = sll2 ? (bytes[0]! << 8) | bytes[1]! : (bytes[14]! << 8) | bytes[15]!
      r.sll = sll2
        ? { packetType: bytes[10]!, hardwareType: (bytes[8]! << 8) | bytes[9]!, address: addr.join(':'), protocol: etherType,
            interfaceIndex: ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0 }
        : { packetType: (bytes[0]! << 8) | bytes[1]!, hardwareType: (bytes[2]! << 8) | bytes[3]!, address: addr.join(':'), protocol: etherType }
      p = hl
      if (etherType === ETHERTYPE_PTP) {
        decodePtp(r, bytes, p, end, undefined)
        return r
      }
      break
    }
    case 'raw-ipv4':
      etherType = ETHERTYPE_IPV4
      break
    case 'raw-ipv6':
      etherType = ETHERTYPE_IPV6
      break
    case 'raw-ip':
      if (end < 1) return notPtp(r, 'empty packet')
      etherType = bytes[0]! >>> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4
      break
    default:
      return notPtp(r, `unsupported link type ${String(linkType)}`)
  }

  let v6 = false
  if (etherType === ETHERTYPE_IPV4) {
    const ip = decodeIpv4(bytes, p, end, cur)
    if (typeof ip === 'string') return notPtp(r, ip)
    r.ip = ip
    if (ip.protocol !== IPPROTO_UDP) return notPtp(r, `IP protocol ${ip.protocol} is not UDP`)
    if (ip.fragmentOffset !== 0 || (ip.flags & 1) !== 0) return notPtp(r, 'fragmented IPv4 datagram')
    if (checksums && !ip.headerChecksumOk) r.findings.push(error('ipv4.headerChecksum', p + 10, 'IPv4 header checksum is wrong', Clause.udpIpv4))
  } else if (etherType === ETHERTYPE_IPV6) {
    const ip = decodeIpv6(bytes, p, end, cur)
    if (typeof ip === 'string') return notPtp(r, ip)
    r.ip = ip
    if (cur.protocol !== IPPROTO_UDP) return notPtp(r, `IPv6 next header ${cur.protocol} is not UDP`)
    v6 = true
  } else {
    return notPtp(r, `EtherType 0x${etherType.toString(16).padStart(4, '0')} is neither PTP nor IP`)
  }
  const udpAt = cur.offset
  const ipEnd = cur.end
  const udp = decodeUdp(bytes, udpAt, ipEnd, cur.addressSum, cur)
  if (udp === null) return notPtp(r, 'truncated UDP header')
  r.udp = udp
  if (!isPtpPort(udp.dstPort) && !isPtpPort(udp.srcPort)) return notPtp(r, `UDP ports ${udp.srcPort} -> ${udp.dstPort} are not PTP (319/320)`)
  const clause = v6 ? Clause.udpIpv6 : Clause.udpIpv4
  if (udp.length > ipEnd - udpAt) {
    r.findings.push(error('udp.length', udpAt + 4, `UDP length ${udp.length} exceeds the ${ipEnd - udpAt} octets present`, clause))
  }
  if (checksums && udp.checksumOk === false) r.findings.push(error('udp.checksum', udpAt + 6, 'UDP checksum is wrong', clause))
  if (v6 && udp.checksum === 0) r.findings.push(error('udp.checksum', udpAt + 6, 'UDP checksum is 0, which IPv6 forbids', clause))
  decodePtp(r, bytes, cur.offset, cur.end, UDP_TRAILER)
  checkUdpTransport(r, bytes, p, udpAt, clause)
  return r
}

/** Annex F: peer-delay messages to 01-80-C2-00-00-0E, others to 01-1B-19-00-00-00 (802.1AS: all to 01-80-C2-00-00-0E). */
function checkL2Destination(r: FrameDecode, b: Uint8Array, profile: FrameDecodeOptions['l2Destinations']): void {
  const m = r.ptp?.message
  if (!m || (b[0]! & 1) === 0) return // unicast destinations are not judged here
  const pdelay = isPeerDelayMessage(m.header.messageType)
  if (profile) {
    const want = normMac(pdelay ? profile.pdelay : profile.primary)
    const dst = macText(b)
    if (dst !== want && !(profile.accepted ?? []).some((a) => normMac(a) === dst)) {
      r.findings.push(warning('eth.dst', 0, `${m.type} sent to ${r.eth!.dst}, the profile gives ${want}`, Clause.ethernet))
    }
    return
  }
  const gptp = m.header.majorSdoId === 1
  const wantPdelay = gptp || pdelay
  const ok = wantPdelay ? macIs(b, 0, MAC_PDELAY) : macIs(b, 0, MAC_PRIMARY)
  if (!ok) {
    r.findings.push(
      warning('eth.dst', 0, `${m.type} sent to ${r.eth!.dst}, expected ${wantPdelay ? '01:80:c2:00:00:0e' : '01:1b:19:00:00:00'}`, Clause.ethernet),
    )
  }
}

/** Annex C / E: event messages to port 319, general to 320; multicast addresses and TTL for peer delay. */
function checkUdpTransport(r: FrameDecode, b: Uint8Array, ipAt: number, udpAt: number, clause: string): void {
  const m = r.ptp?.message
  if (!m) return
  const dstPort = r.udp!.dstPort
  if (dstPort === UDP_PORT_EVENT || dstPort === UDP_PORT_GENERAL) {
    const event = isEventMessage(m.header.messageType)
    if (event !== (dstPort === UDP_PORT_EVENT)) {
      r.findings.push(error('udp.dstPort', udpAt + 2, `${event ? 'event' : 'general'} message ${m.type} sent to port ${dstPort}`, clause))
    }
  }
  const ip = r.ip!
  const pdelay = isPeerDelayMessage(m.header.messageType)
  if (ip.version === 4) {
    if ((b[ipAt + 16]! & 0xf0) === 0xe0) {
      const want = pdelay ? '224.0.0.107' : '224.0.1.129'
      if (ip.dst !== want) r.findings.push(warning('ipv4.dst', ipAt + 16, `${m.type} sent to ${ip.dst}, expected ${want}`, clause))
      if (ip.dst === '224.0.0.107' && ip.ttl !== 1) {
        r.findings.push(warning('ipv4.ttl', ipAt + 8, `TTL ${ip.ttl} on 224.0.0.107, expected 1`, clause))
      }
    }
  } else if (b[ipAt + 24] === 0xff) {
    const ok = pdelay ? ip.dst === 'ff02::6b' : isPtpPrimaryV6(b, ipAt + 24)
    if (!ok) r.findings.push(warning('ipv6.dst', ipAt + 24, `${m.type} sent to ${ip.dst}, expected ${pdelay ? 'ff02::6b' : 'ff0X::181'}`, clause))
  }
}
