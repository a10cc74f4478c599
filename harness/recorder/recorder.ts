/**
 * The recorder: every frame in and out, in order, with queries by type, sender and time window
 * and interval series. Pure data (the pcapng export is in pcapng_export.ts): the runtime feeds
 * it, suites and reports read it.
 */
import type { ClockIdentity, Finding, MessageTypeName, PortIdentity, PtpMessage } from '../codec/types.ts'
import { decodeMessage } from '../codec/message.ts'
import { CodecError } from '../codec/errors.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { intervals } from '../stats/percentiles.ts'
import type { Direction, FrameAddressing, RecordedFrame } from './frame.ts'

/** A frame as the runtime hands it over: what the recorder adds (index, decoding, notes) is left out. */
export interface RecordInput
  extends Pick<RecordedFrame, keyof FrameAddressing | 'direction' | 'port' | 'transport' | 'timestampNs' | 'plannedAt' | 'bytes' | 'raw' | 'reason' | 'sendError' | 'captureFrame'> {
  /** Already decoded (the recorder decodes `bytes` when absent). */
  message?: PtpMessage
  /** Findings found before recording; the recorder adds its decoder's. */
  findings?: Finding[]
}

export interface FrameQuery {
  direction?: Direction
  port?: string
  type?: MessageTypeName | readonly MessageTypeName[]
  /** sourcePortIdentity: a whole PortIdentity, or a ClockIdentity for any port of that clock. */
  sender?: PortIdentity | ClockIdentity
  domainNumber?: number
  /** Timestamp window [from, to). Frames without a timestamp never match a window. */
  from?: bigint
  to?: bigint
  /** Only frames sent by this engine (SendReason.source). */
  source?: string
  where?: (f: RecordedFrame) => boolean
}

function senderMatches(m: PtpMessage, sender: PortIdentity | ClockIdentity): boolean {
  const src = m.header.sourcePortIdentity
  if (typeof sender === 'string') return normalizeClockIdentity(src.clockIdentity) === normalizeClockIdentity(sender)
  return normalizeClockIdentity(src.clockIdentity) === normalizeClockIdentity(sender.clockIdentity) && src.portNumber === sender.portNumber
}

export function matchesQuery(f: RecordedFrame, q: FrameQuery): boolean {
  if (q.direction !== undefined && f.direction !== q.direction) return false
  if (q.port !== undefined && f.port !== q.port) return false
  if (q.source !== undefined && f.reason?.source !== q.source) return false
  if (q.type !== undefined || q.sender !== undefined || q.domainNumber !== undefined) {
    const m = f.message
    if (!m) return false
    if (q.type !== undefined && (typeof q.type === 'string' ? m.type !== q.type : !q.type.includes(m.type))) return false
    if (q.sender !== undefined && !senderMatches(m, q.sender)) return false
    if (q.domainNumber !== undefined && m.header.domainNumber !== q.domainNumber) return false
  }
  if (q.from !== undefined || q.to !== undefined) {
    if (f.timestampNs === null) return false
    if (q.from !== undefined && f.timestampNs < q.from) return false
    if (q.to !== undefined && f.timestampNs >= q.to) return false
  }
  if (q.where && !q.where(f)) return false
  return true
}

export class Recorder {
  private readonly list: RecordedFrame[] = []
  private readonly listeners = new Set<(f: RecordedFrame) => void>()

  /** Records one frame; decodes it when no message is given. Never throws on bad octets. */
  record(input: RecordInput): RecordedFrame {
    let message = input.message
    let findings = input.findings ?? []
    let decodeError: string | undefined
    if (!message) {
      try {
        const r = decodeMessage(input.bytes)
        message = r.message
        findings = [...findings, ...r.findings]
      } catch (err) {
        decodeError = err instanceof CodecError ? err.message : String(err)
      }
    }
    const f: RecordedFrame = {
      ...input,
      index: this.list.length,
      findings,
      notes: [],
    }
    if (message) f.message = message
    else delete f.message
    if (decodeError !== undefined) f.decodeError = decodeError
    this.list.push(f)
    for (const l of this.listeners) l(f)
    return f
  }

  /** Called for every frame recorded from now on; returns the unsubscribe function. */
  onRecord(listener: (f: RecordedFrame) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Adds a note to a frame (shown as a pcapng comment). */
  annotate(index: number, note: string): void {
    const f = this.list[index]
    if (!f) throw new RangeError(`no recorded frame #${index}`)
    f.notes.push(note)
  }

  get frames(): readonly RecordedFrame[] {
    return this.list
  }

  get size(): number {
    return this.list.length
  }

  /** Forget everything (between test phases). */
  clear(): void {
    this.list.length = 0
  }

  query(q: FrameQuery = {}): RecordedFrame[] {
    return this.list.filter((f) => matchesQuery(f, q))
  }

  byType(type: MessageTypeName | readonly MessageTypeName[], q: FrameQuery = {}): RecordedFrame[] {
    return this.query({ ...q, type })
  }

  bySender(sender: PortIdentity | ClockIdentity, q: FrameQuery = {}): RecordedFrame[] {
    return this.query({ ...q, sender })
  }

  between(from: bigint, to: bigint, q: FrameQuery = {}): RecordedFrame[] {
    return this.query({ ...q, from, to })
  }

  /** Timestamps of the matching frames, in timestamp order (frames without one are left out). */
  timestamps(q: FrameQuery = {}): bigint[] {
    return this.query(q)
      .map((f) => f.timestampNs)
      .filter((t): t is bigint => t !== null)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** Successive intervals between the matching frames (e.g. the DUT's Sync intervals). */
  intervalSeries(q: FrameQuery = {}): bigint[] {
    return intervals(this.timestamps(q))
  }

  /** The last matching frame, if any. */
  last(q: FrameQuery = {}): RecordedFrame | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (matchesQuery(this.list[i]!, q)) return this.list[i]
    return undefined
  }

  /** The first matching frame at or after index `from`. */
  first(q: FrameQuery = {}, from = 0): RecordedFrame | undefined {
    for (let i = from; i < this.list.length; i++) if (matchesQuery(this.list[i]!, q)) return this.list[i]
    return undefined
  }
}
