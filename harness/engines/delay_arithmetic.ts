/**
 * The delay and offset equations of IEEE 1588-2019 11.3 (delay request-response) and
 * 11.4 (peer delay), with correctionField, in exact integer arithmetic.
 *
 * Timestamps are integer nanoseconds (bigint); correctionField values are scaled
 * nanoseconds (ns × 2^16, as on the wire). Results are scaled nanoseconds as well, so the
 * sub-nanosecond part of a correctionField is not lost; `scaledToNs` rounds for display.
 *
 *   t1  master sends Sync          (originTimestamp / preciseOriginTimestamp)
 *   t2  slave receives Sync
 *   t3  slave sends Delay_Req
 *   t4  master receives Delay_Req  (Delay_Resp.receiveTimestamp)
 *
 *   meanPathDelay    = [(t2 − t3) + (t4 − t1) − cSync − cFollowUp − cDelayResp] / 2     (11.3.2)
 *   offsetFromMaster = t2 − t1 − cSync − cFollowUp − meanPathDelay                      (11.3.2, 9.5)
 *                    = [(t2 − t1 − cSync − cFollowUp) − (t4 − t3 − cDelayResp)] / 2    (same exchange)
 *
 * Peer delay (requester t1, t4; responder t2, t3; r = neighborRateRatio):
 *   meanLinkDelay    = [r × (t4 − t1) − (t3 − t2) − cPdelayResp − cPdelayRespFollowUp] / 2  (11.4.2, 802.1AS 11.2.19)
 * With a one-step responder t2 = t3 = 0 on the wire and the turnaround is in cPdelayResp,
 * so the same formula holds.
 */
import { floorDiv } from './time_base.ts'

const SCALE = 65536n

/** ns × 2^16. */
export type ScaledNs = bigint

export function nsToScaled(ns: bigint): ScaledNs {
  return ns * SCALE
}

/** Scaled ns rounded to the nearest whole ns (halves away from zero). */
export function scaledToNs(s: ScaledNs): bigint {
  const neg = s < 0n
  const a = neg ? -s : s
  const r = (a + SCALE / 2n) / SCALE
  return neg ? -r : r
}

/** Scaled ns as a float number of ns, for statistics output only. */
export function scaledToNumber(s: ScaledNs): number {
  return Number(s) / 65536
}

export interface E2eTimestamps {
  t1: bigint
  t2: bigint
  t3: bigint
  t4: bigint
  /** Scaled ns. */
  cSync: ScaledNs
  /** Scaled ns; 0 for a one-step Sync. */
  cFollowUp: ScaledNs
  /** Scaled ns. */
  cDelayResp: ScaledNs
}

/** 1588-2019 11.3.2: mean path delay of one Sync + Delay_Req exchange. */
export function e2eMeanPathDelay(x: E2eTimestamps): ScaledNs {
  const twice = nsToScaled(x.t2 - x.t3 + (x.t4 - x.t1)) - x.cSync - x.cFollowUp - x.cDelayResp
  return floorDiv(twice, 2n)
}

/** offsetFromMaster of one Sync given a mean path delay. */
export function e2eOffsetFromMaster(
  x: Pick<E2eTimestamps, 't1' | 't2' | 'cSync' | 'cFollowUp'>,
  meanPathDelay: ScaledNs,
): ScaledNs {
  return nsToScaled(x.t2 - x.t1) - x.cSync - x.cFollowUp - meanPathDelay
}

/** offsetFromMaster of one complete exchange: [(t2 − t1 − cSync − cFU) − (t4 − t3 − cDelayResp)] / 2. */
export function e2eExchangeOffset(x: E2eTimestamps): ScaledNs {
  const ms = nsToScaled(x.t2 - x.t1) - x.cSync - x.cFollowUp
  const sm = nsToScaled(x.t4 - x.t3) - x.cDelayResp
  return floorDiv(ms - sm, 2n)
}

/** A rate ratio as an exact fraction num/den (both > 0). */
export interface RateRatio {
  num: bigint
  den: bigint
}

export const UNITY_RATE_RATIO: RateRatio = Object.freeze({ num: 1n, den: 1n })

/** (ratio − 1) in parts per billion, for output. */
export function rateRatioPpb(r: RateRatio): number {
  return (Number(r.num - r.den) * 1e9) / Number(r.den)
}

export function rateRatioNumber(r: RateRatio): number {
  return Number(r.num) / Number(r.den)
}

/** x × r, floor. */
export function applyRateRatio(x: ScaledNs, r: RateRatio): ScaledNs {
  return floorDiv(x * r.num, r.den)
}

export interface PdelayTimestamps {
  t1: bigint
  /** requestReceiptTimestamp (0 from a one-step responder). */
  t2: bigint
  /** responseOriginTimestamp (0 from a one-step responder). */
  t3: bigint
  t4: bigint
  cPdelayResp: ScaledNs
  /** 0 for a one-step responder. */
  cPdelayRespFollowUp: ScaledNs
}

/** 1588-2019 11.4.2 / 802.1AS 11.2.19.3.4: mean link delay in the requester's time base. */
export function p2pMeanLinkDelay(x: PdelayTimestamps, neighborRateRatio: RateRatio = UNITY_RATE_RATIO): ScaledNs {
  const requesterSpan = applyRateRatio(nsToScaled(x.t4 - x.t1), neighborRateRatio)
  const responderTurnaround = nsToScaled(x.t3 - x.t2) + x.cPdelayResp + x.cPdelayRespFollowUp
  return floorDiv(requesterSpan - responderTurnaround, 2n)
}

/**
 * neighborRateRatio from two peer-delay exchanges (802.1AS 11.2.19.3.3, as linuxptp computes
 * it): the responder's elapsed time over the requester's,
 *   r = [(t3 + c)ₙ − (t3 + c)₀] / (t4ₙ − t4₀),  c = cPdelayResp + cPdelayRespFollowUp.
 * Returns undefined when the requester's span is not positive.
 */
export function neighborRateRatio(earlier: PdelayTimestamps, later: PdelayTimestamps): RateRatio | undefined {
  const den = nsToScaled(later.t4 - earlier.t4)
  if (den <= 0n) return undefined
  const t3c = (x: PdelayTimestamps) => nsToScaled(x.t3) + x.cPdelayResp + x.cPdelayRespFollowUp
  const num = t3c(later) - t3c(earlier)
  if (num <= 0n) return undefined
  return { num, den }
}

/** offsetFromMaster of one Sync on a peer-delay port: t2 − t1 − cSync − cFollowUp − meanLinkDelay. */
export function p2pOffsetFromMaster(
  x: Pick<E2eTimestamps, 't1' | 't2' | 'cSync' | 'cFollowUp'>,
  meanLinkDelay: ScaledNs,
): ScaledNs {
  return e2eOffsetFromMaster(x, meanLinkDelay)
}
