/**
 * Builds the messages an emulated clock sends, as codec message objects (harness/codec/types.ts).
 * Headers come from the clock's HeaderDefaults through the codec's own header builder (one
 * owner of messageLength); bodies from the arguments. Nothing here touches bytes.
 */
import type {
  AnnounceMessage,
  ClockQuality,
  DelayReqMessage,
  DelayRespMessage,
  FollowUpMessage,
  Header,
  MessageTypeName,
  PdelayReqMessage,
  PdelayRespFollowUpMessage,
  PdelayRespMessage,
  PortIdentity,
  PtpMessage,
  SignalingMessage,
  SyncMessage,
  Tlv,
} from '../codec/types.ts'
import { CONTROL_FIELD_LEGACY, LOG_MESSAGE_INTERVAL_UNSPECIFIED } from '../codec/constants.ts'
import { normalizeClockIdentity, WILDCARD_CLOCK_IDENTITY } from '../codec/clock_identity.ts'
import { WILDCARD_PORT_IDENTITY } from '../codec/fields.ts'
import { builderHeader } from '../codec/messages/common.ts'
import { nsToTimestamp, type PtpTimestamp } from '../time/timestamp.ts'

export interface HeaderDefaults {
  sourcePortIdentity: PortIdentity
  domainNumber: number
  /** transportSpecific in 1588-2008; 1 for 802.1AS. */
  majorSdoId: number
  minorSdoId: number
  versionPTP: number
  /** 0 = 1588-2008, 1 = 1588-2019. */
  minorVersionPTP: number
  /** 'legacy' = 1588-2008 Table 23 codes (what linuxptp 3.1.1 sends), 'zero' = 1588-2019. */
  controlField: 'legacy' | 'zero'
}

export function defaultHeaderDefaults(sourcePortIdentity: PortIdentity, domainNumber = 0): HeaderDefaults {
  return { sourcePortIdentity, domainNumber, majorSdoId: 0, minorSdoId: 0, versionPTP: 2, minorVersionPTP: 1, controlField: 'zero' }
}

export interface HeaderFields {
  sequenceId: number
  flagField?: number
  /** Scaled nanoseconds (ns × 2^16). */
  correctionField?: bigint
  logMessageInterval?: number
  messageTypeSpecific?: number
}

/**
 * The header fields an emulated clock puts on a message of `type`: the clock's defaults plus
 * this message's fields. The codec's builder (builderHeader) owns messageLength and the rest.
 */
export function headerFields(type: MessageTypeName, d: HeaderDefaults, f: HeaderFields): Partial<Header> {
  return {
    majorSdoId: d.majorSdoId,
    minorVersionPTP: d.minorVersionPTP,
    versionPTP: d.versionPTP,
    domainNumber: d.domainNumber,
    minorSdoId: d.minorSdoId,
    flagField: f.flagField ?? 0,
    correctionField: f.correctionField ?? 0n,
    messageTypeSpecific: f.messageTypeSpecific ?? 0,
    sourcePortIdentity: { ...d.sourcePortIdentity },
    sequenceId: f.sequenceId & 0xffff,
    controlField: d.controlField === 'legacy' ? CONTROL_FIELD_LEGACY[type] : 0,
    logMessageInterval: f.logMessageInterval ?? LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  }
}

export function makeHeader(type: MessageTypeName, d: HeaderDefaults, f: HeaderFields, tlvs: readonly Tlv[] = []): Header {
  return builderHeader(type, headerFields(type, d, f), tlvs)
}

/** A timestamp from ns, clamped at 0 (a negative emulated time cannot go on the wire). */
export function ts(ns: bigint): PtpTimestamp {
  return nsToTimestamp(ns < 0n ? 0n : ns)
}

export interface AnnounceBody {
  originTimestamp: PtpTimestamp
  currentUtcOffset: number
  grandmasterPriority1: number
  grandmasterClockQuality: ClockQuality
  grandmasterPriority2: number
  grandmasterIdentity: string
  stepsRemoved: number
  timeSource: number
}

export function buildAnnounceMessage(d: HeaderDefaults, f: HeaderFields, body: AnnounceBody, tlvs: Tlv[] = []): AnnounceMessage {
  return {
    type: 'Announce',
    header: makeHeader('Announce', d, f, tlvs),
    tlvs,
    originTimestamp: body.originTimestamp,
    currentUtcOffset: body.currentUtcOffset,
    reserved: 0,
    grandmasterPriority1: body.grandmasterPriority1,
    grandmasterClockQuality: { ...body.grandmasterClockQuality },
    grandmasterPriority2: body.grandmasterPriority2,
    grandmasterIdentity: body.grandmasterIdentity,
    stepsRemoved: body.stepsRemoved,
    timeSource: body.timeSource,
  }
}

export function buildSyncMessage(d: HeaderDefaults, f: HeaderFields, originTimestamp: PtpTimestamp): SyncMessage {
  return { type: 'Sync', header: makeHeader('Sync', d, f), tlvs: [], originTimestamp }
}

export function buildFollowUpMessage(d: HeaderDefaults, f: HeaderFields, preciseOriginTimestamp: PtpTimestamp, tlvs: Tlv[] = []): FollowUpMessage {
  return { type: 'Follow_Up', header: makeHeader('Follow_Up', d, f, tlvs), tlvs, preciseOriginTimestamp }
}

export function buildDelayReqMessage(d: HeaderDefaults, f: HeaderFields, originTimestamp: PtpTimestamp): DelayReqMessage {
  return { type: 'Delay_Req', header: makeHeader('Delay_Req', d, f), tlvs: [], originTimestamp }
}

export function buildDelayRespMessage(
  d: HeaderDefaults,
  f: HeaderFields,
  receiveTimestamp: PtpTimestamp,
  requestingPortIdentity: PortIdentity,
): DelayRespMessage {
  return {
    type: 'Delay_Resp',
    header: makeHeader('Delay_Resp', d, f),
    tlvs: [],
    receiveTimestamp,
    requestingPortIdentity: { ...requestingPortIdentity },
  }
}

export function buildPdelayReqMessage(d: HeaderDefaults, f: HeaderFields, originTimestamp: PtpTimestamp): PdelayReqMessage {
  return { type: 'Pdelay_Req', header: makeHeader('Pdelay_Req', d, f), tlvs: [], originTimestamp, reserved: new Uint8Array(10) }
}

export function buildPdelayRespMessage(
  d: HeaderDefaults,
  f: HeaderFields,
  requestReceiptTimestamp: PtpTimestamp,
  requestingPortIdentity: PortIdentity,
): PdelayRespMessage {
  return {
    type: 'Pdelay_Resp',
    header: makeHeader('Pdelay_Resp', d, f),
    tlvs: [],
    requestReceiptTimestamp,
    requestingPortIdentity: { ...requestingPortIdentity },
  }
}

export function buildPdelayRespFollowUpMessage(
  d: HeaderDefaults,
  f: HeaderFields,
  responseOriginTimestamp: PtpTimestamp,
  requestingPortIdentity: PortIdentity,
): PdelayRespFollowUpMessage {
  return {
    type: 'Pdelay_Resp_Follow_Up',
    header: makeHeader('Pdelay_Resp_Follow_Up', d, f),
    tlvs: [],
    responseOriginTimestamp,
    requestingPortIdentity: { ...requestingPortIdentity },
  }
}

export function buildSignalingMessage(d: HeaderDefaults, f: HeaderFields, targetPortIdentity: PortIdentity, tlvs: Tlv[]): SignalingMessage {
  return { type: 'Signaling', header: makeHeader('Signaling', d, f, tlvs), tlvs, targetPortIdentity: { ...targetPortIdentity } }
}

/** A deep copy of a message (Uint8Arrays copied), so mutations never alias engine state. */
export function cloneMessage<M extends PtpMessage>(m: M): M {
  return structuredClone(m)
}

/**
 * Whether a targetPortIdentity names this port, an all-ones clockIdentity or portNumber being a
 * wildcard (1588-2019 7.5.2.4): Signaling and Management are for the ports they target.
 */
export function targetsPort(target: PortIdentity, port: PortIdentity): boolean {
  const id = normalizeClockIdentity(target.clockIdentity)
  return (id === WILDCARD_CLOCK_IDENTITY || id === normalizeClockIdentity(port.clockIdentity)) &&
    (target.portNumber === WILDCARD_PORT_IDENTITY.portNumber || target.portNumber === port.portNumber)
}

export function samePortIdentity(a: PortIdentity, b: PortIdentity): boolean {
  return a.portNumber === b.portNumber && a.clockIdentity.toLowerCase() === b.clockIdentity.toLowerCase()
}

export function portIdentityKey(p: PortIdentity): string {
  return `${p.clockIdentity.toLowerCase()}-${p.portNumber}`
}
