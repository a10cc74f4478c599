/**
 * TLV-TEL-01 — the four unicast negotiation TLVs as the DUT sends them (IEEE 1588-2019 16.1.4),
 * on both sides of a negotiation (the INT-07 acquisition, made once per session), or in a
 * capture of any network (`analyze`: the chosen clock's Signaling): each rides in a Signaling
 * message, sent unicast with unicastFlag set to the peer it answers or asks (its
 * targetPortIdentity); its lengthField is the type's (REQUEST 6, GRANT 8, CANCEL and
 * ACKNOWLEDGE_CANCEL 2) and its reserved bits are zero (the codec's findings); its messageType
 * names a service that can be negotiated; an ACKNOWLEDGE_CANCEL names the type that was
 * cancelled; a GRANT that grants sets renewalInvited.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { FLAG_UNICAST } from '../../harness/codec/constants.ts'
import { normalizeClockIdentity, WILDCARD_CLOCK_IDENTITY } from '../../harness/codec/clock_identity.ts'
import { type Check, conformance, type Evidence, type Observation, type RecordedFrame } from '../kit.ts'
import { acquireNegotiation, type NegotiationEvidence } from '../support/negotiation.ts'
import { framesBySender, type NegotiationStep, stepsOfFrames } from '../support/grants.ts'
import { sentToUnicast } from '../support/destination.ts'
import { negotiationRequired } from '../support/unicast.ts'
import { GRANT_RENEWAL_INVITED, serviceName } from '../../harness/engines/unicast/services.ts'

const FORMAT = 'IEEE 1588-2019 16.1.4 (Tables 110-113)'
const KINDS = ['REQUEST_UNICAST_TRANSMISSION', 'GRANT_UNICAST_TRANSMISSION', 'CANCEL_UNICAST_TRANSMISSION', 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION'] as const

type Data = NegotiationEvidence | { observation: Observation }

/** One side of what was recorded: the DUT's frames, its peers' frames, and who its peers are. */
interface Side {
  side: string
  fromDut: RecordedFrame[]
  toDut: RecordedFrame[]
  /** The peers' clockIdentities (the harness's clocks live; whoever spoke to the DUT in a capture). */
  peers: Set<string>
}

function sidesOf(ev: Evidence<Data>): Side[] {
  const d = ev.data
  const domain = ev.session.domainNumber
  if ('observation' in d) {
    const { fromDut, peers } = framesBySender(d.observation, domain)
    return [{ side: 'in the capture', fromDut, toDut: [...peers.values()].flat(), peers: new Set(peers.keys()) }]
  }
  const live = (side: string, rec: NegotiationEvidence['asMaster']['recorder'], peer: string): Side => ({
    side,
    fromDut: rec.query({ direction: 'in', domainNumber: domain }),
    toDut: rec.query({ direction: 'out', domainNumber: domain }),
    peers: new Set([normalizeClockIdentity(peer)]),
  })
  return [live('as master', d.asMaster.recorder, ev.session.harnessClockIdentities[0]!), live('as slave', d.asSlave.recorder, ev.session.harnessClockIdentities[1]!)]
}

export default conformance<Data>({
  id: 'TLV-TEL-01',
  title: 'Unicast negotiation TLVs: format, carriage and flags',
  area: 'TLV',
  clause: 'IEEE 1588-2019 16.1.4',
  mapsTo: ['OCP DC profile §6.14.2'],
  tags: ['active', 'tlv', 'unicast', 'telecom'],
  severity: 'normal',
  fixture: 'dut-master',
  capturable: true,
  estimatedSeconds: 75,
  criteria: {
    pass: 'every negotiation TLV the DUT sends rides in a unicast Signaling message with unicastFlag to its peer, with its type\'s lengthField, zero reserved bits and a negotiable messageType; acknowledgements name what was cancelled; grants set renewalInvited',
    fail: 'a negotiation TLV outside Signaling, with a wrong length or reserved bits, a non-negotiable messageType, sent multicast or without unicastFlag or to another port, an acknowledgement of something not cancelled, or a grant without renewalInvited',
  },
  appliesTo: (p) => (negotiationRequired(p) ? true : `profile ${p.id} does not require unicast negotiation`),
  acquire: (ctx) => acquireNegotiation(ctx),
  judge(ev) {
    const mine: { step: NegotiationStep; side: Side }[] = []
    const outside: RecordedFrame[] = []
    const signaling: RecordedFrame[] = []
    const cancelled = new Set<number>()
    for (const side of sidesOf(ev)) {
      for (const step of stepsOfFrames(side.fromDut, 'in')) mine.push({ step, side })
      for (const step of stepsOfFrames(side.toDut, 'out')) if (step.tlv.kind === 'CANCEL_UNICAST_TRANSMISSION') cancelled.add(step.tlv.messageType)
      for (const f of side.fromDut) {
        if (f.message?.type === 'Signaling') signaling.push(f)
        else if (f.message && 'tlvs' in f.message && f.message.tlvs.some((t) => (KINDS as readonly string[]).includes(t.kind))) outside.push(f)
      }
    }
    const capture = 'observation' in ev.data
    if (mine.length === 0) {
      // A capture may hold no negotiation at all (it began after it); a live DUT that never negotiated did not.
      return { checks: [{ name: 'the DUT sends negotiation TLVs', measured: 0, limit: '≥ 1', source: FORMAT, verdict: capture ? 'inconclusive' : 'fail', detail: capture ? 'the capture holds no REQUEST, GRANT, CANCEL or ACKNOWLEDGE_CANCEL from the chosen clock' : 'neither as master nor as slave did the DUT send REQUEST, GRANT, CANCEL or ACKNOWLEDGE_CANCEL' }] }
    }
    const checks: Check[] = []
    const count = (k: string) => mine.filter((m) => m.step.tlv.kind === k).length
    checks.push(rule('negotiation TLVs ride only in Signaling messages', outside.map((f) => `${f.message!.type} #${f.message!.header.sequenceId}`), `${mine.length} in Signaling`, FORMAT))
    // The codec checks lengthField and the reserved octets and nibbles of each TLV it decodes; a TLV
    // whose length is wrong is not decoded as one, so every Signaling from the DUT is looked at.
    const findings = signaling.flatMap((f) => f.findings.filter((x) => x.clause.startsWith('IEEE 1588-2019 16.1')).map((x) => `${x.field} at octet ${x.offset}: ${x.message}`))
    checks.push(rule('lengthField and reserved fields of each TLV', findings, `${KINDS.map((k) => `${count(k)} ${k.replace('_UNICAST_TRANSMISSION', '')}`).join(', ')}`, FORMAT))
    checks.push(rule('messageType names a negotiable service (Announce, Sync, Delay_Resp, Pdelay_Resp)', mine.filter((m) => m.step.service === undefined).map((m) => `${m.side.side} ${m.step.tlv.kind} ${serviceName(m.step.tlv.messageType)}`), 'all negotiable', `${FORMAT}; 16.1.4.1.2`))
    const frames = [...new Set(mine.map((m) => m.step.frame))]
    // A capture without addresses cannot show where a frame went: that part is then not judged.
    const unicastKnown = frames.filter((f) => sentToUnicast(f) !== undefined || !capture)
    checks.push(rule('the Signaling carrying them goes unicast with unicastFlag set', frames.filter((f) => sentToUnicast(f) === false || (f.message!.header.flagField & FLAG_UNICAST) === 0).map((f) => `Signaling #${f.message!.header.sequenceId} to ${f.dstIp ?? f.dstMac ?? '?'} flagField 0x${f.message!.header.flagField.toString(16)}`), `${frames.length} Signaling${unicastKnown.length < frames.length ? ` (${frames.length - unicastKnown.length} without a recorded destination: flag only)` : ''}`, `${FORMAT}; IEEE 1588-2019 13.3.2.8 (unicastFlag)`))
    checks.push(rule('targetPortIdentity names the peer (or all ports)', mine.filter((m) => !targets(m.step.frame, m.side.peers)).map((m) => `${m.side.side} Signaling #${m.step.frame.message!.header.sequenceId} to ${target(m.step.frame)}`), 'the peer', 'IEEE 1588-2019 13.12.1'))
    const acks = mine.filter((m) => m.step.tlv.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION')
    if (acks.length) checks.push(rule('ACKNOWLEDGE_CANCEL names a type the peer cancelled', acks.filter((a) => !cancelled.has(a.step.tlv.messageType)).map((a) => `${a.side.side} ${serviceName(a.step.tlv.messageType)}`), `${acks.length} acknowledgement(s)`, `${FORMAT}; 16.1.4.4`))
    const grants = mine.filter((m) => m.step.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && m.step.tlv.durationField > 0)
    if (grants.length) {
      checks.push({
        ...rule('a GRANT that grants sets renewalInvited (R)', grants.filter((g) => g.step.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && (g.step.tlv.flags & GRANT_RENEWAL_INVITED) === 0).map((g) => `${g.side.side} ${g.step.service}`), `${grants.length} grant(s)`, 'conformance catalogue TLV-TEL-01 (Grant carries the R flag), OCP DC profile §6.14.2'),
        unconfirmed: true,
      })
    }
    return { checks, measurements: { tlvs: Object.fromEntries(KINDS.map((k) => [k, count(k)])) } }
  },
})

/** A rule over offenders: pass with none, fail naming them. */
function rule(name: string, offenders: string[], ok: string, source: string): Check {
  return {
    name,
    measured: offenders.length ? `${offenders.length}: ${offenders.slice(0, 6).join('; ')}${offenders.length > 6 ? ' …' : ''}` : ok,
    limit: 'none',
    source,
    verdict: offenders.length ? 'fail' : 'pass',
  }
}

function target(f: RecordedFrame): string {
  const t = (f.message as { targetPortIdentity?: PortIdentity }).targetPortIdentity
  return t ? `${t.clockIdentity}-${t.portNumber}` : '?'
}

function targets(f: RecordedFrame, peers: Set<string>): boolean {
  const t = (f.message as { targetPortIdentity?: PortIdentity }).targetPortIdentity
  if (!t) return false
  const id = normalizeClockIdentity(t.clockIdentity)
  return id === WILDCARD_CLOCK_IDENTITY || peers.has(id)
}
