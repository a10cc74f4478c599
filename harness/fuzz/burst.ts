/**
 * The engine that puts fuzz cases on the wire, next to the grandmaster in its engine group: each
 * frame's octets as built, at its offset after the burst's start (the native scheduler times
 * them; the TX timestamp says when they left). It also notes when the DUT asks for delay
 * measurement (Delay_Req, Pdelay_Req), the campaign's sign that the DUT still answers.
 */
import type { ClockIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { Engine, EngineAction, ReceivedMessage, SendAction, Transmitted } from './../engines/actions.ts'
import { type FuzzCase, framesOf } from './cases.ts'

/** Ahead of the first frame, so the scheduler has every frame before it is due. */
const LEAD_NS = 20_000_000n

export interface BurstRecord {
  /** When the burst's first frame was due (timestamp clock). */
  startNs: bigint
  planned: number
  /** TX timestamps by case id. */
  sent: Map<string, bigint[]>
}

export class FuzzBurst implements Engine {
  readonly name = 'fuzz'
  private counter = 0
  private readonly caseOf = new Map<string, string>()
  private current: BurstRecord | undefined
  /** RX times of the DUT's delay requests (every one since the engine started). */
  readonly dutRequests: bigint[] = []
  private readonly ours: Set<string>

  constructor(ownIdentities: readonly ClockIdentity[]) {
    this.ours = new Set(ownIdentities.map(normalizeClockIdentity))
  }

  start(): EngineAction[] {
    return []
  }

  onTimer(): EngineAction[] {
    return []
  }

  onMessage(rx: ReceivedMessage): EngineAction[] {
    const m = rx.message
    if ((m.type === 'Delay_Req' || m.type === 'Pdelay_Req') && !this.ours.has(normalizeClockIdentity(m.header.sourcePortIdentity.clockIdentity))) {
      this.dutRequests.push(rx.rxTimestampNs)
    }
    return []
  }

  onTransmitted(tx: Transmitted): EngineAction[] {
    const id = this.caseOf.get(tx.sendId)
    if (id !== undefined && this.current) {
      this.caseOf.delete(tx.sendId)
      const list = this.current.sent.get(id) ?? []
      list.push(tx.txTimestampNs)
      this.current.sent.set(id, list)
    }
    return []
  }

  /** The cases' frames, scheduled from `now` + a lead; returns their send actions. */
  send(cases: readonly FuzzCase[], now: bigint): EngineAction[] {
    const startNs = now + LEAD_NS
    const frames = framesOf(cases)
    this.current = { startNs, planned: frames.length, sent: new Map() }
    return frames.map(({ caseId, atNs, frame }): SendAction => {
      const sendId = `fuzz#${++this.counter}`
      this.caseOf.set(sendId, caseId)
      return {
        kind: 'send',
        sendId,
        // The message names what was meant; the octets are what leaves.
        message: frame.message,
        octets: frame.octets,
        event: frame.event,
        at: startNs + atNs,
        reason: { source: 'fuzz', step: `case ${caseId} from the ${frame.sender}`, mutations: frame.what },
        ...(frame.destination ? { destination: frame.destination } : {}),
        ...(frame.source ? { source: frame.source } : {}),
      }
    })
  }

  /** What the latest burst planned and sent. */
  get last(): BurstRecord | undefined {
    return this.current
  }
}
