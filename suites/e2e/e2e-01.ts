/**
 * E2E-01 — the DUT master answers the harness's Delay_Req: each Delay_Resp echoes
 * requestingPortIdentity and sequenceId, and its receiveTimestamp is after the
 * harness's TX timestamp of the request (judged with the harness's noise: a kernel
 * software timestamp on veth is a few µs from the wire, so a tight margin is
 * reported inconclusive rather than passed).
 */
import { timestampToNs } from '../../harness/time/timestamp.ts'
import { scaledToNs } from '../../harness/engines/delay_arithmetic.ts'
import { pairDelayReqResp } from '../../harness/recorder/pairing.ts'
import { conformance } from '../../harness/run/definition.ts'
import { type Check, exactCheck, judgeBound } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { formatNs } from '../../harness/time/format.ts'

export default conformance({
  id: 'E2E-01',
  title: 'Delay_Resp echoes the request and timestamps after its transmission',
  area: 'E2E',
  clause: 'IEEE 1588-2019 11.3.2, 13.8',
  mapsTo: ['facebook/time ptp/linearizability'],
  tags: ['passive', 'delay', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (p.delayMechanism.allowed.includes('E2E') && !p.unusedMessages.some((u) => u.message === 'Delay_Resp') ? true : `profile ${p.id} does not use the delay request-response mechanism`),
  async run(ctx) {
    if (ctx.session.delayMechanism !== 'E2E') return { checks: [], reason: 'the session runs the peer-delay mechanism' }
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const pairing = pairDelayReqResp(o.recorder)
    const lastSent = o.recorder.byType('Delay_Req', { direction: 'out' }).at(-1)
    // The last request may still have been in flight when the recording stopped.
    const unanswered = pairing.unanswered.filter((f) => f !== lastSent)
    const checks: Check[] = []
    const answered = pairing.pairs.filter((p) => p.responses.length > 0)
    checks.push({ name: 'Delay_Req answered', measured: answered.length, limit: `all ${pairing.pairs.length - (pairing.unanswered.includes(lastSent!) ? 1 : 0)} requests`, source: 'IEEE 1588-2019 11.3.2 c)', verdict: unanswered.length === 0 && answered.length > 0 ? 'pass' : 'fail', detail: unanswered.length ? `${unanswered.length} requests unanswered` : undefined })
    checks.push(exactCheck('Delay_Resp with a requestingPortIdentity or sequenceId matching no request', pairing.orphanResponses.length, 0, 'IEEE 1588-2019 11.3.2 d), 13.8.2.2'))
    const dup = answered.filter((p) => p.responses.length > 1).length
    checks.push(exactCheck('requests answered more than once', dup, 0, 'IEEE 1588-2019 11.3.2'))

    // receiveTimestamp (t4, DUT clock) − harness TX timestamp (t3); the true offset of the lab clocks is 0.
    const margins: bigint[] = []
    for (const p of answered) {
      const resp = p.responses[0]!.message
      if (resp?.type !== 'Delay_Resp' || p.request.timestampNs === null) continue
      const t4 = timestampToNs(resp.receiveTimestamp) + scaledToNs(resp.header.correctionField)
      margins.push(t4 - p.request.timestampNs)
    }
    if (margins.length) {
      const min = margins.reduce((a, b) => (b < a ? b : a))
      checks.push({
        name: 'receiveTimestamp after the request left the harness (smallest margin)',
        measured: Number(min),
        unit: 'ns',
        limit: '> 0 ns',
        noise: Number(ctx.noiseNs),
        source: 'IEEE 1588-2019 11.3.2 (t4 is the request\'s ingress time)',
        verdict: judgeBound(Number(min), 0, Number(ctx.noiseNs), 'min'),
        detail: ctx.session.mode === 'lab' ? `lab clocks share CLOCK_REALTIME, so this is the one-way latency; harness noise ±${formatNs(ctx.noiseNs)}` : undefined,
      })
    }
    return { checks, measurements: { requests: pairing.pairs.length, answered: answered.length, delayRespMarginSeriesNs: answered.map((p, i) => [String(p.request.timestampNs ?? 0n), String(margins[i] ?? 0n)]) } }
  },
})
