/**
 * The emulated slave's side of unicast negotiation (IEEE 1588-2019 16.1): a TestSlave that asks
 * a master for Announce, Sync and Delay_Resp (or Pdelay_Resp) service, renews each grant before
 * it runs out, asks again after a denial or silence, sends delay requests only while they are
 * granted and at the granted rate, and answers a master's CANCEL with ACKNOWLEDGE_CANCEL.
 * Sans-IO; the requests are Signaling messages from the slave's own port.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from '../actions.ts'
import type { PortIdentity } from '../../codec/types.ts'
import {
  buildAcknowledgeCancelUnicastTransmissionTlv,
  buildCancelUnicastTransmissionTlv,
  buildRequestUnicastTransmissionTlv,
} from '../../codec/tlvs/unicast.ts'
import { WILDCARD_PORT_IDENTITY } from '../../codec/fields.ts'
import { NS_PER_SECOND } from '../../time/timestamp.ts'
import { samePortIdentity, targetsPort } from '../message_factory.ts'
import type { TestSlave } from '../test_slave.ts'
import { GRANT_RENEWAL_INVITED, isDelayService, type NegotiationEvent, type NegotiationTlv, negotiationTlvs, serviceMessageType, serviceName, serviceOf, type UnicastService } from './services.ts'

export interface ServiceRequest {
  service: UnicastService
  logInterMessagePeriod: number
}

export interface RequesterConfig {
  /** The master's address as the transport spells it. */
  masterAddress: string
  /** What to ask for, all at once at start (as linuxptp's unicast client does once it has chosen a master). */
  services: ServiceRequest[]
  /** durationField of every request, seconds. */
  durationS: number
  /** Renew when this fraction of a grant has run (default 0.5). */
  renewAtFraction?: number
  /** Ask again this long after a request that was denied or not answered (default 1 s). */
  retryNs?: bigint
  /** Renew grants (default true); false lets them run out. */
  renew?: boolean
  /** Answer a master's CANCEL with ACKNOWLEDGE_CANCEL (default true). */
  acknowledgeCancel?: boolean
  /** Stop delay requests when their service is cancelled (default true); false: a faulty grantee that goes on. */
  stopOnCancel?: boolean
}

export type RequestState = 'requested' | 'granted' | 'denied' | 'expired' | 'cancelled-by-master' | 'cancelled-by-us'

export interface ServiceStatus {
  service: UnicastService
  state: RequestState
  requestedAtNs: bigint
  /** The grant in force (or the last one). */
  grant?: { logInterMessagePeriod: number; durationS: number; atNs: bigint; renewalInvited: boolean }
  renewalSentAtNs?: bigint
}

export type RequesterEvent = NegotiationEvent<'requested' | 'renewal-requested' | 'granted' | 'denied' | 'expired' | 'cancelled-by-master' | 'cancelled-by-us' | 'acknowledged'>

const S = NS_PER_SECOND
const CHECK = 'uc:check'

export class NegotiatingSlave implements Engine {
  readonly name: string
  private readonly status = new Map<UnicastService, ServiceStatus>()
  private masterPort: PortIdentity = { ...WILDCARD_PORT_IDENTITY }
  readonly events: RequesterEvent[] = []

  constructor(
    readonly slave: TestSlave,
    private readonly cfg: RequesterConfig,
  ) {
    this.name = slave.name
  }

  get services(): ReadonlyMap<UnicastService, ServiceStatus> {
    return this.status
  }

  /** What this requester asks for. */
  get requests(): readonly ServiceRequest[] {
    return this.cfg.services
  }

  /** Cancel a service (the grantee's cancel, 1588-2019 16.1.2.5); it is not asked for again. */
  cancel(service: UnicastService, now: bigint): EngineAction[] {
    const st = this.status.get(service)
    if (!st) return []
    st.state = 'cancelled-by-us'
    if (isDelayService(service)) this.slave.setRequesting(false)
    this.events.push({ atNs: now, event: 'cancelled-by-us', service })
    return this.slave.signal([buildCancelUnicastTransmissionTlv({ messageType: serviceMessageType(service) })], this.masterPort, `CANCEL ${service}`)
  }

  // ------------------------------------------------------------ Engine

  start(now: bigint): EngineAction[] {
    this.slave.setUnicastTo(this.cfg.masterAddress)
    this.slave.setRequesting(false)
    const actions = this.slave.start(now)
    for (const r of this.cfg.services) this.status.set(r.service, { service: r.service, state: 'requested', requestedAtNs: now })
    actions.push(...this.request(this.cfg.services.map((r) => r.service), now, 'requested'))
    actions.push({ kind: 'timer', at: now + this.retry(), id: CHECK })
    return actions
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    if (id !== CHECK) return this.slave.onTimer(id, now)
    const fresh: UnicastService[] = []
    const renew: UnicastService[] = []
    for (const st of this.status.values()) {
      if (st.state === 'cancelled-by-us') continue
      if (st.state === 'granted' && st.grant) {
        const expires = st.grant.atNs + BigInt(st.grant.durationS) * S
        if (now >= expires) {
          this.lapse(st, 'expired', now, `granted ${st.grant.durationS} s at ${st.grant.atNs} ns`)
          fresh.push(st.service)
          continue
        }
        const fraction = this.cfg.renewAtFraction ?? 0.5
        const due = st.grant.atNs + BigInt(Math.round(st.grant.durationS * fraction * 1e9))
        if ((this.cfg.renew ?? true) && now >= due && st.renewalSentAtNs === undefined) renew.push(st.service)
        continue
      }
      // Denied, unanswered, expired or cancelled by the master: ask again.
      if (now - st.requestedAtNs >= this.retry()) fresh.push(st.service)
    }
    const actions: EngineAction[] = []
    if (fresh.length) actions.push(...this.request(fresh, now, 'requested'))
    if (renew.length) actions.push(...this.request(renew, now, 'renewal-requested'))
    actions.push({ kind: 'timer', at: now + this.retry(), id: CHECK })
    return actions
  }

  onMessage(rx: ReceivedMessage, now: bigint): EngineAction[] {
    const m = rx.message
    const tlvs = negotiationTlvs(m)
    if (tlvs.length === 0 || m.type !== 'Signaling') return this.slave.onMessage(rx, now)
    if (samePortIdentity(m.header.sourcePortIdentity, this.slave.portIdentity)) return []
    if (!targetsPort(m.targetPortIdentity, this.slave.portIdentity)) return []
    this.masterPort = { ...m.header.sourcePortIdentity }
    const acks: NegotiationTlv[] = []
    for (const t of tlvs) {
      const service = serviceOf(t.messageType)
      const st = service ? this.status.get(service) : undefined
      if (t.kind === 'GRANT_UNICAST_TRANSMISSION' && st) this.onGrant(st, t, rx.rxTimestampNs)
      else if (t.kind === 'CANCEL_UNICAST_TRANSMISSION') {
        if (st && st.state !== 'cancelled-by-us') this.lapse(st, 'cancelled-by-master', rx.rxTimestampNs, undefined, this.cfg.stopOnCancel === false)
        if (this.cfg.acknowledgeCancel ?? true) acks.push(buildAcknowledgeCancelUnicastTransmissionTlv({ messageType: t.messageType, flags: t.flags }))
      } else if (t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION') {
        this.events.push({ atNs: rx.rxTimestampNs, event: 'acknowledged', service: serviceName(t.messageType) })
      }
    }
    return acks.length ? this.slave.signal(acks, this.masterPort, acks.map((a) => `ACK CANCEL ${serviceName(a.messageType)}`).join(', ')) : []
  }

  onTransmitted(tx: Transmitted, now: bigint): EngineAction[] {
    return this.slave.onTransmitted(tx, now)
  }

  // ------------------------------------------------------------ negotiation

  private onGrant(st: ServiceStatus, g: Extract<NegotiationTlv, { kind: 'GRANT_UNICAST_TRANSMISSION' }>, atNs: bigint): void {
    if (st.state === 'cancelled-by-us') return
    if (g.durationField === 0) {
      // A denial of a renewal leaves the grant in force until it runs out (1588-2019 16.1.2.4).
      if (st.state === 'granted') return
      st.state = 'denied'
      this.events.push({ atNs, event: 'denied', service: st.service })
      if (isDelayService(st.service)) this.slave.setRequesting(false)
      return
    }
    st.state = 'granted'
    st.grant = { logInterMessagePeriod: g.logInterMessagePeriod, durationS: g.durationField, atNs, renewalInvited: (g.flags & GRANT_RENEWAL_INVITED) !== 0 }
    st.renewalSentAtNs = undefined
    this.events.push({ atNs, event: 'granted', service: st.service, detail: `2^${g.logInterMessagePeriod} s for ${g.durationField} s` })
    // Requests go out under a delay grant; a Delay_Resp grant also sets their rate.
    if (st.service === 'Delay_Resp') this.slave.setDelayReqInterval(g.logInterMessagePeriod)
    if (isDelayService(st.service)) this.slave.setRequesting(true)
  }

  private lapse(st: ServiceStatus, why: 'expired' | 'cancelled-by-master', atNs: bigint, detail?: string, keepSending = false): void {
    st.state = why
    st.requestedAtNs = atNs
    this.events.push({ atNs, event: why, service: st.service, ...(detail ? { detail } : {}) })
    if (isDelayService(st.service) && !keepSending) this.slave.setRequesting(false)
  }

  /**
   * One REQUEST for another duration than this requester's own (a probe of the master's limits).
   * Its answer is taken as any other: a grant of it replaces the service's current grant.
   */
  probe(service: UnicastService, logInterMessagePeriod: number, durationS: number, now: bigint): EngineAction[] {
    this.events.push({ atNs: now, event: 'requested', service, detail: `probe for ${durationS} s` })
    return this.slave.signal([buildRequestUnicastTransmissionTlv({ messageType: serviceMessageType(service), logInterMessagePeriod, durationField: durationS })], this.masterPort, `REQUEST ${service} for ${durationS} s (probe)`)
  }

  private request(services: UnicastService[], now: bigint, event: 'requested' | 'renewal-requested'): EngineAction[] {
    const tlvs = services.map((service) => {
      const st = this.status.get(service)!
      if (event === 'renewal-requested') st.renewalSentAtNs = now
      else {
        st.requestedAtNs = now
        if (st.state !== 'granted') st.state = 'requested'
      }
      this.events.push({ atNs: now, event, service })
      const log = this.cfg.services.find((r) => r.service === service)!.logInterMessagePeriod
      return buildRequestUnicastTransmissionTlv({ messageType: serviceMessageType(service), logInterMessagePeriod: log, durationField: this.cfg.durationS })
    })
    return this.slave.signal(tlvs, this.masterPort, `${event === 'renewal-requested' ? 'RENEW' : 'REQUEST'} ${services.join(', ')}`)
  }

  private retry(): bigint {
    return this.cfg.retryNs ?? S
  }
}
