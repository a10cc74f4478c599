/** IEEE 802.1Q tags: TPID(2) then TCI = PCP(3) DEI(1) VID(12). */
import { ETHERTYPE_VLAN } from '../constants.ts'

export interface VlanTag {
  /** Priority code point 0..7. */
  pcp: number
  /** Drop eligible indicator 0/1. */
  dei: number
  /** VLAN id 0..4095 (0: priority tag only). */
  vid: number
  /** Tag protocol identifier; 0x8100 (C-tag) unless given (0x88A8 S-tag). */
  tpid?: number
}

/** TCI at b[o] (the octets after the TPID). */
export function decodeVlanTci(b: Uint8Array, o: number, tpid: number): VlanTag {
  const tci = (b[o]! << 8) | b[o + 1]!
  const tag: VlanTag = { pcp: tci >>> 13, dei: (tci >>> 12) & 1, vid: tci & 0xfff }
  if (tpid !== ETHERTYPE_VLAN) tag.tpid = tpid
  return tag
}

/** Tags as they appear after the source MAC, 4 octets each. */
export function encodeVlan(tags: VlanTag[]): Uint8Array {
  const b = new Uint8Array(4 * tags.length)
  tags.forEach((t, i) => {
    const tpid = t.tpid ?? ETHERTYPE_VLAN
    const tci = ((t.pcp & 7) << 13) | ((t.dei & 1) << 12) | (t.vid & 0xfff)
    b[4 * i] = tpid >>> 8
    b[4 * i + 1] = tpid & 0xff
    b[4 * i + 2] = tci >>> 8
    b[4 * i + 3] = tci & 0xff
  })
  return b
}
