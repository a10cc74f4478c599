/** Pdelay_Req (IEEE 1588-2019 13.9): originTimestamp + 10 reserved octets; 54 octets. Event message. */
import type { Finding, Header, PdelayReqMessage, PtpTimestamp, Tlv } from '../types.ts'
import { allZero } from '../bytes.ts'
import { readTimestamp, writeTimestamp } from '../fields.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodePdelayReq(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): PdelayReqMessage {
  if (!allZero(b, o + 44, o + 54)) findings.push(error('reserved', 44, 'reserved octets 44-53 of Pdelay_Req are not zero', Clause.pdelayReq))
  return {
    type: 'Pdelay_Req',
    header,
    originTimestamp: readTimestamp(b, o + 34, o, 'originTimestamp', findings),
    reserved: b.slice(o + 44, o + 54),
    tlvs,
  }
}

export function writePdelayReq(m: PdelayReqMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.originTimestamp)
  b.set(m.reserved.subarray(0, 10), o + 44)
}

export function buildPdelayReq(p: BuildCommon & { originTimestamp?: PtpTimestamp } = {}): PdelayReqMessage {
  const tlvs = p.tlvs ?? []
  return {
    type: 'Pdelay_Req',
    header: builderHeader('Pdelay_Req', p.header, tlvs),
    originTimestamp: ts(p.originTimestamp),
    reserved: new Uint8Array(10),
    tlvs,
  }
}
