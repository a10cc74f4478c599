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

/** A burst's frames: how many were planned, and how many left (their TX timestamps came back). */
export interface BurstRecord {
  planned: number
  sent: number
}

export class FuzzBurst implements Engine {
  readonly name = 'fuzz'
  private counter = 0
  /** Send ids of the current burst's frames not yet back with a TX timestamp. */
  private readonly pending = new Set<string>()
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
    if (this.pending.delete(tx.sendId) && this.current) this.current.sent++
    return []
  }

  /** The cases' frames, scheduled from `now` + a lead; returns their send actions. */
  send(cases: readonly FuzzCase[], now: bigint): EngineAction[] {
    const startNs = now + LEAD_NS
    const frames = framesOf(cases)
    this.current = { planned: frames.length, sent: 0 }
    this.pending.clear()
    return frames.map(({ caseId, atNs, frame }): SendAction => {
      const sendId = `fuzz#${++this.counter}`
      this.pending.add(sendId)
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
