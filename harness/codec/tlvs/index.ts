/**
 * TLV sequence after a message's fixed body (IEEE 1588-2019 14.1): tlvType(2) lengthField(2)
 * value. The loop never reads past `end` (messageLength or the buffer, whichever is shorter);
 * a TLV cut short is kept raw with a finding, octets too few for a TLV header are kept as the
 * message's tlvRemainder.
 */
import type { Finding, Tlv } from '../types.ts'
import { u16, w16 } from '../bytes.ts'
import { TlvType } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { error, hex } from '../findings/finding.ts'
import type { TlvContext } from './context.ts'
import { decodeManagementTlv, managementTlvSize, writeManagementTlv } from './management.ts'
import { decodeManagementErrorStatusTlv, managementErrorStatusTlvSize, writeManagementErrorStatusTlv } from './management_error_status.ts'
import {
  decodeOrganizationExtension,
  isShortLengthC37238,
  organizationExtensionLengthField,
  organizationExtensionSize,
  writeOrganizationExtension,
} from './organization_extension.ts'
import { C37_238_VALUE_LENGTH } from './c37_238.ts'
import { decodePathTraceTlv, pathTraceTlvSize, writePathTraceTlv } from './path_trace.ts'
import { atoiTlvSize, decodeAtoiTlv, writeAtoiTlv } from './alternate_time_offset.ts'
import {
  decodeCancelUnicastTlv,
  decodeGrantUnicastTlv,
  decodeRequestUnicastTlv,
  writeCancelUnicastTlv,
  writeGrantUnicastTlv,
  writeRequestUnicastTlv,
  CANCEL_LENGTH,
  GRANT_LENGTH,
  REQUEST_LENGTH,
} from './unicast.ts'
import { decodePadTlv, padTlvSize, writePadTlv } from './pad.ts'
import { decodeUnknownTlv, unknownTlvSize, writeUnknownTlv } from './unknown.ts'

const TLV_HEADER = 4

const TLV_TYPE_NAMES = new Map<number, string>(Object.entries(TlvType).map(([k, v]) => [v, k]))

/**
 * The name profiles and checks use for a TLV: an organization extension's `org`
 * ('IEEE_C37_238_2011', 'IEEE_802_1AS_FOLLOW_UP_INFO', ...; an unknown organization as
 * 'ORGANIZATION_EXTENSION(1C-12-9D/1)'), else its kind ('PATH_TRACE', ...).
 */
export function tlvName(t: Tlv): string {
  if (t.kind !== 'ORGANIZATION_EXTENSION') return t.kind
  if (t.org !== 'GENERIC') return t.org
  const id = t.organizationId.toString(16).toUpperCase().padStart(6, '0').replace(/(..)(..)(..)/, '$1-$2-$3')
  return `ORGANIZATION_EXTENSION(${id}/${t.organizationSubType})`
}

export function tlvTypeName(tlvType: number): string {
  return TLV_TYPE_NAMES.get(tlvType) ?? hex(tlvType, 4)
}

function decodeOne(b: Uint8Array, o: number, tlvType: number, lengthField: number, available: number, ctx: TlvContext): Tlv {
  switch (tlvType) {
    case TlvType.MANAGEMENT: return decodeManagementTlv(b, o, lengthField, ctx)
    case TlvType.MANAGEMENT_ERROR_STATUS: return decodeManagementErrorStatusTlv(b, o, lengthField, ctx)
    case TlvType.ORGANIZATION_EXTENSION:
    case TlvType.ORGANIZATION_EXTENSION_PROPAGATE:
    case TlvType.ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE:
      return decodeOrganizationExtension(b, o, tlvType, lengthField, available, ctx)
    case TlvType.REQUEST_UNICAST_TRANSMISSION: return decodeRequestUnicastTlv(b, o, lengthField, ctx)
    case TlvType.GRANT_UNICAST_TRANSMISSION: return decodeGrantUnicastTlv(b, o, lengthField, ctx)
    case TlvType.CANCEL_UNICAST_TRANSMISSION:
    case TlvType.ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION:
      return decodeCancelUnicastTlv(b, o, tlvType, lengthField, ctx)
    case TlvType.PATH_TRACE: return decodePathTraceTlv(b, o, lengthField, ctx)
    case TlvType.ALTERNATE_TIME_OFFSET_INDICATOR: return decodeAtoiTlv(b, o, lengthField, ctx)
    case TlvType.PAD: return decodePadTlv(b, o, lengthField)
    default: return decodeUnknownTlv(b, o, tlvType, lengthField, lengthField)
  }
}

/**
 * Decodes TLVs in b[start, end) into `tlvs`; returns the trailing octets that do not form a TLV
 * header, if any. base: absolute offset of the message; endIsBuffer: `end` is the end of the
 * buffer (messageLength claims more) rather than messageLength.
 */
export function decodeTlvs(
  b: Uint8Array,
  start: number,
  end: number,
  base: number,
  endIsBuffer: boolean,
  managementAction: number,
  findings: Finding[],
  tlvs: Tlv[],
): Uint8Array | undefined {
  let p = start
  let ctx: TlvContext | undefined
  while (end - p >= TLV_HEADER) {
    const tlvType = u16(b, p)
    const lengthField = u16(b, p + 2)
    if (ctx === undefined) ctx = { base, findings, index: 0, managementAction }
    ctx.index = tlvs.length
    if ((lengthField & 1) !== 0) {
      findings.push(
        error(`tlvs[${ctx.index}].lengthField`, p + 2 - base, `${tlvTypeName(tlvType)} lengthField ${lengthField} is odd; TLVs shall be an even number of octets`, Clause.tlvLength),
      )
    }
    const available = end - p - TLV_HEADER
    if (lengthField > available) {
      findings.push(
        error(`tlvs[${ctx.index}].lengthField`, p + 2 - base, `${tlvTypeName(tlvType)} lengthField ${lengthField} runs ${lengthField - available} octets past ${endIsBuffer ? 'the end of the buffer' : 'messageLength'}`, Clause.tlv),
      )
      tlvs.push(decodeUnknownTlv(b, p, tlvType, lengthField, available))
      return undefined
    }
    const tlv = decodeOne(b, p, tlvType, lengthField, available, ctx)
    tlvs.push(tlv)
    p += TLV_HEADER + (isShortLengthC37238(tlv) ? C37_238_VALUE_LENGTH : lengthField)
  }
  if (p < end) {
    findings.push(
      error(`tlvs[${tlvs.length}]`, p - base, `${end - p} octet(s) after the last TLV are too few for a TLV header`, Clause.tlv),
    )
    return b.slice(p, end)
  }
  return undefined
}

/** Octets after lengthField that encoding `t` writes. */
export function tlvValueSize(t: Tlv): number {
  switch (t.kind) {
    case 'MANAGEMENT': return managementTlvSize(t)
    case 'MANAGEMENT_ERROR_STATUS': return managementErrorStatusTlvSize(t)
    case 'ORGANIZATION_EXTENSION': return organizationExtensionSize(t)
    case 'REQUEST_UNICAST_TRANSMISSION': return REQUEST_LENGTH
    case 'GRANT_UNICAST_TRANSMISSION': return GRANT_LENGTH
    case 'CANCEL_UNICAST_TRANSMISSION':
    case 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION': return CANCEL_LENGTH
    case 'PATH_TRACE': return pathTraceTlvSize(t)
    case 'ALTERNATE_TIME_OFFSET_INDICATOR': return atoiTlvSize(t)
    case 'PAD': return padTlvSize(t)
    case 'UNKNOWN': return unknownTlvSize(t)
  }
}

/** Whole encoded TLV, header included. */
export function tlvEncodedSize(t: Tlv): number {
  return TLV_HEADER + tlvValueSize(t)
}

/** The lengthField an encoder computes for `t`. */
export function computedLengthField(t: Tlv): number {
  return t.kind === 'ORGANIZATION_EXTENSION' ? organizationExtensionLengthField(t) : tlvValueSize(t)
}

/** Writes `t` at b[o]; returns the octets written. */
export function writeTlv(t: Tlv, b: Uint8Array, o: number, keepLength: boolean): number {
  const size = tlvValueSize(t)
  w16(b, o, t.tlvType)
  w16(b, o + 2, keepLength ? t.lengthField : computedLengthField(t))
  const v = o + TLV_HEADER
  switch (t.kind) {
    case 'MANAGEMENT': writeManagementTlv(t, b, v); break
    case 'MANAGEMENT_ERROR_STATUS': writeManagementErrorStatusTlv(t, b, v); break
    case 'ORGANIZATION_EXTENSION': writeOrganizationExtension(t, b, v); break
    case 'REQUEST_UNICAST_TRANSMISSION': writeRequestUnicastTlv(t, b, v); break
    case 'GRANT_UNICAST_TRANSMISSION': writeGrantUnicastTlv(t, b, v); break
    case 'CANCEL_UNICAST_TRANSMISSION':
    case 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION': writeCancelUnicastTlv(t, b, v); break
    case 'PATH_TRACE': writePathTraceTlv(t, b, v); break
    case 'ALTERNATE_TIME_OFFSET_INDICATOR': writeAtoiTlv(t, b, v); break
    case 'PAD': writePadTlv(t, b, v); break
    case 'UNKNOWN': writeUnknownTlv(t, b, v); break
  }
  return TLV_HEADER + size
}

/** Encodes one TLV on its own (header included). */
export function encodeTlv(t: Tlv, options: { keepTlvLengths?: boolean } = {}): Uint8Array {
  const b = new Uint8Array(tlvEncodedSize(t))
  writeTlv(t, b, 0, options.keepTlvLengths === true)
  return b
}
