/** Pieces shared by the message builders. */
import type { Header, MessageTypeName, PtpTimestamp, Tlv } from '../types.ts'
import { buildHeader } from '../header.ts'
import { BODY_LENGTH } from '../constants.ts'
import { tlvEncodedSize } from '../tlvs/index.ts'

/** What every builder accepts besides the body fields. */
export interface BuildCommon {
  header?: Partial<Header>
  tlvs?: Tlv[]
}

/** A header for `type` with messageLength set to what encodeMessage will compute. */
export function builderHeader(type: MessageTypeName, header: Partial<Header> | undefined, tlvs: readonly Tlv[]): Header {
  const h = buildHeader(header, type)
  let length = BODY_LENGTH[type]
  for (const t of tlvs) length += tlvEncodedSize(t)
  if (header?.messageLength === undefined) h.messageLength = length
  return h
}

export function ts(t: PtpTimestamp | undefined): PtpTimestamp {
  return t ? { secondsField: t.secondsField, nanosecondsField: t.nanosecondsField } : { secondsField: 0n, nanosecondsField: 0 }
}
