/**
 * E2E-01 — the DUT master answers the harness's Delay_Req: every request gets exactly one
 * Delay_Resp echoing its requestingPortIdentity and sequenceId, and (where the DUT and the
 * harness share a time base: the lab) the request's ingress time t4 = receiveTimestamp −
 * correctionField (1588-2019 11.3.2) lies after the harness's TX timestamp t3. A margin
 * within the harness's measured noise is inconclusive, never a pass.
 */
import { type Check, conformance, exactCheck, formatNs, judgeBound, type Observation, observationFault, observeDutMaster, pairDelayReqResp, timestampToNs } from '../kit.ts'
import { scaledToNs } from '../../harness/engines/delay_arithmetic.ts'
import { medianStandardErrorNs, medianStandardErrorOf } from '../../harness/stats/robust.ts'

export default conformance<{ observation: Observation }>({
  id: 'E2E-01',
  title: 'Delay_Resp echoes the request and timestamps after its transmission',
  area: 'E2E',
  clause: 'IEEE 1588-2019 11.3.2, 13.8',
  mapsTo: ['facebook/time ptp/linearizability'],
  tags: ['passive', 'delay', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every Delay_Req gets one Delay_Resp with its requestingPortIdentity and sequenceId; in the lab, t4 = receiveTimestamp − correctionField is after the request left the harness',
    fail: 'a request unanswered or answered twice, a Delay_Resp matching no request, or (lab) t4 before the request was sent, clearly for one exchange or systematically',
  },
  appliesTo: (p) => (p.delayMechanism.allowed.includes('E2E') && !p.unusedMessages.some((u) => u.message === 'Delay_Resp') ? true : `profile ${p.id} does not use the delay request-response mechanism`),
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx) }
  },
  judge(ev, profile) {
    if (ev.session.delayMechanism !== 'E2E') return { checks: [], reason: 'the session runs the peer-delay mechanism' }
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const o = ev.data.observation
    const pairing = pairDelayReqResp(o.recorder, { domainNumber: ev.session.domainNumber })
    const ours = pairing.pairs.filter((p) => p.request.direction === 'out')
    const lastSent = ours.at(-1)?.request
    // The last request may still have been in flight when the recording stopped.
    const unanswered = pairing.unanswered.filter((f) => f.direction === 'out' && f !== lastSent)
    const answered = ours.filter((p) => p.responses.length > 0)
    const asked = ours.length - (lastSent && pairing.unanswered.includes(lastSent) ? 1 : 0)
    const checks: Check[] = [
      {
        name: 'Delay_Req answered',
        measured: answered.length,
        limit: `all ${asked} requests`,
        source: 'IEEE 1588-2019 11.3.2 c)',
        verdict: unanswered.length === 0 && answered.length > 0 ? 'pass' : 'fail',
        ...(unanswered.length ? { detail: `${unanswered.length} unanswered, sequenceIds ${unanswered.slice(0, 8).map((f) => f.message!.header.sequenceId).join(', ')}` } : answered.length ? {} : { detail: `${ours.length} requests sent, none answered` }),
      },
      {
        ...exactCheck('Delay_Resp with a requestingPortIdentity or sequenceId matching no request', pairing.orphanResponses.length, 0, 'IEEE 1588-2019 11.3.2 d), 13.8.2.2'),
        ...(pairing.orphanResponses.length
          ? { detail: pairing.orphanResponses.slice(0, 4).map((f) => { const m = f.message as Extract<typeof f.message, { type: 'Delay_Resp' }>; return `sequenceId ${m.header.sequenceId} for ${m.requestingPortIdentity.clockIdentity}/${m.requestingPortIdentity.portNumber}` }).join('; ') }
          : {}),
      },
      exactCheck('requests answered more than once', answered.filter((p) => p.responses.length > 1).length, 0, 'IEEE 1588-2019 11.3.2'),
    ]

    // t4 (ingress of the request, DUT clock) − t3 (its TX timestamp, harness clock), request and margin kept together.
    const margins: { sequenceId: number; t3: bigint; marginNs: bigint }[] = []
    for (const p of answered) {
      const resp = p.responses[0]!.message
      if (resp?.type !== 'Delay_Resp' || p.request.timestampNs === null) continue
      const t4 = timestampToNs(resp.receiveTimestamp) - scaledToNs(resp.header.correctionField)
      margins.push({ sequenceId: resp.header.sequenceId, t3: p.request.timestampNs, marginNs: t4 - p.request.timestampNs })
    }
    if (margins.length) {
      const min = margins.reduce((a, b) => (b.marginNs < a.marginNs ? b : a))
      const sorted = margins.map((m) => m.marginNs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      const median = sorted[Math.floor(sorted.length / 2)]!
      const lab = ev.session.mode === 'lab'
      const noise = Number(ev.noise.ns)
      // One exchange clearly before its request fails at once; otherwise the systematic margin (the
      // median) decides, since the smallest of many noisy margins is biased low by the noise itself.
      const clearlyBefore = Number(min.marginNs) < -noise
      // The median's ± is 3 standard errors of a median: from the margins' own spread, and never less
      // than the per-timestamp ± allows for n exchanges (one timestamp's ± would leave a 7 µs median
      // of 23 margins undecided against ±8.5 µs, as 2 of 10 lab runs did on 2026-12-07).
      const seNs = Math.max(medianStandardErrorNs(sorted), medianStandardErrorOf(noise / 3, sorted.length))
      const tolerance = 3 * seNs
      checks.push({
        name: 'receiveTimestamp − correctionField after the request left the harness (median margin)',
        measured: Number(clearlyBefore ? min.marginNs : median),
        unit: 'ns',
        limit: '> 0 ns (and no exchange below −noise)',
        noise: clearlyBefore ? noise : Math.round(tolerance),
        source: 'IEEE 1588-2019 11.3.2 (t4 is the request\'s ingress time; correctionField is subtracted)',
        // Comparing the DUT's clock with the harness's is meaningful only on a shared time base.
        verdict: !lab ? 'not-applicable' : clearlyBefore ? 'fail' : judgeBound(Number(median), 0, tolerance, 'min'),
        detail: lab
          ? `${clearlyBefore ? `sequenceId ${min.sequenceId}: t4 ${formatNs(-min.marginNs)} before t3; ` : ''}median ${formatNs(median)} ± ${formatNs(BigInt(Math.round(tolerance)))} (3 × standard error of the median), smallest ${formatNs(min.marginNs)} (sequenceId ${min.sequenceId}) over ${margins.length} exchanges; lab clocks share CLOCK_REALTIME, so this is the one-way latency; harness noise ±${formatNs(ev.noise.ns)} per timestamp (${ev.noise.method})`
          : 'the DUT\'s clock and the harness\'s are not one time base on a device: t4 − t3 includes their offset',
      })
    }
    return { checks, measurements: { requests: ours.length, answered: answered.length, delayRespMarginsNs: margins.map((m) => [m.sequenceId, String(m.t3), String(m.marginNs)]) } }
  },
})
