/**
 * The grantor's table of unicast grants (IEEE 1588-2019 16.1): what it answers to each
 * REQUEST, CANCEL and ACKNOWLEDGE_CANCEL, which services run for which peer, and when each runs
 * out. Pure state, no sending: the emulated master (NegotiatingMaster) and the reference DUT
 * both apply its verdicts to their own TestMaster. What it grants is configurable per message
 * type, so a test can show a grantee a denial, another rate, a short grant, a grant that is not
 * renewed, or (as faults) no acknowledgement and a cancel that is not honoured.
 */
import type { PortIdentity } from '../../codec/types.ts'
import type { Profile } from '../../profiles/types.ts'
import {
  buildAcknowledgeCancelUnicastTransmissionTlv,
  buildGrantUnicastTransmissionTlv,
} from '../../codec/tlvs/unicast.ts'
import { type NegotiationEvent, type NegotiationTlv, serviceName, serviceOf, type UnicastService } from './services.ts'
import { NS_PER_SECOND } from '../../time/timestamp.ts'

/** What the grantor answers to a request for one message type. */
export type GrantDecision =
  /** The requested period and duration. */
  | { kind: 'grant' }
  /** durationField 0 (1588-2019 16.1.4.2.5). */
  | { kind: 'deny' }
  /** A rate other than the one requested. */
  | { kind: 'grant-interval'; logInterMessagePeriod: number }
  /** A duration other than the one requested (seconds). */
  | { kind: 'grant-duration'; durationS: number }
  /** No answer at all. */
  | { kind: 'ignore' }

export interface GrantorConfig {
  /** Per message type; default: grant as requested. */
  decisions?: Partial<Record<UnicastService, GrantDecision>>
  /** Grant renewals of a running grant (default true); false lets every grant run out once. */
  renew?: boolean
  /** renewalInvited on grants (default true, as linuxptp sets it). */
  renewalInvited?: boolean
  /** Answer a CANCEL with ACKNOWLEDGE_CANCEL (default true; 1588-2019 16.1.4.4). */
  acknowledgeCancel?: boolean
  /** Stop a service its grantee cancels (default true); false: a faulty grantor that goes on. */
  honourCancel?: boolean
  /** Send at the master's configured rates whatever was granted (default false); true: a faulty grantor. */
  keepConfiguredRates?: boolean
  /** The profile's grant duration range [min, max] s: a request outside it is denied. Absent: any duration. */
  durationRange?: readonly [number, number]
}

export interface GrantRecord {
  service: UnicastService
  /** The grantee's address as the transport reports it. */
  peer: string
  grantee: PortIdentity
  logInterMessagePeriod: number
  durationS: number
  grantedAtNs: bigint
  expiresAtNs: bigint
  /** Requests for a running grant that extended it. */
  renewals: number
}

/** One step of the negotiation as the grantor saw it. */
export type GrantorEvent = NegotiationEvent<'granted' | 'renewed' | 'denied' | 'ignored' | 'expired' | 'cancelled-by-peer' | 'cancelled-by-us' | 'acknowledged'>

const S = NS_PER_SECOND

/** A conformant grantor of `p`: it keeps its grants inside the profile's grant duration range. */
export function profileGrantor(p: Profile): GrantorConfig {
  const range = p.transport.grantDuration?.range.value
  return range ? { durationRange: range } : {}
}

/** What one Signaling message from a peer changes, and what goes back. */
export interface TableOutcome {
  answers: NegotiationTlv[]
  /** Services to run from now on (again, at this period, after a renewal). */
  started: { service: UnicastService; logInterMessagePeriod: number; expiresAtNs: bigint }[]
  /** Services to stop at once. */
  stopped: UnicastService[]
}

export class GrantTable {
  private readonly active = new Map<UnicastService, GrantRecord>()
  readonly events: GrantorEvent[] = []

  constructor(private readonly cfg: GrantorConfig = {}) {}

  get grants(): ReadonlyMap<UnicastService, GrantRecord> {
    return this.active
  }

  get config(): Readonly<GrantorConfig> {
    return this.cfg
  }

  /** The negotiation TLVs of one Signaling message from `requester` at `peer`. */
  handle(tlvs: readonly NegotiationTlv[], requester: PortIdentity, peer: string, atNs: bigint): TableOutcome {
    const out: TableOutcome = { answers: [], started: [], stopped: [] }
    for (const t of tlvs) {
      if (t.kind === 'REQUEST_UNICAST_TRANSMISSION') {
        const a = this.onRequest(t, requester, peer, atNs, out)
        if (a) out.answers.push(a)
      } else if (t.kind === 'CANCEL_UNICAST_TRANSMISSION') {
        const service = serviceOf(t.messageType)
        if (service && this.active.has(service) && (this.cfg.honourCancel ?? true)) {
          this.active.delete(service)
          out.stopped.push(service)
        }
        this.events.push({ atNs, event: 'cancelled-by-peer', service: serviceName(t.messageType) })
        if (this.cfg.acknowledgeCancel ?? true) out.answers.push(buildAcknowledgeCancelUnicastTransmissionTlv({ messageType: t.messageType, flags: t.flags }))
      } else if (t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION') {
        this.events.push({ atNs, event: 'acknowledged', service: serviceName(t.messageType) })
      }
    }
    return out
  }

  /** A grant's expiry time came: true when the service ends now (it was not renewed meanwhile). */
  expire(service: UnicastService, now: bigint): boolean {
    const g = this.active.get(service)
    if (!g || now < g.expiresAtNs) return false
    this.active.delete(service)
    this.events.push({ atNs: now, event: 'expired', service, detail: `granted ${g.durationS} s at ${g.grantedAtNs} ns, ${g.renewals} renewals` })
    return true
  }

  /** The grantor's own cancel: the record it ended (undefined if none ran). */
  cancel(service: UnicastService, now: bigint): GrantRecord | undefined {
    const g = this.active.get(service)
    if (!g) return undefined
    this.active.delete(service)
    this.events.push({ atNs: now, event: 'cancelled-by-us', service })
    return g
  }

  private onRequest(
    t: Extract<NegotiationTlv, { kind: 'REQUEST_UNICAST_TRANSMISSION' }>,
    requester: PortIdentity,
    peer: string,
    atNs: bigint,
    out: TableOutcome,
  ): NegotiationTlv | undefined {
    const service = serviceOf(t.messageType)
    const deny = () => buildGrantUnicastTransmissionTlv({ messageType: t.messageType, logInterMessagePeriod: t.logInterMessagePeriod, durationField: 0 })
    if (!service) {
      this.events.push({ atNs, event: 'denied', service: serviceName(t.messageType), detail: 'no such service' })
      return deny()
    }
    const running = this.active.get(service)
    const decision: GrantDecision = running && this.cfg.renew === false ? { kind: 'ignore' } : (this.cfg.decisions?.[service] ?? { kind: 'grant' })
    if (decision.kind === 'ignore') {
      this.events.push({ atNs, event: 'ignored', service, detail: running ? 'renewal not answered' : 'request not answered' })
      return undefined
    }
    if (decision.kind === 'deny') {
      this.events.push({ atNs, event: 'denied', service })
      return deny()
    }
    const log = decision.kind === 'grant-interval' ? decision.logInterMessagePeriod : t.logInterMessagePeriod
    const durationS = decision.kind === 'grant-duration' ? decision.durationS : t.durationField
    if (durationS === 0) {
      // A request for zero seconds asks for nothing: the answer is a denial.
      this.events.push({ atNs, event: 'denied', service, detail: 'requested duration 0' })
      return deny()
    }
    const range = this.cfg.durationRange
    if (range && decision.kind !== 'grant-duration' && (durationS < range[0] || durationS > range[1])) {
      this.events.push({ atNs, event: 'denied', service, detail: `requested ${durationS} s, outside ${range[0]} … ${range[1]} s` })
      return deny()
    }
    const record: GrantRecord = {
      service, peer, grantee: { ...requester }, logInterMessagePeriod: log, durationS,
      grantedAtNs: atNs, expiresAtNs: atNs + BigInt(durationS) * S, renewals: running ? running.renewals + 1 : 0,
    }
    this.active.set(service, record)
    this.events.push({ atNs, event: running ? 'renewed' : 'granted', service, detail: `2^${log} s for ${durationS} s` })
    out.started.push({ service, logInterMessagePeriod: log, expiresAtNs: record.expiresAtNs })
    return buildGrantUnicastTransmissionTlv({ messageType: t.messageType, logInterMessagePeriod: log, durationField: durationS, renewalInvited: this.cfg.renewalInvited ?? true })
  }
}

/** How a Signaling answer is named in the recorder: "GRANT Sync, ACK CANCEL Announce". */
export function describeAnswers(answers: readonly NegotiationTlv[]): string {
  return answers.map((a) => (a.kind === 'GRANT_UNICAST_TRANSMISSION' ? `${a.durationField ? 'GRANT' : 'DENY'} ${serviceName(a.messageType)}` : `ACK CANCEL ${serviceName(a.messageType)}`)).join(', ')
}
