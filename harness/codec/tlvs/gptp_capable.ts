/**
 * 802.1AS-2020 gPTP-capable TLV (00-80-C2, subType 4) and gPTP-capable message interval request
 * TLV (subType 5), 802.1AS-2020 10.6.4.4 / 10.6.4.5, carried in Signaling with tlvType
 * ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE (0x8000): logGptpCapableMessageInterval Int8, flags,
 * 4 reserved octets; lengthField 12.
 */
import type { GptpCapableTlv } from '../types.ts'
import { i8 } from '../bytes.ts'
import { OrganizationId, TlvType } from '../constants.ts'

export const GPTP_CAPABLE_LENGTH = 12
/** dataField octets that carry fields (interval + flags); the rest is reserved. */
export const GPTP_CAPABLE_MIN_DATA = 2

export function decodeGptpCapable(b: Uint8Array, v: number, tlvType: number, lengthField: number, subType: 4 | 5): GptpCapableTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: subType === 4 ? 'IEEE_802_1AS_GPTP_CAPABLE' : 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL',
    tlvType,
    lengthField,
    organizationId: OrganizationId.IEEE_802_1,
    organizationSubType: subType,
    logGptpCapableMessageInterval: i8(b, v),
    flags: b[v + 1]!,
    reserved: b.slice(v + 2, v + lengthField - 6),
  }
}

export function writeGptpCapable(t: GptpCapableTlv, b: Uint8Array, v: number): void {
  b[v] = t.logGptpCapableMessageInterval
  b[v + 1] = t.flags
  b.set(t.reserved, v + 2)
}

export function buildGptpCapableTlv(p: { logGptpCapableMessageInterval: number; flags?: number; messageInterval?: boolean }): GptpCapableTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: p.messageInterval ? 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL' : 'IEEE_802_1AS_GPTP_CAPABLE',
    tlvType: TlvType.ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE,
    lengthField: GPTP_CAPABLE_LENGTH,
    organizationId: OrganizationId.IEEE_802_1,
    organizationSubType: p.messageInterval ? 5 : 4,
    logGptpCapableMessageInterval: p.logGptpCapableMessageInterval,
    flags: p.flags ?? 0,
    reserved: new Uint8Array(4),
  }
}
