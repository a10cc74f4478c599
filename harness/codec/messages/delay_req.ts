/** Delay_Req (IEEE 1588-2019 13.6): header + originTimestamp; 44 octets. Event message. */
import type { DelayReqMessage, Finding, Header, PtpTimestamp, Tlv } from '../types.ts'
import { readTimestamp, writeTimestamp } from '../fields.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodeDelayReq(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): DelayReqMessage {
  return { type: 'Delay_Req', header, originTimestamp: readTimestamp(b, o + 34, o, 'originTimestamp', findings), tlvs }
}

export function writeDelayReq(m: DelayReqMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.originTimestamp)
}

export function buildDelayReq(p: BuildCommon & { originTimestamp?: PtpTimestamp } = {}): DelayReqMessage {
  const tlvs = p.tlvs ?? []
  return { type: 'Delay_Req', header: builderHeader('Delay_Req', p.header, tlvs), originTimestamp: ts(p.originTimestamp), tlvs }
}
