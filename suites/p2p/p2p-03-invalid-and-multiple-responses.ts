/**
 * P2P-03 — invalid and multiple Pdelay responses (802.1AS): the DUT, a master alone on its link,
 * sends Sync while its link partner answers its Pdelay_Req. Then, in turn, the partner answers
 * with a wrong requestingPortIdentity (the DUT's clock, another port), with a wrong sequenceId,
 * and 1.5 intervals late (after the next request), each followed by correct answers again;
 * last, a second responder answers every request as well.
 *
 * A requester takes a response only when both fields match its request (802.1AS-2020 11.2.19.3,
 * Figure 11-9; 1588-2019 11.4.2), and a new request abandons the previous one (Figure 11-9), so
 * an invalid or late answer is a lost response: Sync must stop after
 * allowedLostResponses + 1 of them, as in P2P-05, and resume once answers are valid again. A
 * second Pdelay_Resp to one request sends the requester to RESET (Figure 11-9), so a link with
 * two responders is not asCapable either: Sync must stop by allowedLostResponses + 2 such
 * requests. Earlier is conformant too (linuxptp drops asCapable on the first doubled answer,
 * before its next Sync; Avnu's plan after 3, then ceases Pdelay_Req for 5 minutes), so no
 * resumption is judged after it.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { type Check, conformance, logIntervalToNs, type MutationRule, type Recorder, TestMaster } from '../kit.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { dutPortFromPdelayReq, noPdelayReq, noSyncAsMaster, startAloneAsMaster, type AloneStart } from '../support/alone_as_master.ts'
import { masterConfig } from '../support/grandmasters.ts'
import { inbound, RESUME_EXCHANGES, syncResumesCheck, syncStopsCheck, waitForResumedSync, lostResponseSettings } from '../support/lost_responses.ts'
import { asCapableRule } from '../../harness/profiles/as_capable.ts'

export type ResponseFault = 'requestingPortIdentity' | 'sequenceId' | 'late' | 'multiple'
/** The faults the link partner itself commits (the last phase adds a second responder instead). */
export type AnswerFault = Exclude<ResponseFault, 'multiple'>

export interface ResponsePhase {
  fault: ResponseFault
  /** When the faulty answers began and ended (timestamp clock). */
  fromNs: bigint
  toNs: bigint
  /** The end of the watch for Sync resuming (the invalid-answer phases). */
  endNs?: bigint
}

export interface FaultyResponsesData extends AloneStart {
  allowed: number
  logPdelayReqInterval: number
  /** The DUT's port, from its first Pdelay_Req: the wrong requestingPortIdentity differs from it in portNumber only. */
  dutPort?: PortIdentity
  phases: ResponsePhase[]
  recorder?: Recorder
}

const SOURCE_INVALID = 'IEEE 802.1AS-2020 11.2.19.3 and Figure 11-9 (a Pdelay_Resp whose requestingPortIdentity or sequenceId does not match the request is not an answer: lostResponses counts), 10.2 (no Sync on a port that is not asCapable); Avnu gPTP 15.2, 15.4'
const SOURCE_MULTIPLE = 'IEEE 802.1AS-2020 Figure 11-9 (a second Pdelay_Resp to one Pdelay_Req: RESET), 11.2.2 (asCapable); Avnu gPTP 15.7, 18.1'

/** The harness clock index of the second responder (the link peer is 0, emulated grandmasters from 1). */
const SECOND_PEER_IDENTITY = 9

const DESCRIBE: Record<ResponseFault, string> = {
  requestingPortIdentity: 'answered with a wrong requestingPortIdentity',
  sequenceId: 'answered with a wrong sequenceId',
  late: 'answered after the next request',
  multiple: 'answered by two responders',
}

/** How late a late answer is, in Pdelay_Req intervals: after the next request, well before the one after. */
const LATE_INTERVALS = 1.5

/** The link peer's rules for an invalid-answer phase (`intervalNs`: the DUT's Pdelay_Req interval). */
export function invalidAnswerRules(fault: AnswerFault, dutPort: PortIdentity, intervalNs: bigint): MutationRule[] {
  const types = ['Pdelay_Resp', 'Pdelay_Resp_Follow_Up'] as const
  // The Follow_Up goes out on its Pdelay_Resp's TX timestamp: delaying the response delays both.
  if (fault === 'late') return [{ id: 'late-answer', messageTypes: ['Pdelay_Resp'], mutation: { kind: 'delay', ns: (intervalNs * BigInt(LATE_INTERVALS * 10)) / 10n } }]
  if (fault === 'sequenceId') return [{ id: 'wrong-sequence-id', messageTypes: [...types], mutation: { kind: 'sequenceId', delta: 0x100 } }]
  const portNumber = dutPort.portNumber === 1 ? 2 : 1
  return [{ id: 'wrong-requesting-port', messageTypes: [...types], mutation: { kind: 'fields', overrides: { requestingPortIdentity: { clockIdentity: dutPort.clockIdentity, portNumber } } } }]
}

export function judgeFaultyResponses(d: FaultyResponsesData): Check[] {
  const n = d.allowed
  const T = logIntervalToNs(d.logPdelayReqInterval)
  const checks: Check[] = []
  const faults: ResponseFault[] = ['requestingPortIdentity', 'sequenceId', 'late', 'multiple']
  for (const fault of faults) {
    const ph = d.phases.find((p) => p.fault === fault)
    const multiple = fault === 'multiple'
    const name = multiple
      ? `every Pdelay_Req ${DESCRIBE.multiple}: Sync stops by ${n + 2} such requests`
      : `every Pdelay_Req ${DESCRIBE[fault]}: Sync goes on up to ${n} and stops after ${n + 1}`
    const source = multiple ? SOURCE_MULTIPLE : SOURCE_INVALID
    if (!ph) {
      checks.push({ name, measured: 'not run', limit: 'the phase run', source: 'harness', verdict: 'inconclusive', detail: 'the acquisition ended before this phase' })
      continue
    }
    // A phase can only show Sync stopping if Sync ran when it began (an earlier phase's DUT may not have resumed).
    // Two responders may be detected at once, on the first doubled answer (linuxptp: its last Sync comes before
    // the next request), so no fewest count applies there; lost and invalid answers are noticed at the next request.
    if (!inbound(d.recorder, 'Sync', ph.fromNs - T, ph.fromNs).length) {
      checks.push({ name, measured: 'no Sync before the phase', limit: 'Sync running when the phase began', source, verdict: 'inconclusive', detail: `the DUT sent no Sync in the ${Number(T) / 1e9} s before this phase began, so its stopping cannot be seen (an earlier phase's resumption check says why)` })
      continue
    }
    checks.push(syncStopsCheck(d.recorder, ph.fromNs, ph.toNs, { name, answered: DESCRIBE[fault], minBefore: multiple ? 0 : n + 1, maxBefore: n + 2, source }))
    if (!multiple && ph.endNs !== undefined) {
      checks.push(syncResumesCheck(d.recorder, ph.toNs, ph.endNs, d.logPdelayReqInterval, SOURCE_INVALID, `valid answers again after the ${fault} phase: Sync resumes within ${RESUME_EXCHANGES} Pdelay_Req intervals`))
    }
  }
  return checks
}

export default conformance<FaultyResponsesData>({
  id: 'P2P-03',
  title: 'Invalid Pdelay responses count as lost; two responders make the link not asCapable',
  area: 'P2P',
  clause: 'IEEE 802.1AS-2020 11.2.19 (MDPdelayReq, Figure 11-9), 11.2.2 (asCapable), 10.2',
  mapsTo: ['Avnu gPTP 15.2, 15.4 (invalid responses), 15.7 and 18.1 (multiple responses)', 'excelfore md_pdelay_req_sm.c', 'linuxptp port.c process_pdelay_resp'],
  tags: ['active', 'p2p', 'gptp', 'impairment'],
  severity: 'critical',
  fixture: 'dut-master',
  // Start ~5 s; each of 3 invalid-answer phases (N + 5) Pdelay intervals + 1 s, then until Sync resumes (~3 s); the two-responder phase (N + 5) + 1 s.
  estimatedSeconds: 75,
  criteria: {
    pass: 'answered with a wrong requestingPortIdentity, with a wrong sequenceId, then after its next request, the DUT sends Sync until N + 1 such answers (N + 1 or N + 2 requests before its last Sync, N = allowedLostResponses) and resumes within 16 intervals of valid answers; answered by two responders, its Sync stops by the (N + 2)th such request (at once is conformant)',
    fail: 'the DUT takes an invalid or late answer as valid (Sync goes on), drops asCapable before N + 1 invalid answers, does not resume, or keeps sending Sync on a link with two responders',
  },
  appliesTo: asCapableRule,
  async acquire(ctx) {
    const { allowed, logPdelayReqInterval: interval, intervalMs } = lostResponseSettings(ctx)
    const second = new TestMaster(masterConfig(ctx, { name: 'second-peer', identity: SECOND_PEER_IDENTITY, extra: { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' } }))
    second.silence({ announce: false, sync: false, answers: true })
    const { handle, group, ...start } = await startAloneAsMaster(ctx, 'p2p-03', [second])
    const data: FaultyResponsesData = { allowed, logPdelayReqInterval: interval, phases: [], ...start }
    const control = (name: string, fn: (p: TestMaster, now: bigint) => void | ReturnType<TestMaster['resume']>) => handle.driver.invoke((now) => group.control<TestMaster>(name, (p) => fn(p, now) ?? []))
    // N + 1 invalid answers, noticed at the next request, then as long again to see Sync stays stopped.
    const phaseMs = (allowed + 5) * intervalMs + 1000
    try {
      if (data.firstSyncNs === undefined) return { ...data, recorder: handle.recorder }
      await ctx.sleep(2000)
      const dutPort = dutPortFromPdelayReq(handle.recorder)
      if (dutPort === undefined) return { ...data, recorder: handle.recorder }
      data.dutPort = dutPort
      for (const fault of ['requestingPortIdentity', 'sequenceId', 'late'] as const) {
        ctx.step(`every Pdelay_Req ${DESCRIBE[fault]} (allowedLostResponses ${allowed})`)
        control('link-peer', (p) => p.setMutations(invalidAnswerRules(fault, dutPort, logIntervalToNs(interval))))
        const fromNs = systemTimeNs()
        await ctx.sleep(phaseMs)
        control('link-peer', (p) => p.setMutations([]))
        const toNs = systemTimeNs()
        ctx.step('valid answers again')
        await waitForResumedSync(ctx, handle.recorder, toNs, intervalMs)
        data.phases.push({ fault, fromNs, toNs, endNs: systemTimeNs() })
      }
      ctx.step('a second responder answers every Pdelay_Req as well')
      control('second-peer', (p, now) => p.resume(now, { announce: false, sync: false, answers: true }))
      const fromNs = systemTimeNs()
      await ctx.sleep(phaseMs)
      control('second-peer', (p) => p.silence({ announce: false, sync: false, answers: true }))
      data.phases.push({ fault: 'multiple', fromNs, toNs: systemTimeNs() })
    } finally {
      await handle.close()
      await ctx.session.restartDut('master', ctx.signal)
    }
    return { ...data, recorder: handle.recorder }
  },
  judge(ev) {
    const none = noSyncAsMaster(ev.data, 'the DUT sends Sync as master while its Pdelay_Req are answered', SOURCE_INVALID) ?? noPdelayReq(ev.data, 'the DUT master sends Pdelay_Req', SOURCE_INVALID)
    if (none) return { checks: [none] }
    const d = ev.data
    return { checks: judgeFaultyResponses(d), measurements: { allowedLostResponses: d.allowed, phases: d.phases.map((p) => ({ fault: p.fault, seconds: Number(p.toNs - p.fromNs) / 1e9, pdelayReq: inbound(d.recorder, 'Pdelay_Req', p.fromNs, p.toNs).length, sync: inbound(d.recorder, 'Sync', p.fromNs, p.toNs).length })) } }
  },
})
