/**
 * 802.1AS message interval request TLV (00-80-C2, subType 2; 802.1AS-2020 10.6.4.3), carried by
 * Signaling: linkDelayInterval, timeSyncInterval, announceInterval (Int8 each; -128 no change,
 * 126 initial value, 127 stop), flags, 2 reserved octets. lengthField 12.
 */
import type { MessageIntervalRequestTlv } from '../types.ts'
import { i8, u16, w16 } from '../bytes.ts'
import { OrganizationId, TlvType } from '../constants.ts'

export const MESSAGE_INTERVAL_REQUEST_LENGTH = 12
export const INTERVAL_NO_CHANGE = -128
export const INTERVAL_INITIAL = 126
export const INTERVAL_STOP = 127

export function decodeMessageIntervalRequest(b: Uint8Array, v: number, tlvType: number, lengthField: number): MessageIntervalRequestTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST',
    tlvType,
    lengthField,
    organizationId: OrganizationId.IEEE_802_1,
    organizationSubType: 2,
    linkDelayInterval: i8(b, v),
    timeSyncInterval: i8(b, v + 1),
    announceInterval: i8(b, v + 2),
    flags: b[v + 3]!,
    reserved: u16(b, v + 4),
  }
}

export function writeMessageIntervalRequest(t: MessageIntervalRequestTlv, b: Uint8Array, v: number): void {
  b[v] = t.linkDelayInterval
  b[v + 1] = t.timeSyncInterval
  b[v + 2] = t.announceInterval
  b[v + 3] = t.flags
  w16(b, v + 4, t.reserved)
}

export function buildMessageIntervalRequestTlv(p: {
  linkDelayInterval?: number
  timeSyncInterval?: number
  announceInterval?: number
  flags?: number
} = {}): MessageIntervalRequestTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST',
    tlvType: TlvType.ORGANIZATION_EXTENSION,
    lengthField: MESSAGE_INTERVAL_REQUEST_LENGTH,
    organizationId: OrganizationId.IEEE_802_1,
    organizationSubType: 2,
    linkDelayInterval: p.linkDelayInterval ?? INTERVAL_NO_CHANGE,
    timeSyncInterval: p.timeSyncInterval ?? INTERVAL_NO_CHANGE,
    announceInterval: p.announceInterval ?? INTERVAL_NO_CHANGE,
    flags: p.flags ?? 0,
    reserved: 0,
  }
}
