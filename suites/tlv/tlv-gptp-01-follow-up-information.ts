/**
 * TLV-GPTP-01 — every Follow_Up of an 802.1AS grandmaster carries the Follow_Up information
 * TLV (organizationId 00-80-C2, subtype 1, lengthField 28) and its contents hold together:
 * the rate ratio it states (cumulativeScaledRateOffset) is the one the harness measures
 * between the DUT's preciseOriginTimestamps and its own clock, and lastGmPhaseChange /
 * scaledLastGmFreqChange change only with gmTimeBaseIndicator (a new time base).
 * In the lab both clocks read CLOCK_REALTIME, so the measured rate offset is ≈ 0.
 */
import type { FollowUpInfoTlv, FollowUpMessage, SyncMessage } from '../../harness/codec/types.ts'
import { conformance, dutFrames, type Observation, observationFault, observeDutMaster, timestampToNs, formatNs } from '../kit.ts'
import { orgIdentityChecks, presenceChecks, requiredTlv, watchOf } from '../support/tlv.ts'
import { median, medianStandardError } from '../../harness/stats/robust.ts'

const NAME = 'IEEE_802_1AS_FOLLOW_UP_INFO'
const SOURCE = 'IEEE 802.1AS-2020 11.4.4.3'
/** cumulativeScaledRateOffset = (rateRatio − 1) × 2^41 (802.1AS-2020 11.4.4.3.6). */
const SCALE = 2 ** 41
/** 802.1AS-2020 B.2.4: rate-ratio measurement error at most 0.1 ppm. */
const RATE_LIMIT = 0.1e-6
const RATE_SOURCE = 'IEEE 802.1AS-2020 11.4.4.3.6 ((rateRatio − 1)·2^41), B.2.4 (rate ratio within 0.1 ppm)'

export interface RateMeasurement {
  pairs: number
  spanS: number
  /** GM time rate relative to the harness clock, minus 1. */
  offset: number
  /** 3 × the standard error of that median slope (from the slopes' MAD). */
  uncertainty: number
  /** Pairs used after floor-packet selection (absent: too few windows, all pairs used). */
  selected?: number
}

/** Floor-packet selection window: the lab's latency pattern repeats with the 1 s Announce/Pdelay cadence. */
const SELECTION_WINDOW_NS = 1_000_000_000n
/** Windows needed before selection is used; fewer leave too few slopes to estimate their spread. */
const MIN_WINDOWS = 16

/**
 * Rate of the DUT's time (Follow_Up origin + correction) against the harness's arrival times of
 * the Syncs: the median of the slopes between each pair and the one half the recording later.
 * Robust where least squares is not: a receive delayed by a stalled vCPU (ms) moves one slope,
 * not the estimate (least squares turned two 5 ms stalls into a 78 ppm rate).
 * With enough Syncs only the fastest of each 1 s window is used (floor-packet selection, as
 * ITU-T G.8260 Appendix I's minimum-delay metrics): delays only ever add, and the lab's Sync
 * latencies fall in clusters by their place in that second (0.5, 6, 29 µs on one capture: all
 * pairs 0.059 ± 0.165 ppm, the fastest 0.004 ± 0.011 ppm). Where the latency itself wanders
 * (4–9 µs over 20 s on another) neither resolves 0.1 ppm: 0.139 ± 0.121 against 0.018 ± 0.287,
 * and only the second interval holds the true 0.
 */
export function measureRate(syncs: readonly { seq: number; rxNs: bigint }[], fups: readonly { seq: number; originNs: bigint }[]): RateMeasurement | undefined {
  const rx = new Map(syncs.map((s) => [s.seq, s.rxNs]))
  const all = fups.filter((f) => rx.has(f.seq)).map((f) => ({ x: rx.get(f.seq)!, y: f.originNs })).sort((a, b) => (a.x < b.x ? -1 : a.x > b.x ? 1 : 0))
  if (all.length < 4) return undefined
  const selected = fastestPerWindow(all)
  const pts = selected.length >= MIN_WINDOWS ? selected : all
  const x0 = pts[0]!.x
  const y0 = pts[0]!.y
  // Deviations in ns relative to the first pair: exact bigint differences, then floats for the statistics.
  const xs = pts.map((p) => Number(p.x - x0))
  const ds = pts.map((p, i) => Number(p.y - y0) - xs[i]!)
  const half = Math.floor(xs.length / 2)
  const slopes: number[] = []
  for (let i = 0; i < half; i++) {
    const dx = xs[i + half]! - xs[i]!
    if (dx > 0) slopes.push((ds[i + half]! - ds[i]!) / dx)
  }
  if (slopes.length < 2) return undefined
  const slope = median(slopes)
  const se = medianStandardError(slopes)
  return { pairs: all.length, selected: pts === all ? undefined : pts.length, spanS: (xs.at(-1)! - xs[0]!) / 1e9, offset: slope, uncertainty: 3 * se }
}

/** Per 1 s window from the first arrival, the pair with the least latency (arrival − origin). */
function fastestPerWindow(pts: readonly { x: bigint; y: bigint }[]): { x: bigint; y: bigint }[] {
  const best = new Map<bigint, { x: bigint; y: bigint }>()
  for (const p of pts) {
    const w = (p.x - pts[0]!.x) / SELECTION_WINDOW_NS
    const cur = best.get(w)
    if (!cur || p.x - p.y < cur.x - cur.y) best.set(w, p)
  }
  return [...best.values()]
}

export default conformance<{ observation: Observation }>({
  id: 'TLV-GPTP-01',
  title: 'Follow_Up information TLV in every Follow_Up, with consistent contents',
  area: 'TLV',
  clause: 'IEEE 802.1AS-2020 11.4.4.3',
  mapsTo: ['Avnu gPTP.com.c.11.x'],
  tags: ['passive', 'tlv', 'gptp', 'fast'],
  capturable: true,
  severity: 'critical',
  // Measured 2026-12-07: over the 20 s observation the lab's Sync latency wanders by 2–5 µs, so
  // the fault-free reference DUT's rate came out 0.018 ± 0.287 ppm in one selftest and
  // 0.004 ± 0.011 ppm in another; B.2.4's 0.1 ppm cannot be shown passed every time.
  referenceBaseline: () => 'its rate check (802.1AS B.2.4, 0.1 ppm) needs the Sync latency steady to ~1 µs over the 20 s observation; the lab\'s software timestamps wander 2–5 µs (rate ± up to 0.29 ppm), so a fault-free pass cannot be shown every time (the TLV and its faults are)',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every Follow_Up carries 00-80-C2/1 with lengthField 28, a cumulativeScaledRateOffset matching the measured rate ratio, and time-base fields that change only with gmTimeBaseIndicator',
    fail: 'a Follow_Up lacks the TLV, carries another OUI/subtype/length, states a rate ratio off the measured one, or changes phase/frequency-change fields without a new gmTimeBaseIndicator',
  },
  appliesTo: (p) => (requiredTlv(p, 'Follow_Up', NAME) ? true : `profile ${p.id} does not require the Follow_Up information TLV`),
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx) }
  },
  judge(ev, profile) {
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const ref = requiredTlv(profile, 'Follow_Up', NAME)
    const frames = dutFrames(ev.data.observation, ev.session.domainNumber)
    const { checks, found } = presenceChecks(frames, 'Follow_Up', NAME, ref?.source ?? SOURCE, watchOf(ev, 'Follow_Up'), ref?.unconfirmed)
    checks.push(...orgIdentityChecks(found.map((x) => x.frame.message!), 'Follow_Up information TLV', { organizationId: 0x0080c2, organizationSubType: 1, lengthFields: [28], source: `${SOURCE}.1–3` }))
    const withTlv = found.filter((x) => x.tlvs.length).map((x) => ({ m: x.frame.message as FollowUpMessage, t: x.tlvs[0] as FollowUpInfoTlv }))
    if (!withTlv.length) return { checks, measurements: { followUps: found.length, withTlv: 0 } }

    // Rate: what the TLV states against what the DUT's timestamps show.
    const syncs = frames.filter((f) => f.message?.type === 'Sync' && f.timestampNs !== null).map((f) => ({ seq: (f.message as SyncMessage).header.sequenceId, rxNs: f.timestampNs! }))
    const fups = withTlv.map(({ m }) => ({ seq: m.header.sequenceId, originNs: timestampToNs(m.preciseOriginTimestamp) + (m.header.correctionField >> 16n) }))
    const rate = measureRate(syncs, fups)
    const stated = withTlv.map(({ t }) => t.cumulativeScaledRateOffset / SCALE)
    const worst = stated.reduce((w, s) => (rate && Math.abs(s - rate.offset) > Math.abs(w - rate.offset) ? s : w), stated[0]!)
    if (!rate) {
      checks.push({ name: 'cumulativeScaledRateOffset agrees with the measured rate ratio', measured: null, limit: `|stated − measured| ≤ ${RATE_LIMIT * 1e6} ppm`, source: RATE_SOURCE, verdict: 'inconclusive', detail: `only ${Math.min(syncs.length, fups.length)} Sync/Follow_Up pairs with arrival times; 4 are needed to measure a rate` })
    } else {
      const diff = Math.abs(worst - rate.offset)
      // The rate is measured against the harness's clock: a reference only where both share it (the lab).
      // Pass within the slope's statistical error. Fail only beyond that plus what a drift of the
      // software path's latency can fake: either end of the recording may sit the time-error floor
      // from the wire, a slope of up to 2 × floor / span (a loaded lab showed 1.1 ppm from a 24 µs
      // drift over 21 s; judged on the statistical error alone that was a false FAIL).
      const floorSlope = (2 * Number(ev.noise.timeErrorFloorNs)) / (rate.spanS * 1e9)
      const noise = rate.uncertainty + floorSlope
      const lab = ev.session.mode === 'lab'
      const verdict = !lab ? 'not-applicable' : diff + rate.uncertainty <= RATE_LIMIT ? 'pass' : diff - noise > RATE_LIMIT ? 'fail' : 'inconclusive'
      checks.push({
        name: 'cumulativeScaledRateOffset agrees with the measured rate ratio',
        measured: +(diff * 1e6).toFixed(4),
        unit: 'ppm',
        limit: `≤ ${RATE_LIMIT * 1e6} ppm`,
        noise: +(rate.uncertainty * 1e6).toFixed(4),
        source: RATE_SOURCE,
        unconfirmed: true,
        verdict,
        detail: `stated ${(worst * 1e6).toFixed(4)} ppm (cumulativeScaledRateOffset ${Math.round(worst * SCALE)}), measured ${(rate.offset * 1e6).toFixed(4)} ppm ± ${(rate.uncertainty * 1e6).toFixed(4)} ppm (3σ of the median slope of preciseOriginTimestamp against harness arrival across half the recording, over ${rate.selected !== undefined ? `the fastest Sync of each second, ${rate.selected} of ${rate.pairs} pairs` : `${rate.pairs} pairs`}, ${rate.spanS.toFixed(1)} s); a failure must also exceed what twice the time-error floor ±${formatNs(ev.noise.timeErrorFloorNs)} over the span can fake (${(floorSlope * 1e6).toFixed(4)} ppm)${verdict === 'inconclusive' ? '; the harness cannot resolve the rate finely enough to decide' : ''}${verdict === 'not-applicable' ? '; the harness clock is not syntonized to the DUT outside the lab, so the measured rate is no reference' : ''}`,
      })
    }

    // Time-base fields: a phase or frequency change is reported together with a new gmTimeBaseIndicator.
    let silentChanges = 0
    let example = ''
    for (let i = 1; i < withTlv.length; i++) {
      const a = withTlv[i - 1]!.t
      const b = withTlv[i]!.t
      if (a.gmTimeBaseIndicator !== b.gmTimeBaseIndicator) continue
      if (a.lastGmPhaseChange !== b.lastGmPhaseChange || a.scaledLastGmFreqChange !== b.scaledLastGmFreqChange) {
        silentChanges++
        example ||= `Follow_Up #${withTlv[i]!.m.header.sequenceId}: lastGmPhaseChange ${a.lastGmPhaseChange}→${b.lastGmPhaseChange}, scaledLastGmFreqChange ${a.scaledLastGmFreqChange}→${b.scaledLastGmFreqChange} with gmTimeBaseIndicator ${b.gmTimeBaseIndicator}`
      }
    }
    checks.push({
      name: 'lastGmPhaseChange / scaledLastGmFreqChange change only with gmTimeBaseIndicator',
      measured: silentChanges,
      limit: `0 of ${withTlv.length - 1} consecutive pairs`,
      source: 'IEEE 802.1AS-2020 11.4.4.3.7–11.4.4.3.9, 9.2.2 (a time-base change updates gmTimeBaseIndicator)',
      verdict: silentChanges ? 'fail' : 'pass',
      ...(example ? { detail: example } : {}),
    })
    return {
      checks,
      measurements: {
        followUps: found.length,
        withTlv: withTlv.length,
        gmTimeBaseIndicators: [...new Set(withTlv.map(({ t }) => t.gmTimeBaseIndicator))],
        ...(rate ? { measuredRateOffsetPpm: rate.offset * 1e6, rateUncertaintyPpm: rate.uncertainty * 1e6, statedRateOffsetPpm: worst * 1e6 } : {}),
      },
    }
  },
})
