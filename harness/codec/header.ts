/**
 * Common message header, 34 octets (IEEE 1588-2019 13.3). Decoding does not judge the header
 * against the message type; checkHeader does that once the type is known.
 */
import type { Finding, Header, MessageTypeName } from './types.ts'
import { i64, i8, u16, u32, w16, w32, w64 } from './bytes.ts'
import { readPortIdentity, writePortIdentity } from './fields.ts'
import {
  PTP_VERSION,
  byMessageType,
  CONTROL_FIELD_LEGACY,
  FLAG_ALTERNATE_MASTER,
  FLAG_SECURITY,
  FLAG_TWO_STEP,
  HEADER_LENGTH,
  LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  MESSAGE_TYPE_NAMES,
  MessageType,
} from './constants.ts'
import { Clause } from './findings/clauses.ts'
import { error, hex, warning } from './findings/finding.ts'

export { HEADER_LENGTH }

/** Reads the header at b[o]; the caller has checked that 34 octets exist. */
export function decodeHeader(b: Uint8Array, o: number): Header {
  const b0 = b[o]!
  const b1 = b[o + 1]!
  return {
    majorSdoId: b0 >>> 4,
    messageType: b0 & 0x0f,
    minorVersionPTP: b1 >>> 4,
    versionPTP: b1 & 0x0f,
    messageLength: u16(b, o + 2),
    domainNumber: b[o + 4]!,
    minorSdoId: b[o + 5]!,
    flagField: u16(b, o + 6),
    correctionField: i64(b, o + 8),
    messageTypeSpecific: u32(b, o + 16),
    sourcePortIdentity: readPortIdentity(b, o + 20),
    sequenceId: u16(b, o + 30),
    controlField: b[o + 32]!,
    logMessageInterval: i8(b, o + 33),
  }
}

export function encodeHeader(b: Uint8Array, o: number, h: Header, messageLength: number): void {
  b[o] = ((h.majorSdoId & 0xf) << 4) | (h.messageType & 0xf)
  b[o + 1] = ((h.minorVersionPTP & 0xf) << 4) | (h.versionPTP & 0xf)
  w16(b, o + 2, messageLength)
  b[o + 4] = h.domainNumber
  b[o + 5] = h.minorSdoId
  w16(b, o + 6, h.flagField)
  w64(b, o + 8, h.correctionField)
  w32(b, o + 16, h.messageTypeSpecific)
  writePortIdentity(b, o + 20, h.sourcePortIdentity)
  w16(b, o + 30, h.sequenceId)
  b[o + 32] = h.controlField
  b[o + 33] = h.logMessageInterval
}

/**
 * flagField bits that may be TRUE per message type (1588-2019 Table 37). A bit outside the mask
 * must be FALSE. Octet 1 time-property flags apply to Announce only; alternateMasterFlag to
 * Announce, Sync, Follow_Up, Delay_Resp; twoStepFlag to Sync and Pdelay_Resp; unicastFlag and the
 * two profile-specific bits to all.
 */
const COMMON_FLAGS = 0x0400 | 0x2000 | 0x4000
const ANNOUNCE_FLAGS = COMMON_FLAGS | FLAG_ALTERNATE_MASTER | 0x007f
export const ALLOWED_FLAGS: Readonly<Record<MessageTypeName, number>> = {
  Sync: COMMON_FLAGS | FLAG_ALTERNATE_MASTER | FLAG_TWO_STEP,
  Delay_Req: COMMON_FLAGS,
  Pdelay_Req: COMMON_FLAGS,
  Pdelay_Resp: COMMON_FLAGS | FLAG_TWO_STEP,
  Follow_Up: COMMON_FLAGS | FLAG_ALTERNATE_MASTER,
  Delay_Resp: COMMON_FLAGS | FLAG_ALTERNATE_MASTER,
  Pdelay_Resp_Follow_Up: COMMON_FLAGS,
  Announce: ANNOUNCE_FLAGS,
  Signaling: COMMON_FLAGS,
  Management: COMMON_FLAGS,
}
const ALLOWED_FLAGS_BY_MESSAGE_TYPE = byMessageType(ALLOWED_FLAGS)
const CONTROL_FIELD_LEGACY_BY_MESSAGE_TYPE = byMessageType(CONTROL_FIELD_LEGACY)
/** Bits reserved in every message: octet 0 bits 3, 4, 7 and octet 1 bit 7. */
const RESERVED_FLAGS = FLAG_SECURITY | 0x1800 | 0x0080

const FLAG_NAMES: Record<number, string> = {
  0x0100: 'alternateMasterFlag',
  0x0200: 'twoStepFlag',
  0x0400: 'unicastFlag',
  0x2000: 'PTP profile Specific 1',
  0x4000: 'PTP profile Specific 2',
  0x0001: 'leap61',
  0x0002: 'leap59',
  0x0004: 'currentUtcOffsetValid',
  0x0008: 'ptpTimescale',
  0x0010: 'timeTraceable',
  0x0020: 'frequencyTraceable',
  0x0040: 'synchronizationUncertain',
}

/** Findings on header fields that need the message type. Cheap when the header is clean. */
export function checkHeader(h: Header, type: MessageTypeName, findings: Finding[]): void {
  // Per-type values come from arrays indexed by messageType (the decoder's case: it names the type from it).
  const t = MESSAGE_TYPE_NAMES[h.messageType & 0xf] === type ? h.messageType & 0xf : MessageType[type]
  if (h.versionPTP !== PTP_VERSION) {
    findings.push(error('versionPTP', 1, `versionPTP is ${h.versionPTP}, expected ${PTP_VERSION}`, Clause.versionPTP))
  }
  if (h.minorVersionPTP > 1) {
    findings.push(
      warning('minorVersionPTP', 1, `minorVersionPTP ${h.minorVersionPTP} is newer than 1588-2019 (1)`, Clause.minorVersionPTP),
    )
  }
  const flags = h.flagField
  const reserved = flags & RESERVED_FLAGS
  if (reserved !== 0) {
    findings.push(
      error('flagField', reserved & 0xff00 ? 6 : 7, `reserved flag bits ${hex(reserved, 4)} are set`, Clause.flagField),
    )
  }
  const notAllowed = flags & ~ALLOWED_FLAGS_BY_MESSAGE_TYPE[t]! & ~RESERVED_FLAGS & 0xffff
  if (notAllowed !== 0) {
    for (let bit = 0x4000; bit !== 0; bit >>>= 1) {
      if (notAllowed & bit) {
        findings.push(
          warning('flagField', bit & 0xff00 ? 6 : 7, `${FLAG_NAMES[bit] ?? hex(bit, 4)} is set in a ${type} message, where it does not apply and shall be FALSE`, Clause.flagField),
        )
      }
    }
  }
  if (h.messageTypeSpecific !== 0) {
    findings.push(
      warning('messageTypeSpecific', 16, `messageTypeSpecific is ${hex(h.messageTypeSpecific, 8)}; no profile in use defines it`, Clause.messageTypeSpecific),
    )
  }
  // 1588-2019 sends 0; 1588-2008 receivers expect the legacy code. Either is accepted.
  if (h.controlField !== 0 && h.controlField !== CONTROL_FIELD_LEGACY_BY_MESSAGE_TYPE[t]) {
    findings.push(
      warning('controlField', 32, `controlField ${h.controlField} is neither 0 nor the legacy value ${CONTROL_FIELD_LEGACY[type]} for ${type}`, Clause.controlField),
    )
  }
  checkLogMessageInterval(h, type, findings)
}

/** Messages whose logMessageInterval is always 0x7F (1588-2019 Table 42). */
function checkLogMessageInterval(h: Header, type: MessageTypeName, findings: Finding[]): void {
  const v = h.logMessageInterval
  const t = h.messageType
  const fixed7F =
    t === MessageType.Delay_Req ||
    t === MessageType.Pdelay_Resp ||
    t === MessageType.Pdelay_Resp_Follow_Up ||
    t === MessageType.Signaling ||
    t === MessageType.Management
  if (fixed7F && v !== LOG_MESSAGE_INTERVAL_UNSPECIFIED) {
    findings.push(
      warning('logMessageInterval', 33, `logMessageInterval of ${type} is ${v}, expected 0x7F`, Clause.logMessageInterval),
    )
  }
}

/** logMessageInterval a builder puts in each message type when not given (1588-2019 Table 42, default profile values). */
const DEFAULT_LOG_MESSAGE_INTERVAL: Readonly<Record<MessageTypeName, number>> = {
  Sync: 0,
  Delay_Req: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  Pdelay_Req: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  Pdelay_Resp: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  Follow_Up: 0,
  Delay_Resp: 0,
  Pdelay_Resp_Follow_Up: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  Announce: 1,
  Signaling: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  Management: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
}

/**
 * A header with defaults that every receiver accepts: version byte 0x02 (versionPTP 2,
 * minorVersionPTP 0, as linuxptp 3.1.1 sends; pass minorVersionPTP 1 for the 1588-2019 form),
 * domain 0, no flags, zero correction, sourcePortIdentity 000000.0000.000000-1, and when
 * `type` is given its messageType, legacy controlField and default logMessageInterval.
 * messageLength is 0 here; encodeMessage computes it.
 */
export function buildHeader(partial: Partial<Header> = {}, type?: MessageTypeName): Header {
  return {
    majorSdoId: partial.majorSdoId ?? 0,
    messageType: partial.messageType ?? (type !== undefined ? MessageType[type] : 0),
    minorVersionPTP: partial.minorVersionPTP ?? 0,
    versionPTP: partial.versionPTP ?? PTP_VERSION,
    messageLength: partial.messageLength ?? 0,
    domainNumber: partial.domainNumber ?? 0,
    minorSdoId: partial.minorSdoId ?? 0,
    flagField: partial.flagField ?? 0,
    correctionField: partial.correctionField ?? 0n,
    messageTypeSpecific: partial.messageTypeSpecific ?? 0,
    sourcePortIdentity: partial.sourcePortIdentity
      ? { ...partial.sourcePortIdentity }
      : { clockIdentity: '000000.0000.000000', portNumber: 1 },
    sequenceId: partial.sequenceId ?? 0,
    controlField: partial.controlField ?? (type !== undefined ? CONTROL_FIELD_LEGACY[type] : 0),
    logMessageInterval: partial.logMessageInterval ?? (type !== undefined ? DEFAULT_LOG_MESSAGE_INTERVAL[type] : 0),
  }
}
