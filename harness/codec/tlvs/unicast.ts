/**
 * Unicast negotiation TLVs (IEEE 1588-2019 16.1.4): REQUEST (0x0004), GRANT (0x0005),
 * CANCEL (0x0006) and ACKNOWLEDGE_CANCEL (0x0007) _UNICAST_TRANSMISSION. Octet 4 carries the
 * requested messageType in its high nibble.
 */
import type {
  CancelUnicastTransmissionTlv,
  GrantUnicastTransmissionTlv,
  RequestUnicastTransmissionTlv,
  Tlv,
} from '../types.ts'
import { i8, u32, w32 } from '../bytes.ts'
import { TlvType } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { tlvField, wrongLength, type TlvContext } from './context.ts'

export const REQUEST_LENGTH = 6
export const GRANT_LENGTH = 8
export const CANCEL_LENGTH = 2

function reservedNonZero(ctx: TlvContext, field: string, offset: number, value: number): void {
  ctx.findings.push(error(tlvField(ctx, field), offset - ctx.base, `reserved ${field} is ${value}, shall be 0`, Clause.unicastNegotiation))
}

export function decodeRequestUnicastTlv(b: Uint8Array, o: number, lengthField: number, ctx: TlvContext): Tlv {
  if (lengthField !== REQUEST_LENGTH) {
    return wrongLength(b, o, TlvType.REQUEST_UNICAST_TRANSMISSION, lengthField, ctx, 'REQUEST_UNICAST_TRANSMISSION', `${REQUEST_LENGTH}`, Clause.unicastNegotiation)
  }
  const t: RequestUnicastTransmissionTlv = {
    kind: 'REQUEST_UNICAST_TRANSMISSION',
    tlvType: TlvType.REQUEST_UNICAST_TRANSMISSION,
    lengthField,
    messageType: b[o + 4]! >>> 4,
    reservedNibble: b[o + 4]! & 0xf,
    logInterMessagePeriod: i8(b, o + 5),
    durationField: u32(b, o + 6),
  }
  if (t.reservedNibble !== 0) reservedNonZero(ctx, 'reservedNibble', o + 4, t.reservedNibble)
  return t
}

export function decodeGrantUnicastTlv(b: Uint8Array, o: number, lengthField: number, ctx: TlvContext): Tlv {
  if (lengthField !== GRANT_LENGTH) {
    return wrongLength(b, o, TlvType.GRANT_UNICAST_TRANSMISSION, lengthField, ctx, 'GRANT_UNICAST_TRANSMISSION', `${GRANT_LENGTH}`, Clause.unicastNegotiation)
  }
  const t: GrantUnicastTransmissionTlv = {
    kind: 'GRANT_UNICAST_TRANSMISSION',
    tlvType: TlvType.GRANT_UNICAST_TRANSMISSION,
    lengthField,
    messageType: b[o + 4]! >>> 4,
    reservedNibble: b[o + 4]! & 0xf,
    logInterMessagePeriod: i8(b, o + 5),
    durationField: u32(b, o + 6),
    reserved: b[o + 10]!,
    flags: b[o + 11]!,
  }
  if (t.reservedNibble !== 0) reservedNonZero(ctx, 'reservedNibble', o + 4, t.reservedNibble)
  if (t.reserved !== 0) reservedNonZero(ctx, 'reserved', o + 10, t.reserved)
  if ((t.flags & 0xfe) !== 0) reservedNonZero(ctx, 'flags', o + 11, t.flags & 0xfe)
  return t
}

export function decodeCancelUnicastTlv(b: Uint8Array, o: number, tlvType: number, lengthField: number, ctx: TlvContext): Tlv {
  const kind = tlvType === TlvType.CANCEL_UNICAST_TRANSMISSION ? 'CANCEL_UNICAST_TRANSMISSION' : 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION'
  if (lengthField !== CANCEL_LENGTH) {
    return wrongLength(b, o, tlvType, lengthField, ctx, kind, `${CANCEL_LENGTH}`, Clause.unicastNegotiation)
  }
  const t: CancelUnicastTransmissionTlv = {
    kind,
    tlvType,
    lengthField,
    messageType: b[o + 4]! >>> 4,
    flags: b[o + 4]! & 0xf,
    reserved: b[o + 5]!,
  }
  if ((t.flags & 0xc) !== 0) reservedNonZero(ctx, 'flags', o + 4, t.flags & 0xc)
  if (t.reserved !== 0) reservedNonZero(ctx, 'reserved', o + 5, t.reserved)
  return t
}

export function writeRequestUnicastTlv(t: RequestUnicastTransmissionTlv, b: Uint8Array, o: number): void {
  b[o] = ((t.messageType & 0xf) << 4) | (t.reservedNibble & 0xf)
  b[o + 1] = t.logInterMessagePeriod
  w32(b, o + 2, t.durationField)
}

export function writeGrantUnicastTlv(t: GrantUnicastTransmissionTlv, b: Uint8Array, o: number): void {
  b[o] = ((t.messageType & 0xf) << 4) | (t.reservedNibble & 0xf)
  b[o + 1] = t.logInterMessagePeriod
  w32(b, o + 2, t.durationField)
  b[o + 6] = t.reserved
  b[o + 7] = t.flags
}

export function writeCancelUnicastTlv(t: CancelUnicastTransmissionTlv, b: Uint8Array, o: number): void {
  b[o] = ((t.messageType & 0xf) << 4) | (t.flags & 0xf)
  b[o + 1] = t.reserved
}

export function buildRequestUnicastTransmissionTlv(p: {
  messageType: number
  logInterMessagePeriod: number
  durationField: number
}): RequestUnicastTransmissionTlv {
  return {
    kind: 'REQUEST_UNICAST_TRANSMISSION',
    tlvType: TlvType.REQUEST_UNICAST_TRANSMISSION,
    lengthField: REQUEST_LENGTH,
    reservedNibble: 0,
    ...p,
  }
}

export function buildGrantUnicastTransmissionTlv(p: {
  messageType: number
  logInterMessagePeriod: number
  durationField: number
  renewalInvited?: boolean
}): GrantUnicastTransmissionTlv {
  return {
    kind: 'GRANT_UNICAST_TRANSMISSION',
    tlvType: TlvType.GRANT_UNICAST_TRANSMISSION,
    lengthField: GRANT_LENGTH,
    messageType: p.messageType,
    reservedNibble: 0,
    logInterMessagePeriod: p.logInterMessagePeriod,
    durationField: p.durationField,
    reserved: 0,
    flags: p.renewalInvited ? 1 : 0,
  }
}

export function buildCancelUnicastTransmissionTlv(p: { messageType: number; flags?: number }): CancelUnicastTransmissionTlv {
  return {
    kind: 'CANCEL_UNICAST_TRANSMISSION',
    tlvType: TlvType.CANCEL_UNICAST_TRANSMISSION,
    lengthField: CANCEL_LENGTH,
    messageType: p.messageType,
    flags: p.flags ?? 0,
    reserved: 0,
  }
}

export function buildAcknowledgeCancelUnicastTransmissionTlv(p: { messageType: number; flags?: number }): CancelUnicastTransmissionTlv {
  return {
    kind: 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION',
    tlvType: TlvType.ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION,
    lengthField: CANCEL_LENGTH,
    messageType: p.messageType,
    flags: p.flags ?? 0,
    reserved: 0,
  }
}
