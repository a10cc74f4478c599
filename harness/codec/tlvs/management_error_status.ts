/**
 * MANAGEMENT_ERROR_STATUS TLV (0x0002, IEEE 1588-2019 15.5.4): managementErrorId(2),
 * managementId(2), reserved(4), optional displayData PTPText, pad to even length.
 */
import type { ManagementErrorStatusTlv, Tlv } from '../types.ts'
import { u16, u32, w16, w32 } from '../bytes.ts'
import { TlvType } from '../constants.ts'
import { ptpTextBytes } from '../fields.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { tlvField, wrongLength, type TlvContext } from './context.ts'

const FIXED = 8

export function decodeManagementErrorStatusTlv(b: Uint8Array, o: number, lengthField: number, ctx: TlvContext): Tlv {
  if (lengthField < FIXED) {
    return wrongLength(b, o, TlvType.MANAGEMENT_ERROR_STATUS, lengthField, ctx, 'MANAGEMENT_ERROR_STATUS', 'at least 8', Clause.managementErrorStatus)
  }
  const v = o + 4
  const end = v + lengthField
  const reserved = u32(b, v + 4)
  if (reserved !== 0) {
    ctx.findings.push(error(tlvField(ctx, 'reserved'), v + 4 - ctx.base, `reserved is ${reserved}, shall be 0`, Clause.managementErrorStatus))
  }
  let displayData: Uint8Array | null = null
  let padFrom = v + FIXED
  if (lengthField > FIXED) {
    const textLength = b[v + FIXED]!
    if (v + FIXED + 1 + textLength <= end) {
      displayData = b.slice(v + FIXED + 1, v + FIXED + 1 + textLength)
      padFrom = v + FIXED + 1 + textLength
    } else {
      ctx.findings.push(
        error(tlvField(ctx, 'displayData'), v + FIXED - ctx.base, `displayData length ${textLength} runs past the TLV`, Clause.ptpText),
      )
    }
  }
  return {
    kind: 'MANAGEMENT_ERROR_STATUS',
    tlvType: TlvType.MANAGEMENT_ERROR_STATUS,
    lengthField,
    managementErrorId: u16(b, v),
    managementId: u16(b, v + 2),
    reserved,
    displayData,
    pad: b.slice(padFrom, end),
  }
}

export function managementErrorStatusTlvSize(t: ManagementErrorStatusTlv): number {
  return FIXED + (t.displayData ? 1 + t.displayData.length : 0) + t.pad.length
}

export function writeManagementErrorStatusTlv(t: ManagementErrorStatusTlv, b: Uint8Array, o: number): void {
  w16(b, o, t.managementErrorId)
  w16(b, o + 2, t.managementId)
  w32(b, o + 4, t.reserved)
  let p = o + FIXED
  if (t.displayData) {
    b[p] = t.displayData.length
    b.set(t.displayData, p + 1)
    p += 1 + t.displayData.length
  }
  b.set(t.pad, p)
}

export function buildManagementErrorStatusTlv(p: {
  managementErrorId: number
  managementId: number
  displayData?: string
}): ManagementErrorStatusTlv {
  const displayData = p.displayData === undefined ? null : ptpTextBytes(p.displayData)
  const size = FIXED + (displayData ? 1 + displayData.length : 0)
  const pad = new Uint8Array(size & 1)
  return {
    kind: 'MANAGEMENT_ERROR_STATUS',
    tlvType: TlvType.MANAGEMENT_ERROR_STATUS,
    lengthField: size + pad.length,
    managementErrorId: p.managementErrorId,
    managementId: p.managementId,
    reserved: 0,
    displayData,
    pad,
  }
}
