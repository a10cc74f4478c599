/**
 * The emulated master's side of unicast negotiation (IEEE 1588-2019 16.1): a TestMaster that
 * sends Announce and Sync, and answers Delay_Req, only to a peer holding a grant for them. The
 * grants themselves are GrantTable's; this engine turns them into the master's service.
 * Sans-IO like every engine.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from '../actions.ts'
import { buildCancelUnicastTransmissionTlv } from '../../codec/tlvs/unicast.ts'
import { samePortIdentity, targetsPort } from '../message_factory.ts'
import type { TestMaster } from '../test_master.ts'
import { negotiationTlvs, serviceMessageType, type UnicastService } from './services.ts'
import type { PortIdentity } from '../../codec/types.ts'
import { describeAnswers, type GrantorConfig, type GrantorEvent, type GrantRecord, GrantTable, type TableOutcome } from './grant_table.ts'

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

  /** Cancel a running grant (the grantor's unilateral cancel, 1588-2019 16.1.2.5): service stops at once. */
  cancel(service: UnicastService, now: bigint): EngineAction[] {
    const g = this.table.cancel(service, now)
    if (!g) return []
    this.stop(service, now)
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
    if (this.table.expire(service, now)) this.stop(service, now)
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
    if (!targetsPort(m.targetPortIdentity, this.master.portIdentity)) return []
    const peer = rx.source
    if (peer === undefined) return []
    const outcome = this.table.handle(tlvs, m.header.sourcePortIdentity, peer, rx.rxTimestampNs)
    return this.own(serveOutcome(this.master, outcome, m.header.sourcePortIdentity, peer, rx.rxTimestampNs, { keepConfiguredRates: this.table.config.keepConfiguredRates }))
  }

  onTransmitted(tx: Transmitted, now: bigint): EngineAction[] {
    return this.own(this.master.onTransmitted(tx, now))
  }

  private stop(service: UnicastService, now: bigint): void {
    closeService(this.master, service, now)
  }
}

/** The timer id prefix of a grant's expiry (`${GRANT_EXPIRY}${service}`). */
export const GRANT_EXPIRY = 'uc:expire:'
const EXPIRE = GRANT_EXPIRY

/**
 * A grant table's outcome as a TestMaster's service, for every grantor (the emulated master and
 * the reference DUT): the answers go back to the peer, a started service's gate opens at its
 * granted period (plus `syncLogDelta`, a faulty rate), its expiry is a timer; a stopped one's
 * gate closes. What the master's owner switches on or off (silence, resume) stays its own.
 */
export function serveOutcome(
  master: TestMaster,
  outcome: TableOutcome,
  grantee: PortIdentity,
  peer: string,
  now: bigint,
  o: { keepConfiguredRates?: boolean; syncLogDelta?: number } = {},
): EngineAction[] {
  const actions: EngineAction[] = []
  if (outcome.answers.length) actions.push(...master.signal(outcome.answers, grantee, { kind: 'unicast', address: peer }, describeAnswers(outcome.answers)))
  for (const s of outcome.stopped) closeService(master, s, now)
  if (outcome.started.length) master.setUnicastTo(peer)
  for (const s of outcome.started) {
    if (!o.keepConfiguredRates && s.service === 'Announce') master.setIntervals({ announce: s.logInterMessagePeriod })
    if (!o.keepConfiguredRates && s.service === 'Sync') master.setIntervals({ sync: s.logInterMessagePeriod + (o.syncLogDelta ?? 0) })
    actions.push(...master.setGate(s.service === 'Announce' ? { announce: true } : s.service === 'Sync' ? { sync: true } : { answers: true }, now))
    actions.push({ kind: 'timer', at: s.expiresAtNs, id: `${GRANT_EXPIRY}${s.service}` })
  }
  return actions
}

/** A service that ended (expired, cancelled): its gate closes. */
export function closeService(master: TestMaster, s: UnicastService, now: bigint): void {
  master.setGate(s === 'Announce' ? { announce: false } : s === 'Sync' ? { sync: false } : { answers: false }, now)
}
