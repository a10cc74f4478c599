/**
 * ROB-07 — Delay_Req load on the DUT as grandmaster: fleets of 1, 10, 100 and 1000 emulated
 * slaves (each its own clockIdentity, each at the DUT's configured Delay_Req interval and the
 * profile's spacing rule) ask at once, one step after another. Per step: requests sent (each
 * with its TX timestamp), the share answered, the answer latency (Delay_Resp arrival − Delay_Req
 * TX) percentiles, answers naming a request never sent, the DUT's Sync intervals, and the
 * harness's own TX-schedule error (TX timestamp − planned time), so a step the harness could not
 * offer faithfully is never blamed on the DUT.
 * Judged: every answer names a request that was sent (at every load); where the DUT states a
 * capacity (`delayRequestCapacity`, Delay_Req/s, in its DUT file or as --dut-option), every
 * request at a load within it is answered. Without one the curve is reported, not judged.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { createSlaveFleet } from '../../harness/engines/slave_fleet.ts'
import { testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import { configuredIntervals, type DutSetting } from '../../harness/dut/settings.ts'
import { negotiationRequired } from '../../harness/engines/unicast/services.ts'
import { emulatedClockIdentity } from '../../harness/engines/clock_identities.ts'
import { summarize } from '../../harness/stats/percentiles.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { type Check, conformance, formatNs, logIntervalToMs, logIntervalToNs, pairDelayReqResp, Recorder } from '../kit.ts'

export interface LoadStep {
  slaves: number
  /** Delay_Req/s the fleet plans (slaves / interval). */
  offeredPerSecond: number
  fromNs: bigint
  toNs: bigint
  /** Why the step was not run (beyond the harness's budget). */
  skipped?: string
}

export interface LoadEvidence {
  /** The slaves' identity family (emulatedClockIdentity): what tells a fleet's request apart. */
  identityFamily: number
  steps: LoadStep[]
  /** One recording per step run, in step order. */
  recordings: Recorder[]
}

const PARAMS = { slaves: [1, 10, 100, 1000], stepSeconds: 8, maxOfferedPerSecond: 2000 }
/** Answers to requests sent in the last second of a step may still be on their way. */
const IN_FLIGHT_NS = 1_000_000_000n
const FAMILY = 0x02_5e_07
const SOURCE = 'IEEE 1588-2019 9.5.12 (a master answers each Delay_Req with a Delay_Resp naming its requestingPortIdentity and sequenceId), 11.3.2'

export interface StepFigures {
  slaves: number
  offeredPerSecond: number
  /** From the fleet's first request to the step's end (the slaves first need a Sync from the DUT). */
  requestingNs: bigint
  sent: number
  /** Requests sent before the step's last second, and how many of them were answered. */
  judged: number
  answered: number
  /** Answers to the fleet naming a request never sent, or arriving before the request they name. */
  stray: number
  latencyNs: { p50: number; p99: number; max: number }
  scheduleErrorNs: { p50: number; p99: number; max: number }
  /** The DUT's Sync intervals during the step (count 0: it sent at most one Sync). */
  syncIntervalNs: { mean: number; max: number; count: number }
}

const figures3 = (xs: bigint[]) => {
  if (!xs.length) return { p50: NaN, p99: NaN, max: NaN }
  const s = summarize(xs)
  return { p50: Number(s.p50), p99: Number(s.p99), max: Number(s.max) }
}

/** The figures of one step from its recording (pure). */
export function stepFigures(step: LoadStep, rec: Recorder, family: number): StepFigures {
  const prefix = emulatedClockIdentity(0, family).slice(0, 6)
  const fleet = (p: PortIdentity) => p.clockIdentity.startsWith(prefix)
  const pairing = pairDelayReqResp(rec)
  const requests = pairing.pairs.filter((p) => p.request.direction === 'out' && p.request.timestampNs !== null && fleet(p.request.message!.header.sourcePortIdentity))
  // Requests are paired first, so an answer naming a request sent only later pairs with it at a negative delay.
  const early = requests.filter((p) => p.responseDelayNs !== undefined && p.responseDelayNs < 0n)
  const orphans = pairing.orphanResponses.filter((f) => f.direction === 'in' && f.message?.type === 'Delay_Resp' && fleet(f.message.requestingPortIdentity))
  const judged = requests.filter((p) => p.request.timestampNs! < step.toNs - IN_FLIGHT_NS)
  const answered = judged.filter((p) => p.responseDelayNs !== undefined && p.responseDelayNs >= 0n)
  const firstNs = requests.reduce<bigint | undefined>((a, p) => (a === undefined || p.request.timestampNs! < a ? p.request.timestampNs! : a), undefined)
  const syncs = rec.intervalSeries({ type: 'Sync', direction: 'in' })
  const sync = syncs.length ? summarize(syncs) : undefined
  return {
    slaves: step.slaves,
    offeredPerSecond: step.offeredPerSecond,
    requestingNs: firstNs === undefined ? 0n : step.toNs - firstNs,
    sent: requests.length,
    judged: judged.length,
    answered: answered.length,
    stray: orphans.length + early.length,
    latencyNs: figures3(requests.flatMap((p) => (p.responseDelayNs !== undefined && p.responseDelayNs >= 0n ? [p.responseDelayNs] : []))),
    scheduleErrorNs: figures3(requests.flatMap((p) => (p.request.plannedAt !== undefined ? [p.request.timestampNs! - p.request.plannedAt] : []))),
    syncIntervalNs: sync ? { mean: Number(sync.mean), max: Number(sync.max), count: sync.count } : { mean: NaN, max: NaN, count: 0 },
  }
}

const ms = (ns: number) => (Number.isFinite(ns) ? `${(ns / 1e6).toFixed(3)} ms` : '—')
export const describeStep = (s: StepFigures) =>
  `${s.slaves} slaves, ${s.offeredPerSecond.toFixed(0)} Delay_Req/s offered: ${s.sent} sent, ${s.answered}/${s.judged} answered (${s.judged ? ((100 * s.answered) / s.judged).toFixed(2) : '—'} %), latency p50 ${ms(s.latencyNs.p50)} p99 ${ms(s.latencyNs.p99)} max ${ms(s.latencyNs.max)}; harness TX-schedule error p50 ${ms(s.scheduleErrorNs.p50)} p99 ${ms(s.scheduleErrorNs.p99)}; DUT Sync interval mean ${ms(s.syncIntervalNs.mean)} max ${ms(s.syncIntervalNs.max)}`

/**
 * The harness offered a step faithfully when it sent ≥ 90 % of what it planned and its TX
 * timestamps came within a quarter of the request interval of the planned times (p99):
 * beyond that its own limits, not the DUT, shape the step.
 */
export function harnessShortfall(s: StepFigures, intervalNs: bigint): string | undefined {
  const planned = (s.offeredPerSecond * Number(s.requestingNs)) / 1e9
  if (s.sent < 0.9 * planned) return `the harness sent ${s.sent} of the ${planned.toFixed(0)} requests it planned in the ${formatNs(s.requestingNs)} from its first`
  if (!(s.scheduleErrorNs.p99 <= Number(intervalNs) / 4)) return `the harness's TX-schedule error p99 ${ms(s.scheduleErrorNs.p99)} exceeds a quarter of the ${formatNs(intervalNs)} request interval`
  return undefined
}

/**
 * Every answer to the fleet names a request that was sent. A DUT that sent no Sync during the
 * step gave the slaves nothing to follow: its failure, with the counts; a DUT that sent Sync
 * while the fleet sent nothing is the harness's shortfall.
 */
function strayCheck(f: StepFigures, step: LoadStep): Check {
  const base = { name: `${f.slaves} slaves: every Delay_Resp names a request that was sent`, unit: 'answers', limit: '0 answers to a request never sent', source: SOURCE }
  if (f.sent > 0) return { ...base, measured: f.stray, verdict: f.stray === 0 ? 'pass' : 'fail', detail: describeStep(f) }
  if (f.syncIntervalNs.count === 0) return { ...base, measured: 'no Sync', verdict: 'fail', detail: `the DUT as grandmaster sent at most one Sync in the ${formatNs(step.toNs - step.fromNs)} step (IEEE 1588-2019 9.5.9: a master sends Sync at its interval), so no slave could ask: ${describeStep(f)}` }
  return { ...base, measured: 'nothing sent', verdict: 'inconclusive', detail: `the DUT sent ${f.syncIntervalNs.count + 1} Sync but the fleet sent no Delay_Req: ${describeStep(f)}` }
}

/**
 * Every request older than a second answered, at the loads that are judged: the first step (the
 * fewest slaves, each at the DUT's configured interval: no load at all, what 9.5.12 asks of any
 * master) and, where the DUT states a capacity, every step within it. Other steps are reported.
 */
function answeredCheck(f: StepFigures, first: boolean, capacity: DutSetting | undefined, T: bigint): Check {
  const measured = `${f.answered}/${f.judged}`
  const within = capacity !== undefined && f.offeredPerSecond <= capacity.value
  const limit = within ? `all answered up to ${capacity!.value}/s (${capacity!.origin})` : `all answered from ${f.slaves} slave${f.slaves === 1 ? '' : 's'} at the configured interval`
  const base = { name: `${f.slaves} slaves: every request answered${first ? ' (the configured rate)' : ' within the stated capacity'}`, source: within ? `${SOURCE}; the DUT's stated capacity` : SOURCE, limit }
  if (!first && !within) {
    const why = capacity ? `${f.offeredPerSecond.toFixed(0)}/s is beyond the stated capacity of ${capacity.value}/s` : 'the DUT states no delayRequestCapacity (DUT file settings, or --dut-option delayRequestCapacity=N): the curve is reported, not judged'
    return { ...base, measured, limit: capacity ? `loads ≤ ${capacity.value}/s (${capacity.origin})` : 'a stated delayRequestCapacity', verdict: 'not-applicable', detail: `${why}; ${describeStep(f)}` }
  }
  if (f.judged === 0) return { ...base, measured, verdict: 'inconclusive', detail: `no request left more than ${formatNs(IN_FLIGHT_NS)} before the step ended: nothing to judge; ${describeStep(f)}` }
  const shortfall = harnessShortfall(f, T)
  if (shortfall) return { ...base, measured, verdict: 'inconclusive', detail: `${shortfall}: the step does not show what the DUT does at this load; ${describeStep(f)}` }
  return { ...base, measured, verdict: f.answered === f.judged ? 'pass' : 'fail', detail: describeStep(f) }
}

export default conformance<LoadEvidence>({
  id: 'ROB-07',
  title: 'Delay_Req load from 1 to 1000 emulated slaves: answered, correct, and the curve',
  area: 'ROB',
  clause: 'IEEE 1588-2019 9.5.12, 11.3.2',
  mapsTo: ['ntpperf (load curve)', 'Keysight/Spirent many-clock emulation'],
  tags: ['active', 'robustness', 'load'],
  severity: 'normal',
  fixture: 'dut-master',
  params: PARAMS,
  estimatedSeconds: 45,
  criteria: {
    pass: 'at every load every Delay_Resp to the fleet names a request that was sent; every request from one slave at the configured interval is answered, and where the DUT states a capacity, every request at a load within it (those of the step\'s last second excepted)',
    fail: 'a Delay_Resp names a request never sent, the DUT sends no Sync to follow, or requests at the configured rate or within the stated capacity go unanswered',
  },
  appliesTo: (p) =>
    p.delayMechanism.default !== 'E2E' ? `profile ${p.id} uses the peer-delay mechanism: no Delay_Req` : negotiationRequired(p) ? `profile ${p.id} is unicast-only: each emulated slave would first negotiate (not built)` : true,
  async acquire(ctx) {
    const p = ctx.params(PARAMS)
    const s = ctx.session
    ctx.step('starting the DUT as grandmaster')
    await s.ensureDut('master', ctx.signal)
    // The fleet follows the DUT's port at once instead of qualifying its Announce first (which
    // would take the first seconds of every step).
    const state = await s.dut.readState().catch(() => undefined)
    const id = state?.clockIdentity
    const master = id && !/^[0.]+$/.test(id) ? { master: { clockIdentity: id, portNumber: state?.ports[0]?.portNumber ?? 1 } } : {}
    const log = s.dutSettings.intervals.delayReq.value
    const perSlave = 1000 / logIntervalToMs(log)
    const ev: LoadEvidence = { identityFamily: FAMILY, steps: [], recordings: [] }
    for (const n of p.slaves) {
      const offered = n * perSlave
      if (offered > p.maxOfferedPerSecond) {
        ev.steps.push({ slaves: n, offeredPerSecond: offered, fromNs: 0n, toNs: 0n, skipped: `${offered.toFixed(0)} Delay_Req/s is beyond the harness's budget of ${p.maxOfferedPerSecond}/s (params.maxOfferedPerSecond)` })
        continue
      }
      ctx.step(`${n} slaves at 2^${log} s each: ${offered.toFixed(0)} Delay_Req/s for ${p.stepSeconds} s`)
      const slave = testSlaveConfigFromProfile(ctx.profile, { name: 'load', clockIdentity: emulatedClockIdentity(0, FAMILY), intervals: configuredIntervals(s.dutSettings) }, { header: s.headerDefaults(), delayMechanism: 'E2E', maxSamples: 16, ...master })
      const { name: _n, clockIdentity: _c, ...shared } = slave
      const fleet = createSlaveFleet({ name: `load-${n}`, count: n, identityFamily: FAMILY, slave: shared, seed: n })
      const handle = s.drive(fleet)
      const fromNs = systemTimeNs()
      try {
        await ctx.sleep(p.stepSeconds * 1000)
      } finally {
        await handle.close()
      }
      ev.steps.push({ slaves: n, offeredPerSecond: offered, fromNs, toNs: systemTimeNs() })
      ev.recordings.push(handle.recorder)
    }
    return ev
  },
  judge(ev, profile) {
    const d = ev.data
    const T = logIntervalToNs(ev.dut.intervals.delayReq.value)
    const checks: Check[] = []
    const figures: StepFigures[] = []
    let r = 0
    for (const step of d.steps) {
      if (step.skipped) {
        checks.push({ name: `${step.slaves} slaves: the step was run`, measured: 'not run', limit: `${step.offeredPerSecond.toFixed(0)} Delay_Req/s offered`, source: SOURCE, verdict: 'not-applicable', detail: step.skipped })
        continue
      }
      const f = stepFigures(step, d.recordings[r++]!, d.identityFamily)
      checks.push(strayCheck(f, step), answeredCheck(f, figures.length === 0, ev.dut.delayRequestCapacity, T))
      figures.push(f)
    }
    const knee = figures.find((f) => f.judged > 0 && f.answered / f.judged < 0.99)
    return {
      checks,
      measurements: {
        profile: profile.id,
        stepSeconds: d.steps.filter((s) => !s.skipped).map((s) => (Number(s.toNs - s.fromNs) / 1e9).toFixed(1)),
        curve: figures.map(describeStep),
        knee: knee ? `${knee.offeredPerSecond.toFixed(0)} Delay_Req/s (${knee.slaves} slaves): ${((100 * knee.answered) / knee.judged).toFixed(2)} % answered` : 'none within the loads offered (≥ 99 % answered at every step)',
      },
    }
  },
})
