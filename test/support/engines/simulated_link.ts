/**
 * A deterministic, simulated shared link for driving sans-IO engines in unit tests: virtual
 * time, a fixed one-way delay per direction, every frame encoded and decoded by the real codec
 * (so mutations and frame edits reach the receiver as octets), and every frame recorded in a
 * real Recorder. No sockets, no Node timers: `run(until)` processes events in time order.
 */
import type { Engine, EngineAction, SendAction } from '../../../harness/engines/actions.ts'
import { actionOctets } from '../../../harness/engines/frame_edit.ts'
import { decodeMessage } from '../../../harness/codec/message.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'

interface Node {
  name: string
  engine: Engine
  timers: Map<string, bigint>
  /** Added to the node's TX timestamps (TX latency seen by the node). */
  mac: string
}

type Event =
  | { kind: 'timer'; at: bigint; armed: bigint; node: number; id: string; seq: number }
  | { kind: 'deliver'; at: bigint; node: number; bytes: Uint8Array; seq: number; source: string; dst?: string }
  | { kind: 'transmitted'; at: bigint; node: number; sendId: string; tx: bigint; seq: number }

export interface SimulatedLinkOptions {
  startNs?: bigint
  /** One-way delay from node i to node j: delay(i, j). Default 1 µs both ways. */
  delay?: (from: string, to: string) => bigint
  /** Time from TX to the TX timestamp reaching the engine. Default 5 µs. */
  txReportNs?: bigint
  recorder?: Recorder
}

export class SimulatedLink {
  now: bigint
  readonly recorder: Recorder
  private readonly nodes: Node[] = []
  private events: Event[] = []
  private seq = 0
  private readonly opts: SimulatedLinkOptions
  /** Every send action seen, with the node that made it (for assertions on plans). */
  readonly sent: Array<{ node: string; action: SendAction; txNs: bigint }> = []

  constructor(opts: SimulatedLinkOptions = {}) {
    this.opts = opts
    this.now = opts.startNs ?? 1_700_000_000_000_000_000n
    this.recorder = opts.recorder ?? new Recorder()
  }

  add(name: string, engine: Engine): void {
    this.nodes.push({ name, engine, timers: new Map(), mac: `02:00:00:00:00:${(this.nodes.length + 1).toString(16).padStart(2, '0')}` })
  }

  start(): void {
    this.nodes.forEach((n, i) => this.perform(i, n.engine.start(this.now)))
  }

  /** Runs a control function on a node's engine at the current time. */
  control(name: string, fn: (now: bigint) => EngineAction[] | void): void {
    const i = this.nodes.findIndex((n) => n.name === name)
    this.perform(i, fn(this.now) ?? [])
  }

  private push(e: Event): void {
    this.events.push(e)
  }

  private perform(i: number, actions: EngineAction[]): void {
    const node = this.nodes[i]!
    for (const a of actions) {
      if (a.kind === 'timer') {
        node.timers.set(a.id, a.at)
        this.push({ kind: 'timer', at: a.at < this.now ? this.now : a.at, armed: a.at, node: i, id: a.id, seq: this.seq++ })
        continue
      }
      const tx = a.at !== undefined && a.at > this.now ? a.at : this.now
      const bytes = actionOctets(a)
      this.sent.push({ node: node.name, action: a, txNs: tx })
      // A unicast destination is the peer's MAC (the link delivers to every node regardless).
      const dstMac = a.destination?.kind === 'unicast' ? a.destination.address
        : a.destination?.kind === 'pdelay' || (!a.destination && a.message.type.startsWith('Pdelay')) ? '01:80:c2:00:00:0e' : '01:1b:19:00:00:00'
      this.recorder.record({
        direction: 'out', port: node.name, transport: 'l2', timestampNs: tx, bytes, reason: a.reason, srcMac: node.mac,
        dstMac,
        ...(a.at !== undefined ? { plannedAt: a.at } : {}),
      })
      this.push({ kind: 'transmitted', at: tx + (this.opts.txReportNs ?? 5_000n), node: i, sendId: a.sendId, tx, seq: this.seq++ })
      this.nodes.forEach((other, j) => {
        if (j === i) return
        const d = this.opts.delay ? this.opts.delay(node.name, other.name) : 1_000n
        // Received frames keep a destination only when the sender named one (a capture may lack it; the judges cope).
        this.push({ kind: 'deliver', at: tx + d, node: j, bytes, seq: this.seq++, source: node.mac, ...(a.destination ? { dst: dstMac } : {}) })
      })
    }
  }

  /** Processes events up to and including time `until`. */
  run(until: bigint): void {
    for (;;) {
      let best = -1
      for (let k = 0; k < this.events.length; k++) {
        const e = this.events[k]!
        if (e.at > until) continue
        if (best < 0 || e.at < this.events[best]!.at || (e.at === this.events[best]!.at && e.seq < this.events[best]!.seq)) best = k
      }
      if (best < 0) break
      const e = this.events.splice(best, 1)[0]!
      this.now = e.at
      const node = this.nodes[e.node]!
      if (e.kind === 'timer') {
        // Re-arming replaces: only the latest deadline of an id fires.
        if (node.timers.get(e.id) !== e.armed) continue
        node.timers.delete(e.id)
        this.perform(e.node, node.engine.onTimer(e.id, this.now))
      } else if (e.kind === 'transmitted') {
        this.perform(e.node, node.engine.onTransmitted({ sendId: e.sendId, txTimestampNs: e.tx }, this.now))
      } else {
        const rec = this.recorder.record({ direction: 'in', port: node.name, transport: 'l2', timestampNs: this.now, bytes: e.bytes, srcMac: e.source, ...(e.dst ? { dstMac: e.dst } : {}) })
        if (!rec.message) continue
        this.perform(e.node, node.engine.onMessage({ message: rec.message, rxTimestampNs: this.now, findings: rec.findings, source: e.source }, this.now))
      }
    }
    this.now = until
  }

  /** Runs for `ns` more nanoseconds. */
  advance(ns: bigint): void {
    this.run(this.now + ns)
  }
}
