/**
 * Unicast negotiation vocabulary (IEEE 1588-2019 16.1): which message types can be requested,
 * the flag bits of GRANT and CANCEL, and the negotiation TLVs of a Signaling message. Shared by
 * the emulated grantor and requester and by the judges that read a recording.
 */
import { MessageType } from '../../codec/constants.ts'
import type { Profile } from '../../profiles/types.ts'
import type { CancelUnicastTransmissionTlv, GrantUnicastTransmissionTlv, PtpMessage, RequestUnicastTransmissionTlv } from '../../codec/types.ts'

/** The message types a unicast service can be negotiated for (1588-2019 16.1.4.1.2). */
export type UnicastService = 'Announce' | 'Sync' | 'Delay_Resp' | 'Pdelay_Resp'

export const UNICAST_SERVICES: readonly UnicastService[] = ['Announce', 'Sync', 'Delay_Resp', 'Pdelay_Resp']

export function serviceMessageType(s: UnicastService): number {
  return MessageType[s]
}

/** The service a TLV's messageType nibble names; undefined for a type no service exists for. */
export function serviceOf(messageType: number): UnicastService | undefined {
  return UNICAST_SERVICES.find((s) => MessageType[s] === messageType)
}

/** GRANT flags bit 0 (1588-2019 16.1.4.2.6): the grantor will consider a renewal. */
export const GRANT_RENEWAL_INVITED = 0x01
/** CANCEL / ACKNOWLEDGE_CANCEL flags (1588-2019 16.1.4.3): bit 0 maintainRequest, bit 1 maintainGrant. */
export const CANCEL_MAINTAIN_REQUEST = 0x01
export const CANCEL_MAINTAIN_GRANT = 0x02

export type NegotiationTlv = RequestUnicastTransmissionTlv | GrantUnicastTransmissionTlv | CancelUnicastTransmissionTlv

/** The negotiation TLVs a message carries, in order (none unless it is a Signaling message). */
export function negotiationTlvs(m: PtpMessage | undefined): NegotiationTlv[] {
  if (!m || m.type !== 'Signaling') return []
  return m.tlvs.filter((t): t is NegotiationTlv =>
    t.kind === 'REQUEST_UNICAST_TRANSMISSION' || t.kind === 'GRANT_UNICAST_TRANSMISSION' ||
    t.kind === 'CANCEL_UNICAST_TRANSMISSION' || t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION')
}

/** "Sync" for a known nibble, "messageType 0x5" otherwise: how a TLV's service is named in findings. */
export function serviceName(messageType: number): string {
  return serviceOf(messageType) ?? `messageType 0x${messageType.toString(16)}`
}

/** Whether nothing flows without negotiation under this profile (G.8275.2: multicast forbidden, negotiation required). */
export function negotiationRequired(p: Profile): boolean {
  return p.transport.unicastNegotiation === 'required' || p.transport.multicast === 'forbidden'
}

/** One step of a negotiation as an emulated clock saw it (a judge reads the frames; these explain them). */
export interface NegotiationEvent<E extends string> {
  atNs: bigint
  event: E
  service: string
  detail?: string
}
