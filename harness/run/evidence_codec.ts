/**
 * Evidence as JSON and back, losslessly: what a test acquired must be judgeable again later
 * (`ptp-conform rejudge`) by today's code. Plain JSON cannot hold bigints, octets or a
 * recording, so those travel as tagged objects:
 *   bigint      → { "$bigint": "-123" }
 *   Uint8Array  → { "$bytes": "0a1b…" }
 *   Recorder    → { "$recording": [frame, …] }  (octets, timestamps, addressing, why sent;
 *                  decoded again on load, so a codec fix reaches stored evidence too)
 */
import { Recorder } from '../recorder/recorder.ts'
import { isEthernetPadding, type RecordedFrame } from '../recorder/frame.ts'
import { decodeMessage } from '../codec/message.ts'
import type { Finding, PtpMessage } from '../codec/types.ts'

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** The fields of a recorded frame that are facts (everything else is re-derived from the octets). */
const FRAME_FACTS = ['direction', 'port', 'transport', 'timestampNs', 'plannedAt', 'bytes', 'raw', 'reason', 'sendError', 'srcMac', 'dstMac', 'srcIp', 'dstIp', 'srcPort', 'dstPort', 'vlan', 'dscp', 'notes'] as const

function frameToJson(f: RecordedFrame): Json {
  const out: Record<string, unknown> = {}
  for (const k of FRAME_FACTS) if (f[k] !== undefined) out[k] = f[k]
  return toJson(out)
}

export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') }
  if (value instanceof Recorder) return { $recording: value.frames.map(frameToJson) }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toJson(v)))
  if (typeof value === 'object') {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== 'function') out[k] = toJson(v)
    return out
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value as Json
}

function recordingFromJson(frames: Json[]): Recorder {
  const r = new Recorder()
  for (const raw of frames) {
    const f = fromJson(raw) as Record<string, any>
    const { notes, ...input } = f
    const bytes = input.bytes as Uint8Array
    let decoded: { message?: PtpMessage; findings?: Finding[] } = {}
    try {
      decoded = decodeMessage(bytes, 0, undefined, { trailerIsPadding: isEthernetPadding(input.transport, bytes.length) })
    } catch {
      // Left to the recorder, which keeps the decode error with the frame.
    }
    const rec = r.record({ ...(input as any), ...decoded })
    for (const n of (notes as string[] | undefined) ?? []) rec.notes.push(n)
  }
  return r
}

export function fromJson(value: Json): unknown {
  if (Array.isArray(value)) return value.map(fromJson)
  if (value !== null && typeof value === 'object') {
    if (typeof value.$bigint === 'string' && Object.keys(value).length === 1) return BigInt(value.$bigint)
    if (typeof value.$bytes === 'string' && Object.keys(value).length === 1) return new Uint8Array(Buffer.from(value.$bytes, 'hex'))
    if (Array.isArray(value.$recording) && Object.keys(value).length === 1) return recordingFromJson(value.$recording)
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = fromJson(v)
    return out
  }
  return value
}

export function encodeEvidence(value: unknown): string {
  return JSON.stringify(toJson(value))
}

export function decodeEvidence<T>(text: string): T {
  return fromJson(JSON.parse(text) as Json) as T
}
