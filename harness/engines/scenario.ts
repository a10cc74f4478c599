/**
 * Scenarios: any message, with any field overridden, sent at a time or on a period. A scenario
 * is an Engine that only transmits; put it in an EngineGroup next to a TestMaster to add crafted
 * frames to a normal grandmaster's stream (a rogue Announce, a Sync from nowhere, a burst of
 * malformed Follow_Ups).
 *
 *   new Scenario({ name: 'rogue', steps: [{
 *     id: 'bad-domain-announce', message: master.buildAnnounce(0n), atNs: 2_000_000_000n,
 *     periodNs: 250_000_000n, count: 8, overrides: { header: { domainNumber: 99 } },
 *   }] })
 */
import type { Destination, Engine, EngineAction, ReceivedMessage, Transmitted } from './actions.ts'
import type { MessageTypeName, PtpMessage } from '../codec/types.ts'
import { SendEmitter } from './emitter.ts'
import { applyMutation, timestampFieldOf, type MutationSpec, type PlannedSend } from './mutations.ts'
import { applyOverrides, describeOverrides, type MessageOverrides } from './overrides.ts'
import { TimeBase } from './time_base.ts'
import { ts } from './message_factory.ts'

export interface StepContext {
  /** Planned send time on the timestamp clock. */
  at: bigint
  /** 0 for the first send of the step. */
  index: number
  timeBase: TimeBase
}

export interface ScenarioStep {
  id: string
  /** The message, or a function building it for each send. */
  message: PtpMessage | ((ctx: StepContext) => PtpMessage)
  /** First send this long after the scenario starts. */
  atNs: bigint
  /** Repeat every periodNs. */
  periodNs?: bigint
  /** Number of sends (default 1 without a period, unbounded with one). */
  count?: number
  overrides?: MessageOverrides
  mutations?: MutationSpec[]
  /** 'auto' (default): a per-messageType counter of this scenario; 'keep': the template's sequenceId. */
  sequenceId?: 'auto' | 'keep'
  /** 'planned' (default): the message's timestamp field = time base at the planned send time; 'keep': as given. */
  timestamp?: 'planned' | 'keep'
  destination?: Destination
}

export interface ScenarioConfig {
  name: string
  steps: ScenarioStep[]
  timeBase?: TimeBase
  prepareLeadNs?: bigint
}

interface StepState {
  nextAt: bigint
  sent: number
}

const DEFAULT_LEAD = 20_000_000n

export class Scenario implements Engine {
  readonly name: string
  private readonly cfg: ScenarioConfig
  private readonly emitter: SendEmitter
  private readonly state = new Map<string, StepState>()
  private readonly seq = new Map<MessageTypeName, number>()
  private startedAt: bigint | undefined
  /** TX timestamps of what the scenario sent, by step id (for suites). */
  readonly transmitted = new Map<string, bigint[]>()
  private readonly stepOf = new Map<string, string>()

  constructor(cfg: ScenarioConfig) {
    const ids = new Set<string>()
    for (const s of cfg.steps) {
      if (ids.has(s.id)) throw new RangeError(`scenario '${cfg.name}': step id '${s.id}' used twice`)
      ids.add(s.id)
      if (s.periodNs !== undefined && s.periodNs <= 0n) throw new RangeError(`scenario '${cfg.name}' step '${s.id}': period must be positive`)
    }
    this.cfg = cfg
    this.name = cfg.name
    this.emitter = new SendEmitter(cfg.name)
  }

  private lead(): bigint {
    return this.cfg.prepareLeadNs ?? DEFAULT_LEAD
  }

  start(now: bigint): EngineAction[] {
    const t0 = now + this.lead()
    this.startedAt = t0
    return this.cfg.steps.map((s) => {
      const at = t0 + s.atNs
      this.state.set(s.id, { nextAt: at, sent: 0 })
      return { kind: 'timer', at: at - this.lead(), id: s.id } as EngineAction
    })
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    const step = this.cfg.steps.find((s) => s.id === id)
    const st = this.state.get(id)
    if (!step || !st) return []
    const limit = step.count ?? (step.periodNs === undefined ? 1 : Infinity)
    if (st.sent >= limit) return []
    if (now < st.nextAt - this.lead()) return [{ kind: 'timer', at: st.nextAt - this.lead(), id }]
    const at = st.nextAt
    const actions = this.send(step, at, st.sent)
    st.sent++
    if (step.periodNs !== undefined && st.sent < limit) {
      st.nextAt = at + step.periodNs
      actions.push({ kind: 'timer', at: st.nextAt - this.lead(), id })
    }
    return actions
  }

  onMessage(_rx: ReceivedMessage, _now: bigint): EngineAction[] {
    return []
  }

  onTransmitted(tx: Transmitted, _now: bigint): EngineAction[] {
    const step = this.stepOf.get(tx.sendId)
    if (step !== undefined) {
      this.stepOf.delete(tx.sendId)
      const list = this.transmitted.get(step) ?? []
      list.push(tx.txTimestampNs)
      this.transmitted.set(step, list)
    }
    return []
  }

  /** When the scenario's time zero is (start + prepare lead), on the timestamp clock. */
  get timeZero(): bigint | undefined {
    return this.startedAt
  }

  private send(step: ScenarioStep, at: bigint, index: number): EngineAction[] {
    const tb = this.cfg.timeBase ?? new TimeBase()
    let msg = structuredClone(typeof step.message === 'function' ? step.message({ at, index, timeBase: tb }) : step.message)
    if ((step.sequenceId ?? 'auto') === 'auto') {
      const n = this.seq.get(msg.type) ?? 0
      this.seq.set(msg.type, (n + 1) & 0xffff)
      msg.header.sequenceId = n
    }
    if ((step.timestamp ?? 'planned') === 'planned') {
      const f = timestampFieldOf(msg)
      if (f) (msg as unknown as Record<string, unknown>)[f] = ts(tb.toMaster(at))
    }
    const notes: string[] = []
    if (step.overrides) {
      msg = applyOverrides(msg, step.overrides)
      notes.push(`${msg.type} ${describeOverrides(step.overrides)}`)
    }
    let plans: PlannedSend[] = [{ message: msg, at, mutations: notes, role: 'original' }]
    for (const m of step.mutations ?? []) plans = plans.flatMap((p) => (p.role === 'duplicate' ? [p] : applyMutation(p, m)))
    return plans.filter((p) => !p.withheld).map((p) => {
      const a = this.emitter.toAction(p, `scenario ${this.name}/${step.id} #${index}`, step.destination)
      this.stepOf.set(a.sendId, step.id)
      return a
    })
  }
}
