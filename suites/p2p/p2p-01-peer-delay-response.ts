/**
 * P2P-01 — the DUT answers the harness's Pdelay_Req: Pdelay_Resp (and, two-step, its
 * Pdelay_Resp_Follow_Up) echo requestingPortIdentity and sequenceId; the responder's
 * turnaround (t3 − t2) + correctionFields is non-negative — whether it carries timestamps,
 * or (permitted, 1588-2019 11.4.2 c) 7)/8)) zero timestamps with the turnaround in
 * correctionField; and the mean link delay computed from the recording (11.4.2) is
 * non-negative and within the profile's bound (802.1AS neighborPropDelayThresh). Where DUT and
 * harness share a time base (the lab), t2 lies after the request left and the one-way delays
 * t2 − t1 and t4 − t3 agree (a wrong t2 or t3 shows there; the link delay is their mean).
 */
import { type Check, conformance, exactCheck, formatNs, judgeBound, type Observation, observationFault, observeDutMaster, timestampToNs } from '../kit.ts'
import { p2pMeanLinkDelay, scaledToNs } from '../../harness/engines/delay_arithmetic.ts'
import { pdelayTriples } from '../../harness/recorder/pairing.ts'
import { madNs, MAD_TO_SIGMA, medianNs, medianStandardErrorNs } from '../../harness/stats/robust.ts'


export default conformance<{ observation: Observation }>({
  id: 'P2P-01',
  title: 'Pdelay_Resp fields and turnaround timestamps (one- and two-step)',
  area: 'P2P',
  clause: 'IEEE 1588-2019 11.4.2, 13.9, 13.10, 13.11',
  mapsTo: ['UNH PWR.c.2.2', 'UNH PWR.c.2.3', 'UNH PWR.c.2.4', 'UNH PWR.c.2.5', 'Avnu gPTP.com.c.15.x'],
  tags: ['passive', 'delay', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every Pdelay_Req answered once with echoed identity and sequenceId (and a Follow_Up when two-step); turnaround ≥ 0; mean link delay ≥ 0 and within the profile bound; in the lab, t2 after t1 and the one-way delays agree in both directions',
    fail: 'a request unanswered, a response matching no request, a missing Follow_Up, several responders, a negative turnaround, or a link delay below 0 or above the bound',
  },
  appliesTo: (p) => (p.delayMechanism.allowed.includes('P2P') ? true : `profile ${p.id} does not use the peer-delay mechanism`),
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx) }
  },
  judge(ev, profile) {
    if (ev.session.delayMechanism !== 'P2P') return { checks: [], reason: 'the session runs the delay request-response mechanism' }
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const o = ev.data.observation
    const noise = Number(ev.noise.ns)
    const lab = ev.session.mode === 'lab'
    const pairing = pdelayTriples(o.recorder)
    const mine = pairing.triples.filter((t) => t.request.direction === 'out')
    const lastSent = mine.at(-1)
    const answered = mine.filter((t) => t.response)
    const unanswered = mine.filter((t) => !t.response && t !== lastSent)
    const checks: Check[] = [
      { name: 'Pdelay_Req answered', measured: answered.length, limit: 'every request', source: 'IEEE 1588-2019 11.4.2', verdict: answered.length > 0 && unanswered.length === 0 ? 'pass' : 'fail', ...(unanswered.length ? { detail: `${unanswered.length} of ${mine.length} unanswered` } : answered.length ? {} : { detail: `${mine.length} requests sent, none answered` }) },
      exactCheck('responses matching no request (requestingPortIdentity / sequenceId)', pairing.orphanResponses.filter((f) => f.direction === 'in').length + pairing.orphanFollowUps.filter((f) => f.direction === 'in').length, 0, 'IEEE 1588-2019 13.10.2, 13.11.2'),
      exactCheck('two-step responses without Pdelay_Resp_Follow_Up', answered.filter((t) => t.twoStep && !t.followUp && t !== lastSent).length, 0, 'IEEE 1588-2019 11.4.2 c) 8)'),
      exactCheck('extra responses (several responders)', answered.reduce((n, t) => n + t.extraResponses.length, 0), 0, 'IEEE 802.1AS-2020 11.2.19.3.4 (multiple responses)'),
    ]

    const turnarounds: bigint[] = []
    const linkDelays: bigint[] = []
    const t2Margins: bigint[] = []
    const asymmetry: bigint[] = []
    for (const t of answered) {
      const r = t.response!.message
      const fu = t.followUp?.message
      if (r?.type !== 'Pdelay_Resp' || t.request.timestampNs === null || t.response!.timestampNs === null) continue
      if (t.twoStep && fu?.type !== 'Pdelay_Resp_Follow_Up') continue
      const x = {
        t1: t.request.timestampNs,
        t2: t.twoStep ? timestampToNs(r.requestReceiptTimestamp) : 0n,
        t3: t.twoStep && fu?.type === 'Pdelay_Resp_Follow_Up' ? timestampToNs(fu.responseOriginTimestamp) : 0n,
        t4: t.response!.timestampNs,
        cPdelayResp: r.header.correctionField,
        cPdelayRespFollowUp: fu?.type === 'Pdelay_Resp_Follow_Up' ? fu.header.correctionField : 0n,
      }
      turnarounds.push(x.t3 - x.t2 + scaledToNs(x.cPdelayResp + x.cPdelayRespFollowUp))
      linkDelays.push(scaledToNs(p2pMeanLinkDelay(x)))
      // A responder that sends timestamps (not the zero-timestamp option) can be compared with the harness's clock.
      if (x.t2 !== 0n && x.t3 !== 0n) {
        t2Margins.push(x.t2 - x.t1)
        asymmetry.push(x.t2 - x.t1 - (x.t4 - x.t3))
      }
    }
    if (turnarounds.length) {
      const min = turnarounds.reduce((a, b) => (b < a ? b : a))
      checks.push({ name: 'responder turnaround (t3 − t2) + correctionFields (smallest)', measured: Number(min), unit: 'ns', limit: '≥ 0 ns', source: 'IEEE 1588-2019 11.4.2 c) 7), 8) (timestamps, or zero timestamps with the turnaround in correctionField)', verdict: min >= 0n ? 'pass' : 'fail' })
    }
    if (linkDelays.length) {
      const med = Number(medianNs(linkDelays))
      // A median of n exchanges is judged with its own uncertainty, not one timestamp's ±: 3 × the
      // standard error of the median from the exchanges' spread (a 5 µs link delay under ±6 µs
      // per-timestamp noise is resolved by 24 exchanges).
      const medianSe = Math.round(medianStandardErrorNs(linkDelays))
      checks.push({
        name: 'mean link delay (median) is non-negative',
        measured: med,
        unit: 'ns',
        limit: '≥ 0 ns',
        noise: 3 * medianSe,
        source: 'IEEE 1588-2019 11.4.2',
        verdict: judgeBound(med, 0, 3 * medianSe, 'min'),
        detail: `median of ${linkDelays.length} exchanges; ± = 3 × standard error of the median (1.2533 × 1.4826 × MAD ${formatNs(madNs(linkDelays))} / √${linkDelays.length})`,
      })
      const thresh = profile.peerDelay?.neighborPropDelayThreshNs
      if (thresh) {
        // The lab may raise the threshold on purpose (software timestamps on veth exceed 802.1AS's 800 ns):
        // lab.outsideProfile says so with its reason, and the lab's value is the bound there.
        const raised = ev.dut.mode === 'lab' ? profile.lab.outsideProfile.find((x) => x.key === 'neighborPropDelayThresh') : undefined
        const labValue = raised ? Number(profile.lab.ptp4l.neighborPropDelayThresh) : NaN
        const bound = Number.isFinite(labValue) ? labValue : thresh.value
        const floorNs = Number(ev.noise.timeErrorFloorNs)
        checks.push({
          name: 'mean link delay (median) within neighborPropDelayThresh',
          measured: med,
          unit: 'ns',
          limit: `≤ ${bound} ns${bound !== thresh.value ? ` (the lab's value; the profile's is ${thresh.value} ns)` : ''}`,
          // An absolute latency, not a spread: the harness's t1/t4 may sit up to the time-error
          // floor from the frames' true passage, so that floor (not the per-timestamp ±) is its noise.
          noise: floorNs,
          source: thresh.source,
          unconfirmed: thresh.unconfirmed,
          verdict: judgeBound(med, bound, floorNs, 'max'),
          detail: `${bound !== thresh.value ? `lab.outsideProfile: ${raised!.reason.trim()}; ` : ''}harness time-error floor ±${formatNs(ev.noise.timeErrorFloorNs)} (${ev.noise.method}); the DUT's own t2/t3 timestamping is part of what is judged`,
        })
      }
    }
    if (t2Margins.length) {
      const minT2 = Number(t2Margins.reduce((a, b) => (b < a ? b : a)))
      const medT2 = Number(medianNs(t2Margins))
      const sameClock = lab ? {} : { verdict: 'not-applicable' as const, detail: 'the DUT\'s clock and the harness\'s are not one time base on a device' }
      // One exchange clearly before its request fails at once; otherwise the systematic margin (the
      // median) decides: the smallest of many noisy margins is biased low by the noise itself.
      const clearlyBefore = minT2 < -noise
      checks.push({
        name: 'requestReceiptTimestamp after the request left the harness (median margin)',
        measured: clearlyBefore ? minT2 : medT2,
        unit: 'ns',
        limit: '> 0 ns (and no exchange below −noise)',
        noise,
        source: 'IEEE 1588-2019 11.4.2 (t2 is the request\'s ingress time)',
        verdict: clearlyBefore ? 'fail' : judgeBound(medT2, 0, noise, 'min'),
        detail: `median ${formatNs(BigInt(medT2))}, smallest ${formatNs(BigInt(minT2))} over ${t2Margins.length} exchanges; lab clocks share CLOCK_REALTIME, so this is the one-way latency; harness noise ±${formatNs(ev.noise.ns)} (${ev.noise.method})`,
        ...sameClock,
      })
      // t2 − t1 and t4 − t3 cross the same link: on one clock they agree, so their difference exposes a wrong t2 or t3
      // (the link delay itself cannot: it is their mean). The window is zero widened by measured noise: each side may sit
      // the time-error floor from the wire, and software paths differ by direction under load, which the spread of the
      // samples themselves measures (a wrong timestamp shifts them all and leaves the spread alone).
      const gap = Number(medianNs(asymmetry))
      const floor = 2 * Number(ev.noise.timeErrorFloorNs)
      const spread = Math.round(3 * MAD_TO_SIGMA * Number(madNs(asymmetry)))
      const window = Math.max(floor, spread)
      const allowance = Number(ev.noise.pathAsymmetryNs ?? 0n)
      checks.push({
        name: 'one-way delays agree in both directions on the shared clock (median of (t2 − t1) − (t4 − t3))',
        measured: gap,
        unit: 'ns',
        limit: `0 ± ${formatNs(BigInt(window))} (${window === floor ? 'twice the harness time-error floor' : 'the samples\' own spread, 3 × 1.4826 × MAD'})`,
        noise: window,
        source: 'IEEE 1588-2019 11.4.2 (t2, t3 are the responder\'s ingress and egress times); a veth link is symmetric',
        // Beyond the window by no more than the path asymmetry the noise allows: undecided, not the DUT's fault.
        verdict: Math.abs(gap) <= window ? 'pass' : Math.abs(gap) <= window + allowance ? 'inconclusive' : 'fail',
        detail: `${asymmetry.length} exchanges; twice the time-error floor ${formatNs(BigInt(floor))} (${ev.noise.method}); spread of the samples ±${formatNs(BigInt(spread))}${Math.abs(gap) > window && Math.abs(gap) <= window + allowance ? `; within the ${formatNs(BigInt(allowance))} path asymmetry the harness noise allows beyond the window, so the harness cannot tell it from a wrong t2 or t3` : ''}`,
        ...sameClock,
      })
    }
    return { checks, measurements: { requests: mine.length, answered: answered.length, twoStep: answered.filter((t) => t.twoStep).length, meanLinkDelaysNs: linkDelays.map(String) } }
  },
})
