/**
 * Pairing of related messages in a recording (IEEE 1588-2019 11.3, 11.4):
 *
 * - Sync ↔ Follow_Up: same sender port, domain and sequenceId; the Follow_Up after its Sync.
 * - Delay_Req ↔ Delay_Resp: the response's requestingPortIdentity is the request's sender and
 *   the sequenceIds are equal (one request may draw several responses: several masters).
 * - Pdelay triples: Pdelay_Req ↔ Pdelay_Resp ↔ Pdelay_Resp_Follow_Up by requesting port and
 *   sequenceId; the follow-up must come from the same responder as the response.
 *
 * Pairing looks backwards from each later message to the most recent unmatched earlier one with
 * the same key, so sequenceId wrap-around and repeated ids pair with the right partner.
 */
import type { PortIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { RecordedFrame } from './frame.ts'
import type { FrameQuery, Recorder } from './recorder.ts'
import { matchesQuery } from './recorder.ts'

function pid(p: PortIdentity): string {
  return `${normalizeClockIdentity(p.clockIdentity)}-${p.portNumber}`
}

export interface SyncPair {
  sync: RecordedFrame
  /** undefined for a one-step Sync, or a two-step Sync whose Follow_Up never came. */
  followUp?: RecordedFrame
  /** Follow_Up TX/RX time − Sync TX/RX time. */
  followUpDelayNs?: bigint
  twoStep: boolean
}

export interface SyncPairing {
  pairs: SyncPair[]
  /** Two-step Syncs without a Follow_Up. */
  missingFollowUp: RecordedFrame[]
  /** Follow_Ups with no earlier Sync of the same sender and sequenceId. */
  orphanFollowUps: RecordedFrame[]
}

function framesOf(source: Recorder | readonly RecordedFrame[], q: FrameQuery): RecordedFrame[] {
  const all = Array.isArray(source) ? (source as readonly RecordedFrame[]) : (source as Recorder).frames
  return all.filter((f) => matchesQuery(f, q))
}

/**
 * Requests first, then everything else, each in record order. A request the harness sent
 * is recorded when its TX timestamp comes back, which can be after the DUT's answer was
 * already received and recorded; pairing must not call that answer an orphan.
 */
function requestsFirst(frames: RecordedFrame[], requestType: 'Delay_Req' | 'Pdelay_Req'): RecordedFrame[] {
  const requests = frames.filter((f) => f.message?.type === requestType)
  return [...requests, ...frames.filter((f) => f.message?.type !== requestType)]
}

function diff(a: RecordedFrame, b: RecordedFrame): bigint | undefined {
  return a.timestampNs !== null && b.timestampNs !== null ? b.timestampNs - a.timestampNs : undefined
}

export function pairSyncFollowUp(source: Recorder | readonly RecordedFrame[], q: FrameQuery = {}): SyncPairing {
  const frames = framesOf(source, { ...q, type: ['Sync', 'Follow_Up'] })
  const pending = new Map<string, SyncPair>()
  const pairs: SyncPair[] = []
  const orphanFollowUps: RecordedFrame[] = []
  for (const f of frames) {
    const m = f.message!
    const key = `${f.direction}|${f.port}|${m.header.domainNumber}|${pid(m.header.sourcePortIdentity)}|${m.header.sequenceId}`
    if (m.type === 'Sync') {
      const twoStep = (m.header.flagField & 0x0200) !== 0
      const pair: SyncPair = { sync: f, twoStep }
      pairs.push(pair)
      if (twoStep) pending.set(key, pair)
    } else {
      const pair = pending.get(key)
      if (!pair) {
        orphanFollowUps.push(f)
        continue
      }
      pending.delete(key)
      pair.followUp = f
      const d = diff(pair.sync, f)
      if (d !== undefined) pair.followUpDelayNs = d
    }
  }
  return { pairs, missingFollowUp: pairs.filter((p) => p.twoStep && !p.followUp).map((p) => p.sync), orphanFollowUps }
}

export interface DelayPair {
  request: RecordedFrame
  responses: RecordedFrame[]
  /** First response's frame time − request's frame time (round trip as seen by the harness). */
  responseDelayNs?: bigint
}

export interface DelayPairing {
  pairs: DelayPair[]
  unanswered: RecordedFrame[]
  /** Delay_Resp that matches no earlier Delay_Req. */
  orphanResponses: RecordedFrame[]
}

export function pairDelayReqResp(source: Recorder | readonly RecordedFrame[], q: FrameQuery = {}): DelayPairing {
  const frames = requestsFirst(framesOf(source, { ...q, type: ['Delay_Req', 'Delay_Resp'] }), 'Delay_Req')
  const pending = new Map<string, DelayPair>()
  const pairs: DelayPair[] = []
  const orphanResponses: RecordedFrame[] = []
  for (const f of frames) {
    const m = f.message!
    if (m.type === 'Delay_Req') {
      const key = `${m.header.domainNumber}|${pid(m.header.sourcePortIdentity)}|${m.header.sequenceId}`
      const pair: DelayPair = { request: f, responses: [] }
      pairs.push(pair)
      pending.set(key, pair)
    } else if (m.type === 'Delay_Resp') {
      const key = `${m.header.domainNumber}|${pid(m.requestingPortIdentity)}|${m.header.sequenceId}`
      const pair = pending.get(key)
      if (!pair) {
        orphanResponses.push(f)
        continue
      }
      pair.responses.push(f)
      if (pair.responses.length === 1) {
        const d = diff(pair.request, f)
        if (d !== undefined) pair.responseDelayNs = d
      }
    }
  }
  return { pairs, unanswered: pairs.filter((p) => p.responses.length === 0).map((p) => p.request), orphanResponses }
}

export interface PdelayTriple {
  request: RecordedFrame
  response?: RecordedFrame
  followUp?: RecordedFrame
  /** Responses beyond the first (802.1AS: several responders on one link). */
  extraResponses: RecordedFrame[]
  twoStep: boolean
}

export interface PdelayPairing {
  triples: PdelayTriple[]
  orphanResponses: RecordedFrame[]
  orphanFollowUps: RecordedFrame[]
}

export function pdelayTriples(source: Recorder | readonly RecordedFrame[], q: FrameQuery = {}): PdelayPairing {
  const frames = requestsFirst(framesOf(source, { ...q, type: ['Pdelay_Req', 'Pdelay_Resp', 'Pdelay_Resp_Follow_Up'] }), 'Pdelay_Req')
  const pending = new Map<string, PdelayTriple>()
  const triples: PdelayTriple[] = []
  const orphanResponses: RecordedFrame[] = []
  const orphanFollowUps: RecordedFrame[] = []
  for (const f of frames) {
    const m = f.message!
    if (m.type === 'Pdelay_Req') {
      const t: PdelayTriple = { request: f, extraResponses: [], twoStep: false }
      triples.push(t)
      pending.set(`${m.header.domainNumber}|${pid(m.header.sourcePortIdentity)}|${m.header.sequenceId}`, t)
      continue
    }
    if (m.type !== 'Pdelay_Resp' && m.type !== 'Pdelay_Resp_Follow_Up') continue
    const key = `${m.header.domainNumber}|${pid(m.requestingPortIdentity)}|${m.header.sequenceId}`
    const t = pending.get(key)
    if (m.type === 'Pdelay_Resp') {
      if (!t) {
        orphanResponses.push(f)
        continue
      }
      if (t.response) t.extraResponses.push(f)
      else {
        t.response = f
        t.twoStep = (m.header.flagField & 0x0200) !== 0
      }
    } else {
      const rm = t?.response?.message
      if (!t || !rm || pid(rm.header.sourcePortIdentity) !== pid(m.header.sourcePortIdentity) || t.followUp) {
        orphanFollowUps.push(f)
        continue
      }
      t.followUp = f
    }
  }
  return { triples, orphanResponses, orphanFollowUps }
}
