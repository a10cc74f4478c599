/**
 * MANAGEMENT TLV (0x0001, IEEE 1588-2019 15.5.2): managementId(2) then a dataField whose layout
 * the managementId selects. lengthField = 2 + dataField length.
 */
import type { ManagementDataField, ManagementTlv, Tlv } from '../types.ts'
import { u16, w16 } from '../bytes.ts'
import { TlvType } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { dataFieldSize, decodeDataField, writeDataField } from '../management/index.ts'
import { wrongLength, type TlvContext } from './context.ts'

export function decodeManagementTlv(b: Uint8Array, o: number, lengthField: number, ctx: TlvContext): Tlv {
  if (lengthField < 2) {
    return wrongLength(b, o, TlvType.MANAGEMENT, lengthField, ctx, 'MANAGEMENT', 'at least 2', Clause.managementTlv)
  }
  const managementId = u16(b, o + 4)
  return {
    kind: 'MANAGEMENT',
    tlvType: TlvType.MANAGEMENT,
    lengthField,
    managementId,
    dataField: decodeDataField(b, o + 6, lengthField - 2, managementId, ctx),
  }
}

export function managementTlvSize(t: ManagementTlv): number {
  return 2 + dataFieldSize(t.dataField)
}

export function writeManagementTlv(t: ManagementTlv, b: Uint8Array, o: number): void {
  w16(b, o, t.managementId)
  writeDataField(t.dataField, b, o + 2)
}

export function buildManagementTlv(managementId: number, dataField: ManagementDataField | null = null): ManagementTlv {
  return {
    kind: 'MANAGEMENT',
    tlvType: TlvType.MANAGEMENT,
    lengthField: 2 + dataFieldSize(dataField),
    managementId,
    dataField,
  }
}
