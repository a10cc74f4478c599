/**
 * P2P-06 — when a peer-delay port may be asCapable (802.1AS). The DUT is restarted as a master
 * alone on its link, and its partner answers only once the DUT has left LISTENING, so the
 * answers, not the announce timeout, decide when Sync starts. It must not send Sync before
 * neighborRateRatio is valid, which takes two completed Pdelay exchanges with the same responder
 * (802.1AS-2020 11.2.19.3.3: the ratio of the responder's to the requester's elapsed time between
 * two exchanges; 11.2.2: asCapable needs neighborRateRatioValid). Then the partner answers as
 * another port of the DUT's own clock (its clockIdentity): a response from the port's own
 * time-aware system is not an answer (11.2.2), so Sync must stop after allowedLostResponses + 1
 * of them, as for lost responses (P2P-05), and resume once the partner answers as itself again.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { type Check, conformance, formatNs, logIntervalToNs, type MutationRule, type Recorder, type RecordedFrame, TestMaster } from '../kit.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { dutPortFromPdelayReq, noPdelayReq, noSyncAsMaster, startAloneAsMaster, type AloneStart } from '../support/alone_as_master.ts'
import { inbound, syncResumesCheck, syncStopsCheck, waitForResumedSync, lostResponseSettings } from '../support/lost_responses.ts'
import { asCapableRule } from '../../harness/profiles/as_capable.ts'

export interface RateRatioData extends AloneStart {
  allowed: number
  logPdelayReqInterval: number
  dutPort?: PortIdentity
  /** When the partner answered under the DUT's clockIdentity, and when as itself again (timestamp clock). */
  ownFromNs?: bigint
  ownToNs?: bigint
  endNs?: bigint
  recorder?: Recorder
}

const SOURCE_RATIO = 'IEEE 802.1AS-2020 11.2.2 (asCapable needs neighborRateRatioValid), 11.2.19.3.3 (neighborRateRatio from two Pdelay exchanges), 10.2 (no Sync on a port that is not asCapable); Avnu gPTP 15.9'
const SOURCE_OWN = 'IEEE 802.1AS-2020 11.2.2 (responses from the port\'s own time-aware system are not answers), Figure 11-9 (lostResponses); Avnu gPTP 15.8'
/** Exchanges neighborRateRatio needs: two timestamp pairs from one responder. */
const RATIO_EXCHANGES = 2

/** The partner's rule while it answers as another port of the DUT's own clock (its clockIdentity, another portNumber). */
export function ownIdentityRules(dutPort: PortIdentity): MutationRule[] {
  const portNumber = dutPort.portNumber === 1 ? 2 : 1
  return [{ id: 'responder-is-dut', messageTypes: ['Pdelay_Resp', 'Pdelay_Resp_Follow_Up'], mutation: { kind: 'fields', overrides: { header: { sourcePortIdentity: { clockIdentity: dutPort.clockIdentity, portNumber } } } } }]
}

/** The harness's completed answers (Pdelay_Resp_Follow_Up sent) to the DUT before `beforeNs`. */
const completedBefore = (rec: Recorder | undefined, beforeNs: bigint): RecordedFrame[] =>
  (rec?.frames ?? []).filter((f) => f.direction === 'out' && f.message?.type === 'Pdelay_Resp_Follow_Up' && f.timestampNs !== null && f.timestampNs < beforeNs)

export function judgeRateRatioFirst(d: RateRatioData): Check {
  const first = d.firstSyncNs!
  const done = completedBefore(d.recorder, first)
  if (d.answersFromNs !== undefined && first < d.answersFromNs) {
    return { name: `no Sync before neighborRateRatio is valid (${RATIO_EXCHANGES} completed Pdelay exchanges)`, measured: 0, limit: `≥ ${RATIO_EXCHANGES}`, source: SOURCE_RATIO, verdict: 'fail', detail: `the DUT sent Sync ${formatNs(d.answersFromNs - first)} before any of its Pdelay_Req was answered: asCapable with no exchange at all` }
  }
  const name = `no Sync before neighborRateRatio is valid (${RATIO_EXCHANGES} completed Pdelay exchanges)`
  const detail = `first Sync #${inbound(d.recorder, 'Sync', first, first + 1n)[0]?.index ?? '?'}; the harness had completed ${done.length} exchange(s) before it${done.length ? ` (sequenceIds ${done.map((f) => f.message!.header.sequenceId).join(', ')})` : ''}`
  return { name, measured: done.length, limit: `≥ ${RATIO_EXCHANGES}`, source: SOURCE_RATIO, verdict: done.length >= RATIO_EXCHANGES ? 'pass' : 'fail', detail: done.length >= RATIO_EXCHANGES ? detail : `${detail}: asCapable before the rate ratio could be measured` }
}

export function judgeOwnResponses(d: RateRatioData): Check[] {
  const n = d.allowed
  const name = `every Pdelay_Req answered under the DUT's own clockIdentity: Sync goes on up to ${n} and stops after ${n + 1}`
  if (d.ownFromNs === undefined || d.ownToNs === undefined || d.endNs === undefined) {
    return [{ name, measured: 'not run', limit: 'the phase run', source: 'harness', verdict: 'inconclusive', detail: 'the acquisition ended before this phase' }]
  }
  // The clause is read as implementations read it (excelfore: "responses deemed from itself or another port of the same
  // instance should be ignored"); the standard's own wording is not in the reference, so the check says so.
  return [
    { ...syncStopsCheck(d.recorder, d.ownFromNs, d.ownToNs, { name, answered: "answered under the DUT's own clockIdentity", minBefore: n + 1, maxBefore: n + 2, source: SOURCE_OWN }), unconfirmed: true },
    syncResumesCheck(d.recorder, d.ownToNs, d.endNs, d.logPdelayReqInterval, SOURCE_OWN),
  ]
}

export default conformance<RateRatioData>({
  id: 'P2P-06',
  title: 'No Sync before neighborRateRatio is valid; responses under the DUT\'s own identity are not answers',
  area: 'P2P',
  clause: 'IEEE 802.1AS-2020 11.2.2 (asCapable), 11.2.19.3.3 (neighborRateRatio), 10.2',
  mapsTo: ['Avnu gPTP 15.8 (sourcePortIdentity), 15.9 (neighborRateRatio before asCapable)', 'excelfore md_pdelay_req_sm.c', 'linuxptp port.c port_capable (nrate.ratio_valid)'],
  tags: ['active', 'p2p', 'gptp', 'impairment'],
  severity: 'critical',
  fixture: 'dut-master',
  // Unanswered ~5 s, first Sync ~3 s later, (N + 5) Pdelay intervals + 1 s answered from the DUT's clock, then until Sync resumes (≤ 16 intervals).
  estimatedSeconds: 35,
  criteria: {
    pass: 'restarted with its Pdelay_Req unanswered until it has left LISTENING, the DUT sends its first Sync only after 2 completed Pdelay exchanges; answered under its own clockIdentity it sends Sync until N + 1 such answers (N + 1 or N + 2 requests before its last Sync, N = allowedLostResponses) and resumes within 16 intervals of valid answers',
    fail: 'Sync before 2 exchanges completed, a response from its own clockIdentity taken as an answer (Sync goes on), asCapable dropped early, or no resumption',
  },
  appliesTo: asCapableRule,
  async acquire(ctx) {
    const { allowed, logPdelayReqInterval: interval, intervalMs } = lostResponseSettings(ctx)
    // Unanswered until the DUT has left LISTENING (announce receipt timeout + 2 s): its first answers then decide asCapable.
    const s = ctx.session.dutSettings
    const listenMs = s.announceReceiptTimeout.value * Number(logIntervalToNs(s.intervals.announce.value) / 1_000_000n) + 2000
    const { handle, group, ...start } = await startAloneAsMaster(ctx, 'p2p-06', [], { answersAfterMs: listenMs })
    const data: RateRatioData = { allowed, logPdelayReqInterval: interval, ...start }
    const peer = (fn: (p: TestMaster) => void) => handle.driver.invoke(() => group.control<TestMaster>('link-peer', (p) => fn(p) ?? []))
    try {
      if (data.firstSyncNs === undefined) return { ...data, recorder: handle.recorder }
      await ctx.sleep(2000)
      const dutPort = dutPortFromPdelayReq(handle.recorder)
      if (dutPort === undefined) return { ...data, recorder: handle.recorder }
      data.dutPort = dutPort
      ctx.step(`the link partner answers under the DUT's clockIdentity ${dutPort.clockIdentity} (allowedLostResponses ${allowed})`)
      peer((p) => p.setMutations(ownIdentityRules(dutPort)))
      data.ownFromNs = systemTimeNs()
      await ctx.sleep((allowed + 5) * intervalMs + 1000)
      ctx.step('the link partner answers as itself again')
      peer((p) => p.setMutations([]))
      data.ownToNs = systemTimeNs()
      await waitForResumedSync(ctx, handle.recorder, data.ownToNs, intervalMs)
      data.endNs = systemTimeNs()
    } finally {
      await handle.close()
      await ctx.session.restartDut('master', ctx.signal)
    }
    return { ...data, recorder: handle.recorder }
  },
  judge(ev) {
    const none = noSyncAsMaster(ev.data, 'the DUT sends Sync as master while its Pdelay_Req are answered', SOURCE_RATIO) ?? noPdelayReq(ev.data, 'the DUT master sends Pdelay_Req', SOURCE_RATIO)
    if (none) return { checks: [none] }
    return { checks: [judgeRateRatioFirst(ev.data), ...judgeOwnResponses(ev.data)] }
  },
})
