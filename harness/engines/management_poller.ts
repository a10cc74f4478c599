/**
 * A management poller: sends GET <managementId> on a fixed period through the native scheduler
 * (or one request when told, `request`)
 * and keeps every answer with the TX timestamp of its request and the RX timestamp of the
 * response. A DUT's data set is then known to have held the answered value at some instant in
 * [request TX, response RX], typically well under a millisecond wide, which times a DUT's
 * decisions (a parent change after a grandmaster falls silent) far more sharply than a pmc
 * process can. Sans-IO like every engine; the wire format is the codec's (buildManagement).
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from './actions.ts'
import type { ClockIdentity, ManagementDataField, PortIdentity } from '../codec/types.ts'
import { ActionField, ManagementId, type ManagementIdName } from '../codec/constants.ts'
import { buildManagement } from '../codec/messages/management.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { WILDCARD_PORT_IDENTITY } from '../codec/fields.ts'
import { SendEmitter } from './emitter.ts'
import { defaultHeaderDefaults, headerFields, samePortIdentity, type HeaderDefaults } from './message_factory.ts'

export interface ManagementPollerConfig {
  name: string
  clockIdentity: ClockIdentity
  portNumber?: number
  /** Domain and majorSdoId must match the DUT's or it ignores the request (pmc -d / -t). */
  header?: Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>>
  managementId: ManagementIdName | number
  periodNs: bigint
  /** Default: the wildcard port identity. */
  target?: PortIdentity
  /** Default 0: only clocks on this link answer. */
  boundaryHops?: number
  /** Start polling at start() (default true). */
  active?: boolean
  /** Keep at most this many observations (default 10 000). */
  maxObservations?: number
}

export interface ManagementObservation {
  sequenceId: number
  managementId: number
  /** TX timestamp of the GET (undefined until it is reported). */
  requestTxNs?: bigint
  /** RX timestamp of the answer. */
  responseRxNs: bigint
  source: PortIdentity
  /** The dataField of the MANAGEMENT TLV (undefined for MANAGEMENT_ERROR_STATUS). */
  data?: ManagementDataField | null
  managementErrorId?: number
}


export class ManagementPoller implements Engine {
  readonly name: string
  readonly portIdentity: PortIdentity
  readonly observations: ManagementObservation[] = []
  private readonly cfg: ManagementPollerConfig
  private readonly header: HeaderDefaults
  private readonly managementId: number
  private readonly emitter: SendEmitter
  private active: boolean
  private seq = 0
  private nextAt: bigint | undefined
  private readonly pendingTx = new Map<string, number>()
  private readonly txBySeq = new Map<number, bigint>()

  constructor(cfg: ManagementPollerConfig) {
    this.cfg = cfg
    this.name = cfg.name
    this.portIdentity = { clockIdentity: normalizeClockIdentity(cfg.clockIdentity), portNumber: cfg.portNumber ?? 1 }
    this.header = { ...defaultHeaderDefaults(this.portIdentity), ...cfg.header, sourcePortIdentity: this.portIdentity }
    this.managementId = typeof cfg.managementId === 'number' ? cfg.managementId : ManagementId[cfg.managementId]
    this.emitter = new SendEmitter(cfg.name)
    this.active = cfg.active ?? true
    if (cfg.periodNs <= 0n) throw new RangeError('polling period must be positive')
  }

  /** Start or stop polling; returns the timer to arm when starting. */
  setActive(active: boolean, now: bigint): EngineAction[] {
    this.active = active
    if (!active) return []
    this.nextAt = now
    return [{ kind: 'timer', at: now, id: 'poll' }]
  }

  /** Observations answered after `fromNs` (RX time), in order. */
  since(fromNs: bigint): ManagementObservation[] {
    return this.observations.filter((o) => o.responseRxNs >= fromNs)
  }

  start(now: bigint): EngineAction[] {
    return this.active ? this.setActive(true, now) : []
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    if (id !== 'poll' || !this.active || this.nextAt === undefined) return []
    const at = this.nextAt < now ? now : this.nextAt
    this.nextAt = at + this.cfg.periodNs
    return [...this.request('GET'), { kind: 'timer', at: this.nextAt, id: 'poll' }]
  }

  /**
   * One request for this poller's managementId, sent at once: the periodic GET, or a SET (with
   * its dataField) that a test sends beside its recording (MGT-02). Its TX time and answers are
   * kept like a poll's; the sequenceId is the send action's message's.
   */
  request(action: 'GET' | 'SET', dataField?: ManagementDataField): EngineAction[] {
    const sequenceId = this.seq
    this.seq = (this.seq + 1) & 0xffff
    const msg = buildManagement({
      actionField: ActionField[action],
      managementId: this.managementId,
      ...(dataField ? { dataField } : {}),
      targetPortIdentity: this.cfg.target ?? WILDCARD_PORT_IDENTITY,
      boundaryHops: this.cfg.boundaryHops ?? 0,
      header: headerFields('Management', this.header, { sequenceId }),
    })
    const send = this.emitter.toAction({ message: msg, mutations: [], role: 'original' }, `${action} #${sequenceId}`)
    this.pendingTx.set(send.sendId, sequenceId)
    return [send]
  }

  onMessage(rx: ReceivedMessage, _now: bigint): EngineAction[] {
    const m = rx.message
    if (m.type !== 'Management' || m.actionField !== ActionField.RESPONSE) return []
    if (!samePortIdentity(m.targetPortIdentity, this.portIdentity) && !samePortIdentity(m.targetPortIdentity, WILDCARD_PORT_IDENTITY)) return []
    const tlv = m.tlvs[0]
    if (!tlv) return []
    const o: ManagementObservation = {
      sequenceId: m.header.sequenceId,
      managementId: tlv.kind === 'MANAGEMENT' || tlv.kind === 'MANAGEMENT_ERROR_STATUS' ? tlv.managementId : -1,
      responseRxNs: rx.rxTimestampNs,
      source: { ...m.header.sourcePortIdentity },
    }
    if (o.managementId !== this.managementId) return []
    if (tlv.kind === 'MANAGEMENT') o.data = tlv.dataField
    if (tlv.kind === 'MANAGEMENT_ERROR_STATUS') o.managementErrorId = tlv.managementErrorId
    const tx = this.txBySeq.get(o.sequenceId)
    if (tx !== undefined) o.requestTxNs = tx
    this.observations.push(o)
    const max = this.cfg.maxObservations ?? 10_000
    if (this.observations.length > max) this.observations.splice(0, this.observations.length - max)
    return []
  }

  onTransmitted(tx: Transmitted, _now: bigint): EngineAction[] {
    const seq = this.pendingTx.get(tx.sendId)
    if (seq === undefined) return []
    this.pendingTx.delete(tx.sendId)
    this.txBySeq.set(seq, tx.txTimestampNs)
    if (this.txBySeq.size > 4096) this.txBySeq.delete(this.txBySeq.keys().next().value!)
    // An answer may have overtaken the report of its request's TX timestamp.
    for (let i = this.observations.length - 1; i >= 0 && i >= this.observations.length - 64; i--) {
      const o = this.observations[i]!
      if (o.sequenceId === seq && o.requestTxNs === undefined) o.requestTxNs = tx.txTimestampNs
    }
    return []
  }
}

/**
 * When a polled value changed: the change happened after the request of the last observation
 * with the old value left, and before the answer of the first observation with the new value
 * arrived. Returns that interval, or undefined when the observations do not show the change.
 */
export function changeInterval(
  observations: readonly ManagementObservation[],
  isNew: (o: ManagementObservation) => boolean,
): { afterNs: bigint; beforeNs: bigint; lastOld?: ManagementObservation; firstNew: ManagementObservation } | undefined {
  const i = observations.findIndex(isNew)
  if (i < 0) return undefined
  const firstNew = observations[i]!
  let lastOld: ManagementObservation | undefined
  for (let k = i - 1; k >= 0; k--) {
    if (!isNew(observations[k]!)) {
      lastOld = observations[k]
      break
    }
  }
  const afterNs = lastOld?.requestTxNs ?? lastOld?.responseRxNs ?? firstNew.requestTxNs ?? firstNew.responseRxNs
  const r: { afterNs: bigint; beforeNs: bigint; lastOld?: ManagementObservation; firstNew: ManagementObservation } = {
    afterNs,
    beforeNs: firstNew.responseRxNs,
    firstNew,
  }
  if (lastOld) r.lastOld = lastOld
  return r
}
