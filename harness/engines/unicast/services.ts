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

/** Delay_Resp and Pdelay_Resp: the services a grantee's own requests depend on. */
export function isDelayService(s: UnicastService): boolean {
  return s === 'Delay_Resp' || s === 'Pdelay_Resp'
}

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

/** What a unicast slave asks for: Announce, Sync and its delay service, at these (configured) log intervals. */
export function serviceRequests(
  iv: { announce: number; sync: number; delayReq: number; pdelayReq: number },
  delayMechanism: string,
): { service: UnicastService; logInterMessagePeriod: number }[] {
  const delay: { service: UnicastService; logInterMessagePeriod: number } = delayMechanism === 'P2P'
    ? { service: 'Pdelay_Resp', logInterMessagePeriod: iv.pdelayReq }
    : { service: 'Delay_Resp', logInterMessagePeriod: iv.delayReq }
  return [{ service: 'Announce', logInterMessagePeriod: iv.announce }, { service: 'Sync', logInterMessagePeriod: iv.sync }, delay]
}

/**
 * The durationField a unicast slave asks for: its configured one (DutSettings resolves it, the
 * profile's default when nothing configures it). A negotiating profile states a grant duration
 * (profile rule), so a missing one is a harness fault, said as such.
 */
export function requestDurationS(s: { unicastRequestDuration?: { value: number } }, p: Profile): number {
  const d = s.unicastRequestDuration?.value
  if (d === undefined) throw new Error(`profile ${p.id} negotiates unicast service but states no transport.grantDuration`)
  return d
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
