/** Follow_Up (IEEE 1588-2019 13.7): header + preciseOriginTimestamp; 44 octets (76 in 802.1AS with the Follow_Up information TLV). */
import type { Finding, FollowUpMessage, Header, PtpTimestamp, Tlv } from '../types.ts'
import { readTimestamp, writeTimestamp } from '../fields.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodeFollowUp(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): FollowUpMessage {
  return { type: 'Follow_Up', header, preciseOriginTimestamp: readTimestamp(b, o + 34, o, 'preciseOriginTimestamp', findings), tlvs }
}

export function writeFollowUp(m: FollowUpMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.preciseOriginTimestamp)
}

export function buildFollowUp(p: BuildCommon & { preciseOriginTimestamp?: PtpTimestamp } = {}): FollowUpMessage {
  const tlvs = p.tlvs ?? []
  return { type: 'Follow_Up', header: builderHeader('Follow_Up', p.header, tlvs), preciseOriginTimestamp: ts(p.preciseOriginTimestamp), tlvs }
}
