/** Pdelay_Resp_Follow_Up (IEEE 1588-2019 13.11): responseOriginTimestamp + requestingPortIdentity; 54 octets. */
import type { Finding, Header, PdelayRespFollowUpMessage, PortIdentity, PtpTimestamp, Tlv } from '../types.ts'
import { readPortIdentity, readTimestamp, writePortIdentity, writeTimestamp } from '../fields.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodePdelayRespFollowUp(
  b: Uint8Array,
  o: number,
  header: Header,
  tlvs: Tlv[],
  findings: Finding[],
): PdelayRespFollowUpMessage {
  return {
    type: 'Pdelay_Resp_Follow_Up',
    header,
    responseOriginTimestamp: readTimestamp(b, o + 34, o, 'responseOriginTimestamp', findings),
    requestingPortIdentity: readPortIdentity(b, o + 44),
    tlvs,
  }
}

export function writePdelayRespFollowUp(m: PdelayRespFollowUpMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.responseOriginTimestamp)
  writePortIdentity(b, o + 44, m.requestingPortIdentity)
}

export function buildPdelayRespFollowUp(
  p: BuildCommon & { responseOriginTimestamp?: PtpTimestamp; requestingPortIdentity: PortIdentity },
): PdelayRespFollowUpMessage {
  const tlvs = p.tlvs ?? []
  return {
    type: 'Pdelay_Resp_Follow_Up',
    header: builderHeader('Pdelay_Resp_Follow_Up', p.header, tlvs),
    responseOriginTimestamp: ts(p.responseOriginTimestamp),
    requestingPortIdentity: { ...p.requestingPortIdentity },
    tlvs,
  }
}
