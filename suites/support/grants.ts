/**
 * What a recording says about unicast negotiation (IEEE 1588-2019 16.1): every negotiation TLV
 * with its frame, direction and time, and the grants in force. Pure: the judges of INT-02,
 * INT-07 and TLV-TEL-01 read it live, from stored evidence and from a capture alike.
 */
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import { type NegotiationTlv, negotiationTlvs, serviceOf, type UnicastService } from '../../harness/engines/unicast/services.ts'

export interface NegotiationStep {
  frame: RecordedFrame
  direction: 'in' | 'out'
  atNs: bigint
  tlv: NegotiationTlv
  service?: UnicastService
}

/** Every negotiation TLV in the recording, in wire order, in the run's domain. */
export function negotiationSteps(rec: Recorder, domainNumber: number): NegotiationStep[] {
  const frames = rec.byType('Signaling', { domainNumber })
  return [...stepsOfFrames(frames.filter((f) => f.direction === 'in'), 'in'), ...stepsOfFrames(frames.filter((f) => f.direction !== 'in'), 'out')]
    .sort((a, b) => (a.atNs < b.atNs ? -1 : a.atNs > b.atNs ? 1 : 0))
}

/** The negotiation TLVs of these frames (a capture's, by sender), each as sent in `direction`, in order. */
export function stepsOfFrames(frames: readonly RecordedFrame[], direction: 'in' | 'out'): NegotiationStep[] {
  const out: NegotiationStep[] = []
  for (const f of frames) {
    if (f.timestampNs === null) continue
    for (const tlv of negotiationTlvs(f.message)) {
      const service = serviceOf(tlv.messageType)
      out.push({ frame: f, direction, atNs: f.timestampNs, tlv, ...(service ? { service } : {}) })
    }
  }
  return out
}

export interface GrantSeen {
  atNs: bigint
  logInterMessagePeriod: number
  durationS: number
  renewalInvited: boolean
}

/** The last non-zero grant for a service sent in `direction` ('out': the harness granted; 'in': the DUT did). */
export function lastGrant(steps: readonly NegotiationStep[], direction: 'in' | 'out', service: UnicastService): GrantSeen | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!
    if (s.direction !== direction || s.service !== service || s.tlv.kind !== 'GRANT_UNICAST_TRANSMISSION' || s.tlv.durationField === 0) continue
    return { atNs: s.atNs, logInterMessagePeriod: s.tlv.logInterMessagePeriod, durationS: s.tlv.durationField, renewalInvited: (s.tlv.flags & 1) === 1 }
  }
  return undefined
}

/**
 * A capture's frames in the run's domain split by sender: the chosen clock's (the DUT's) and
 * each other clock's, in wire order. What the DUT negotiated with whom, in `analyze`.
 */
export function framesBySender(o: { recorder: Recorder; dut?: { clockIdentity: string } }, domainNumber: number): { fromDut: RecordedFrame[]; peers: Map<string, RecordedFrame[]> } {
  const dut = o.dut ? normalizeClockIdentity(o.dut.clockIdentity) : undefined
  const fromDut: RecordedFrame[] = []
  const peers = new Map<string, RecordedFrame[]>()
  for (const f of o.recorder.query({ domainNumber })) {
    if (!f.message || f.timestampNs === null) continue
    const sender = normalizeClockIdentity(f.message.header.sourcePortIdentity.clockIdentity)
    if (sender === dut) fromDut.push(f)
    else peers.set(sender, [...(peers.get(sender) ?? []), f])
  }
  return { fromDut, peers }
}
