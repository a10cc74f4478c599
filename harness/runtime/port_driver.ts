/**
 * The I/O edge of the emulated clocks: drives one sans-IO Engine with one native port.
 *
 * - received frames are decoded, recorded and handed to the engine with their RX timestamps;
 * - send actions are encoded (mutations' encode options and frame edits included) and handed to
 *   the native layer: `sendAt(deadline)` when the engine gave a send time, so the native scheduler
 *   thread sends at the absolute deadline; `send()` otherwise. The real send time is the TX
 *   timestamp that comes back; it is recorded and handed to the engine (onTransmitted);
 * - timer actions wake the engine through a coarse Node timer. That timer is never in the
 *   protocol timing path: engines ask to be woken a prepare-lead before a send and put the
 *   exact time into SendAction.at.
 */
import type { Engine, EngineAction, SendAction, Destination } from '../engines/actions.ts'
import { actionOctets } from '../engines/frame_edit.ts'
import { decodeMessage } from '../codec/message.ts'
import { CodecError } from '../codec/errors.ts'
import { isPeerDelayMessage } from '../codec/constants.ts'
import type { Finding, PtpMessage } from '../codec/types.ts'
import { Recorder } from '../recorder/recorder.ts'
import { type FrameAddressing, isEthernetPadding, type RecordedFrame } from '../recorder/frame.ts'

/** What the driver needs of a port (harness/transport Port satisfies it). */
export interface DriverPort {
  readonly interface: string
  readonly transport: 'l2' | 'udp4' | 'udp6'
  readonly mac: string
  send(message: Uint8Array, options?: DriverSendOptions): Promise<{ txTimestampNs: bigint }>
  sendAt(message: Uint8Array, deadlineNs: bigint, options?: DriverSendOptions): Promise<{ txTimestampNs: bigint }>
  onReceive(listener: (frame: DriverReceivedFrame) => void): () => void
}

export interface DriverSendOptions {
  event?: boolean
  dest?: string
  /** UDP: send from this address of the interface (an emulated clock with an address of its own). */
  src?: string
}

export interface DriverReceivedFrame {
  data: Uint8Array
  rxTimestampNs: bigint | null
  raw?: Uint8Array
  srcMac?: string
  dstMac?: string
  srcAddress?: string
  srcPort?: number
  dstAddress?: string
  dstPort?: number
  vlan?: { pcp: number; dei: number; vid: number; tpid: number }
  /** udp4: the TOS octet; udp6: the traffic class (DSCP << 2 | ECN). */
  tos?: number
}

export interface PortDriverOptions {
  port: DriverPort
  engine: Engine
  /** Shared recorder (several drivers may record into one). Default: a new one. */
  recorder?: Recorder
  /** Name of the port in the recorder. Default: the interface name. */
  name?: string
  /** The timestamp clock (CLOCK_REALTIME for software timestamping): harness/transport systemTimeNs. */
  clock: () => bigint
  /** This port's IP address (udp transports), for the recording. */
  ip?: string
  /**
   * Destination of messages the engine sends without one. Default: 'pdelay' for peer-delay
   * messages, 'primary' for the rest. gPTP on Ethernet sends everything to the peer-delay MAC.
   */
  defaultDestination?: (message: PtpMessage) => Destination
  /** Called with errors the driver survives (an engine throwing, a failed send). */
  onError?: (err: unknown, context: string) => void
  /** Sends whose deadline is closer than this go out at once with send(). Default 100 µs. */
  immediateThresholdNs?: bigint
}

const PRIMARY_MAC = '01:1b:19:00:00:00'
const PDELAY_MAC = '01:80:c2:00:00:0e'

export class PortDriver {
  readonly recorder: Recorder
  readonly name: string
  private readonly port: DriverPort
  private readonly engine: Engine
  private readonly opts: PortDriverOptions
  private readonly timers = new Map<string, { at: bigint; handle: ReturnType<typeof setTimeout> }>()
  private readonly inFlight = new Set<Promise<void>>()
  private unsubscribe: (() => void) | undefined
  private running = false
  /** Counters for reports and tests. */
  readonly stats = { received: 0, undecodable: 0, sent: 0, sendErrors: 0, engineErrors: 0, timerWakeups: 0 }

  constructor(options: PortDriverOptions) {
    this.opts = options
    this.port = options.port
    this.engine = options.engine
    this.recorder = options.recorder ?? new Recorder()
    this.name = options.name ?? options.port.interface
  }

  get isRunning(): boolean {
    return this.running
  }

  /** Starts receiving and starts the engine. */
  start(): void {
    if (this.running) return
    this.running = true
    this.unsubscribe = this.port.onReceive((f) => this.onFrame(f))
    this.guard('start', () => this.engine.start(this.opts.clock()))
  }

  /**
   * Runs a control function (change a data set, silence a grandmaster, resume) at the current
   * time and performs the actions it returns.
   */
  invoke(fn: (now: bigint) => EngineAction[] | void): void {
    this.guard('control', () => fn(this.opts.clock()) ?? [])
  }

  /** Stops timers and receiving; waits (bounded) for sends in flight so their TX timestamps get recorded. */
  async stop(waitMs = 2000): Promise<void> {
    if (!this.running) return
    this.running = false
    for (const t of this.timers.values()) clearTimeout(t.handle)
    this.timers.clear()
    this.unsubscribe?.()
    this.unsubscribe = undefined
    await this.idle(waitMs)
  }

  /** Resolves when no send is in flight (or after waitMs). */
  async idle(waitMs = 2000): Promise<void> {
    const deadline = Date.now() + waitMs
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())))])
    }
  }

  // ------------------------------------------------------------ engine calls

  private guard(context: string, fn: () => EngineAction[]): void {
    let actions: EngineAction[]
    try {
      actions = fn()
    } catch (err) {
      this.stats.engineErrors++
      this.opts.onError?.(err, `engine ${this.engine.name}: ${context}`)
      return
    }
    this.perform(actions)
  }

  private perform(actions: EngineAction[]): void {
    if (!this.running) return
    for (const a of actions) {
      if (a.kind === 'timer') this.arm(a.id, a.at)
      else this.send(a)
    }
  }

  // ------------------------------------------------------------ timers

  private arm(id: string, at: bigint): void {
    const old = this.timers.get(id)
    if (old) clearTimeout(old.handle)
    const delayMs = Number(at - this.opts.clock()) / 1e6
    const handle = setTimeout(() => this.fire(id, at), Math.max(0, delayMs))
    this.timers.set(id, { at, handle })
  }

  private fire(id: string, at: bigint): void {
    const t = this.timers.get(id)
    if (!t || t.at !== at || !this.running) return
    this.timers.delete(id)
    const now = this.opts.clock()
    // Node timers may fire early: re-arm until the engine's wake-up time has really come.
    if (now < at - 1_000_000n) {
      this.arm(id, at)
      return
    }
    this.stats.timerWakeups++
    this.guard(`timer ${id}`, () => this.engine.onTimer(id, now))
  }

  // ------------------------------------------------------------ receive

  private onFrame(frame: DriverReceivedFrame): void {
    if (!this.running) return
    this.stats.received++
    let message: PtpMessage | undefined
    let findings: Finding[] = []
    let decodeError: string | undefined
    try {
      const r = decodeMessage(frame.data, 0, undefined, { trailerIsPadding: isEthernetPadding(this.port.transport, frame.data.length) })
      message = r.message
      findings = r.findings
    } catch (err) {
      decodeError = err instanceof CodecError ? err.message : String(err)
      this.stats.undecodable++
    }
    const addressing: FrameAddressing = {}
    if (frame.srcMac) addressing.srcMac = frame.srcMac
    if (frame.dstMac) addressing.dstMac = frame.dstMac
    if (frame.srcAddress) addressing.srcIp = frame.srcAddress
    if (frame.dstAddress) addressing.dstIp = frame.dstAddress
    if (frame.srcPort !== undefined) addressing.srcPort = frame.srcPort
    if (frame.dstPort !== undefined) addressing.dstPort = frame.dstPort
    if (frame.vlan) addressing.vlan = frame.vlan
    if (frame.tos !== undefined) addressing.dscp = frame.tos >> 2
    const rec: RecordedFrame = this.recorder.record({
      direction: 'in',
      port: this.name,
      transport: this.port.transport,
      timestampNs: frame.rxTimestampNs,
      bytes: frame.data,
      ...(frame.raw ? { raw: frame.raw } : {}),
      ...(message ? { message } : {}),
      findings,
      ...addressing,
    })
    if (decodeError !== undefined) rec.decodeError = decodeError
    if (!message || frame.rxTimestampNs === null) return
    const rx = {
      message,
      rxTimestampNs: frame.rxTimestampNs,
      findings,
      ...(frame.srcAddress ?? frame.srcMac ? { source: (frame.srcAddress ?? frame.srcMac)! } : {}),
      ...(frame.dstAddress ?? frame.dstMac ? { destination: (frame.dstAddress ?? frame.dstMac)! } : {}),
    }
    this.guard(`receive ${message.type}`, () => this.engine.onMessage(rx, this.opts.clock()))
  }

  // ------------------------------------------------------------ send

  private destinationOf(a: SendAction): Destination {
    if (a.destination) return a.destination
    if (this.opts.defaultDestination) return this.opts.defaultDestination(a.message)
    return isPeerDelayMessage(a.message.header.messageType) ? { kind: 'pdelay' } : { kind: 'primary' }
  }

  private addressing(dest: Destination, src?: string): FrameAddressing {
    const a: FrameAddressing = { srcMac: this.port.mac }
    if (src ?? this.opts.ip) a.srcIp = (src ?? this.opts.ip)!
    if (this.port.transport === 'l2') {
      a.dstMac = dest.kind === 'primary' ? PRIMARY_MAC : dest.kind === 'pdelay' ? PDELAY_MAC : dest.address
    } else if (dest.kind === 'unicast') {
      a.dstIp = dest.address
    }
    return a
  }

  private send(a: SendAction): void {
    let bytes: Uint8Array
    try {
      bytes = actionOctets(a)
    } catch (err) {
      this.stats.sendErrors++
      this.opts.onError?.(err, `encode ${a.message.type} for ${a.reason.source}`)
      return
    }
    const dest = this.destinationOf(a)
    const options: DriverSendOptions = {
      event: a.event,
      dest: dest.kind === 'unicast' ? dest.address : dest.kind,
      ...(a.source && this.port.transport !== 'l2' ? { src: a.source } : {}),
    }
    const now = this.opts.clock()
    const threshold = this.opts.immediateThresholdNs ?? 100_000n
    const scheduled = a.at !== undefined && a.at > now + threshold
    const pending = scheduled ? this.port.sendAt(bytes, a.at!, options) : this.port.send(bytes, options)
    const base = {
      direction: 'out' as const,
      port: this.name,
      transport: this.port.transport,
      bytes,
      reason: a.reason,
      ...(a.at !== undefined ? { plannedAt: a.at } : {}),
      ...this.addressing(dest, this.port.transport !== 'l2' ? a.source : undefined),
    }
    const job = pending.then(
      (tx) => {
        this.stats.sent++
        this.recordOut(base, tx.txTimestampNs)
        if (this.running) {
          this.guard(`transmitted ${a.message.type}`, () =>
            this.engine.onTransmitted({ sendId: a.sendId, txTimestampNs: tx.txTimestampNs }, this.opts.clock()),
          )
        }
      },
      (err: unknown) => {
        this.stats.sendErrors++
        this.recordOut(base, null, err instanceof Error ? err.message : String(err))
        this.opts.onError?.(err, `send ${a.message.type} for ${a.reason.source}`)
      },
    )
    this.inFlight.add(job)
    void job.finally(() => this.inFlight.delete(job))
  }

  /**
   * Out frames are recorded as decoded from the octets that left, so a mutated frame carries the
   * findings the DUT's decoder would see.
   */
  private recordOut(base: Omit<Parameters<Recorder['record']>[0], 'timestampNs'>, ts: bigint | null, sendError?: string): void {
    this.recorder.record({ ...base, timestampNs: ts, ...(sendError !== undefined ? { sendError } : {}) })
  }
}
