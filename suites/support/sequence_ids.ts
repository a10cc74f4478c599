/**
 * sequenceId bookkeeping over one port's frames, pure. Each message type that starts an
 * exchange (Announce, Sync, Delay_Req, Pdelay_Req, Signaling, Management) has its own
 * counter that goes up by one per message and wraps from 65535 to 0 (IEEE 1588-2019 7.3.7);
 * Follow_Up repeats its Sync's sequenceId, Pdelay_Resp_Follow_Up its Pdelay_Resp's.
 */
import { FLAG_TWO_STEP } from '../../harness/codec/constants.ts'
import { frameRef, type RecordedFrame } from '../../harness/recorder/frame.ts'

/** Types with a counter of their own. */
export const COUNTED_TYPES = ['Announce', 'Sync', 'Delay_Req', 'Pdelay_Req', 'Signaling', 'Management'] as const

export interface SequenceStep {
  type: string
  from: RecordedFrame
  to: RecordedFrame
  /** (to − from) mod 65536: 1 is right, 0 a repeat, 2…32767 a gap, 32768…65535 a step back. */
  step: number
}

export interface SequenceReport {
  /** Messages seen per counted type. */
  counted: Record<string, number>
  repeats: SequenceStep[]
  backwards: SequenceStep[]
  gaps: SequenceStep[]
  /** Frames the gaps leave out in all. */
  missing: number
  /** Steps from 65535 to 0, done right. */
  wraps: number
}

const seqOf = (f: RecordedFrame) => f.message!.header.sequenceId

export function sequenceReport(frames: readonly RecordedFrame[]): SequenceReport {
  const out: SequenceReport = { counted: {}, repeats: [], backwards: [], gaps: [], missing: 0, wraps: 0 }
  const last = new Map<string, RecordedFrame>()
  for (const f of frames) {
    const type = f.message?.type
    if (!type || !(COUNTED_TYPES as readonly string[]).includes(type)) continue
    out.counted[type] = (out.counted[type] ?? 0) + 1
    const prev = last.get(type)
    last.set(type, f)
    if (!prev) continue
    const step = (seqOf(f) - seqOf(prev) + 0x10000) & 0xffff
    const s = { type, from: prev, to: f, step }
    if (step === 1) {
      if (seqOf(f) === 0) out.wraps++
    } else if (step === 0) out.repeats.push(s)
    else if (step >= 0x8000) out.backwards.push(s)
    else {
      out.gaps.push(s)
      out.missing += step - 1
    }
  }
  return out
}

export interface PairingReport {
  /** Follow-up messages seen (Follow_Up, Pdelay_Resp_Follow_Up). */
  followUps: number
  /**
   * Follow-ups with no earlier two-step event message of that sequenceId still waiting for one.
   * One follow-up before the recording's first event message is not counted: its event message
   * came just before the recording began (a capture started, or a window cut, between the two).
   * A second one, or any later, is.
   */
  unmatched: RecordedFrame[]
  /** Two-step event messages no follow-up ever answered (the last one, possibly cut off by the end, excluded). */
  orphans: RecordedFrame[]
}

const isTwoStep = (f: RecordedFrame) => (f.message!.header.flagField & FLAG_TWO_STEP) !== 0
const pairKey = (f: RecordedFrame) => {
  const m = f.message!
  const req = 'requestingPortIdentity' in m ? `${m.requestingPortIdentity.clockIdentity}-${m.requestingPortIdentity.portNumber}` : ''
  return `${m.header.sequenceId}/${req}`
}

/** Pairs each follow-up with the two-step event message of the same sequenceId sent before it. */
export function pairingReport(frames: readonly RecordedFrame[], event: 'Sync' | 'Pdelay_Resp', followUp: 'Follow_Up' | 'Pdelay_Resp_Follow_Up'): PairingReport {
  const out: PairingReport = { followUps: 0, unmatched: [], orphans: [] }
  const waiting = new Map<string, RecordedFrame>()
  let lastEvent: RecordedFrame | undefined
  let anyEvent = false
  let excused = false
  for (const f of frames) {
    const type = f.message?.type
    if (type === event) anyEvent = true
    if (type === event && isTwoStep(f)) {
      const k = pairKey(f)
      const old = waiting.get(k)
      if (old) out.orphans.push(old)
      waiting.set(k, f)
      lastEvent = f
    } else if (type === followUp) {
      out.followUps++
      const k = pairKey(f)
      if (waiting.has(k)) waiting.delete(k)
      else if (anyEvent || excused) out.unmatched.push(f)
      else excused = true
    }
  }
  for (const f of waiting.values()) if (f !== lastEvent) out.orphans.push(f)
  out.orphans.sort((a, b) => a.index - b.index)
  return out
}

/** "Sync #41 → #43 (frames 120, 131)" for a report's detail. */
export function describeStep(s: SequenceStep): string {
  return `${s.type} #${seqOf(s.from)} → #${seqOf(s.to)} (${frameRef(s.from)}, ${frameRef(s.to)})`
}
