/**
 * Several engines on one port: a better and a worse grandmaster at once, a master plus a
 * scenario, or a fleet of slaves. The group is itself an Engine: it fans every received
 * message out to all members, prefixes their timer ids, and routes TX timestamps back to the
 * member that sent the frame.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from './actions.ts'

export class EngineGroup implements Engine {
  private readonly members: Engine[] = []
  private readonly byName = new Map<string, number>()
  private readonly owners = new Map<string, number>()
  private started = false

  constructor(
    readonly name: string,
    engines: readonly Engine[] = [],
  ) {
    for (const e of engines) this.register(e)
  }

  get engines(): readonly Engine[] {
    return this.members
  }

  get<E extends Engine>(name: string): E {
    const i = this.byName.get(name)
    if (i === undefined) throw new RangeError(`no engine '${name}' in group '${this.name}'`)
    return this.members[i] as E
  }

  private register(e: Engine): number {
    if (this.byName.has(e.name)) throw new RangeError(`engine name '${e.name}' used twice in group '${this.name}'`)
    if (e.name.includes('/')) throw new RangeError(`engine name '${e.name}' must not contain '/'`)
    this.members.push(e)
    this.byName.set(e.name, this.members.length - 1)
    return this.members.length - 1
  }

  /** Adds an engine; if the group already runs, the engine starts at once (its actions are returned). */
  add(e: Engine, now: bigint): EngineAction[] {
    const i = this.register(e)
    return this.started ? this.wrap(i, e.start(now)) : []
  }

  start(now: bigint): EngineAction[] {
    this.started = true
    return this.members.flatMap((e, i) => this.wrap(i, e.start(now)))
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    const slash = id.indexOf('/')
    if (slash < 0) return []
    const i = this.byName.get(id.slice(0, slash))
    if (i === undefined) return []
    return this.wrap(i, this.members[i]!.onTimer(id.slice(slash + 1), now))
  }

  onMessage(rx: ReceivedMessage, now: bigint): EngineAction[] {
    return this.members.flatMap((e, i) => this.wrap(i, e.onMessage(rx, now)))
  }

  onTransmitted(tx: Transmitted, now: bigint): EngineAction[] {
    const i = this.owners.get(tx.sendId)
    if (i === undefined) return []
    this.owners.delete(tx.sendId)
    return this.wrap(i, this.members[i]!.onTransmitted(tx, now))
  }

  /**
   * Runs a control function against one member and returns its actions wrapped for the group,
   * e.g. `group.control('gm-a', (gm: TestMaster) => gm.resume(now))`.
   */
  control<E extends Engine>(name: string, fn: (e: E) => EngineAction[] | void): EngineAction[] {
    const i = this.byName.get(name)
    if (i === undefined) throw new RangeError(`no engine '${name}' in group '${this.name}'`)
    return this.wrap(i, fn(this.members[i] as E) ?? [])
  }

  private wrap(i: number, actions: EngineAction[]): EngineAction[] {
    const prefix = `${this.members[i]!.name}/`
    return actions.map((a) => {
      if (a.kind === 'timer') return { ...a, id: prefix + a.id }
      this.owners.set(a.sendId, i)
      return a
    })
  }
}
