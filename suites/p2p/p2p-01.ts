/**
 * P2P-01 — the DUT answers the harness's Pdelay_Req: Pdelay_Resp (and, two-step, its
 * Pdelay_Resp_Follow_Up) echo requestingPortIdentity and sequenceId, the
 * requestReceiptTimestamp t2 is after the request left the harness, the turnaround
 * t3 − t2 is non-negative, one-step responders carry the turnaround in correctionField,
 * and the resulting mean link delay is plausible.
 */
import { timestampToNs } from '../../harness/time/timestamp.ts'
import { scaledToNs } from '../../harness/engines/delay_arithmetic.ts'
import { pdelayTriples } from '../../harness/recorder/pairing.ts'
import { conformance } from '../../harness/run/definition.ts'
import { type Check, exactCheck, judgeBound } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'

export default conformance({
  id: 'P2P-01',
  title: 'Pdelay_Resp fields and turnaround timestamps (one- and two-step)',
  area: 'P2P',
  clause: 'IEEE 1588-2019 11.4.2, 13.9, 13.10, 13.11',
  mapsTo: ['UNH PWR.c.2.2', 'UNH PWR.c.2.3', 'UNH PWR.c.2.4', 'UNH PWR.c.2.5', 'Avnu gPTP.com.c.15.x'],
  tags: ['passive', 'delay', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (p.delayMechanism.allowed.includes('P2P') ? true : `profile ${p.id} does not use the peer-delay mechanism`),
  async run(ctx) {
    if (ctx.session.delayMechanism !== 'P2P') return { checks: [], reason: 'the session runs the delay request-response mechanism' }
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const ours = o.harnessPort.clockIdentity
    const pairing = pdelayTriples(o.recorder.query({}).filter((f) => f.direction === 'in' || f.message?.header.sourcePortIdentity.clockIdentity === ours))
    const mine = pairing.triples.filter((t) => t.request.direction === 'out')
    const lastSent = mine.at(-1)
    const checks: Check[] = []
    const answered = mine.filter((t) => t.response)
    const unanswered = mine.filter((t) => !t.response && t !== lastSent)
    checks.push({ name: 'Pdelay_Req answered', measured: answered.length, limit: 'every request', source: 'IEEE 1588-2019 11.4.2', verdict: answered.length > 0 && unanswered.length === 0 ? 'pass' : 'fail', detail: unanswered.length ? `${unanswered.length} unanswered` : undefined })
    const orphans = pairing.orphanResponses.filter((f) => f.direction === 'in').length + pairing.orphanFollowUps.filter((f) => f.direction === 'in').length
    checks.push(exactCheck('responses matching no request (requestingPortIdentity / sequenceId)', orphans, 0, 'IEEE 1588-2019 13.10.2, 13.11.2'))
    const twoStep = answered.filter((t) => t.twoStep)
    const missingFup = twoStep.filter((t) => !t.followUp && t !== lastSent)
    checks.push(exactCheck('two-step responses without Pdelay_Resp_Follow_Up', missingFup.length, 0, 'IEEE 1588-2019 11.4.2 c) 8)'))
    checks.push(exactCheck('extra responses (several responders)', answered.reduce((n, t) => n + t.extraResponses.length, 0), 0, 'IEEE 802.1AS-2020 11.2.19.3.4 (multiple responses)'))

    const t2Margins: number[] = []
    const turnarounds: number[] = []
    const oneStepCorrection: number[] = []
    for (const t of answered) {
      const r = t.response!.message
      if (r?.type !== 'Pdelay_Resp' || t.request.timestampNs === null) continue
      if (t.twoStep) {
        const t2 = timestampToNs(r.requestReceiptTimestamp)
        t2Margins.push(Number(t2 - t.request.timestampNs))
        const fu = t.followUp?.message
        if (fu?.type === 'Pdelay_Resp_Follow_Up') turnarounds.push(Number(timestampToNs(fu.responseOriginTimestamp) - t2))
      } else {
        oneStepCorrection.push(Number(scaledToNs(r.header.correctionField)))
      }
    }
    const noise = Number(ctx.noiseNs)
    if (t2Margins.length) {
      const min = Math.min(...t2Margins)
      checks.push({ name: 'requestReceiptTimestamp after the request left the harness (smallest margin)', measured: min, unit: 'ns', limit: '> 0 ns', noise, source: 'IEEE 1588-2019 11.4.2 (t2 is the request\'s ingress time)', verdict: judgeBound(min, 0, noise, 'min') })
    }
    if (turnarounds.length) {
      const min = Math.min(...turnarounds)
      checks.push({ name: 'turnaround t3 − t2 (smallest)', measured: min, unit: 'ns', limit: '≥ 0 ns', source: 'IEEE 1588-2019 11.4.2', verdict: min >= 0 ? 'pass' : 'fail' })
    }
    if (oneStepCorrection.length) {
      const min = Math.min(...oneStepCorrection)
      checks.push({ name: 'one-step Pdelay_Resp turnaround in correctionField (smallest)', measured: min, unit: 'ns', limit: '≥ 0 ns', source: 'IEEE 1588-2019 11.4.2 c) 7)', verdict: min >= 0 ? 'pass' : 'fail' })
    }
    const exchanges = o.slave.pdelayExchanges
    if (exchanges.length) {
      const delays = exchanges.map((e) => Number(scaledToNs(e.meanLinkDelay)))
      const median = [...delays].sort((a, b) => a - b)[Math.floor(delays.length / 2)]!
      checks.push({ name: 'mean link delay (median) is non-negative', measured: median, unit: 'ns', limit: '≥ 0 ns', noise, source: 'IEEE 1588-2019 11.4.2', verdict: judgeBound(median, 0, noise, 'min') })
    }
    return { checks, measurements: { requests: mine.length, answered: answered.length, twoStep: twoStep.length, oneStep: answered.length - twoStep.length, meanLinkDelaySeriesNs: exchanges.map((e) => [String(e.t1), String(scaledToNs(e.meanLinkDelay))]) } }
  },
})
