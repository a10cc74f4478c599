/** Pdelay_Resp (IEEE 1588-2019 13.10): requestReceiptTimestamp + requestingPortIdentity; 54 octets. Event message. */
import type { Finding, Header, PdelayRespMessage, PortIdentity, PtpTimestamp, Tlv } from '../types.ts'
import { readPortIdentity, readTimestamp, writePortIdentity, writeTimestamp } from '../fields.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodePdelayResp(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): PdelayRespMessage {
  return {
    type: 'Pdelay_Resp',
    header,
    requestReceiptTimestamp: readTimestamp(b, o + 34, o, 'requestReceiptTimestamp', findings),
    requestingPortIdentity: readPortIdentity(b, o + 44),
    tlvs,
  }
}

export function writePdelayResp(m: PdelayRespMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.requestReceiptTimestamp)
  writePortIdentity(b, o + 44, m.requestingPortIdentity)
}

export function buildPdelayResp(
  p: BuildCommon & { requestReceiptTimestamp?: PtpTimestamp; requestingPortIdentity: PortIdentity },
): PdelayRespMessage {
  const tlvs = p.tlvs ?? []
  return {
    type: 'Pdelay_Resp',
    header: builderHeader('Pdelay_Resp', p.header, tlvs),
    requestReceiptTimestamp: ts(p.requestReceiptTimestamp),
    requestingPortIdentity: { ...p.requestingPortIdentity },
    tlvs,
  }
}
