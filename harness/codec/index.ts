/**
 * Public API of the PTP codec. Import from here: `import { decodeMessage } from '../codec/index.ts'`.
 */
export type * from './types.ts'
export { CodecError } from './errors.ts'
export * from './constants.ts'
export { decodeMessage, encodeMessage, encodedLength, EXACT, type DecodeOptions } from './message.ts'
export { decodeHeader, encodeHeader, buildHeader, checkHeader, ALLOWED_FLAGS } from './header.ts'
export {
  readClockIdentity,
  writeClockIdentity,
  clockIdentityToBytes,
  normalizeClockIdentity,
  clockIdentityFromMac,
  WILDCARD_CLOCK_IDENTITY,
  ZERO_CLOCK_IDENTITY,
} from './clock_identity.ts'
export { WILDCARD_PORT_IDENTITY, ptpTextBytes, ptpTextString } from './fields.ts'
export { Clause } from './findings/clauses.ts'
export { malformation, tlvOverrun } from './findings/malformed.ts'

// Message builders
export type { BuildCommon } from './messages/common.ts'
export { buildSync } from './messages/sync.ts'
export { buildDelayReq } from './messages/delay_req.ts'
export { buildFollowUp } from './messages/follow_up.ts'
export { buildDelayResp } from './messages/delay_resp.ts'
export { buildPdelayReq } from './messages/pdelay_req.ts'
export { buildPdelayResp } from './messages/pdelay_resp.ts'
export { buildPdelayRespFollowUp } from './messages/pdelay_resp_follow_up.ts'
export { buildAnnounce } from './messages/announce.ts'
export { buildSignaling } from './messages/signaling.ts'
export { buildManagement, type BuildManagementParams, type ActionName } from './messages/management.ts'

// TLVs
export { encodeTlv, tlvEncodedSize, computedLengthField, tlvName, tlvTypeName } from './tlvs/index.ts'
export { buildManagementTlv } from './tlvs/management.ts'
export { buildManagementErrorStatusTlv } from './tlvs/management_error_status.ts'
export { buildOrganizationExtensionTlv } from './tlvs/organization_extension.ts'
export { buildFollowUpInfoTlv } from './tlvs/follow_up_info.ts'
export {
  buildMessageIntervalRequestTlv,
  INTERVAL_NO_CHANGE,
  INTERVAL_INITIAL,
  INTERVAL_STOP,
} from './tlvs/message_interval_request.ts'
export { buildGptpCapableTlv } from './tlvs/gptp_capable.ts'
export { buildC37238Tlv2011, buildC37238Tlv2017, INACCURACY_UNKNOWN } from './tlvs/c37_238.ts'
export { buildInterfaceRateTlv } from './tlvs/interface_rate.ts'
export { buildPathTraceTlv } from './tlvs/path_trace.ts'
export { buildAlternateTimeOffsetIndicatorTlv } from './tlvs/alternate_time_offset.ts'
export {
  buildRequestUnicastTransmissionTlv,
  buildGrantUnicastTransmissionTlv,
  buildCancelUnicastTransmissionTlv,
  buildAcknowledgeCancelUnicastTransmissionTlv,
} from './tlvs/unicast.ts'
export { buildPadTlv } from './tlvs/pad.ts'
export { buildUnknownTlv } from './tlvs/unknown.ts'

// Management dataFields
export {
  managementIdName,
  expectedDataFieldSize,
  emptyDataFieldFor,
  dataFieldSize,
} from './management/index.ts'
export { pmcGetDataField, pmcGetDataLength } from './management/pmc_get.ts'

// Framing
export * from './framing/index.ts'
