/**
 * A management node on the harness port that sends one request when told (a SET, a GET) next to
 * other engines, so the answers land in the same recording as the DUT's Announce and Sync: a
 * test then judges "the SET was answered, and the Announces changed" from one timeline. The
 * ManagementClient cannot do that (it owns the port while it waits); the poller only GETs on a
 * period. Answers are not kept here: the recording holds them (managementAnswer reads them).
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from './actions.ts'
import type { ClockIdentity, ManagementDataField, PortIdentity } from '../codec/types.ts'
import { ActionField, ManagementId, type ManagementIdName } from '../codec/constants.ts'
import { buildManagement } from '../codec/messages/management.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { SendEmitter } from './emitter.ts'
import { defaultHeaderDefaults, headerFields, type HeaderDefaults } from './message_factory.ts'

export interface ManagementRequesterConfig {
  name: string
  clockIdentity: ClockIdentity
  /** Domain and majorSdoId must match the DUT's or it ignores the request. */
  header?: Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>>
  /** Default 0: only clocks on this link answer. */
  boundaryHops?: number
}

export interface SentRequest {
  sequenceId: number
  action: 'GET' | 'SET'
  managementId: number
  /** TX timestamp, once the driver reports it. */
  txNs?: bigint
}

const WILDCARD: PortIdentity = { clockIdentity: 'ffffff.ffff.ffffff', portNumber: 0xffff }

export class ManagementRequester implements Engine {
  readonly name: string
  readonly portIdentity: PortIdentity
  readonly sent: SentRequest[] = []
  private readonly header: HeaderDefaults
  private readonly emitter: SendEmitter
  private readonly pending = new Map<string, SentRequest>()
  private seq = 0

  constructor(private readonly cfg: ManagementRequesterConfig) {
    this.name = cfg.name
    this.portIdentity = { clockIdentity: normalizeClockIdentity(cfg.clockIdentity), portNumber: 1 }
    this.header = { ...defaultHeaderDefaults(this.portIdentity), ...cfg.header, sourcePortIdentity: this.portIdentity }
    this.emitter = new SendEmitter(cfg.name)
  }

  /** One request to the wildcard target, sent at once; returns what to hand the driver and the record of it. */
  request(action: 'GET' | 'SET', id: ManagementIdName | number, dataField?: ManagementDataField): { actions: EngineAction[]; request: SentRequest } {
    const managementId = typeof id === 'number' ? id : ManagementId[id]
    const sequenceId = this.seq
    this.seq = (this.seq + 1) & 0xffff
    const msg = buildManagement({
      actionField: ActionField[action],
      managementId,
      ...(dataField ? { dataField } : {}),
      targetPortIdentity: WILDCARD,
      boundaryHops: this.cfg.boundaryHops ?? 0,
      header: headerFields('Management', this.header, { sequenceId }),
    })
    const send = this.emitter.toAction({ message: msg, mutations: [], role: 'original' }, `${action} #${sequenceId}`)
    const request: SentRequest = { sequenceId, action, managementId }
    this.pending.set(send.sendId, request)
    this.sent.push(request)
    return { actions: [send], request }
  }

  start(_now: bigint): EngineAction[] {
    return []
  }

  onTimer(_id: string, _now: bigint): EngineAction[] {
    return []
  }

  onMessage(_rx: ReceivedMessage, _now: bigint): EngineAction[] {
    return []
  }

  onTransmitted(tx: Transmitted, _now: bigint): EngineAction[] {
    const r = this.pending.get(tx.sendId)
    if (r) {
      r.txNs = tx.txTimestampNs
      this.pending.delete(tx.sendId)
    }
    return []
  }
}
