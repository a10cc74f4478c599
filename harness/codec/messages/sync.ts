/** Sync (IEEE 1588-2019 13.6): header + originTimestamp; 44 octets. Event message. */
import type { Finding, Header, PtpTimestamp, SyncMessage, Tlv } from '../types.ts'
import { readTimestamp, writeTimestamp } from '../fields.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodeSync(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): SyncMessage {
  return { type: 'Sync', header, originTimestamp: readTimestamp(b, o + 34, o, 'originTimestamp', findings), tlvs }
}

export function writeSync(m: SyncMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.originTimestamp)
}

export function buildSync(p: BuildCommon & { originTimestamp?: PtpTimestamp } = {}): SyncMessage {
  const tlvs = p.tlvs ?? []
  return { type: 'Sync', header: builderHeader('Sync', p.header, tlvs), originTimestamp: ts(p.originTimestamp), tlvs }
}
