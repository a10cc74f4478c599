/**
 * decodeMessage / encodeMessage: a PTP message (no framing) <-> PtpMessage.
 *
 * Decoding reads the header, checks the lengths, decodes the TLV area and then the fixed body
 * of the message type. Everything that can be decoded is, and every departure from the standard
 * becomes a Finding; only input that cannot be decoded at all raises CodecError.
 */
import type { DecodeResult, EncodeOptions, Finding, MessageTypeName, PtpMessage, Tlv } from './types.ts'
import { BODY_LENGTH, BODY_LENGTH_BY_MESSAGE_TYPE, HEADER_LENGTH, MESSAGE_TYPE_NAMES, MessageType } from './constants.ts'
import { CodecError } from './errors.ts'
import { checkHeader, decodeHeader, encodeHeader } from './header.ts'
import { Clause } from './findings/clauses.ts'
import { error, hex, warning } from './findings/finding.ts'
import { decodeTlvs, tlvEncodedSize, writeTlv } from './tlvs/index.ts'
import { decodeSync, writeSync } from './messages/sync.ts'
import { decodeDelayReq, writeDelayReq } from './messages/delay_req.ts'
import { decodePdelayReq, writePdelayReq } from './messages/pdelay_req.ts'
import { decodePdelayResp, writePdelayResp } from './messages/pdelay_resp.ts'
import { decodeFollowUp, writeFollowUp } from './messages/follow_up.ts'
import { decodeDelayResp, writeDelayResp } from './messages/delay_resp.ts'
import { decodePdelayRespFollowUp, writePdelayRespFollowUp } from './messages/pdelay_resp_follow_up.ts'
import { decodeAnnounce, writeAnnounce } from './messages/announce.ts'
import { decodeSignaling, writeSignaling } from './messages/signaling.ts'
import { decodeManagement, writeManagement } from './messages/management.ts'

export interface DecodeOptions {
  /**
   * Octets after messageLength are link-layer padding (an Ethernet frame padded to its 60-octet
   * minimum), not a finding. They are still kept in `trailer`.
   */
  trailerIsPadding?: boolean
  /**
   * Number of octets after messageLength that are no finding. decodeFrame passes 2 for UDP:
   * linuxptp appends 2 octets to every UDP/IPv6 message and to one-step event messages over
   * UDP/IPv4, room for the UDP checksum fix-up of a one-step device (1588 Annex E discusses it).
   */
  allowedTrailer?: number
}

/**
 * Decodes the PTP message at bytes[offset, offset + length). length defaults to the rest of the
 * buffer and is clamped to it; nothing outside that window is read. Throws CodecError (only)
 * when the header or the message type's fixed body is missing or messageType is reserved.
 */
export function decodeMessage(bytes: Uint8Array, offset = 0, length?: number, options?: DecodeOptions): DecodeResult {
  if (!(offset >= 0) || offset > bytes.length || !Number.isInteger(offset)) {
    throw new CodecError(`offset ${offset} is outside the ${bytes.length}-octet buffer`, 0, 'header')
  }
  let avail = bytes.length - offset
  if (length !== undefined && length < avail) avail = length > 0 ? Math.floor(length) : 0
  if (avail < HEADER_LENGTH) {
    throw new CodecError(`${avail} octets are too few for the 34-octet PTP header`, avail, 'header')
  }
  const b = bytes
  const o = offset
  const messageType = b[o]! & 0x0f
  const type = MESSAGE_TYPE_NAMES[messageType]
  if (type === undefined) {
    throw new CodecError(`messageType ${hex(messageType, 1)} is reserved`, 0, 'messageType')
  }
  const bodyLength = BODY_LENGTH_BY_MESSAGE_TYPE[messageType]!
  if (avail < bodyLength) {
    throw new CodecError(`${type} needs ${bodyLength} octets, only ${avail} present`, avail, fieldAt(type, avail))
  }
  const header = decodeHeader(b, o)
  const findings: Finding[] = []
  checkHeader(header, type, findings)

  const messageLength = header.messageLength
  let end: number // end of the TLV area, relative to o
  let endIsBuffer = false
  if (messageLength < bodyLength) {
    findings.push(error('messageLength', 2, `messageLength ${messageLength} is shorter than the ${bodyLength}-octet ${type}`, Clause.messageLength))
    end = bodyLength
  } else if (messageLength > avail) {
    findings.push(error('messageLength', 2, `messageLength ${messageLength} exceeds the ${avail} octets present`, Clause.messageLength))
    end = avail
    endIsBuffer = true
  } else {
    end = messageLength
    if (avail > messageLength && options?.trailerIsPadding !== true && avail - messageLength !== options?.allowedTrailer) {
      findings.push(warning('messageLength', 2, `${avail - messageLength} octet(s) follow messageLength ${messageLength}`, Clause.messageLength))
    }
  }

  const tlvs: Tlv[] = []
  let tlvRemainder: Uint8Array | undefined
  if (end > bodyLength) {
    const action = messageType === MessageType.Management ? b[o + 46]! & 0xf : -1
    tlvRemainder = decodeTlvs(b, o + bodyLength, o + end, o, endIsBuffer, action, findings, tlvs)
  }

  let message: PtpMessage
  switch (messageType) {
    case MessageType.Sync: message = decodeSync(b, o, header, tlvs, findings); break
    case MessageType.Delay_Req: message = decodeDelayReq(b, o, header, tlvs, findings); break
    case MessageType.Pdelay_Req: message = decodePdelayReq(b, o, header, tlvs, findings); break
    case MessageType.Pdelay_Resp: message = decodePdelayResp(b, o, header, tlvs, findings); break
    case MessageType.Follow_Up: message = decodeFollowUp(b, o, header, tlvs, findings); break
    case MessageType.Delay_Resp: message = decodeDelayResp(b, o, header, tlvs, findings); break
    case MessageType.Pdelay_Resp_Follow_Up: message = decodePdelayRespFollowUp(b, o, header, tlvs, findings); break
    case MessageType.Announce: message = decodeAnnounce(b, o, header, tlvs, findings); break
    case MessageType.Signaling: message = decodeSignaling(b, o, header, tlvs, findings); break
    default: message = decodeManagement(b, o, header, tlvs, findings); break
  }
  if (tlvRemainder !== undefined) message.tlvRemainder = tlvRemainder
  if (avail > end) message.trailer = b.slice(o + end, o + avail)
  return { message, findings }
}

/** Fixed body fields per message type, [offset, name], for naming where a short message ends. */
const BODY_FIELDS: Readonly<Record<MessageTypeName, ReadonlyArray<readonly [number, string]>>> = {
  Sync: [[34, 'originTimestamp']],
  Delay_Req: [[34, 'originTimestamp']],
  Pdelay_Req: [[34, 'originTimestamp'], [44, 'reserved']],
  Pdelay_Resp: [[34, 'requestReceiptTimestamp'], [44, 'requestingPortIdentity']],
  Follow_Up: [[34, 'preciseOriginTimestamp']],
  Delay_Resp: [[34, 'receiveTimestamp'], [44, 'requestingPortIdentity']],
  Pdelay_Resp_Follow_Up: [[34, 'responseOriginTimestamp'], [44, 'requestingPortIdentity']],
  Announce: [
    [34, 'originTimestamp'], [44, 'currentUtcOffset'], [46, 'reserved'], [47, 'grandmasterPriority1'],
    [48, 'grandmasterClockQuality'], [52, 'grandmasterPriority2'], [53, 'grandmasterIdentity'],
    [61, 'stepsRemoved'], [63, 'timeSource'],
  ],
  Signaling: [[34, 'targetPortIdentity']],
  Management: [[34, 'targetPortIdentity'], [44, 'startingBoundaryHops'], [45, 'boundaryHops'], [46, 'actionField'], [47, 'reserved']],
}

/** The body field that contains octet `offset`. */
function fieldAt(type: MessageTypeName, offset: number): string {
  const fields = BODY_FIELDS[type]
  let name = fields[0]![1]
  for (const [at, field] of fields) if (at <= offset) name = field
  return name
}

/** Octets encodeMessage produces for `msg` up to messageLength (trailer excluded). */
export function encodedLength(msg: PtpMessage): number {
  let n = BODY_LENGTH[msg.type]
  const tlvs = msg.tlvs
  for (let i = 0; i < tlvs.length; i++) n += tlvEncodedSize(tlvs[i]!)
  if (msg.tlvRemainder) n += msg.tlvRemainder.length
  return n
}

/**
 * Encodes a message. messageLength and every TLV lengthField are computed unless the options
 * say to keep the values in the message (to send deliberately wrong lengths). The body layout
 * follows msg.type; header.messageType is written as given. Throws RangeError for values that
 * cannot be written (e.g. a malformed ClockIdentity).
 */
export function encodeMessage(msg: PtpMessage, opts?: EncodeOptions): Uint8Array {
  const length = encodedLength(msg)
  const trailer = msg.trailer
  const b = new Uint8Array(length + (trailer ? trailer.length : 0))
  encodeHeader(b, 0, msg.header, opts?.keepMessageLength ? msg.header.messageLength : length)
  switch (msg.type) {
    case 'Sync': writeSync(msg, b, 0); break
    case 'Delay_Req': writeDelayReq(msg, b, 0); break
    case 'Pdelay_Req': writePdelayReq(msg, b, 0); break
    case 'Pdelay_Resp': writePdelayResp(msg, b, 0); break
    case 'Follow_Up': writeFollowUp(msg, b, 0); break
    case 'Delay_Resp': writeDelayResp(msg, b, 0); break
    case 'Pdelay_Resp_Follow_Up': writePdelayRespFollowUp(msg, b, 0); break
    case 'Announce': writeAnnounce(msg, b, 0); break
    case 'Signaling': writeSignaling(msg, b, 0); break
    case 'Management': writeManagement(msg, b, 0); break
  }
  let p = BODY_LENGTH[msg.type]
  const keep = opts?.keepTlvLengths === true
  for (const t of msg.tlvs) p += writeTlv(t, b, p, keep)
  if (msg.tlvRemainder) {
    b.set(msg.tlvRemainder, p)
    p += msg.tlvRemainder.length
  }
  if (trailer) b.set(trailer, p)
  return b
}

/** Encode options that reproduce a decoded message octet for octet, wrong lengths included. */
export const EXACT: Readonly<EncodeOptions> = Object.freeze({ keepMessageLength: true, keepTlvLengths: true })
