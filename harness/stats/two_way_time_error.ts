/**
 * Time error of a DUT master against the harness clock, from a recording alone: the
 * offsetFromMaster a slave at the harness port computes from the DUT's Sync/Follow_Up and
 * the harness's own delay exchanges (IEEE 1588-2019 11.3 E2E, 11.4 P2P), negated (the
 * master's time minus the harness's). Pure, so it runs on stored evidence.
 */
import { e2eExchangeOffset, p2pMeanLinkDelay, p2pOffsetFromMaster, scaledToNs, type PdelayTimestamps } from '../engines/delay_arithmetic.ts'
import { pairDelayReqResp, pairSyncFollowUp, pdelayTriples, type SyncPair } from '../recorder/pairing.ts'
import type { Recorder } from '../recorder/recorder.ts'
import { timestampToNs } from '../time/timestamp.ts'
import { medianNs } from './robust.ts'

export interface TimeErrorSample {
  /** The Sync's RX timestamp at the harness (ns). */
  atNs: bigint
  teNs: bigint
}

/** t1 and its corrections from a received Sync (and its Follow_Up when two-step); undefined when incomplete. */
function syncOrigin(p: SyncPair): { t1: bigint; t2: bigint; cSync: bigint; cFollowUp: bigint } | undefined {
  const s = p.sync.message
  if (s?.type !== 'Sync' || p.sync.timestampNs === null) return undefined
  if (!p.twoStep) return { t1: timestampToNs(s.originTimestamp), t2: p.sync.timestampNs, cSync: s.header.correctionField, cFollowUp: 0n }
  const fu = p.followUp?.message
  if (fu?.type !== 'Follow_Up') return undefined
  return { t1: timestampToNs(fu.preciseOriginTimestamp), t2: p.sync.timestampNs, cSync: s.header.correctionField, cFollowUp: fu.header.correctionField }
}

export function twoWayTimeError(recorder: Recorder, o: { dutClockIdentity: string; domainNumber: number; delayMechanism: 'E2E' | 'P2P' }): TimeErrorSample[] {
  const syncs = pairSyncFollowUp(recorder, { direction: 'in', domainNumber: o.domainNumber, sender: o.dutClockIdentity })
    .pairs.map(syncOrigin)
    .filter((x): x is NonNullable<typeof x> => x !== undefined)
  if (o.delayMechanism === 'E2E') {
    const out: TimeErrorSample[] = []
    let i = 0
    for (const p of pairDelayReqResp(recorder, { domainNumber: o.domainNumber }).pairs) {
      const resp = p.responses[0]?.message
      if (p.request.direction !== 'out' || resp?.type !== 'Delay_Resp' || p.request.timestampNs === null) continue
      const t3 = p.request.timestampNs
      // The latest Sync received before the request left: the exchange a slave completes.
      while (i + 1 < syncs.length && syncs[i + 1]!.t2 <= t3) i++
      const s = syncs[i]
      if (!s || s.t2 > t3) continue
      const offset = e2eExchangeOffset({ ...s, t3, t4: timestampToNs(resp.receiveTimestamp), cDelayResp: resp.header.correctionField })
      out.push({ atNs: s.t2, teNs: -scaledToNs(offset) })
    }
    return out
  }
  const delays: bigint[] = []
  for (const t of pdelayTriples(recorder, { domainNumber: o.domainNumber }).triples) {
    const r = t.response?.message
    const fu = t.followUp?.message
    if (t.request.direction !== 'out' || r?.type !== 'Pdelay_Resp' || t.request.timestampNs === null || t.response!.timestampNs === null) continue
    if (t.twoStep && fu?.type !== 'Pdelay_Resp_Follow_Up') continue
    const x: PdelayTimestamps = {
      t1: t.request.timestampNs,
      t2: t.twoStep ? timestampToNs(r.requestReceiptTimestamp) : 0n,
      t3: fu?.type === 'Pdelay_Resp_Follow_Up' ? timestampToNs(fu.responseOriginTimestamp) : 0n,
      t4: t.response!.timestampNs,
      cPdelayResp: r.header.correctionField,
      cPdelayRespFollowUp: fu?.type === 'Pdelay_Resp_Follow_Up' ? fu.header.correctionField : 0n,
    }
    delays.push(p2pMeanLinkDelay(x))
  }
  if (!delays.length) return []
  const linkDelay = [...delays].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(delays.length / 2)]!
  return syncs.map((s) => ({ atNs: s.t2, teNs: -scaledToNs(p2pOffsetFromMaster(s, linkDelay)) }))
}

/**
 * The time a master of ours sends, against the timestamp clock: the median of each Sync's origin
 * (Follow_Up's preciseOriginTimestamp when two-step) minus its own TX stamp. A PTP-timescale
 * grandmaster on a UTC timestamp clock sends it currentUtcOffset ahead; a time error judged
 * against that grandmaster's time removes this first. undefined when the recording holds none.
 */
export function masterTimeOffsetNs(recorder: Recorder, o: { sender: string; domainNumber: number }): bigint | undefined {
  const d = pairSyncFollowUp(recorder, { direction: 'out', domainNumber: o.domainNumber, sender: o.sender })
    .pairs.map(syncOrigin)
    .filter((x): x is NonNullable<typeof x> => x !== undefined)
    .map((x) => x.t1 - x.t2)
  return d.length ? medianNs(d) : undefined
}
