/**
 * Fuzz cases: seeded, self-contained frames to send to a DUT. Case (seed, batch, index) is always
 * the same octets at the same offset in its batch, whatever the DUT did, so a failing batch is
 * rebuilt exactly, its cases can be sent again in any subset (minimize.ts), and a reproducer
 * holds them as sent. Pure: the target, the seed and a time in, octets out.
 */
import { isEventMessage } from '../codec/constants.ts'
import { encodeMessage } from '../codec/message.ts'
import type { MessageTypeName, PtpMessage } from '../codec/types.ts'
import type { Destination } from '../engines/actions.ts'
import { applyFrameEdit } from '../engines/frame_edit.ts'
import { applyMutation, type PlannedSend } from '../engines/mutations.ts'
import { SeededRandom, unitHash } from '../engines/random.ts'
import { baseMessage, baseTypes } from './base_messages.ts'
import { applyByteEdits } from './byte_edits.ts'
import { breakMessage, FAMILY_WEIGHTS, type FuzzFamily } from './mutators.ts'
import { MIN_FUZZ_OCTETS, safeFuzzFrame } from './safety.ts'
import type { FuzzSender, FuzzTarget } from './target.ts'

export interface FuzzFrame {
  /** The PTP message's octets as they leave. */
  octets: Uint8Array
  /** Sent as an event message (UDP 319), by its final messageType nibble. */
  event: boolean
  /** After the case's start. */
  offsetNs: bigint
  sender: FuzzSender
  /** The valid message the frame was made from (what it was meant to be). */
  message: PtpMessage
  destination?: Destination
  /** UDP source address of the sender (unicast profiles). */
  source?: string
  /** What was done to it. */
  what: string[]
}

export interface FuzzCase {
  /** `<batch>.<index>`: with the seed, names the case for ever. */
  id: string
  /** 'replayed': read back from a reproducer, which keeps the description, not the draw. */
  family: FuzzFamily | 'replayed'
  /** After the batch's start. */
  offsetNs: bigint
  frames: FuzzFrame[]
  /** One line: family, sender, message and what was done. */
  description: string
}

export interface BatchOptions {
  seed: number
  batch: number
  /** Cases in the batch. */
  size: number
  /** The cases are spread evenly over this span. */
  spanNs: bigint
  /** The batch's start on the timestamp clock (what the messages' timestamps say). */
  timeNs: bigint
}

const FAMILIES = Object.keys(FAMILY_WEIGHTS) as FuzzFamily[]
const TOTAL_WEIGHT = FAMILIES.reduce((s, f) => s + FAMILY_WEIGHTS[f], 0)
/** Spacing of the frames of one ordering case. */
const ORDER_STEP_NS = 1_000_000n

function drawFamily(r: SeededRandom): FuzzFamily {
  let x = r.next() * TOTAL_WEIGHT
  for (const f of FAMILIES) {
    x -= FAMILY_WEIGHTS[f]
    if (x < 0) return f
  }
  return FAMILIES.at(-1)!
}

function destinationOf(t: FuzzTarget, sender: FuzzSender): { destination?: Destination; source?: string } {
  if (!t.unicast) return {}
  const source = t.unicast[sender]
  return { destination: { kind: 'unicast', address: t.unicast.dut }, ...(source ? { source } : {}) }
}

/** The octets of a planned send, with byte edits, cut, trailing octets and the safety guard. */
function finish(t: FuzzTarget, plan: PlannedSend, extra: { edits: Parameters<typeof applyByteEdits>[1]; keep?: number; append?: Uint8Array }, what: string[]): { octets: Uint8Array; what: string[] } {
  let octets = applyFrameEdit(encodeMessage(plan.message, plan.encode), plan.frameEdit)
  if (extra.append) octets = applyFrameEdit(octets, { append: extra.append })
  if (extra.keep !== undefined) octets = octets.slice(0, Math.max(MIN_FUZZ_OCTETS, Math.floor(octets.length * extra.keep)))
  octets = applyByteEdits(octets, extra.edits)
  const safe = safeFuzzFrame(octets, { domainNumber: t.header.domainNumber, allowManagementSet: t.allowManagementSet })
  return { octets: safe.octets, what: [...plan.mutations, ...what, ...safe.changed.map((c) => `guard: ${c}`)] }
}

function frame(t: FuzzTarget, sender: FuzzSender, m: PtpMessage, offsetNs: bigint, built: { octets: Uint8Array; what: string[] }): FuzzFrame {
  return { octets: built.octets, event: isEventMessage(built.octets[0]! & 0x0f), offsetNs, sender, message: m, ...destinationOf(t, sender), what: built.what }
}

/** One message of `family`, broken. */
function brokenFrames(t: FuzzTarget, family: Exclude<FuzzFamily, 'ordering'>, r: SeededRandom, timeNs: bigint): FuzzFrame[] {
  const sender: FuzzSender = r.chance(0.5) ? 'grandmaster' : 'stranger'
  const m = baseMessage(t, sender, r.pick(baseTypes(t, sender)), timeNs, r)
  const b = breakMessage(family, r, m)
  let plans: PlannedSend[] = [{ message: m, mutations: [], role: 'original' }]
  for (const spec of b.specs) plans = plans.flatMap((p) => applyMutation(p, spec))
  return plans.map((p) => frame(t, sender, m, 0n, finish(t, p, b, b.what)))
}

/**
 * Valid messages of the grandmaster in an order or number a DUT must survive: a Follow_Up before
 * its Sync, two Follow_Ups for one Sync, a sequence going backwards, a burst of one Announce,
 * Delay_Resp nobody asked for.
 */
function orderingFrames(t: FuzzTarget, r: SeededRandom, timeNs: bigint): FuzzFrame[] {
  const gm = (type: MessageTypeName, seq: number, at: bigint) => {
    const m = baseMessage(t, 'grandmaster', type, timeNs + at, r)
    m.header.sequenceId = seq & 0xffff
    return m
  }
  const plain = (m: PtpMessage, i: number, what: string) => frame(t, 'grandmaster', m, BigInt(i) * ORDER_STEP_NS, finish(t, { message: m, mutations: [], role: 'original' }, { edits: [] }, [what]))
  const seq = r.int(0, 0xffff)
  switch (r.int(0, 4)) {
    case 0: return [plain(gm('Follow_Up', seq, 0n), 0, 'Follow_Up before its Sync'), plain(gm('Sync', seq, 0n), 1, 'Sync after its Follow_Up')]
    case 1: return [plain(gm('Sync', seq, 0n), 0, 'Sync'), plain(gm('Follow_Up', seq, 0n), 1, 'Follow_Up'), plain(gm('Follow_Up', seq, BigInt(r.int(1, 500)) * 1_000_000n), 2, 'a second Follow_Up for the same Sync, another time')]
    case 2: return [0, 1, 2, 3].map((k) => plain(gm(k % 2 ? 'Follow_Up' : 'Sync', seq - (k >> 1), 0n), k, `sequenceId going backwards (${(seq - (k >> 1)) & 0xffff})`))
    case 3: {
      const a = gm('Announce', seq, 0n)
      return Array.from({ length: r.int(5, 20) }, (_, i) => plain(a, i, `the same Announce, copy ${i + 1}`))
    }
    default: {
      if (t.delayMechanism === 'P2P') return [plain(gm('Pdelay_Resp', seq, 0n), 0, 'Pdelay_Resp nobody asked for'), plain(gm('Pdelay_Resp_Follow_Up', seq, 0n), 1, 'its Follow_Up')]
      return Array.from({ length: 3 }, (_, i) => plain(gm('Delay_Resp', seq + i, 0n), i, 'Delay_Resp nobody asked for'))
    }
  }
}

/** Case `index` of batch `o.batch`. */
export function fuzzCase(t: FuzzTarget, o: BatchOptions, index: number): FuzzCase {
  const r = new SeededRandom(Math.floor(unitHash(o.seed, 'fuzz', o.batch, index) * 4294967296))
  const family = drawFamily(r)
  const offsetNs = (o.spanNs * BigInt(index)) / BigInt(Math.max(1, o.size))
  const timeNs = o.timeNs + offsetNs
  const frames = family === 'ordering' ? orderingFrames(t, r, timeNs) : brokenFrames(t, family, r, timeNs)
  const first = frames[0]!
  const what = [...new Set(frames.flatMap((f) => f.what))]
  const description = `${family}: ${first.message.type} from the ${first.sender}${frames.length > 1 ? ` (${frames.length} frames)` : ''}: ${what.join('; ') || 'as built'}`
  return { id: `${o.batch}.${index}`, family, offsetNs, frames, description }
}

export function fuzzBatch(t: FuzzTarget, o: BatchOptions): FuzzCase[] {
  return Array.from({ length: o.size }, (_, i) => fuzzCase(t, o, i))
}

/** Frames of a batch (or of some of its cases), in send order. */
export function framesOf(cases: readonly FuzzCase[]): { caseId: string; atNs: bigint; frame: FuzzFrame }[] {
  return cases
    .flatMap((c) => c.frames.map((f) => ({ caseId: c.id, atNs: c.offsetNs + f.offsetNs, frame: f })))
    .sort((a, b) => (a.atNs < b.atNs ? -1 : a.atNs > b.atNs ? 1 : 0))
}

/** When the cases' last frame is due, after the batch's start. */
export function lastFrameNs(cases: readonly FuzzCase[]): bigint {
  return framesOf(cases).at(-1)?.atNs ?? 0n
}
