/** Signaling (IEEE 1588-2019 13.12): targetPortIdentity then TLVs; 44 octets + TLVs. */
import type { Finding, Header, PortIdentity, SignalingMessage, Tlv } from '../types.ts'
import { readPortIdentity, WILDCARD_PORT_IDENTITY, writePortIdentity } from '../fields.ts'
import { Clause } from '../findings/clauses.ts'
import { warning } from '../findings/finding.ts'
import { builderHeader, type BuildCommon } from './common.ts'

export function decodeSignaling(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): SignalingMessage {
  if (tlvs.length === 0) findings.push(warning('tlvs', 44, 'Signaling message carries no TLV', Clause.signaling))
  return { type: 'Signaling', header, targetPortIdentity: readPortIdentity(b, o + 34), tlvs }
}

export function writeSignaling(m: SignalingMessage, b: Uint8Array, o: number): void {
  writePortIdentity(b, o + 34, m.targetPortIdentity)
}

/** targetPortIdentity defaults to the wildcard (all ones). */
export function buildSignaling(p: BuildCommon & { targetPortIdentity?: PortIdentity } = {}): SignalingMessage {
  const tlvs = p.tlvs ?? []
  return {
    type: 'Signaling',
    header: builderHeader('Signaling', p.header, tlvs),
    targetPortIdentity: { ...(p.targetPortIdentity ?? WILDCARD_PORT_IDENTITY) },
    tlvs,
  }
}
