/**
 * A PTP port: timestamped send and receive on one interface with one transport
 * mapping, plus scheduled sends that run on a native thread.
 *
 * JavaScript is never in the timing path: TX timestamps come from the kernel
 * (SO_TIMESTAMPING, correlated by OPT_ID), scheduled frames leave from a native
 * thread at absolute deadlines, and the events reach this object in batches
 * after the fact.
 */
import { loadAddon, type NativeEvent, type NativePort, type NativeSendSpec } from './addon.ts'
import { native, TransportError } from './errors.ts'
import type {
  LoadOptions,
  LoadResult,
  PortOptions,
  ReceivedFrame,
  SchedulerInfo,
  SendOptions,
  TimestampClock,
  TimestampingInfo,
  TrainOptions,
  TrainReport,
  TrainSummary,
  TransportKind,
  TxResult,
} from './types.ts'

type Settle<T> = { resolve: (v: T) => void; reject: (e: TransportError) => void }

export interface Train {
  readonly id: number
  /** Stops after the frame in flight; `done` then resolves with stopped = true. */
  stop(): void
  /** Resolves when every frame has its report (TX timestamp, or error). */
  readonly done: Promise<TrainSummary>
}

export interface Load {
  readonly id: number
  stop(): void
  readonly done: Promise<LoadResult>
}

interface TrainState {
  settle: Settle<TrainSummary>
  onReport?: (r: TrainReport) => void
  collect: boolean
  reports: TrainReport[]
  received: number
  done?: { stopped: boolean; sent: number; failed: number }
}

function toSendSpec(o: SendOptions | undefined): NativeSendSpec {
  const s: NativeSendSpec = {}
  if (!o) return s
  if (o.event !== undefined) s.event = o.event
  if (o.dest !== undefined) s.dest = o.dest
  if (o.port !== undefined) s.port = o.port
  if (o.raw !== undefined) s.raw = o.raw
  if (o.vlan !== undefined) s.vlan = o.vlan
  if (o.src !== undefined) s.src = o.src
  return s
}

function portOptionsToNative(o: PortOptions): Record<string, unknown> {
  const n: Record<string, unknown> = { ...o }
  delete n.spinNs
  if (o.spinNs !== undefined) n.spinNs = o.spinNs
  return n
}

export class Port {
  readonly interface: string
  readonly transport: TransportKind
  readonly netns: string | undefined
  readonly mac: string
  readonly ifindex: number
  readonly timestamping: TimestampingInfo
  private readonly clock: TimestampClock
  private readonly nativePort: NativePort
  private readonly pendingSends = new Map<number, Settle<TxResult>>()
  private readonly trains = new Map<number, TrainState>()
  private readonly loads = new Map<number, Settle<LoadResult>>()
  private readonly rxListeners = new Set<(f: ReceivedFrame) => void>()
  private readonly errorListeners = new Set<(e: TransportError) => void>()
  private closedFlag = false

  private constructor(options: PortOptions) {
    const addon = loadAddon()
    this.interface = options.interface
    this.transport = options.transport
    this.netns = options.netns
    this.nativePort = native(() => new addon.NativePort(portOptionsToNative(options), (events) => this.dispatch(events)))
    const info = this.nativePort.info()
    this.mac = info.mac
    this.ifindex = info.ifindex
    this.timestamping = info.timestamping
    this.clock = info.timestamping.clock
  }

  /** Opens a port; throws TransportError (ENODEV_INTERFACE, EIFDOWN, EPERM_CAP_*, EADDRINUSE, ENOENT_NETNS, ...). */
  static open(options: PortOptions): Port {
    return new Port(options)
  }

  get closed(): boolean {
    return this.closedFlag
  }

  /** Scheduler thread state: SCHED_FIFO or not, memory locked or not (after the first scheduled send). */
  get scheduler(): SchedulerInfo {
    return this.nativePort.info().scheduler
  }

  /** Current send-call → TX-timestamp latency the scheduler subtracts from deadlines. */
  get latencyLeadNs(): bigint {
    return this.nativePort.info().latencyLeadNs
  }

  /** TX timestamps that matched no send (should stay 0). */
  get unmatchedTxTimestamps(): number {
    return this.nativePort.info().unmatchedTxTimestamps
  }

  /** Sends one PTP message now; resolves with its TX timestamp. */
  send(message: Uint8Array, options?: SendOptions): Promise<TxResult> {
    this.assertOpen()
    const id = native(() => this.nativePort.send(message, toSendSpec(options)))
    return new Promise<TxResult>((resolve, reject) => this.pendingSends.set(id, { resolve, reject }))
  }

  /** Sends several messages with one sendmmsg; resolves with every TX timestamp (rejects on the first failure). */
  sendBatch(messages: Uint8Array[], options?: SendOptions): Promise<TxResult[]> {
    this.assertOpen()
    const ids = native(() => this.nativePort.sendBatch(messages, toSendSpec(options)))
    return Promise.all(ids.map((id) => new Promise<TxResult>((resolve, reject) => this.pendingSends.set(id, { resolve, reject }))))
  }

  /** Sends one message at an absolute system-clock deadline from the native scheduler thread. */
  async sendAt(message: Uint8Array, deadlineNs: bigint, options?: SendOptions): Promise<TrainReport & { txTimestampNs: bigint }> {
    this.assertOpen()
    const id = native(() => this.nativePort.sendAt(message, toSendSpec(options), deadlineNs))
    const summary = await this.trackTrain(id, { collect: true }).done
    const r = summary.reports[0]
    if (!r) throw new TransportError('ECLOSED', 'scheduled send was stopped before it was sent')
    if (r.error || r.txTimestampNs === null) throw new TransportError(r.error?.code ?? 'ETXTIMESTAMP_TIMEOUT', r.error?.message ?? 'no TX timestamp')
    return r as TrainReport & { txTimestampNs: bigint }
  }

  /** A periodic train on the native scheduler thread, on an absolute grid startNs + i·periodNs. */
  startTrain(options: TrainOptions): Train {
    this.assertOpen()
    const id = native(() =>
      this.nativePort.startTrain({
        message: options.message,
        send: toSendSpec(options.send),
        startNs: options.startNs,
        periodNs: options.periodNs,
        ...(options.count !== undefined ? { count: options.count } : {}),
        ...(options.sequenceIdOffset !== undefined ? { sequenceIdOffset: options.sequenceIdOffset } : {}),
        ...(options.sequenceIdStart !== undefined ? { sequenceIdStart: options.sequenceIdStart } : {}),
        ...(options.originTimestampOffset !== undefined ? { originTimestampOffset: options.originTimestampOffset } : {}),
        ...(options.followUp
          ? {
              followUp: {
                message: options.followUp.message,
                ...(options.followUp.sequenceIdOffset !== undefined ? { sequenceIdOffset: options.followUp.sequenceIdOffset } : {}),
                ...(options.followUp.timestampOffset !== undefined ? { timestampOffset: options.followUp.timestampOffset } : {}),
                send: toSendSpec(options.followUp.send ?? { event: false }),
              },
            }
          : {}),
      }),
    )
    return this.trackTrain(id, { collect: options.collect ?? true, onReport: options.onReport })
  }

  /** Load generation: sendmmsg batches on a native thread, TX timestamps counted (not reported one by one). */
  startLoad(options: LoadOptions): Load {
    this.assertOpen()
    const id = native(() =>
      this.nativePort.startLoad({
        message: options.message,
        send: toSendSpec(options.send),
        durationNs: options.durationNs,
        ...(options.ratePps !== undefined ? { ratePps: options.ratePps } : {}),
        ...(options.batch !== undefined ? { batch: options.batch } : {}),
        ...(options.sequenceIdOffset !== undefined ? { sequenceIdOffset: options.sequenceIdOffset } : {}),
      }),
    )
    const done = new Promise<LoadResult>((resolve, reject) => this.loads.set(id, { resolve, reject }))
    return { id, stop: () => void this.nativePort.stopJob(id), done }
  }

  /** Subscribes to received frames; returns the unsubscribe function. */
  onReceive(listener: (frame: ReceivedFrame) => void): () => void {
    this.rxListeners.add(listener)
    return () => this.rxListeners.delete(listener)
  }

  /** Asynchronous socket errors (e.g. EIFDOWN when the link goes away). */
  onError(listener: (err: TransportError) => void): () => void {
    this.errorListeners.add(listener)
    return () => this.errorListeners.delete(listener)
  }

  /** Received frames as an async iterator; ends when the port closes. */
  async *frames(): AsyncGenerator<ReceivedFrame> {
    const queue: ReceivedFrame[] = []
    let wake: (() => void) | undefined
    const off = this.onReceive((f) => {
      queue.push(f)
      wake?.()
    })
    const offClose = this.onCloseInternal(() => wake?.())
    try {
      for (;;) {
        while (queue.length) yield queue.shift()!
        if (this.closedFlag) return
        await new Promise<void>((r) => (wake = r))
        wake = undefined
      }
    } finally {
      off()
      offClose()
    }
  }

  /** Keeps (default) or stops keeping the process alive while the port is open. */
  ref(): void {
    if (!this.closedFlag) this.nativePort.ref()
  }
  unref(): void {
    if (!this.closedFlag) this.nativePort.unref()
  }

  /**
   * Closes the port synchronously: stops scheduled sends and the receive
   * thread, closes the sockets. Sends still waiting for a TX timestamp reject
   * with ECLOSED; trains resolve with stopped = true.
   */
  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    const rest = this.nativePort.close()
    this.dispatch(rest)
    for (const [, s] of this.pendingSends) s.reject(new TransportError('ECLOSED', 'port closed before the TX timestamp arrived'))
    this.pendingSends.clear()
    for (const [, t] of this.trains) this.finishTrain(t, true)
    this.trains.clear()
    for (const [, l] of this.loads) l.reject(new TransportError('ECLOSED', 'port closed during load generation'))
    this.loads.clear()
    for (const l of this.closeListeners) l()
    this.closeListeners.clear()
  }

  private readonly closeListeners = new Set<() => void>()
  private onCloseInternal(l: () => void): () => void {
    this.closeListeners.add(l)
    return () => this.closeListeners.delete(l)
  }

  private assertOpen(): void {
    if (this.closedFlag) throw new TransportError('ECLOSED', `port on ${this.interface} is closed`)
  }

  private trackTrain(id: number, o: { collect: boolean; onReport?: (r: TrainReport) => void }): Train {
    let settle!: Settle<TrainSummary>
    const done = new Promise<TrainSummary>((resolve, reject) => (settle = { resolve, reject }))
    this.trains.set(id, { settle, collect: o.collect, onReport: o.onReport, reports: [], received: 0 })
    return { id, stop: () => void this.nativePort.stopJob(id), done }
  }

  private finishTrain(t: TrainState, stopped: boolean): void {
    t.settle.resolve({
      stopped: t.done?.stopped ?? stopped,
      sent: t.done?.sent ?? t.received,
      failed: t.done?.failed ?? 0,
      reports: t.reports,
    })
  }

  private dispatch(events: NativeEvent[]): void {
    for (const e of events) {
      try {
        this.dispatchOne(e)
      } catch (err) {
        // A listener threw: surface it like an EventEmitter would, without
        // losing the rest of the batch.
        process.nextTick(() => {
          throw err
        })
      }
    }
  }

  private dispatchOne(e: NativeEvent): void {
    switch (e.type) {
      case 'rx': {
        const f: ReceivedFrame = {
          data: e.data,
          rxTimestampNs: e.rxTimestampNs,
          clock: this.clock,
          interface: this.interface,
          transport: this.transport,
          socket: e.socket,
        }
        if (e.raw) {
          f.raw = e.raw
          f.srcMac = e.srcMac
          f.dstMac = e.dstMac
          if (e.vlan) f.vlan = e.vlan
        } else {
          f.srcAddress = e.srcAddress
          f.srcPort = e.srcPort
          f.dstAddress = e.dstAddress
          f.dstPort = e.dstPort
          if (e.tos !== undefined) f.tos = e.tos
          if (e.ttl !== undefined) f.ttl = e.ttl
        }
        for (const l of this.rxListeners) l(f)
        return
      }
      case 'tx':
      case 'txerror': {
        const s = this.pendingSends.get(e.id)
        if (!s) return
        this.pendingSends.delete(e.id)
        if (e.type === 'tx' && e.txTimestampNs !== null) {
          s.resolve({ txTimestampNs: e.txTimestampNs, clock: this.clock, sendNs: e.sendNs ?? -1n })
        } else {
          s.reject(new TransportError(e.code ?? 'ETXTIMESTAMP_TIMEOUT', e.message ?? 'no TX timestamp'))
        }
        return
      }
      case 'train': {
        const t = this.trains.get(e.job)
        if (!t) return
        const r: TrainReport = {
          index: e.index,
          sequenceId: e.sequenceId,
          deadlineNs: e.deadlineNs ?? -1n,
          sendNs: e.sendNs,
          txTimestampNs: e.txTimestampNs,
          followUpSent: e.followUpSent,
        }
        if (e.code) r.error = { code: e.code, message: e.message ?? e.code }
        t.received++
        if (t.collect) t.reports.push(r)
        t.onReport?.(r)
        this.maybeFinishTrain(e.job, t)
        return
      }
      case 'jobdone': {
        const t = this.trains.get(e.job)
        if (!t) return
        t.done = { stopped: e.stopped, sent: e.sent, failed: e.failed }
        this.maybeFinishTrain(e.job, t)
        return
      }
      case 'load': {
        const l = this.loads.get(e.job)
        if (!l) return
        this.loads.delete(e.job)
        const r: LoadResult = {
          stopped: e.stopped,
          sent: e.sent,
          stamped: e.stamped,
          failed: e.failed,
          startNs: e.startNs ?? -1n,
          endNs: e.endNs ?? -1n,
        }
        if (e.code) r.error = { code: e.code, message: e.message ?? e.code }
        l.resolve(r)
        return
      }
      case 'error': {
        const err = new TransportError(e.code, e.message)
        for (const l of this.errorListeners) l(err)
        return
      }
    }
  }

  // A job's end and its last reports come from different native threads (the
  // scheduler reports the end when the last frame left, the receive thread
  // the TX timestamps): finished when both are in.
  private maybeFinishTrain(id: number, t: TrainState): void {
    if (t.done && t.received >= t.done.sent + t.done.failed) {
      this.trains.delete(id)
      this.finishTrain(t, t.done.stopped)
    }
  }
}

/** Opens a PTP port (see Port.open). */
export function openPort(options: PortOptions): Port {
  return Port.open(options)
}
