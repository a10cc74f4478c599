/**
 * ITU-T G.8275.2 Annex D interface rate TLV (organizationId 00-19-A7, subType 2):
 * interfaceBitPeriod UInt64 (attoseconds), numberOfBitsBeforeTimestamp UInt16,
 * numberOfBitsAfterTimestamp UInt16; lengthField 18.
 */
import type { InterfaceRateTlv } from '../types.ts'
import { u16, u64, w16, w64 } from '../bytes.ts'
import { OrganizationId, TlvType } from '../constants.ts'

export const INTERFACE_RATE_LENGTH = 18

export function decodeInterfaceRate(b: Uint8Array, v: number, tlvType: number, lengthField: number): InterfaceRateTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'ITU_T_INTERFACE_RATE',
    tlvType,
    lengthField,
    organizationId: OrganizationId.ITU_T,
    organizationSubType: 2,
    interfaceBitPeriod: u64(b, v),
    numberOfBitsBeforeTimestamp: u16(b, v + 8),
    numberOfBitsAfterTimestamp: u16(b, v + 10),
  }
}

export function writeInterfaceRate(t: InterfaceRateTlv, b: Uint8Array, v: number): void {
  w64(b, v, t.interfaceBitPeriod)
  w16(b, v + 8, t.numberOfBitsBeforeTimestamp)
  w16(b, v + 10, t.numberOfBitsAfterTimestamp)
}

export function buildInterfaceRateTlv(p: {
  interfaceBitPeriod: bigint
  numberOfBitsBeforeTimestamp: number
  numberOfBitsAfterTimestamp: number
  tlvType?: number
}): InterfaceRateTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'ITU_T_INTERFACE_RATE',
    tlvType: p.tlvType ?? TlvType.ORGANIZATION_EXTENSION,
    lengthField: INTERFACE_RATE_LENGTH,
    organizationId: OrganizationId.ITU_T,
    organizationSubType: 2,
    interfaceBitPeriod: p.interfaceBitPeriod,
    numberOfBitsBeforeTimestamp: p.numberOfBitsBeforeTimestamp,
    numberOfBitsAfterTimestamp: p.numberOfBitsAfterTimestamp,
  }
}
