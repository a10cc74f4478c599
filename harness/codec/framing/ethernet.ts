/** Ethernet II framing (IEEE 1588-2019 Annex F: EtherType 0x88F7), with any number of 802.1Q tags. */
import { ETHERTYPE_QINQ, ETHERTYPE_VLAN } from '../constants.ts'
import { formatMac, parseMac } from './address.ts'
import { decodeVlanTci, encodeVlan, type VlanTag } from './vlan.ts'
import type { FrameCursor } from './cursor.ts'

export const ETHERNET_HEADER_LENGTH = 14
/** Minimum Ethernet frame without FCS; shorter frames are padded. */
export const ETHERNET_MIN_FRAME = 60

export interface EthernetHeader {
  dst: string
  src: string
  /** EtherType after the VLAN tags. */
  etherType: number
  vlan?: VlanTag[]
}

/** Decodes the header at b[o, end) and sets cur.offset/end to the payload; null when the frame is too short. */
export function decodeEthernet(b: Uint8Array, o: number, end: number, cur: FrameCursor): EthernetHeader | null {
  if (end - o < ETHERNET_HEADER_LENGTH) return null
  let p = o + 12
  let etherType = (b[p]! << 8) | b[p + 1]!
  let vlan: VlanTag[] | undefined
  while (etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ) {
    if (end - p < 6) return null
    ;(vlan ??= []).push(decodeVlanTci(b, p + 2, etherType))
    p += 4
    etherType = (b[p]! << 8) | b[p + 1]!
  }
  const eth: EthernetHeader = { dst: formatMac(b, o), src: formatMac(b, o + 6), etherType }
  if (vlan) eth.vlan = vlan
  cur.offset = p + 2
  cur.end = end
  return eth
}

/** An Ethernet II frame; padded with zeros to 60 octets unless padToMinimum is false. No FCS. */
export function encodeEthernet(p: {
  dst: string
  src: string
  etherType: number
  payload: Uint8Array
  vlan?: VlanTag[]
  padToMinimum?: boolean
}): Uint8Array {
  const tags = encodeVlan(p.vlan ?? [])
  const length = ETHERNET_HEADER_LENGTH + tags.length + p.payload.length
  const b = new Uint8Array(p.padToMinimum === false ? length : Math.max(length, ETHERNET_MIN_FRAME))
  b.set(parseMac(p.dst), 0)
  b.set(parseMac(p.src), 6)
  b.set(tags, 12)
  const t = 12 + tags.length
  b[t] = p.etherType >>> 8
  b[t + 1] = p.etherType & 0xff
  b.set(p.payload, t + 2)
  return b
}
