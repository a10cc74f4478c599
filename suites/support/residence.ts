/**
 * Transparent-clock residence (E2E-03), pure: the harness's grandmaster sends on the upstream
 * port, its slave listens and asks on the downstream port, and every event message is found on
 * both sides. From the harness's own TX and RX timestamps (one clock on both ports):
 *
 *   transit   = RX on the far port − TX on the near port            (both links + the residence)
 *   added     = Σ correctionField out − Σ correctionField in          (over the message and its
 *               Follow_Up / Delay_Resp, so one- and two-step clocks are judged alike)
 *   residual  = transit − the links' own latency − added
 *
 * An E2E TC adds its residence (IEEE 1588-2019 10.2.2.1, 11.5.2; two-step: in the Follow_Up,
 * 11.5.2.2; a Delay_Req's residence in the Delay_Resp, 11.5.3); a P2P TC adds the residence and
 * its ingress link delay, so only the downstream link is left (11.5.2.1, 11.4) and it forwards
 * no peer-delay message (10.2.2.2). A conformant clock leaves residuals within the harness's
 * measured link noise; one that adds nothing leaves the whole residence. When the residence
 * itself is within that noise, the two cannot be told apart: inconclusive, with the numbers.
 */
import type { PortIdentity, PtpMessage } from '../../harness/codec/types.ts'
import { FLAG_TWO_STEP } from '../../harness/codec/constants.ts'
import { portIdentityKey, samePortIdentity } from '../../harness/engines/message_factory.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { frameRef, type RecordedFrame } from '../../harness/recorder/frame.ts'
import type { HarnessNoise, LinkDirections, RelayLinks } from '../../harness/run/session_types.ts'
import { absNs, medianNs } from '../../harness/stats/robust.ts'
import { formatNs } from '../../harness/time/format.ts'
import { correctionToNs, timestampToNs } from '../../harness/time/timestamp.ts'
import type { Check } from '../../harness/verdict/verdict.ts'

export type TcKind = 'e2e-tc' | 'p2p-tc'

export interface ResidencePhase {
  name: string
  /** The grandmaster sent two-step (Sync + Follow_Up) or one-step Syncs. */
  twoStep: boolean
  /** Messages sent before this are the clock settling (a P2P TC measures its link delay first). */
  judgeFromNs: bigint
  /** Messages sent after this may still have been in flight when the recording stopped. */
  judgeUntilNs: bigint
  upstream: Recorder
  downstream: Recorder
}

export interface ResidenceData {
  clockType: TcKind
  grandmaster: PortIdentity
  slave: PortIdentity
  /** Each link measured in each direction before and after the phases, combined (combineLinks): median latency and ± (noise.ts). */
  links: RelayLinks
  phases: ResidencePhase[]
}

/**
 * Two measurements of the links (before and after the phases) as one: each direction's latency
 * their mean, its ± widened by half their difference (a link whose latency moved between them is
 * known only that well), the slowest probe and the stall counts of both.
 */
export function combineLinks(a: RelayLinks, b: RelayLinks): RelayLinks {
  const one = (x: HarnessNoise, y: HarnessNoise): HarnessNoise => {
    const lx = x.latencyNs ?? 0n
    const ly = y.latencyNs ?? 0n
    const moved = absNs(lx - ly) / 2n
    const max = (p?: bigint, q?: bigint) => (p === undefined ? q : q === undefined ? p : p > q ? p : q)
    return {
      ns: max(x.ns, y.ns)! + moved,
      timeErrorFloorNs: max(x.timeErrorFloorNs, y.timeErrorFloorNs)! + moved,
      ...(x.latencyNs !== undefined && y.latencyNs !== undefined ? { latencyNs: (lx + ly) / 2n } : {}),
      ...(max(x.tailNs, y.tailNs) !== undefined ? { tailNs: max(x.tailNs, y.tailNs)! + moved } : {}),
      ...(max(x.pathAsymmetryNs, y.pathAsymmetryNs) !== undefined ? { pathAsymmetryNs: max(x.pathAsymmetryNs, y.pathAsymmetryNs)! } : {}),
      stalls: (x.stalls ?? 0) + (y.stalls ?? 0),
      probes: (x.probes ?? 0) + (y.probes ?? 0),
      method: `before the phases: ${x.method}; after: median ${ly} ns (before ${lx} ns)${moved ? `, ± widened by half the move, ${moved} ns` : ''}`,
    }
  }
  const dirs = (x: LinkDirections, y: LinkDirections): LinkDirections => ({ towardSlave: one(x.towardSlave, y.towardSlave), towardGrandmaster: one(x.towardGrandmaster, y.towardGrandmaster) })
  return { upstream: dirs(a.upstream, b.upstream), downstream: dirs(a.downstream, b.downstream) }
}

/** A message found on both sides of the clock. */
export interface Transit {
  what: string
  sentNs: bigint
  transitNs: bigint
  addedNs: bigint
  /** transit − the links it crossed outside the clock: how long the clock held it, as the harness sees it. */
  heldNs: bigint
  residualNs: bigint
  frames: string
}

/**
 * Fewer than this many messages per path cannot show a systematic error apart from a stall; a
 * clock that forwards so few in a phase of the test's length has failed "forwarded" already.
 */
const MIN_SAMPLES = 8
/**
 * Share of messages allowed beyond the links' extreme (slowest-probe) band when the probes saw no
 * stall: a stall delays a frame between its software stamp and the wire, outside anything the
 * clock can see. Where the probes measured more stalls, their share is allowed instead.
 */
const STALL_SHARE = 0.01

const isType = (f: RecordedFrame, t: PtpMessage['type']) => f.message?.type === t
const fromPort = (f: RecordedFrame, p: PortIdentity) => !!f.message && samePortIdentity(f.message.header.sourcePortIdentity, p)
const twoStepFlag = (m: PtpMessage) => (m.header.flagField & FLAG_TWO_STEP) !== 0
const corr = (f: RecordedFrame | undefined) => f?.message?.header.correctionField ?? 0n

/** The share of frames a stall delays on either link, as measured (at least STALL_SHARE). */
export function stallShare(d: Pick<ResidenceData, 'links'>): number {
  const share = (n: HarnessNoise) => (n.stalls && n.probes ? n.stalls / n.probes : 0)
  const all = [d.links.upstream, d.links.downstream].flatMap((l) => [l.towardSlave, l.towardGrandmaster])
  return Math.max(STALL_SHARE, 1 - all.reduce((p, n) => p * (1 - share(n)), 1))
}

/** Which way a message crosses the clock: Sync away from the grandmaster, Delay_Req toward it. */
export type Way = keyof LinkDirections

function latency(n: HarnessNoise): bigint {
  // Without a one-clock latency (two PHCs) the links' share is unknown: the residual keeps it, and its noise says so.
  return n.latencyNs ?? 0n
}

/**
 * The link latency a message crossing `way` has outside the clock and that the clock does not
 * correct: both links for an E2E TC; a P2P TC adds its upstream link's mean delay (both
 * directions averaged, as a peer-delay measurement sees it) itself.
 */
export function uncorrectedLinksNs(d: Pick<ResidenceData, 'clockType' | 'links'>, way: Way): bigint {
  const both = latency(d.links.upstream[way]) + latency(d.links.downstream[way])
  if (d.clockType !== 'p2p-tc') return both
  return both - (latency(d.links.upstream.towardSlave) + latency(d.links.upstream.towardGrandmaster)) / 2n
}

/** How far a residual may be from 0: each crossed link's ± (a P2P TC's own estimate of the upstream link adds its ±). */
export function residualToleranceNs(d: Pick<ResidenceData, 'clockType' | 'links'>, way: Way, extreme = false): bigint {
  const pick = (n: HarnessNoise) => (extreme ? (n.tailNs ?? n.ns) : n.ns)
  const t = pick(d.links.upstream[way]) + pick(d.links.downstream[way])
  return d.clockType === 'p2p-tc' ? t + (pick(d.links.upstream.towardSlave) + pick(d.links.upstream.towardGrandmaster)) / 2n : t
}

/** One message's crossing: sent at `sentNs` on one side, received at `receivedNs` on the other. */
function transitOf(what: string, sentNs: bigint, receivedNs: bigint, addedNs: bigint, linksNs: bigint, frames: string): Transit {
  const transitNs = receivedNs - sentNs
  return { what, sentNs, transitNs, addedNs, heldNs: transitNs - linksNs, residualNs: transitNs - linksNs - addedNs, frames }
}

interface SyncPath {
  sent: RecordedFrame[]
  transits: Transit[]
  missing: RecordedFrame[]
  identityChanged: string[]
  followUpProblems: string[]
}

/** The first RX frame of a type with a sequenceId on a recording, sent by anyone but `except`. */
function received(rec: Recorder, type: PtpMessage['type'], seq: number, except?: PortIdentity): RecordedFrame | undefined {
  return rec.frames.find((f) => f.direction === 'in' && isType(f, type) && f.message!.header.sequenceId === seq && !(except && fromPort(f, except)))
}

function inWindow(f: RecordedFrame, ph: ResidencePhase): boolean {
  return f.timestampNs !== null && f.timestampNs >= ph.judgeFromNs && f.timestampNs <= ph.judgeUntilNs
}

export function syncPath(d: ResidenceData, ph: ResidencePhase): SyncPath {
  const out: SyncPath = { sent: [], transits: [], missing: [], identityChanged: [], followUpProblems: [] }
  const links = uncorrectedLinksNs(d, 'towardSlave')
  out.sent = ph.upstream.frames.filter((f) => f.direction === 'out' && isType(f, 'Sync') && fromPort(f, d.grandmaster) && inWindow(f, ph))
  for (const tx of out.sent) {
    const seq = tx.message!.header.sequenceId
    const fuIn = ph.upstream.frames.find((f) => f.direction === 'out' && isType(f, 'Follow_Up') && fromPort(f, d.grandmaster) && f.message!.header.sequenceId === seq)
    const rx = received(ph.downstream, 'Sync', seq, d.slave)
    if (!rx || rx.timestampNs === null) {
      out.missing.push(tx)
      continue
    }
    const m = rx.message!
    if (!samePortIdentity(m.header.sourcePortIdentity, d.grandmaster)) out.identityChanged.push(`Sync #${seq} (${frameRef(rx)}) came from ${portIdentityKey(m.header.sourcePortIdentity)}, sent by ${portIdentityKey(d.grandmaster)}`)
    const fuOut = twoStepFlag(m) ? received(ph.downstream, 'Follow_Up', seq, d.slave) : undefined
    if (twoStepFlag(m) && !fuOut) {
      out.followUpProblems.push(`two-step Sync #${seq} (${frameRef(rx)}) forwarded without a Follow_Up`)
      continue
    }
    // The origin the grandmaster gave (Follow_Up's precise one, or the one-step Sync's) must reach the slave unchanged.
    const origin = fuIn?.message?.type === 'Follow_Up' ? fuIn.message.preciseOriginTimestamp : tx.message!.type === 'Sync' ? tx.message!.originTimestamp : undefined
    const originOut = fuOut?.message?.type === 'Follow_Up' ? fuOut.message.preciseOriginTimestamp : m.type === 'Sync' && !twoStepFlag(m) ? m.originTimestamp : undefined
    if (origin && originOut && timestampToNs(origin) !== timestampToNs(originOut)) {
      out.followUpProblems.push(`Sync #${seq}: origin ${timestampToNs(origin)} ns sent, ${timestampToNs(originOut)} ns forwarded (${frameRef(fuOut ?? rx)})`)
    }
    const added = correctionToNs(corr(rx) + corr(fuOut) - corr(tx) - corr(fuIn))
    out.transits.push(transitOf(`Sync #${seq}`, tx.timestampNs!, rx.timestampNs, added, links, `${frameRef(tx)} upstream → ${frameRef(rx)}${fuOut ? ` + ${frameRef(fuOut)}` : ''} downstream`))
  }
  return out
}

interface DelayPath {
  sent: RecordedFrame[]
  transits: Transit[]
  requestsLost: RecordedFrame[]
  responsesLost: RecordedFrame[]
}

/** The slave's Delay_Req through the clock upstream, and the grandmaster's Delay_Resp back down. */
export function delayPath(d: ResidenceData, ph: ResidencePhase): DelayPath {
  const out: DelayPath = { sent: [], transits: [], requestsLost: [], responsesLost: [] }
  const links = uncorrectedLinksNs(d, 'towardGrandmaster')
  out.sent = ph.downstream.frames.filter((f) => f.direction === 'out' && isType(f, 'Delay_Req') && fromPort(f, d.slave) && inWindow(f, ph))
  for (const tx of out.sent) {
    const seq = tx.message!.header.sequenceId
    const atGm = ph.upstream.frames.find((f) => f.direction === 'in' && isType(f, 'Delay_Req') && f.message!.header.sequenceId === seq && fromPort(f, d.slave))
    if (!atGm || atGm.timestampNs === null) {
      out.requestsLost.push(tx)
      continue
    }
    const isAnswer = (f: RecordedFrame) => f.message?.type === 'Delay_Resp' && f.message.header.sequenceId === seq && samePortIdentity(f.message.requestingPortIdentity, d.slave)
    const respIn = ph.upstream.frames.find((f) => f.direction === 'out' && isAnswer(f))
    const respOut = ph.downstream.frames.find((f) => f.direction === 'in' && isAnswer(f))
    if (!respIn) continue // the grandmaster (ours) did not answer: nothing of the clock's to judge
    if (!respOut) {
      out.responsesLost.push(respIn)
      continue
    }
    const added = correctionToNs(corr(atGm) + corr(respOut) - corr(tx) - corr(respIn))
    out.transits.push(transitOf(`Delay_Req #${seq}`, tx.timestampNs!, atGm.timestampNs, added, links, `${frameRef(tx)} downstream → ${frameRef(atGm)} upstream; Delay_Resp ${frameRef(respIn)} → ${frameRef(respOut)}`))
  }
  return out
}

const SOURCE_RESIDENCE = 'IEEE 1588-2019 10.2.2.1.1 and 11.5.2 (E2E TC: correctionField += residence time; two-step: in the Follow_Up), 11.5.3 (a Delay_Req\'s residence, two-step in the Delay_Resp)'
const SOURCE_P2P = 'IEEE 1588-2019 10.2.2.2 and 11.5.2.1 (P2P TC: correctionField += residence time + the ingress port\'s meanLinkDelay)'

/** The residence check of one path: systematic error (median residual) and each message (extreme band). */
export function residenceCheck(d: ResidenceData, path: string, way: Way, transits: readonly Transit[]): Check {
  const tol = residualToleranceNs(d, way)
  const extreme = residualToleranceNs(d, way, true)
  const source = d.clockType === 'p2p-tc' ? SOURCE_P2P : SOURCE_RESIDENCE
  const links = uncorrectedLinksNs(d, way)
  const how = `residual = transit − ${formatNs(links)} of link latency (${d.clockType === 'p2p-tc' ? 'both links, less the upstream link\'s mean delay the clock adds itself' : 'both links'}, measured ${way === 'towardSlave' ? 'away from' : 'toward'} the grandmaster) − correction added`
  const name = `${path}: correctionField grows by the residence time`
  const share = stallShare(d)
  const limit = `|median residual| ≤ ${formatNs(tol)} (the links' measured ±; beyond it by less than the lab's path allowance: inconclusive); each within ${formatNs(extreme)} (their slowest probes), ≤ ${(share * 100).toFixed(1)} % beyond (stalls)`
  if (transits.length < MIN_SAMPLES) {
    return { name, verdict: 'inconclusive', measured: `${transits.length} messages through the clock`, limit, source, detail: `fewer than ${MIN_SAMPLES} messages crossed the clock to judge the residence on` }
  }
  const medResidual = medianNs(transits.map((t) => t.residualNs))
  const medHeld = medianNs(transits.map((t) => t.heldNs))
  const medAdded = medianNs(transits.map((t) => t.addedNs))
  const beyond = transits.filter((t) => absNs(t.residualNs) > extreme)
  const numbers = `median held ${formatNs(medHeld)}, added ${formatNs(medAdded)}, residual ${formatNs(medResidual)} over ${transits.length} messages; ${beyond.length} beyond ±${formatNs(extreme)}`
  const worst = [...beyond].sort((a, b) => (absNs(b.residualNs) > absNs(a.residualNs) ? 1 : -1)).slice(0, 5)
  const listing = worst.map((t) => `${t.what}: transit ${formatNs(t.transitNs)}, added ${formatNs(t.addedNs)}, residual ${formatNs(t.residualNs)} (${t.frames})`).join('; ')
  const base = { name, measured: Number(medResidual), limit, unit: 'ns', noise: Number(tol), source }
  // The probes run over L2 sockets; the messages over the profile's transport and the clock's own: a software path may
  // differ systematically by the lab's measured allowance, which makes a residual that small inconclusive, not failed.
  const allowance = [d.links.upstream[way].pathAsymmetryNs ?? 0n, d.links.downstream[way].pathAsymmetryNs ?? 0n].reduce((a, b) => (b > a ? b : a), 0n)
  if (absNs(medResidual) > tol && absNs(medResidual) <= tol + allowance) {
    return { ...base, verdict: 'inconclusive', detail: `the median residual is beyond the links' ± but within the lab's path allowance (±${formatNs(allowance)}, LAB_PATH_ASYMMETRY_NS: software paths differ systematically by that much): ${numbers}; ${how}` }
  }
  if (absNs(medResidual) > tol) {
    const what = medAdded === 0n ? 'the clock added nothing' : medResidual > 0n ? 'the clock added less than it held the messages' : 'the clock added more than it held the messages'
    return { ...base, verdict: 'fail', detail: `${what}: ${numbers}; ${how}${listing ? `. Worst: ${listing}` : ''}` }
  }
  if (medHeld <= tol) {
    return {
      ...base,
      verdict: 'inconclusive',
      detail: `the clock held messages a median ${formatNs(medHeld)}, within the ±${formatNs(tol)} the harness measures the links with (${d.links.upstream[way].method}): a clock that added nothing would look the same; ${numbers}`,
    }
  }
  if (beyond.length > Math.ceil(transits.length * share)) {
    return { ...base, verdict: 'fail', detail: `${beyond.length} of ${transits.length} messages were corrected by more or less than they were held, beyond the links' slowest probes; ${numbers}; ${how}. Worst: ${listing}` }
  }
  return { ...base, verdict: 'pass', detail: `${numbers}; ${how}` }
}

export function judgeResidence(d: ResidenceData): { checks: Check[]; measurements: Record<string, unknown> } {
  const checks: Check[] = []
  const measurements: Record<string, unknown> = {
    uncorrectedLinksNs: { sync: Number(uncorrectedLinksNs(d, 'towardSlave')), delayReq: Number(uncorrectedLinksNs(d, 'towardGrandmaster')) },
    toleranceNs: { sync: Number(residualToleranceNs(d, 'towardSlave')), delayReq: Number(residualToleranceNs(d, 'towardGrandmaster')) },
  }
  for (const ph of d.phases) {
    const s = syncPath(d, ph)
    const lost = s.missing.map((f) => `#${f.message!.header.sequenceId} (${frameRef(f)}, sent ${f.timestampNs} ns)`)
    checks.push({
      name: `${ph.name}: every Sync forwarded downstream`,
      verdict: s.sent.length === 0 ? 'inconclusive' : lost.length ? 'fail' : 'pass',
      measured: `${s.sent.length - lost.length} of ${s.sent.length}`,
      limit: `all ${s.sent.length}`,
      source: 'IEEE 1588-2019 10.2.2.1 (a transparent clock forwards PTP event messages)',
      ...(lost.length ? { detail: `not seen downstream: ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ` and ${lost.length - 10} more` : ''}` } : s.sent.length === 0 ? { detail: 'the harness grandmaster sent no Sync in the judged window' } : {}),
    })
    checks.push({
      name: `${ph.name}: Sync/Follow_Up forwarded with their identity and origin`,
      verdict: s.identityChanged.length || s.followUpProblems.length ? 'fail' : s.transits.length ? 'pass' : 'inconclusive',
      measured: `${s.identityChanged.length} identity changes, ${s.followUpProblems.length} Follow_Up problems`,
      limit: 'sourcePortIdentity, sequenceId and the origin timestamp unchanged; a two-step Sync has its Follow_Up',
      source: 'IEEE 1588-2019 10.2.2.1.1 (only correctionField changes in a forwarded message), 11.5.2.2 (two-step: the Follow_Up carries the correction)',
      ...(s.identityChanged.length || s.followUpProblems.length ? { detail: [...s.identityChanged, ...s.followUpProblems].slice(0, 10).join('; ') } : {}),
    })
    checks.push(residenceCheck(d, `${ph.name}, Sync`, 'towardSlave', s.transits))
    measurements[`${ph.name}.sync`] = summary(s.transits)
    if (d.clockType === 'e2e-tc') {
      const q = delayPath(d, ph)
      const lostReq = q.requestsLost.map((f) => `Delay_Req #${f.message!.header.sequenceId} (${frameRef(f)})`)
      const lostResp = q.responsesLost.map((f) => `Delay_Resp #${f.message!.header.sequenceId} (${frameRef(f)})`)
      checks.push({
        name: `${ph.name}: Delay_Req forwarded upstream and Delay_Resp downstream`,
        verdict: q.sent.length === 0 ? 'inconclusive' : lostReq.length || lostResp.length ? 'fail' : 'pass',
        measured: `${q.sent.length - lostReq.length} of ${q.sent.length} requests, ${q.transits.length} answers back`,
        limit: 'all of them',
        source: 'IEEE 1588-2019 10.2.2.1 (an E2E TC forwards Delay_Req and Delay_Resp)',
        ...(lostReq.length || lostResp.length ? { detail: `lost: ${[...lostReq, ...lostResp].slice(0, 10).join(', ')}` } : q.sent.length === 0 ? { detail: 'the harness slave sent no Delay_Req in the judged window' } : {}),
      })
      checks.push(residenceCheck(d, `${ph.name}, Delay_Req`, 'towardGrandmaster', q.transits))
      measurements[`${ph.name}.delay`] = summary(q.transits)
    } else {
      checks.push(peerDelayNotForwarded(d, ph))
    }
  }
  return { checks, measurements }
}

/** A P2P TC answers peer-delay requests itself and forwards none (from the harness port on the other side). */
function peerDelayNotForwarded(d: ResidenceData, ph: ResidencePhase): Check {
  const pdelay = (f: RecordedFrame) => f.direction === 'in' && (isType(f, 'Pdelay_Req') || isType(f, 'Pdelay_Resp') || isType(f, 'Pdelay_Resp_Follow_Up'))
  const leaked = [
    ...ph.downstream.frames.filter((f) => pdelay(f) && fromPort(f, d.grandmaster)).map((f) => `${f.message!.type} of the upstream harness port downstream (${frameRef(f)})`),
    ...ph.upstream.frames.filter((f) => pdelay(f) && fromPort(f, d.slave)).map((f) => `${f.message!.type} of the downstream harness port upstream (${frameRef(f)})`),
  ]
  return {
    name: `${ph.name}: peer-delay messages not forwarded`,
    verdict: leaked.length ? 'fail' : 'pass',
    measured: `${leaked.length} forwarded`,
    limit: '0',
    source: 'IEEE 1588-2019 10.2.2.2 (a P2P TC does not forward Pdelay_Req, Pdelay_Resp or Pdelay_Resp_Follow_Up)',
    ...(leaked.length ? { detail: leaked.slice(0, 10).join('; ') } : {}),
  }
}

function summary(ts: readonly Transit[]) {
  if (!ts.length) return { messages: 0 }
  return {
    messages: ts.length,
    medianTransitNs: Number(medianNs(ts.map((t) => t.transitNs))),
    medianHeldNs: Number(medianNs(ts.map((t) => t.heldNs))),
    medianAddedNs: Number(medianNs(ts.map((t) => t.addedNs))),
    medianResidualNs: Number(medianNs(ts.map((t) => t.residualNs))),
  }
}
