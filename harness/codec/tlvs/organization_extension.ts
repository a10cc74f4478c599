/**
 * Organization extension TLVs (tlvType 0x0003, 0x4000, 0x8000; IEEE 1588-2019 14.3):
 * organizationId(3) organizationSubType(3) dataField. Known (organizationId, subType) pairs decode
 * to typed TLVs; a known pair with the wrong length is reported and kept GENERIC.
 */
import type { C37238Tlv2011, C37238Tlv2017, GenericOrgTlv, OrganizationExtensionTlv, Tlv } from '../types.ts'
import { u24, w24 } from '../bytes.ts'
import { OrganizationId, TlvType } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { tlvField, wrongLength, type TlvContext } from './context.ts'
import { decodeFollowUpInfo, FOLLOW_UP_INFO_LENGTH, writeFollowUpInfo } from './follow_up_info.ts'
import { decodeMessageIntervalRequest, MESSAGE_INTERVAL_REQUEST_LENGTH, writeMessageIntervalRequest } from './message_interval_request.ts'
import { decodeGptpCapable, GPTP_CAPABLE_LENGTH, GPTP_CAPABLE_MIN_DATA, writeGptpCapable } from './gptp_capable.ts'
import { C37_238_DATA_LENGTH, C37_238_VALUE_LENGTH, decodeC37238, writeC37238 } from './c37_238.ts'
import { decodeInterfaceRate, INTERFACE_RATE_LENGTH, writeInterfaceRate } from './interface_rate.ts'

/** organizationId + organizationSubType. */
const ORG_HEADER = 6

function lengthFinding(ctx: TlvContext, o: number, what: string, got: number, expected: string, clause: string): void {
  ctx.findings.push(error(tlvField(ctx, 'lengthField'), o + 2 - ctx.base, `${what} lengthField is ${got}, expected ${expected}`, clause))
}

/** Reports a non-zero reserved field of an organization extension TLV. */
function reserved(ctx: TlvContext, field: string, offset: number, value: number, clause: string): void {
  if (value !== 0) ctx.findings.push(error(tlvField(ctx, field), offset - ctx.base, `reserved ${field} is ${value}, shall be 0`, clause))
}

function orOfOctets(b: Uint8Array): number {
  let v = 0
  for (let i = 0; i < b.length; i++) v |= b[i]!
  return v
}

function generic(b: Uint8Array, o: number, tlvType: number, lengthField: number, organizationId: number, organizationSubType: number): GenericOrgTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'GENERIC',
    tlvType,
    lengthField,
    organizationId,
    organizationSubType,
    dataField: b.slice(o + 4 + ORG_HEADER, o + 4 + lengthField),
  }
}

/**
 * o: start of the TLV; lengthField fits the message. available: octets after lengthField up to
 * the end of the message (a C37.238 TLV with the 12-convention occupies 18 of them).
 */
export function decodeOrganizationExtension(
  b: Uint8Array,
  o: number,
  tlvType: number,
  lengthField: number,
  available: number,
  ctx: TlvContext,
): Tlv {
  if (lengthField < ORG_HEADER) {
    return wrongLength(b, o, tlvType, lengthField, ctx, 'ORGANIZATION_EXTENSION', 'at least 6', Clause.organizationExtension)
  }
  const organizationId = u24(b, o + 4)
  const organizationSubType = u24(b, o + 7)
  const v = o + 4 + ORG_HEADER
  switch (organizationId) {
    case OrganizationId.IEEE_802_1:
      if (organizationSubType === 1) {
        if (lengthField === FOLLOW_UP_INFO_LENGTH) return decodeFollowUpInfo(b, v, tlvType, lengthField)
        lengthFinding(ctx, o, '802.1AS Follow_Up information TLV', lengthField, `${FOLLOW_UP_INFO_LENGTH}`, Clause.followUpInfo)
      } else if (organizationSubType === 2) {
        if (lengthField === MESSAGE_INTERVAL_REQUEST_LENGTH) {
          const t = decodeMessageIntervalRequest(b, v, tlvType, lengthField)
          reserved(ctx, 'reserved', v + 4, t.reserved, Clause.messageIntervalRequest)
          return t
        }
        lengthFinding(ctx, o, '802.1AS message interval request TLV', lengthField, `${MESSAGE_INTERVAL_REQUEST_LENGTH}`, Clause.messageIntervalRequest)
      } else if (organizationSubType === 4 || organizationSubType === 5) {
        if (lengthField >= ORG_HEADER + GPTP_CAPABLE_MIN_DATA) {
          if (lengthField !== GPTP_CAPABLE_LENGTH) {
            lengthFinding(ctx, o, '802.1AS gPTP-capable TLV', lengthField, `${GPTP_CAPABLE_LENGTH}`, Clause.gptpCapable)
          }
          const t = decodeGptpCapable(b, v, tlvType, lengthField, organizationSubType)
          reserved(ctx, 'reserved', v + 2, orOfOctets(t.reserved), Clause.gptpCapable)
          return t
        }
        lengthFinding(ctx, o, '802.1AS gPTP-capable TLV', lengthField, `${GPTP_CAPABLE_LENGTH}`, Clause.gptpCapable)
      }
      break
    case OrganizationId.IEEE_C37_238:
      if (organizationSubType === 1 || organizationSubType === 2) {
        if (lengthField === C37_238_VALUE_LENGTH || (lengthField === C37_238_DATA_LENGTH && available >= C37_238_VALUE_LENGTH)) {
          const t = decodeC37238(b, v, tlvType, lengthField, organizationSubType)
          if (t.org === 'IEEE_C37_238_2011') reserved(ctx, 'reserved', v + 10, t.reserved, Clause.c37238)
          else {
            reserved(ctx, 'reserved1', v + 2, t.reserved1, Clause.c37238)
            reserved(ctx, 'reserved2', v + 10, t.reserved2, Clause.c37238)
          }
          return t
        }
        lengthFinding(ctx, o, 'IEEE C37.238 TLV', lengthField, '18 (or 12, the dataField-only convention, with 18 octets present)', Clause.c37238)
      }
      break
    case OrganizationId.ITU_T:
      if (organizationSubType === 2) {
        if (lengthField === INTERFACE_RATE_LENGTH) return decodeInterfaceRate(b, v, tlvType, lengthField)
        lengthFinding(ctx, o, 'ITU-T interface rate TLV', lengthField, `${INTERFACE_RATE_LENGTH}`, Clause.interfaceRate)
      }
      break
  }
  return generic(b, o, tlvType, lengthField, organizationId, organizationSubType)
}

/** True for a C37.238 TLV that occupies more octets than its lengthField says (12 convention). */
export function isShortLengthC37238(t: Tlv): t is C37238Tlv2011 | C37238Tlv2017 {
  return t.kind === 'ORGANIZATION_EXTENSION' &&
    (t.org === 'IEEE_C37_238_2011' || t.org === 'IEEE_C37_238_2017') &&
    t.lengthConvention === 12
}

/** Octets after lengthField. */
export function organizationExtensionSize(t: OrganizationExtensionTlv): number {
  switch (t.org) {
    case 'IEEE_802_1AS_FOLLOW_UP_INFO': return FOLLOW_UP_INFO_LENGTH
    case 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST': return MESSAGE_INTERVAL_REQUEST_LENGTH
    case 'IEEE_802_1AS_GPTP_CAPABLE':
    case 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL': return ORG_HEADER + GPTP_CAPABLE_MIN_DATA + t.reserved.length
    case 'IEEE_C37_238_2011':
    case 'IEEE_C37_238_2017': return C37_238_VALUE_LENGTH
    case 'ITU_T_INTERFACE_RATE': return INTERFACE_RATE_LENGTH
    case 'GENERIC': return ORG_HEADER + t.dataField.length
  }
}

/** The lengthField an encoder writes: the size, except for the C37.238 12-convention. */
export function organizationExtensionLengthField(t: OrganizationExtensionTlv): number {
  if ((t.org === 'IEEE_C37_238_2011' || t.org === 'IEEE_C37_238_2017') && t.lengthConvention === 12) return C37_238_DATA_LENGTH
  return organizationExtensionSize(t)
}

/** Writes everything after lengthField at b[o]. */
export function writeOrganizationExtension(t: OrganizationExtensionTlv, b: Uint8Array, o: number): void {
  w24(b, o, t.organizationId)
  w24(b, o + 3, t.organizationSubType)
  const v = o + ORG_HEADER
  switch (t.org) {
    case 'IEEE_802_1AS_FOLLOW_UP_INFO': return writeFollowUpInfo(t, b, v)
    case 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST': return writeMessageIntervalRequest(t, b, v)
    case 'IEEE_802_1AS_GPTP_CAPABLE':
    case 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL': return writeGptpCapable(t, b, v)
    case 'IEEE_C37_238_2011':
    case 'IEEE_C37_238_2017': return writeC37238(t, b, v)
    case 'ITU_T_INTERFACE_RATE': return writeInterfaceRate(t, b, v)
    case 'GENERIC': b.set(t.dataField, v); return
  }
}

export function buildOrganizationExtensionTlv(p: {
  organizationId: number
  organizationSubType: number
  dataField: Uint8Array
  tlvType?: number
}): GenericOrgTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'GENERIC',
    tlvType: p.tlvType ?? TlvType.ORGANIZATION_EXTENSION,
    lengthField: ORG_HEADER + p.dataField.length,
    organizationId: p.organizationId,
    organizationSubType: p.organizationSubType,
    dataField: p.dataField,
  }
}
