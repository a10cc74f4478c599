/** Delay_Resp (IEEE 1588-2019 13.8): receiveTimestamp + requestingPortIdentity; 54 octets. */
import type { DelayRespMessage, Finding, Header, PortIdentity, PtpTimestamp, Tlv } from '../types.ts'
import { readPortIdentity, readTimestamp, writePortIdentity, writeTimestamp } from '../fields.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodeDelayResp(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): DelayRespMessage {
  return {
    type: 'Delay_Resp',
    header,
    receiveTimestamp: readTimestamp(b, o + 34, o, 'receiveTimestamp', findings),
    requestingPortIdentity: readPortIdentity(b, o + 44),
    tlvs,
  }
}

export function writeDelayResp(m: DelayRespMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.receiveTimestamp)
  writePortIdentity(b, o + 44, m.requestingPortIdentity)
}

export function buildDelayResp(
  p: BuildCommon & { receiveTimestamp?: PtpTimestamp; requestingPortIdentity: PortIdentity },
): DelayRespMessage {
  const tlvs = p.tlvs ?? []
  return {
    type: 'Delay_Resp',
    header: builderHeader('Delay_Resp', p.header, tlvs),
    receiveTimestamp: ts(p.receiveTimestamp),
    requestingPortIdentity: { ...p.requestingPortIdentity },
    tlvs,
  }
}
