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
import { configuredIntervals } from '../../harness/dut/settings.ts'
import { negotiationRequired } from '../../harness/engines/unicast/services.ts'
import { emulatedClockIdentity } from '../../harness/engines/clock_identities.ts'
import { summarize } from '../../harness/stats/percentiles.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { type Check, conformance, formatNs, logIntervalToMs, logIntervalToNs, Recorder } from '../kit.ts'

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
  logMinDelayReqInterval: number
  /** The slaves' identity family (emulatedClockIdentity): what tells a fleet's request apart. */
  identityFamily: number
  steps: LoadStep[]
  /** One recording per step run, in step order. */
  recordings: Recorder[]
  /** The DUT's configured Sync interval (log2 s). */
  logSyncInterval: number
}

const PARAMS = { slaves: [1, 10, 100, 1000], stepSeconds: 8, maxOfferedPerSecond: 2000 }
/** Answers to requests sent in the last second of a step may still be on their way. */
const IN_FLIGHT_NS = 1_000_000_000n
const FAMILY = 0x02_5e_07
const SOURCE = 'IEEE 1588-2019 9.5.12 (a master answers each Delay_Req with a Delay_Resp naming its requestingPortIdentity and sequenceId), 11.3.2'

export interface StepFigures {
  slaves: number
  offeredPerSecond: number
  /** From the fleet's first request to the step's end (the slaves first qualify the DUT's Announce and await a Sync). */
  requestingNs: bigint
  sent: number
  /** Requests sent before the step's last second, and how many of them were answered. */
  judged: number
  answered: number
  /** Answers naming a fleet slave and a sequenceId that slave never sent. */
  stray: number
  latencyNs: { p50: number; p99: number; max: number }
  scheduleErrorNs: { p50: number; p99: number; max: number }
  syncIntervalNs: { mean: number; max: number; count: number }
}

const key = (p: PortIdentity, seq: number) => `${p.clockIdentity}/${p.portNumber}/${seq}`
const pct = (xs: bigint[]) => {
  if (!xs.length) return { p50: NaN, p99: NaN, max: NaN }
  const s = summarize(xs)
  return { p50: Number(s.p50), p99: Number(s.p99), max: Number(s.max) }
}

/** The figures of one step from its recording (pure). */
export function stepFigures(step: LoadStep, rec: Recorder, family: number): StepFigures {
  const prefix = emulatedClockIdentity(0, family).slice(0, 6)
  const sentAt = new Map<string, bigint>()
  const scheduleErrors: bigint[] = []
  for (const f of rec.frames) {
    if (f.direction !== 'out' || f.message?.type !== 'Delay_Req' || f.timestampNs === null) continue
    sentAt.set(key(f.message.header.sourcePortIdentity, f.message.header.sequenceId), f.timestampNs)
    if (f.plannedAt !== undefined) scheduleErrors.push(f.timestampNs - f.plannedAt)
  }
  const firstNs = [...sentAt.values()].reduce<bigint | undefined>((a, t) => (a === undefined || t < a ? t : a), undefined)
  const cutoff = step.toNs - IN_FLIGHT_NS
  const judgedKeys = new Set([...sentAt].filter(([, t]) => t < cutoff).map(([k]) => k))
  const latencies: bigint[] = []
  const answeredKeys = new Set<string>()
  let stray = 0
  for (const f of rec.frames) {
    if (f.direction !== 'in' || f.message?.type !== 'Delay_Resp' || f.timestampNs === null) continue
    const who = f.message.requestingPortIdentity
    if (!who.clockIdentity.startsWith(prefix)) continue
    const k = key(who, f.message.header.sequenceId)
    const t = sentAt.get(k)
    // An answer before its request left names another one (a sequenceId off by one).
    if (t === undefined || t > f.timestampNs) {
      stray++
      continue
    }
    if (!answeredKeys.has(k)) latencies.push(f.timestampNs - t)
    answeredKeys.add(k)
  }
  const syncs = rec.frames.filter((f) => f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs !== null).map((f) => f.timestampNs!)
  const gaps = syncs.slice(1).map((t, i) => Number(t - syncs[i]!))
  return {
    slaves: step.slaves,
    offeredPerSecond: step.offeredPerSecond,
    requestingNs: firstNs === undefined ? 0n : step.toNs - firstNs,
    sent: sentAt.size,
    judged: judgedKeys.size,
    answered: [...judgedKeys].filter((k) => answeredKeys.has(k)).length,
    stray,
    latencyNs: pct(latencies),
    scheduleErrorNs: pct(scheduleErrors),
    syncIntervalNs: { mean: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : NaN, max: gaps.length ? Math.max(...gaps) : NaN, count: gaps.length },
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
    pass: 'at every load every Delay_Resp to the fleet names a request that was sent; where the DUT states a capacity, every request at a load within it is answered (those of the step\'s last second excepted)',
    fail: 'a Delay_Resp names a request never sent, or requests within the stated capacity go unanswered',
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
    const ev: LoadEvidence = { logMinDelayReqInterval: log, identityFamily: FAMILY, steps: [], recordings: [], logSyncInterval: s.dutSettings.intervals.sync.value }
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
    const T = logIntervalToNs(d.logMinDelayReqInterval)
    const capacity = ev.dut.delayRequestCapacity
    const checks: Check[] = []
    const figures: StepFigures[] = []
    let r = 0
    for (const step of d.steps) {
      if (step.skipped) {
        checks.push({ name: `${step.slaves} slaves: the step was run`, measured: 'not run', limit: `${step.offeredPerSecond.toFixed(0)} Delay_Req/s offered`, source: SOURCE, verdict: 'not-applicable', detail: step.skipped })
        continue
      }
      const f = stepFigures(step, d.recordings[r++]!, d.identityFamily)
      figures.push(f)
      checks.push({
        name: `${f.slaves} slaves: every Delay_Resp names a request that was sent`,
        measured: f.stray,
        unit: 'answers',
        limit: '0 answers to a request never sent',
        source: SOURCE,
        verdict: f.sent === 0 ? 'inconclusive' : f.stray === 0 ? 'pass' : 'fail',
        detail: f.sent === 0 ? `the fleet sent no Delay_Req (no Sync from the DUT to follow?): ${describeStep(f)}` : describeStep(f),
      })
      const shortfall = harnessShortfall(f, T)
      const base = { name: `${f.slaves} slaves: every request within the stated capacity answered`, source: `${SOURCE}; the DUT's stated capacity` }
      if (!capacity) {
        checks.push({ ...base, measured: `${f.answered}/${f.judged}`, limit: 'a stated delayRequestCapacity', verdict: 'not-applicable', detail: `the DUT states no delayRequestCapacity (DUT file settings, or --dut-option delayRequestCapacity=N): the curve is reported, not judged; ${describeStep(f)}` })
      } else if (f.offeredPerSecond > capacity.value) {
        checks.push({ ...base, measured: `${f.answered}/${f.judged}`, limit: `loads ≤ ${capacity.value}/s (${capacity.origin})`, verdict: 'not-applicable', detail: `${f.offeredPerSecond.toFixed(0)}/s is beyond the stated capacity; ${describeStep(f)}` })
      } else if (f.judged === 0) {
        checks.push({ ...base, measured: '0/0', limit: `all answered up to ${capacity.value}/s (${capacity.origin})`, verdict: 'inconclusive', detail: `no request left more than ${formatNs(IN_FLIGHT_NS)} before the step ended: nothing to judge; ${describeStep(f)}` })
      } else if (shortfall) {
        checks.push({ ...base, measured: `${f.answered}/${f.judged}`, limit: `all answered up to ${capacity.value}/s (${capacity.origin})`, verdict: 'inconclusive', detail: `${shortfall}: the step does not show what the DUT does at this load; ${describeStep(f)}` })
      } else {
        checks.push({ ...base, measured: `${f.answered}/${f.judged}`, limit: `all answered up to ${capacity.value}/s (${capacity.origin})`, verdict: f.judged > 0 && f.answered === f.judged ? 'pass' : 'fail', detail: describeStep(f) })
      }
    }
    const knee = figures.find((f) => f.judged > 0 && f.answered / f.judged < 0.99)
    return {
      checks,
      measurements: {
        profile: profile.id,
        dutLogSyncInterval: d.logSyncInterval,
        stepSeconds: d.steps.filter((s) => !s.skipped).map((s) => (Number(s.toNs - s.fromNs) / 1e9).toFixed(1)),
        curve: figures.map(describeStep),
        knee: knee ? `${knee.offeredPerSecond.toFixed(0)} Delay_Req/s (${knee.slaves} slaves): ${((100 * knee.answered) / knee.judged).toFixed(2)} % answered` : 'none within the loads offered (≥ 99 % answered at every step)',
      },
    }
  },
})
