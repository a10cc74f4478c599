/**
 * PTP message model (IEEE 1588-2019 clause 13). Field names are the standard's.
 *
 * Every octet of a decoded message lands in some field (reserved fields included), so that
 * encodeMessage(decodeMessage(bytes).message) reproduces the input exactly. Numbers are the wire
 * values: flags stay 16-bit words, enumerations stay integers (constants.ts names them).
 */
import type { PtpTimestamp } from '../time/timestamp.ts'
import type { Tlv } from './tlv_types.ts'

export type { PtpTimestamp }
export type * from './tlv_types.ts'
export type * from './management_types.ts'

/**
 * ClockIdentity (1588-2019 7.5.2.2) as 16 lowercase hex digits in linuxptp's dotted form
 * 'xxxxxx.xxxx.xxxxxx' (how pmc prints it), e.g. '001122.fffe.334455'.
 */
export type ClockIdentity = string

export interface PortIdentity {
  clockIdentity: ClockIdentity
  portNumber: number
}

export interface ClockQuality {
  clockClass: number
  clockAccuracy: number
  offsetScaledLogVariance: number
}

/** Common message header, 34 octets (1588-2019 13.3). */
export interface Header {
  /** High nibble of octet 0 (transportSpecific in 1588-2008). */
  majorSdoId: number
  /** Low nibble of octet 0. */
  messageType: number
  /** High nibble of octet 1. */
  minorVersionPTP: number
  /** Low nibble of octet 1. */
  versionPTP: number
  messageLength: number
  domainNumber: number
  /** Octet 5 (reserved in 1588-2008). */
  minorSdoId: number
  /** 16 bits as on the wire: octet 6 << 8 | octet 7 (masks in constants.ts FLAG_*). */
  flagField: number
  /** Integer64 nanoseconds x 2^16. */
  correctionField: bigint
  /** UInteger32 at octet 16 (reserved in 1588-2008). */
  messageTypeSpecific: number
  sourcePortIdentity: PortIdentity
  sequenceId: number
  controlField: number
  /** Integer8; 0x7F is 127. */
  logMessageInterval: number
}

export type MessageTypeName =
  | 'Sync'
  | 'Delay_Req'
  | 'Pdelay_Req'
  | 'Pdelay_Resp'
  | 'Follow_Up'
  | 'Delay_Resp'
  | 'Pdelay_Resp_Follow_Up'
  | 'Announce'
  | 'Signaling'
  | 'Management'

/** Fields every message carries next to its body. */
interface MessageCommon {
  header: Header
  /** TLVs after the fixed body, in wire order. */
  tlvs: Tlv[]
  /**
   * Octets inside messageLength after the last TLV that are too few to form a TLV header
   * (fewer than 4). Absent when there are none.
   */
  tlvRemainder?: Uint8Array
  /** Octets after messageLength up to the end of the buffer (e.g. Ethernet padding). */
  trailer?: Uint8Array
}

export interface SyncMessage extends MessageCommon {
  type: 'Sync'
  originTimestamp: PtpTimestamp
}

export interface DelayReqMessage extends MessageCommon {
  type: 'Delay_Req'
  originTimestamp: PtpTimestamp
}

export interface PdelayReqMessage extends MessageCommon {
  type: 'Pdelay_Req'
  originTimestamp: PtpTimestamp
  /** 10 reserved octets at 44 (they keep Pdelay_Req as long as Pdelay_Resp). */
  reserved: Uint8Array
}

export interface PdelayRespMessage extends MessageCommon {
  type: 'Pdelay_Resp'
  requestReceiptTimestamp: PtpTimestamp
  requestingPortIdentity: PortIdentity
}

export interface FollowUpMessage extends MessageCommon {
  type: 'Follow_Up'
  preciseOriginTimestamp: PtpTimestamp
}

export interface DelayRespMessage extends MessageCommon {
  type: 'Delay_Resp'
  receiveTimestamp: PtpTimestamp
  requestingPortIdentity: PortIdentity
}

export interface PdelayRespFollowUpMessage extends MessageCommon {
  type: 'Pdelay_Resp_Follow_Up'
  responseOriginTimestamp: PtpTimestamp
  requestingPortIdentity: PortIdentity
}

export interface AnnounceMessage extends MessageCommon {
  type: 'Announce'
  originTimestamp: PtpTimestamp
  /** Integer16 seconds. */
  currentUtcOffset: number
  /** Reserved octet 46. */
  reserved: number
  grandmasterPriority1: number
  grandmasterClockQuality: ClockQuality
  grandmasterPriority2: number
  grandmasterIdentity: ClockIdentity
  stepsRemoved: number
  timeSource: number
}

export interface SignalingMessage extends MessageCommon {
  type: 'Signaling'
  targetPortIdentity: PortIdentity
}

export interface ManagementMessage extends MessageCommon {
  type: 'Management'
  targetPortIdentity: PortIdentity
  startingBoundaryHops: number
  boundaryHops: number
  /** Low nibble of octet 46: 0 GET, 1 SET, 2 RESPONSE, 3 COMMAND, 4 ACKNOWLEDGE. */
  actionField: number
  /** High nibble of octet 46 (reserved). */
  actionReserved: number
  /** Reserved octet 47. */
  reserved: number
}

export type PtpMessage =
  | SyncMessage
  | DelayReqMessage
  | PdelayReqMessage
  | PdelayRespMessage
  | FollowUpMessage
  | DelayRespMessage
  | PdelayRespFollowUpMessage
  | AnnounceMessage
  | SignalingMessage
  | ManagementMessage

/** The message variant for a given `type` literal. */
export type MessageOf<T extends MessageTypeName> = Extract<PtpMessage, { type: T }>

/**
 * Something non-conformant the decoder saw. Findings are data: suites score them, the decoder
 * goes on decoding.
 */
export interface Finding {
  /** Field name as in IEEE 1588 (e.g. 'flagField', 'tlvs[1].lengthField'). */
  field: string
  /** Octet offset from the start of the PTP message. */
  offset: number
  message: string
  /** Clause the finding rests on, e.g. 'IEEE 1588-2019 13.3.2.8'. */
  clause: string
  severity: 'error' | 'warning'
}

export interface DecodeResult {
  message: PtpMessage
  findings: Finding[]
}

export interface EncodeOptions {
  /** Write header.messageLength as given instead of the computed length (lets a test lie). */
  keepMessageLength?: boolean
  /** Write every TLV's lengthField as given instead of the computed length. */
  keepTlvLengths?: boolean
}
