/**
 * The emulated master's side of unicast negotiation (IEEE 1588-2019 16.1): a TestMaster that
 * sends Announce and Sync, and answers Delay_Req, only to a peer holding a grant for them. The
 * grants themselves are GrantTable's; this engine turns them into the master's service.
 * Sans-IO like every engine.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from '../actions.ts'
import type { PortIdentity } from '../../codec/types.ts'
import { buildCancelUnicastTransmissionTlv } from '../../codec/tlvs/unicast.ts'
import { samePortIdentity } from '../message_factory.ts'
import { normalizeClockIdentity } from '../../codec/clock_identity.ts'
import { WILDCARD_PORT_IDENTITY } from '../../codec/fields.ts'
import type { TestMaster } from '../test_master.ts'
import { negotiationTlvs, serviceMessageType, type UnicastService } from './services.ts'
import { describeAnswers, type GrantDecision, type GrantorConfig, type GrantorEvent, type GrantRecord, GrantTable } from './grant_table.ts'

export type { GrantDecision, GrantorConfig, GrantorEvent, GrantRecord } from './grant_table.ts'

export class NegotiatingMaster implements Engine {
  readonly name: string
  readonly table: GrantTable

  /**
   * `address`: this clock's own (UDP): it sends from it and takes only what was sent to it, so
   * several grandmasters on one harness port are several masters to a unicast DUT.
   */
  constructor(
    readonly master: TestMaster,
    cfg: GrantorConfig = {},
    private readonly address?: string,
  ) {
    this.name = master.name
    this.table = new GrantTable(cfg)
  }

  /** The grants running now. */
  get grants(): ReadonlyMap<UnicastService, GrantRecord> {
    return this.table.grants
  }

  get events(): readonly GrantorEvent[] {
    return this.table.events
  }

  setDecision(service: UnicastService, d: GrantDecision): void {
    this.table.setDecision(service, d)
  }

  /** Cancel a running grant (the grantor's unilateral cancel, 1588-2019 16.1.2.5): service stops at once. */
  cancel(service: UnicastService, now: bigint): EngineAction[] {
    const g = this.table.cancel(service, now)
    if (!g) return []
    this.stop(service)
    return this.own(this.master.signal([buildCancelUnicastTransmissionTlv({ messageType: serviceMessageType(service) })], g.grantee,
      { kind: 'unicast', address: g.peer }, `CANCEL ${service}`))
  }

  /** Actions made to be sent from this clock's own address, when it has one. */
  own(actions: EngineAction[]): EngineAction[] {
    if (!this.address) return actions
    return actions.map((a) => (a.kind === 'send' ? { ...a, source: this.address } : a))
  }

  // ------------------------------------------------------------ Engine

  start(now: bigint): EngineAction[] {
    // Nothing flows before a grant: every gate starts closed (what the test switches on or off stays its own).
    this.master.setGate({ announce: false, sync: false, answers: false }, now)
    return this.own(this.master.start(now))
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    if (!id.startsWith(EXPIRE)) return this.own(this.master.onTimer(id, now))
    const service = id.slice(EXPIRE.length) as UnicastService
    if (this.table.expire(service, now)) this.stop(service)
    return []
  }

  onMessage(rx: ReceivedMessage, now: bigint): EngineAction[] {
    const m = rx.message
    // Sent to another emulated clock's address: not this clock's business.
    if (this.address && rx.destination !== undefined && rx.destination !== this.address) return []
    const tlvs = negotiationTlvs(m)
    if (tlvs.length === 0 || m.type !== 'Signaling') return this.own(this.master.onMessage(rx, now))
    // Our own frames come back only from our own address (a clock that claims our identity from
    // elsewhere, BMCA-05's loop case, still gets its answer).
    if (samePortIdentity(m.header.sourcePortIdentity, this.master.portIdentity) && (!this.address || rx.source === this.address)) return []
    if (m.header.domainNumber !== this.master.headerDomain) return []
    if (!addressedTo(m.targetPortIdentity, this.master.portIdentity)) return []
    const peer = rx.source
    if (peer === undefined) return []
    const outcome = this.table.handle(tlvs, m.header.sourcePortIdentity, peer, rx.rxTimestampNs)
    const actions: EngineAction[] = []
    if (outcome.answers.length) {
      actions.push(...this.master.signal(outcome.answers, m.header.sourcePortIdentity, { kind: 'unicast', address: peer }, describeAnswers(outcome.answers)))
    }
    for (const s of outcome.stopped) this.stop(s)
    if (outcome.started.length) this.master.setUnicastTo(peer)
    for (const s of outcome.started) {
      actions.push(...this.begin(s.service, s.logInterMessagePeriod, rx.rxTimestampNs))
      actions.push({ kind: 'timer', at: s.expiresAtNs, id: `${EXPIRE}${s.service}` })
    }
    return this.own(actions)
  }

  onTransmitted(tx: Transmitted, now: bigint): EngineAction[] {
    return this.own(this.master.onTransmitted(tx, now))
  }

  // ------------------------------------------------------------ service

  private begin(service: UnicastService, log: number, now: bigint): EngineAction[] {
    const keep = this.table.config.keepConfiguredRates === true
    switch (service) {
      case 'Announce':
        if (!keep) this.master.setIntervals({ announce: log })
        return this.master.setGate({ announce: true }, now)
      case 'Sync':
        if (!keep) this.master.setIntervals({ sync: log })
        return this.master.setGate({ sync: true }, now)
      case 'Delay_Resp':
      case 'Pdelay_Resp':
        return this.master.setGate({ answers: true }, now)
    }
  }

  private stop(service: UnicastService, now = 0n): void {
    if (service === 'Announce') this.master.setGate({ announce: false }, now)
    else if (service === 'Sync') this.master.setGate({ sync: false }, now)
    else this.master.setGate({ answers: false }, now)
  }
}

const EXPIRE = 'uc:expire:'

/** Whether a Signaling message's targetPortIdentity names this port, all-ones parts being wildcards (1588-2019 7.5.2.4). */
export function addressedTo(target: PortIdentity, port: PortIdentity): boolean {
  const id = normalizeClockIdentity(target.clockIdentity)
  const idOk = id === WILDCARD_PORT_IDENTITY.clockIdentity || id === normalizeClockIdentity(port.clockIdentity)
  const portOk = target.portNumber === WILDCARD_PORT_IDENTITY.portNumber || target.portNumber === port.portNumber
  return idOk && portOk
}
