/**
 * INT-07 — unicast negotiation (IEEE 1588-2019 16.1), both sides of the DUT.
 *
 * As master (grantor): every REQUEST_UNICAST_TRANSMISSION is answered with a GRANT for its
 * message type; a grant carries the period asked for or another one the profile permits, and a
 * duration in the profile's range; durationField 0 is an explicit denial. What was granted then
 * flows, unicast, at the granted rate, and delay requests are answered. A CANCEL is acknowledged
 * and the service stops.
 * As slave (grantee): the DUT asks for Announce, Sync and Delay_Resp at the rates and for the
 * duration it is configured with (and that duration is judged against the profile), renews every
 * grant before it runs out, and acknowledges its grandmaster's CANCEL.
 * On a capture (`analyze`) the same rules are applied per peer of the chosen clock: each that
 * asked it for service, each that granted it some; its configuration is then unknown, so what
 * it asks for is reported, not judged.
 */
import {
  type Check,
  conformance,
  describeSetting,
  FROM_CAPTURE,
  type Observation,
  Recorder,
  type RecordedFrame,
  type Evidence,
  formatNs,
  intervalRuleOf,
  intervals,
  type IntervalName,
  logIntervalToNs,
  type Profile,
  scoreIntervalRule,
} from '../kit.ts'
import { acquireNegotiation, CANCELLED, type DutAsGrantee, type DutAsGrantor, type NegotiationEvidence } from '../support/negotiation.ts'
import { framesBySender, type NegotiationStep, negotiationSteps, stepsOfFrames } from '../support/grants.ts'
import { normalizeClockIdentity, WILDCARD_CLOCK_IDENTITY } from '../../harness/codec/clock_identity.ts'
import type { PortIdentity } from '../../harness/codec/types.ts'
import { sentToUnicast } from '../support/destination.ts'
import { describeStates } from '../support/state_history.ts'
import type { UnicastService } from '../../harness/engines/unicast/services.ts'
import { negotiationRequired } from '../support/unicast.ts'
import { NS_PER_SECOND } from '../../harness/time/timestamp.ts'

const NEGOTIATION = 'IEEE 1588-2019 16.1'
const ACK_SOURCE = 'IEEE 1588-2019 16.1.4.4 (ACKNOWLEDGE_CANCEL answers a CANCEL); OCP DC profile §6.14.2'
const RATE_SOURCE = 'IEEE 1588-2019 16.1.4.2 (a grantor may grant another period); OCP DC profile §6.14.2'
/** The interval a service's period is configured and limited by. */
const INTERVAL_OF: Partial<Record<UnicastService, IntervalName>> = { Announce: 'announce', Sync: 'sync', Delay_Resp: 'delayReq', Pdelay_Resp: 'pdelayReq' }
const S = NS_PER_SECOND

const secondsAfter = (t: bigint, t0: bigint) => `+${(Number(t - t0) / 1e9).toFixed(3)} s`

export default conformance<Data>({
  id: 'INT-07',
  title: 'Unicast negotiation: grants, renewal and cancellation',
  area: 'INT',
  clause: 'IEEE 1588-2019 16.1',
  mapsTo: ['OCP DC profile §6.14.2', 'linuxptp G.8275.2.cfg unicast_req_duration'],
  tags: ['active', 'unicast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 75,
  criteria: {
    pass: 'as master the DUT answers every request with a grant (a period and duration the profile permits) or an explicit denial, serves what it granted at the granted rate, and acknowledges a cancel and stops; as slave it asks at its configured rates and duration, renews every grant before it expires and acknowledges a cancel',
    fail: 'a request goes unanswered, a grant names a period or duration outside the profile, granted messages do not flow or flow at another rate, a cancel is not acknowledged or the service goes on, or the DUT slave asks for other rates than configured or lets a grant run out',
  },
  appliesTo: (p) => (negotiationRequired(p) ? true : `profile ${p.id} does not require unicast negotiation (transport.unicastNegotiation: ${p.transport.unicastNegotiation})`),
  capturable: true,
  acquire: (ctx) => acquireNegotiation(ctx),
  judge(ev, profile) {
    const d = ev.data
    if (!('observation' in d)) {
      const checks = [...judgeGrantor(d.asMaster, ev, profile), ...judgeGrantee(d.asSlave, ev, profile)]
      return { checks, measurements: { negotiation: summary(d, ev.session.domainNumber) } }
    }
    // A capture: every peer that asked the chosen clock for service, and every one that granted it some.
    const v = captureViews(d.observation, ev.session.domainNumber)
    const named = (peer: string, cs: Check[]) => (v.grantors.length + v.grantees.length > 1 ? cs.map((c) => ({ ...c, name: `${c.name} (peer ${peer})` })) : cs)
    const checks = [
      ...v.grantors.flatMap((g) => named(g.peer, judgeGrantor(g.view, ev, profile))),
      ...v.grantees.flatMap((g) => named(g.peer, judgeGrantee(g.view, ev, profile).filter((c) => !/asks its unicast master for service|asks for (Announce|Sync|Delay_Resp)$/.test(c.name)))),
    ]
    if (checks.length === 0) {
      checks.push({ name: 'the capture holds a unicast negotiation of the chosen clock', measured: 'none', limit: 'REQUEST or GRANT TLVs to or from it', source: NEGOTIATION, verdict: 'inconclusive', detail: 'no clock asked the chosen one for service or granted it any in this window' })
    }
    return { checks }
  },
})

type Data = NegotiationEvidence | { observation: Observation }

/** A configured value, or undefined where the configuration is not known (a capture, the profile's default standing in). */
function known<T extends { origin: string }>(s: T | undefined): T | undefined {
  return s && s.origin !== FROM_CAPTURE && s.origin !== 'profile default' ? s : undefined
}

/**
 * A capture as the live acquisition's two views, per peer: the chosen clock's frames are 'in'
 * and the peer's 'out', as if the peer had been the harness. A grantor view per peer that sent
 * it REQUESTs (what it asked for first, for how long, its first CANCEL), a grantee view per peer
 * that sent it GRANTs.
 */
function captureViews(o: Observation, domainNumber: number): { grantors: { peer: string; view: DutAsGrantor }[]; grantees: { peer: string; view: DutAsGrantee }[] } {
  const { fromDut, peers: byPeer } = framesBySender(o, domainNumber)
  const firsts = [fromDut, ...byPeer.values()].flatMap((fs) => (fs.length ? [fs[0]!.timestampNs!] : []))
  const startNs = firsts.length ? firsts.reduce((a, b) => (a < b ? a : b)) : 0n
  const grantors: { peer: string; view: DutAsGrantor }[] = []
  const grantees: { peer: string; view: DutAsGrantee }[] = []
  for (const [peer, frames] of byPeer) {
    const address = frames.find((f) => f.srcIp)?.srcIp
    // What the chosen clock sent this peer: Signaling targeted at it, anything else to its address.
    const toPeer = fromDut.filter((f) => {
      // Sent to another address (a wildcard-targeted request to another master included): not this peer's.
      if (address !== undefined && f.dstIp !== undefined && f.dstIp !== address) return false
      const t = (f.message as { targetPortIdentity?: PortIdentity }).targetPortIdentity
      return !t || normalizeClockIdentity(t.clockIdentity) === peer || normalizeClockIdentity(t.clockIdentity) === WILDCARD_CLOCK_IDENTITY
    })
    const recorder = new Recorder()
    for (const f of [...frames.map((x) => ({ ...x, direction: 'out' as const })), ...toPeer.map((x) => ({ ...x, direction: 'in' as const }))].sort((a, b) => (a.timestampNs! < b.timestampNs! ? -1 : 1))) {
      recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    }
    // The peer's own last frame ends its view: what it sent in its last second may still await an answer.
    const peerEnd = frames.at(-1)!.timestampNs!
    const peerSteps = stepsOfFrames(frames, 'out')
    const requests = peerSteps.filter((s) => s.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION')
    const cancel = peerSteps.find((s) => s.tlv.kind === 'CANCEL_UNICAST_TRANSMISSION' && s.service === CANCELLED)?.atNs
    const delayCancel = peerSteps.find((s) => s.tlv.kind === 'CANCEL_UNICAST_TRANSMISSION' && s.service === 'Delay_Resp')?.atNs
    if (requests.length) {
      const requested = [...new Map(requests.flatMap((r) => (r.service && r.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION' ? [[r.service, { service: r.service, logInterMessagePeriod: r.tlv.logInterMessagePeriod }] as const] : []))).values()]
      const first = requests[0]!.tlv
      grantors.push({ peer, view: { recorder, requested, durationS: first.kind === 'REQUEST_UNICAST_TRANSMISSION' ? first.durationField : 0, ...(cancel !== undefined ? { cancelAtNs: cancel } : {}), startNs, endNs: peerEnd } })
    }
    if (peerSteps.some((s) => s.tlv.kind === 'GRANT_UNICAST_TRANSMISSION')) {
      grantees.push({ peer, view: { recorder, lock: [], ...(cancel !== undefined ? { cancelAtNs: cancel } : {}), ...(delayCancel !== undefined ? { delayRespCancelAtNs: delayCancel } : {}), startNs, endNs: peerEnd, endedBy: 'expiry' } })
    }
  }
  return { grantors, grantees }
}

// ------------------------------------------------------------------ the DUT as grantor

function judgeGrantor(d: DutAsGrantor, ev: Evidence<Data>, profile: Profile): Check[] {
  const steps = negotiationSteps(d.recorder, ev.session.domainNumber)
  const checks: Check[] = []
  for (const req of d.requested) {
    const svc = req.service
    // A request in the recording's last second may still be awaiting its answer when it ends.
    const asked = steps.filter((s) => s.direction === 'out' && s.service === svc && s.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION' && s.atNs < d.endNs - S)
    if (asked.length === 0) continue
    const answers = steps.filter((s) => s.direction === 'in' && s.service === svc && s.tlv.kind === 'GRANT_UNICAST_TRANSMISSION')
    const unanswered = asked.filter((a, k) => !answers.some((g) => g.atNs > a.atNs && (k + 1 >= asked.length || g.atNs < asked[k + 1]!.atNs)))
    checks.push({
      name: `as master: every REQUEST for ${svc} is answered with a GRANT`,
      measured: `${asked.length - unanswered.length} of ${asked.length}`,
      limit: `${asked.length} of ${asked.length}`,
      source: `${NEGOTIATION}.4.2 (a request is granted, or denied with durationField 0)`,
      verdict: unanswered.length === 0 ? 'pass' : 'fail',
      detail: unanswered.length
        ? `no GRANT for the requests at ${unanswered.map((a) => secondsAfter(a.atNs, d.startNs)).join(', ')}; ${describeDutSignaling(steps, d.startNs)}`
        : `answers at ${answers.slice(0, 4).map((g) => secondsAfter(g.atNs, d.startNs)).join(', ')}${answers.length > 4 ? ' …' : ''}`,
    })
    const grants = answers.filter((g) => g.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && g.tlv.durationField > 0)
    if (answers.length && grants.length === 0) {
      checks.push({ name: `as master: ${svc} service`, measured: 'denied (durationField 0)', limit: 'granted, or denied explicitly', source: `${NEGOTIATION}.4.2`, verdict: 'pass', detail: 'an explicit denial is a conformant answer; what would have been served cannot be judged' })
      continue
    }
    for (const g of grants.slice(0, 1)) checks.push(...grantValues(g, req.logInterMessagePeriod, d.durationS, svc, d, profile))
    const grant = grants[0]
    if (!grant || grant.tlv.kind !== 'GRANT_UNICAST_TRANSMISSION') continue
    if (svc === 'Announce' || svc === 'Sync') checks.push(...serviceFlows(d, ev, profile, svc, grant.atNs, grant.tlv.logInterMessagePeriod))
    if (svc === 'Delay_Resp') checks.push(delayAnswered(d, ev, grant.atNs))
  }
  if (d.cancelAtNs !== undefined) checks.push(...cancelHonoured(d, steps, ev))
  if (d.probe) checks.push(probeAnswered(d, steps, profile))
  if (checks.length === 0) {
    checks.push({ name: 'as master: the harness asked the DUT for service', measured: 0, limit: '≥ 1 REQUEST', source: NEGOTIATION, verdict: 'inconclusive', detail: 'the recording holds no request from the harness' })
  }
  return checks
}

function grantValues(g: NegotiationStep, askedLog: number, askedS: number, svc: UnicastService, d: DutAsGrantor, profile: Profile): Check[] {
  if (g.tlv.kind !== 'GRANT_UNICAST_TRANSMISSION') return []
  const out: Check[] = []
  const log = g.tlv.logInterMessagePeriod
  const which = INTERVAL_OF[svc]
  const spec = which ? profile.intervals[which] : undefined
  const inRange = spec ? log >= spec.range.value[0] && log <= spec.range.value[1] : true
  out.push({
    name: `as master: the ${svc} grant's logInterMessagePeriod`,
    measured: log,
    limit: log === askedLog ? `= ${askedLog} (asked)` : spec ? `${spec.range.value[0]} … ${spec.range.value[1]} (another period than the ${askedLog} asked, within the profile)` : `= ${askedLog}`,
    source: log === askedLog ? `${NEGOTIATION}.4.2` : `${RATE_SOURCE}; ${spec?.range.source ?? ''}`,
    unconfirmed: log !== askedLog ? spec?.range.unconfirmed : undefined,
    verdict: log === askedLog || (spec !== undefined && inRange) ? 'pass' : 'fail',
  })
  const dur = g.tlv.durationField
  const range = profile.transport.grantDuration?.range
  out.push({
    name: `as master: the ${svc} grant's durationField`,
    measured: dur,
    unit: 's',
    limit: range ? `${range.value[0]} … ${range.value[1]} s (asked ${askedS} s)` : `> 0 s (asked ${askedS} s)`,
    source: range?.source ?? `${NEGOTIATION}.4.2`,
    unconfirmed: range?.unconfirmed,
    verdict: range ? (dur >= range.value[0] && dur <= range.value[1] ? 'pass' : 'fail') : 'pass',
    detail: `granted ${secondsAfter(g.atNs, d.startNs)} after the first request`,
  })
  return out
}

function serviceFlows(d: DutAsGrantor, ev: Evidence<Data>, profile: Profile, svc: 'Announce' | 'Sync', fromNs: bigint, log: number): Check[] {
  const until = svc === CANCELLED && d.cancelAtNs !== undefined ? d.cancelAtNs : d.endNs
  const frames = d.recorder.byType(svc, { direction: 'in', domainNumber: ev.session.domainNumber })
    .filter((f) => f.timestampNs !== null && f.timestampNs > fromNs && f.timestampNs <= until)
  const unicast = frames.filter((f) => sentToUnicast(f) !== false)
  const nominal = logIntervalToNs(log)
  const spanS = (Number(until - fromNs) / 1e9).toFixed(1)
  if (unicast.length < 2) {
    return [{
      name: `as master: the granted ${svc} flows to the grantee`,
      measured: `${unicast.length} unicast ${svc} (${frames.length - unicast.length} multicast)`,
      limit: `about ${Number((until - fromNs) / nominal)} in ${spanS} s (2^${log} s granted)`,
      source: `${NEGOTIATION}.2 (the grantor sends the granted messages for the grant's duration)`,
      verdict: 'fail',
      detail: `the grant of ${svc} came at ${secondsAfter(fromNs, d.startNs)}; the recording ends ${secondsAfter(until, d.startNs)}`,
    }]
  }
  const rule = { ...intervalRuleOf(profile, 8), maxGapFactor: undefined }
  return scoreIntervalRule(`as master: granted ${svc} (2^${log} s)`, intervals(unicast.map((f) => f.timestampNs!)), nominal, rule, ev.noise.ns)
    .map((c) => ({ ...c, source: `${NEGOTIATION} (at the granted period); ${c.source}` }))
}

function delayAnswered(d: DutAsGrantor, ev: Evidence<Data>, fromNs: bigint): Check {
  // Requests in the last second may still be in flight when the recording ends.
  const reqs = d.recorder.byType('Delay_Req', { direction: 'out', domainNumber: ev.session.domainNumber })
    .filter((f) => f.timestampNs !== null && f.timestampNs > fromNs && f.timestampNs < d.endNs - S)
  const answered = new Set(d.recorder.byType('Delay_Resp', { direction: 'in', domainNumber: ev.session.domainNumber }).map((f) => f.message!.header.sequenceId))
  const missing = reqs.filter((f) => !answered.has(f.message!.header.sequenceId))
  return {
    name: 'as master: Delay_Req under the Delay_Resp grant are answered',
    measured: `${reqs.length - missing.length} of ${reqs.length}`,
    limit: `${reqs.length} of ${reqs.length}`,
    source: `${NEGOTIATION}; IEEE 1588-2019 11.3.2`,
    verdict: reqs.length === 0 ? 'inconclusive' : missing.length === 0 ? 'pass' : 'fail',
    detail: reqs.length === 0 ? 'the harness sent no Delay_Req under the grant' : missing.length ? `unanswered sequenceIds ${missing.slice(0, 8).map((f) => f.message!.header.sequenceId).join(', ')}` : undefined,
  }
}

/**
 * A request for a duration the profile does not allow: denied, or granted for a duration inside
 * the profile's range. The range is G.8275.2's durationField range; that a grantor keeps its
 * grants inside it is this harness's reading of the profile, hence the mark.
 */
function probeAnswered(d: DutAsGrantor, steps: NegotiationStep[], profile: Profile): Check {
  const probe = d.probe!
  const range = profile.transport.grantDuration?.range
  const answer = steps.find((s) => s.direction === 'in' && s.service === probe.service && s.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && s.atNs > probe.atNs)
  const dur = answer && answer.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' ? answer.tlv.durationField : undefined
  const inRange = dur !== undefined && range !== undefined && dur >= range.value[0] && dur <= range.value[1]
  return {
    name: `as master: a request for ${probe.service} for ${probe.durationS} s (outside the profile) is denied or granted within the profile`,
    measured: dur === undefined ? 'no answer' : dur === 0 ? 'denied' : `granted ${dur} s`,
    limit: range ? `durationField 0, or ${range.value[0]} … ${range.value[1]} s` : 'durationField 0',
    source: `${range?.source ?? NEGOTIATION}; a grantor keeps its grants inside the profile's range (this harness's reading)`,
    unconfirmed: true,
    verdict: dur === undefined ? 'fail' : dur === 0 || inRange ? 'pass' : 'fail',
    detail: `asked at ${secondsAfter(probe.atNs, d.startNs)}${dur === undefined ? `; nothing answered it in the ${(Number(d.endNs - probe.atNs) / 1e9).toFixed(1)} s after` : ''}`,
  }
}

function cancelHonoured(d: DutAsGrantor, steps: NegotiationStep[], ev: Evidence<Data>): Check[] {
  const at = d.cancelAtNs!
  const ack = steps.find((s) => s.direction === 'in' && s.atNs > at && s.tlv.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION' && s.service === CANCELLED)
  const grant = [...steps].reverse().find((s) => s.direction === 'in' && s.service === CANCELLED && s.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && s.tlv.durationField > 0)
  const period = grant && grant.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' ? logIntervalToNs(grant.tlv.logInterMessagePeriod) : S
  const late = d.recorder.byType(CANCELLED, { direction: 'in', domainNumber: ev.session.domainNumber }).filter((f) => f.timestampNs !== null && f.timestampNs > at + period + ev.noise.ns)
  return [
    {
      name: `as master: the DUT acknowledges a CANCEL of ${CANCELLED}`,
      measured: ack ? `ACKNOWLEDGE_CANCEL after ${formatNs(ack.atNs - at)}` : 'none',
      limit: 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION',
      source: ACK_SOURCE,
      verdict: ack ? 'pass' : 'fail',
      detail: ack ? undefined : `its grantee cancelled ${CANCELLED} at ${secondsAfter(at, d.startNs)}; nothing acknowledged it in the ${(Number(d.endNs - at) / 1e9).toFixed(1)} s after`,
    },
    {
      name: `as master: ${CANCELLED} stops after the CANCEL`,
      measured: late.length ? `${late.length} ${CANCELLED}, the last ${formatNs(late.at(-1)!.timestampNs! - at)} after the CANCEL` : `none later than ${formatNs(period + ev.noise.ns)}`,
      limit: `none later than one granted period (${formatNs(period)}) + noise ${formatNs(ev.noise.ns)}`,
      source: `${NEGOTIATION}.2.5 (a cancelled grant ends); the clause sets no time: one period lets a message already due leave`,
      verdict: late.length ? 'fail' : 'pass',
    },
  ]
}

// ------------------------------------------------------------------ the DUT as grantee

function judgeGrantee(d: DutAsGrantee, ev: Evidence<Data>, profile: Profile): Check[] {
  const steps = negotiationSteps(d.recorder, ev.session.domainNumber)
  const requests = steps.filter((s) => s.direction === 'in' && s.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION')
  const checks: Check[] = []
  const configured = known(ev.dut.unicastRequestDuration)
  const range = profile.transport.grantDuration?.range
  if (configured && range) {
    checks.push({
      name: 'the DUT\'s configured grant duration is within the profile',
      measured: configured.value,
      unit: 's',
      limit: `${range.value[0]} … ${range.value[1]} s`,
      source: range.source,
      unconfirmed: range.unconfirmed,
      verdict: configured.value >= range.value[0] && configured.value <= range.value[1] ? 'pass' : 'fail',
      detail: describeSetting('unicast_req_duration', configured, ' s'),
    })
  }
  if (requests.length === 0) {
    checks.push({
      name: 'as slave: the DUT asks its unicast master for service',
      measured: 'no REQUEST_UNICAST_TRANSMISSION',
      limit: 'REQUEST for Announce, Sync and Delay_Resp',
      source: `${NEGOTIATION}.2`,
      verdict: 'fail',
      detail: `nothing in ${(Number(d.endNs - d.startNs) / 1e9).toFixed(1)} s; its states: ${describeStates(d.lock)}`,
    })
    return checks
  }
  const wanted: UnicastService[] = ev.session.delayMechanism === 'P2P' ? ['Announce', 'Sync'] : ['Announce', 'Sync', 'Delay_Resp']
  for (const svc of wanted) {
    const mine = requests.filter((r) => r.service === svc)
    const which = INTERVAL_OF[svc]!
    const setting = ev.dut.intervals[which]
    // Unknown where only the profile's default or what a capture advertised stands in: reported, not judged.
    const conf = known(setting) ?? { ...setting, origin: FROM_CAPTURE }
    const first = mine[0]
    if (!first || first.tlv.kind !== 'REQUEST_UNICAST_TRANSMISSION') {
      checks.push({ name: `as slave: the DUT asks for ${svc}`, measured: 'no request', limit: `REQUEST for ${svc}`, source: `${NEGOTIATION}.2`, verdict: 'fail', detail: `requests seen: ${describeRequests(requests, d.startNs)}; its states: ${describeStates(d.lock)}` })
      continue
    }
    const periods = [...new Set(mine.map((r) => (r.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION' ? r.tlv.logInterMessagePeriod : NaN)))]
    checks.push({
      name: `as slave: the DUT asks for ${svc} at its configured period`,
      measured: periods.join(', '),
      limit: `= ${conf.value}`,
      source: `${NEGOTIATION}.4.1 (logInterMessagePeriod: the period asked for)`,
      // On a capture the configuration is unknown (what it advertised stands in): reported, not judged.
      verdict: conf.origin === FROM_CAPTURE ? 'not-applicable' : periods.every((p) => p === conf.value) ? 'pass' : 'fail',
      detail: conf.origin === FROM_CAPTURE ? 'the DUT\'s configuration is unknown: the capture shows only what it asks for' : describeSetting(`the DUT's ${which === 'delayReq' ? 'logMinDelayReqInterval' : which === 'sync' ? 'logSyncInterval' : 'logAnnounceInterval'}`, conf),
    })
    if (configured) {
      const durations = [...new Set(mine.map((r) => (r.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION' ? r.tlv.durationField : NaN)))]
      checks.push({
        name: `as slave: the DUT asks for ${svc} for its configured duration`,
        measured: durations.join(', '),
        unit: 's',
        limit: `= ${configured.value} s`,
        source: `${NEGOTIATION}.4.1 (durationField)`,
        verdict: durations.every((x) => x === configured.value) ? 'pass' : 'fail',
        detail: describeSetting('unicast_req_duration', configured, ' s'),
      })
    }
    checks.push(renewal(d, steps, svc))
  }
  if (d.delayRespCancelAtNs !== undefined) checks.push(delayReqStops(d, steps, ev))
  if (d.cancelAtNs !== undefined) {
    const at = d.cancelAtNs
    const ack = steps.find((s) => s.direction === 'in' && s.atNs > at && s.tlv.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION' && s.service === CANCELLED)
    checks.push({
      name: `as slave: the DUT acknowledges its master's CANCEL of ${CANCELLED}`,
      measured: ack ? `ACKNOWLEDGE_CANCEL after ${formatNs(ack.atNs - at)}` : 'none',
      limit: 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION',
      source: ACK_SOURCE,
      verdict: ack ? 'pass' : 'fail',
      detail: ack ? undefined : `its grandmaster cancelled ${CANCELLED} at ${secondsAfter(at, d.startNs)}; nothing acknowledged it in the ${(Number(d.endNs - at) / 1e9).toFixed(1)} s after`,
    })
  }
  return checks
}

/**
 * Once its Delay_Resp service is cancelled the DUT sends no Delay_Req until it is granted again:
 * one already due may leave within two of its request intervals (uniform spacing reaches 2T).
 */
function delayReqStops(d: DutAsGrantee, steps: NegotiationStep[], ev: Evidence<Data>): Check {
  const at = d.delayRespCancelAtNs!
  const setting = ev.dut.intervals.delayReq
  const T = logIntervalToNs(setting.value)
  const allowed = at + 2n * T + ev.noise.ns
  const regrant = steps.find((s) => s.direction === 'out' && s.service === 'Delay_Resp' && s.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && s.tlv.durationField > 0 && s.atNs > at)
  const until = regrant?.atNs ?? d.endNs
  const late = d.recorder.byType('Delay_Req', { direction: 'in', domainNumber: ev.session.domainNumber }).filter((f) => f.timestampNs !== null && f.timestampNs > allowed && f.timestampNs < until)
  return {
    name: 'as slave: the DUT stops its Delay_Req when its Delay_Resp service is cancelled',
    measured: late.length ? `${late.length} Delay_Req, the last ${formatNs(late.at(-1)!.timestampNs! - at)} after the CANCEL` : 'none',
    limit: `none from ${formatNs(allowed - at)} after the CANCEL (2 × 2^${setting.value} s + noise) until a new grant`,
    source: `${NEGOTIATION}.2.5 (a cancelled grant ends the service; that its grantee then stops asking is this harness's reading); the clause sets no time`,
    unconfirmed: true,
    verdict: until <= allowed ? 'inconclusive' : late.length ? 'fail' : 'pass',
    detail: `${regrant ? `granted again ${formatNs(regrant.atNs - at)} after the CANCEL` : 'not granted again before the recording ended'}; ${describeSetting("the DUT's logMinDelayReqInterval", setting)}`,
  }
}

/** The first grant the harness gave for `svc` must be followed by a request for it before it runs out. */
function renewal(d: DutAsGrantee, steps: NegotiationStep[], svc: UnicastService): Check {
  const grant = steps.find((s) => s.direction === 'out' && s.service === svc && s.tlv.kind === 'GRANT_UNICAST_TRANSMISSION' && s.tlv.durationField > 0)
  const name = `as slave: the DUT renews its ${svc} grant before it expires`
  if (!grant || grant.tlv.kind !== 'GRANT_UNICAST_TRANSMISSION') {
    return { name, measured: 'never granted', limit: 'a renewal before expiry', source: `${NEGOTIATION}.2.4`, verdict: 'not-applicable', detail: `the grandmaster granted no ${svc}` }
  }
  const expires = grant.atNs + BigInt(grant.tlv.durationField) * S
  const renewed = steps.find((s) => s.direction === 'in' && s.service === svc && s.tlv.kind === 'REQUEST_UNICAST_TRANSMISSION' && s.atNs > grant.atNs)
  const base = { name, limit: `before ${grant.tlv.durationField} s after the grant`, source: `${NEGOTIATION}.2.4 (service ends at the grant's expiry unless renewed)` }
  if (renewed && renewed.atNs < expires) return { ...base, measured: `renewed ${(Number(renewed.atNs - grant.atNs) / 1e9).toFixed(1)} s after the grant`, verdict: 'pass' }
  if (renewed) return { ...base, measured: `asked again ${(Number(renewed.atNs - grant.atNs) / 1e9).toFixed(1)} s after the grant`, verdict: 'fail', detail: 'the grant had run out' }
  if (d.endNs < expires) {
    return { ...base, measured: `no renewal in the ${(Number(d.endNs - grant.atNs) / 1e9).toFixed(1)} s watched`, verdict: 'inconclusive', detail: `the watch ended before the ${grant.tlv.durationField} s grant expired` }
  }
  return { ...base, measured: `no renewal in ${(Number(d.endNs - grant.atNs) / 1e9).toFixed(1)} s`, verdict: 'fail', detail: `the ${grant.tlv.durationField} s grant ran out at ${secondsAfter(expires, d.startNs)}` }
}

// ------------------------------------------------------------------ descriptions

function describeRequests(reqs: NegotiationStep[], t0: bigint): string {
  return reqs.length ? reqs.slice(0, 6).map((r) => `${r.service ?? 'unknown type'} ${secondsAfter(r.atNs, t0)}`).join(', ') : 'none'
}

function describeDutSignaling(steps: NegotiationStep[], t0: bigint): string {
  const fromDut = steps.filter((s) => s.direction === 'in')
  return fromDut.length ? `the DUT sent ${fromDut.slice(0, 6).map((s) => `${s.tlv.kind} ${s.service ?? ''} ${secondsAfter(s.atNs, t0)}`).join(', ')}` : 'the DUT sent no negotiation TLV at all'
}

function summary(d: NegotiationEvidence, domainNumber: number): Record<string, unknown> {
  const line = (steps: NegotiationStep[], t0: bigint) => steps.map((s) => {
    const t = s.tlv
    const v = t.kind === 'REQUEST_UNICAST_TRANSMISSION' || t.kind === 'GRANT_UNICAST_TRANSMISSION' ? ` 2^${t.logInterMessagePeriod} s ${t.durationField} s` : ''
    return `${secondsAfter(s.atNs, t0)} ${s.direction === 'in' ? 'DUT' : 'harness'} ${t.kind.replace('_UNICAST_TRANSMISSION', '')} ${s.service ?? `0x${t.messageType.toString(16)}`}${v}`
  })
  return {
    asMaster: line(negotiationSteps(d.asMaster.recorder, domainNumber), d.asMaster.startNs),
    asSlave: line(negotiationSteps(d.asSlave.recorder, domainNumber), d.asSlave.startNs),
  }
}

