/**
 * The virtual lab: network namespaces joined by veth pairs (and a bridge for a
 * LAN), built from a TopologyPlan, recorded in a state file before anything is
 * created, and taken down exactly.
 *
 *   const lab = await Lab.up({ topology: 'pair' })
 *   lab.port('d1')            // { netns, ifname, mac, ipv4, ipv6, ... }
 *   await lab.down()
 *
 * A lab built by a program is owned by that process and goes down when it
 * exits (normally or by SIGINT/SIGTERM/SIGHUP). A `persistent` lab (the CLI's
 * `lab up`) has no owner and stays until `Lab.downById`.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { IP, run } from './exec.ts'
import { guard, unguard } from './exit_guard.ts'
import { assertValidLabId, newLabId, netnsName } from './naming.ts'
import { identityOf, isOurs, killOurs, type ProcIdentity } from './proc.ts'
import type { ProcessTracker } from './spawn.ts'
import {
  claimForTeardown,
  defaultStateDir,
  listStates,
  liveness,
  readStateFile,
  statePath,
  writeState,
  type DutRecord,
  type LabState,
  type Liveness,
  type StateEntry,
  type TrackedProcess,
} from './state.ts'
import { netnsExists, ourNamespaces, teardownSync, type TeardownReport } from './teardown.ts'
import { BRIDGE_OPTIONS, planTopology, type NodePlan, type PortPlan, type TopologyName, type TopologyPlan } from './topology.ts'

export interface LabUpOptions {
  topology?: TopologyName
  /** DUT nodes on a LAN (default 2). */
  duts?: number
  /** LAN only: a second harness port on the bridge, for receive-path noise probes. */
  harnessNoisePort?: boolean
  /** Lab id (1-6 of a-z0-9); default derived from this PID. */
  id?: string
  stateDir?: string
  /** No owner: the lab outlives this process (CLI `lab up`). */
  persistent?: boolean
  /** Carrier wait limit; carrier takes 0.5-1 s on veth. */
  carrierTimeoutMs?: number
}

/** A port of a lab node, with its addresses also given without prefix length. */
export interface LabPort extends PortPlan {
  ipv4Address?: string
  ipv6Address?: string
  /** Emulated clocks 1…N's own addresses on a harness port (see PortPlan.clockIpv4). */
  clockIpv4Addresses?: string[]
  clockIpv6Addresses?: string[]
  /** The port at the other end of this port's veth. */
  peer: PortPlan
}

export interface LabHealth {
  id: string
  namespaces: { name: string; present: boolean }[]
  links: { netns: string; ifname: string; operstate: string }[]
  processes: { pid: number; label: string; alive: boolean }[]
  ok: boolean
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class Lab implements ProcessTracker {
  private downed = false

  private constructor(
    private state: LabState,
    readonly stateDir: string,
    /** True when this process created the lab and may change its state file. */
    private readonly owned: boolean,
  ) {}

  // ---------- creation, lookup, removal ----------

  static async up(o: LabUpOptions = {}): Promise<Lab> {
    const stateDir = o.stateDir ?? defaultStateDir()
    Lab.recover(stateDir)
    const taken = (id: string) =>
      existsSync(statePath(stateDir, id)) || listStates(stateDir).some((e) => e.state.id === id) || ourNamespaces(id).length > 0
    let id: string
    if (o.id !== undefined) {
      assertValidLabId(o.id)
      if (taken(o.id)) throw new Error(`lab '${o.id}' already exists (see \`ptp-conform lab status\`)`)
      id = o.id
    } else {
      id = newLabId(taken)
    }
    const plan = planTopology(id, o.topology ?? 'pair', { duts: o.duts, ...(o.harnessNoisePort ? { harnessNoisePort: true } : {}) })
    const self = identityOf(process.pid)!
    const state: LabState = {
      version: 1,
      id,
      topology: plan.topology,
      createdAt: new Date().toISOString(),
      // Owned during the build even when persistent, so a crash mid-build is recovered by the next `lab up`.
      owner: { ...self, argv: process.argv },
      phase: 'creating',
      plan,
      runDir: join(stateDir, id),
      namespaces: [],
      links: [],
      processes: [],
      duts: [],
    }
    writeState(stateDir, state)
    const lab = new Lab(state, stateDir, true)
    // Guarded during the build even when persistent: a Ctrl-C mid-build must not leave half a lab.
    guard(lab)
    try {
      await lab.build(o.carrierTimeoutMs ?? 5000)
    } catch (e) {
      await lab.down().catch(() => undefined)
      throw e
    }
    if (o.persistent) {
      lab.state.owner = null
      lab.save()
      unguard(lab.id)
    }
    return lab
  }

  /** An existing lab by id (e.g. one the CLI left up). Not owned: `down()` still works, by the state file. */
  static attach(id: string, stateDir = defaultStateDir()): Lab {
    assertValidLabId(id)
    const path = statePath(stateDir, id)
    if (!existsSync(path)) throw new Error(`no lab '${id}' in ${stateDir}`)
    return new Lab(readStateFile(path), stateDir, false)
  }

  static list(stateDir = defaultStateDir()): (StateEntry & { liveness: Liveness })[] {
    return listStates(stateDir).map((e) => ({ ...e, liveness: liveness(e) }))
  }

  /** Tears down every lab whose owner (or whose reaper) is dead. */
  static recover(stateDir = defaultStateDir()): TeardownReport[] {
    return Lab.reap(stateDir, (l) => l === 'orphaned')
  }

  /**
   * `lab down`: with ids, those labs (whatever their owner); without, every lab
   * no live process owns (CLI labs and orphans); with `all`, every lab.
   */
  static downById(ids: string[], o: { stateDir?: string; all?: boolean } = {}): TeardownReport[] {
    const stateDir = o.stateDir ?? defaultStateDir()
    ids.forEach(assertValidLabId)
    if (ids.length) {
      return Lab.reap(stateDir, (l, e) => ids.includes(e.state.id) && l !== 'claimed')
    }
    return Lab.reap(stateDir, (l) => l === 'orphaned' || l === 'persistent' || (o.all === true && l === 'owned'))
  }

  private static reap(stateDir: string, select: (l: Liveness, e: StateEntry) => boolean): TeardownReport[] {
    const self = identityOf(process.pid)!
    const out: TeardownReport[] = []
    for (const e of listStates(stateDir)) {
      if (!select(liveness(e), e)) continue
      const claimed = claimForTeardown(e, self)
      if (!claimed) continue
      out.push(teardownSync(e.state, claimed))
    }
    return out
  }

  // ---------- the topology ----------

  get id(): string {
    return this.state.id
  }
  get topology(): TopologyName {
    return this.state.topology
  }
  get plan(): TopologyPlan {
    return this.state.plan
  }
  get runDir(): string {
    return this.state.runDir
  }
  get isUp(): boolean {
    return !this.downed && this.state.phase === 'up'
  }
  get nodes(): NodePlan[] {
    return this.state.plan.nodes
  }
  /** A copy of the state record (for results and `lab status`). */
  snapshot(): LabState {
    return JSON.parse(JSON.stringify(this.state)) as LabState
  }

  node(name: string): NodePlan {
    const n = this.state.plan.nodes.find((x) => x.name === name)
    if (!n) throw new Error(`lab ${this.id} (${this.topology}) has no node '${name}' (nodes: ${this.state.plan.nodes.map((x) => x.name).join(', ')})`)
    return n
  }

  netns(node: string): string {
    return this.node(node).netns
  }

  port(node: string, index = 1): LabPort {
    const p = this.node(node).ports.find((x) => x.index === index)
    if (!p) throw new Error(`node '${node}' of lab ${this.id} has no port ${index}`)
    const link = this.state.plan.links.find((l) => same(l.a, p) || same(l.b, p))!
    const peer = same(link.a, p) ? link.b : link.a
    const out: LabPort = { ...p, peer }
    if (p.ipv4) out.ipv4Address = p.ipv4.split('/')[0]!
    if (p.ipv6) out.ipv6Address = p.ipv6.split('/')[0]!
    if (p.clockIpv4) out.clockIpv4Addresses = p.clockIpv4.map((a) => a.split('/')[0]!)
    if (p.clockIpv6) out.clockIpv6Addresses = p.clockIpv6.map((a) => a.split('/')[0]!)
    return out
  }

  /** Names of nodes with a role, in plan order (e.g. the DUT nodes). */
  nodesWithRole(role: NodePlan['role']): string[] {
    return this.state.plan.nodes.filter((n) => n.role === role).map((n) => n.name)
  }

  // ---------- ProcessTracker ----------

  track(p: TrackedProcess): void {
    this.mutate((s) => s.processes.push(p))
  }

  untrack(pid: number): void {
    this.mutate((s) => (s.processes = s.processes.filter((p) => p.pid !== pid)))
  }

  registerDut(d: DutRecord): void {
    this.mutate((s) => (s.duts = [...s.duts.filter((x) => x.label !== d.label), d]))
  }

  unregisterDut(label: string): void {
    this.mutate((s) => (s.duts = s.duts.filter((x) => x.label !== label)))
  }

  get duts(): DutRecord[] {
    return [...this.state.duts]
  }

  get processes(): TrackedProcess[] {
    return [...this.state.processes]
  }

  // ---------- health ----------

  /** What actually exists now, compared with the record. */
  health(): Promise<LabHealth> {
    return labHealth(this.state)
  }

  // ---------- teardown ----------

  /** Stops recorded processes, deletes namespaces, links, run dir and state file. Idempotent. */
  async down(): Promise<TeardownReport> {
    const empty: TeardownReport = { id: this.id, stopped: [], notOurs: [], swept: [], namespacesRemoved: [], linksRemoved: [], errors: [] }
    if (this.downed) return empty
    if (!this.owned) {
      this.downed = true
      return Lab.downById([this.id], { stateDir: this.stateDir })[0] ?? empty
    }
    this.state.phase = 'tearing-down'
    this.save()
    this.downed = true
    // Stop our children asynchronously first so Node can reap them; the rest is synchronous.
    const stopped: number[] = []
    for (const p of this.state.processes) {
      if (await killOurs(p, p.argv, 1000)) stopped.push(p.pid)
    }
    const rep = teardownSync(this.state, statePath(this.stateDir, this.id), stopped)
    unguard(this.id)
    return rep
  }

  /** Called from exit and signal handlers. */
  teardownSync(): void {
    if (this.downed) return
    this.downed = true
    teardownSync(this.state, statePath(this.stateDir, this.id))
  }

  // ---------- internals ----------

  /** Only the creating process writes, and never after teardown began (that would resurrect the file). */
  private save(): void {
    if (this.owned && !this.downed) writeState(this.stateDir, this.state)
  }

  /**
   * Changes the record. An attached lab (built by another process, e.g. the
   * CLI) re-reads the file first so it adds to what is there.
   */
  private mutate(fn: (s: LabState) => void): void {
    fn(this.state)
    if (this.downed) return
    if (this.owned) return this.save()
    const path = statePath(this.stateDir, this.id)
    if (!existsSync(path)) return
    const onDisk = readStateFile(path)
    fn(onDisk)
    writeState(this.stateDir, onDisk)
  }

  private async build(carrierTimeoutMs: number): Promise<void> {
    const { plan } = this.state
    mkdirSync(this.state.runDir, { recursive: true, mode: 0o755 })

    // Namespaces: record, then create.
    this.state.namespaces = plan.nodes.map((n) => n.netns)
    this.save()
    await Promise.all(plan.nodes.map((n) => run(IP, ['netns', 'add', n.netns])))
    // IPv6 DAD off before any interface exists (new interfaces copy `default`):
    // with DAD, addresses stay "tentative" for a second and ptp4l -6 faults at start.
    // Router solicitations off: nothing here routes, and captures stay clean.
    await Promise.all(
      plan.nodes.map((n) =>
        run(IP, [
          'netns', 'exec', n.netns, 'sysctl', '-q', '-w',
          'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0',
          'net.ipv6.conf.all.router_solicitations=0', 'net.ipv6.conf.default.router_solicitations=0',
        ]),
      ),
    )

    if (plan.bridge) {
      this.state.bridge = { netns: plan.bridge.netns, ifname: plan.bridge.ifname }
      this.save()
      await run(IP, ['-n', plan.bridge.netns, 'link', 'add', 'name', plan.bridge.ifname, 'type', 'bridge', ...BRIDGE_OPTIONS])
    }

    // veth pairs, each end born inside its own namespace (nothing touches the root namespace).
    this.state.links = plan.links.map((l) => ({ ifname: l.a.ifname, netns: l.a.netns, peer: l.b.ifname, peerNetns: l.b.netns }))
    this.save()
    await Promise.all(
      plan.links.map((l) =>
        run(IP, ['link', 'add', l.a.ifname, 'netns', l.a.netns, 'address', l.a.mac, 'type', 'veth', 'peer', 'name', l.b.ifname, 'netns', l.b.netns, 'address', l.b.mac]),
      ),
    )

    // Addresses and link-up: one `ip -batch` per namespace.
    await Promise.all(
      plan.nodes.map((n) => {
        const cmds = ['link set lo up']
        for (const p of n.ports) {
          if (p.ipv4) cmds.push(`addr add ${p.ipv4} dev ${p.ifname}`)
          if (p.ipv6) cmds.push(`addr add ${p.ipv6} dev ${p.ifname} nodad`)
          for (const a of p.clockIpv4 ?? []) cmds.push(`addr add ${a} dev ${p.ifname}`)
          // Deprecated (preferred_lft 0): the kernel never picks them as a source by itself, so the
          // port's own sends keep its own address; a send naming one (IPV6_PKTINFO) still uses it.
          for (const a of p.clockIpv6 ?? []) cmds.push(`addr add ${a} dev ${p.ifname} nodad preferred_lft 0`)
          if (plan.bridge && n.name === plan.bridge.node) cmds.push(`link set ${p.ifname} master ${plan.bridge.ifname}`)
          cmds.push(`link set ${p.ifname} up`)
        }
        if (plan.bridge && n.name === plan.bridge.node) cmds.push(`link set ${plan.bridge.ifname} up`)
        return run(IP, ['-n', n.netns, '-batch', '-'], cmds.join('\n') + '\n')
      }),
    )

    await this.waitCarrier(carrierTimeoutMs)
    this.state.phase = 'up'
    this.save()
  }

  /** Carrier on veth comes 0.5-1 s after link-up (linkwatch); PTP sent before it is lost. */
  private async waitCarrier(timeoutMs: number): Promise<void> {
    const { plan } = this.state
    const want = new Map<string, Set<string>>()
    for (const n of plan.nodes) want.set(n.netns, new Set(n.ports.map((p) => p.ifname)))
    if (plan.bridge) want.get(plan.bridge.netns)!.add(plan.bridge.ifname)
    const deadline = Date.now() + timeoutMs
    let pending: string[] = []
    for (;;) {
      pending = []
      await Promise.all(
        [...want].map(async ([ns, names]) => {
          const list = JSON.parse((await run(IP, ['-n', ns, '-j', 'link', 'show'])).stdout) as { ifname: string; operstate: string }[]
          for (const name of names) {
            const l = list.find((x) => x.ifname === name)
            if (l?.operstate === 'UP') names.delete(name)
            else pending.push(`${ns}/${name}=${l?.operstate ?? 'missing'}`)
          }
        }),
      )
      if (pending.length === 0) return
      if (Date.now() > deadline) throw new Error(`lab ${this.id}: no carrier after ${timeoutMs} ms on ${pending.join(', ')}`)
      await sleep(25)
    }
  }
}

/** Compares a lab record with what exists: namespaces, links and their operstate, recorded processes. */
export async function labHealth(state: LabState): Promise<LabHealth> {
  const namespaces = state.namespaces.map((name) => ({ name, present: netnsExists(name) }))
  const links: LabHealth['links'] = []
  for (const ns of namespaces.filter((n) => n.present)) {
    const ours = new Set(state.links.flatMap((l) => [l.netns === ns.name ? l.ifname : '', l.peerNetns === ns.name ? l.peer : '']))
    if (state.bridge?.netns === ns.name) ours.add(state.bridge.ifname)
    try {
      const list = JSON.parse((await run(IP, ['-n', ns.name, '-j', 'link', 'show'])).stdout) as { ifname: string; operstate: string }[]
      for (const l of list) if (ours.has(l.ifname)) links.push({ netns: ns.name, ifname: l.ifname, operstate: l.operstate })
    } catch {
      /* namespace vanished meanwhile, or no privilege to enter it */
    }
  }
  const processes = state.processes.map((p) => ({ pid: p.pid, label: p.label, alive: isOurs(p, p.argv) }))
  const expectedLinks = state.links.length * 2 + (state.bridge ? 1 : 0)
  const ok =
    state.phase === 'up' &&
    namespaces.every((n) => n.present) &&
    links.length === expectedLinks &&
    links.every((l) => l.operstate === 'UP') &&
    processes.every((p) => p.alive)
  return { id: state.id, namespaces, links, processes, ok }
}

function same(a: PortPlan, b: PortPlan): boolean {
  return a.netns === b.netns && a.ifname === b.ifname
}

export { netnsName }
export type { ProcIdentity }
