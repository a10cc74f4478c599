/**
 * IEEE C37.238 (power profile) TLV in Announce: organizationId 1C-12-9D, subType 1 (2011) or
 * 2 (2017). 22 octets on the wire. The 2011 text puts 12 in lengthField (the dataField after
 * organizationSubType), linuxptp and Wireshark 18 (everything after lengthField); both arrive in
 * practice, so the decoder accepts both and records the convention.
 */
import type { C37238Tlv2011, C37238Tlv2017 } from '../types.ts'
import { u16, u32, w16, w32 } from '../bytes.ts'
import { OrganizationId, TlvType } from '../constants.ts'

/** Octets after lengthField. */
export const C37_238_VALUE_LENGTH = 18
export const C37_238_DATA_LENGTH = 12
/** grandmasterTimeInaccuracy / networkTimeInaccuracy / totalTimeInaccuracy: exceeds the range or unknown. */
export const INACCURACY_UNKNOWN = 0xffffffff

export function decodeC37238(
  b: Uint8Array,
  v: number,
  tlvType: number,
  lengthField: number,
  subType: 1 | 2,
): C37238Tlv2011 | C37238Tlv2017 {
  const lengthConvention = lengthField === C37_238_DATA_LENGTH ? 12 : 18
  if (subType === 1) {
    return {
      kind: 'ORGANIZATION_EXTENSION',
      org: 'IEEE_C37_238_2011',
      tlvType,
      lengthField,
      organizationId: OrganizationId.IEEE_C37_238,
      organizationSubType: 1,
      lengthConvention,
      grandmasterID: u16(b, v),
      grandmasterTimeInaccuracy: u32(b, v + 2),
      networkTimeInaccuracy: u32(b, v + 6),
      reserved: u16(b, v + 10),
    }
  }
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_C37_238_2017',
    tlvType,
    lengthField,
    organizationId: OrganizationId.IEEE_C37_238,
    organizationSubType: 2,
    lengthConvention,
    grandmasterID: u16(b, v),
    reserved1: u32(b, v + 2),
    totalTimeInaccuracy: u32(b, v + 6),
    reserved2: u16(b, v + 10),
  }
}

export function writeC37238(t: C37238Tlv2011 | C37238Tlv2017, b: Uint8Array, v: number): void {
  w16(b, v, t.grandmasterID)
  if (t.org === 'IEEE_C37_238_2011') {
    w32(b, v + 2, t.grandmasterTimeInaccuracy)
    w32(b, v + 6, t.networkTimeInaccuracy)
    w16(b, v + 10, t.reserved)
  } else {
    w32(b, v + 2, t.reserved1)
    w32(b, v + 6, t.totalTimeInaccuracy)
    w16(b, v + 10, t.reserved2)
  }
}

export function buildC37238Tlv2011(p: {
  grandmasterID: number
  grandmasterTimeInaccuracy: number
  networkTimeInaccuracy: number
  lengthConvention?: 12 | 18
}): C37238Tlv2011 {
  const lengthConvention = p.lengthConvention ?? 18
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_C37_238_2011',
    tlvType: TlvType.ORGANIZATION_EXTENSION,
    lengthField: lengthConvention,
    organizationId: OrganizationId.IEEE_C37_238,
    organizationSubType: 1,
    lengthConvention,
    grandmasterID: p.grandmasterID,
    grandmasterTimeInaccuracy: p.grandmasterTimeInaccuracy,
    networkTimeInaccuracy: p.networkTimeInaccuracy,
    reserved: 0,
  }
}

export function buildC37238Tlv2017(p: {
  grandmasterID: number
  totalTimeInaccuracy: number
  lengthConvention?: 12 | 18
}): C37238Tlv2017 {
  const lengthConvention = p.lengthConvention ?? 18
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_C37_238_2017',
    tlvType: TlvType.ORGANIZATION_EXTENSION,
    lengthField: lengthConvention,
    organizationId: OrganizationId.IEEE_C37_238,
    organizationSubType: 2,
    lengthConvention,
    grandmasterID: p.grandmasterID,
    reserved1: 0,
    totalTimeInaccuracy: p.totalTimeInaccuracy,
    reserved2: 0,
  }
}
