/**
 * A fuzzing campaign against a DUT slave (ROB-08, and `ptp-conform fuzz` for as long as asked):
 * seeded batches of fuzz cases, each followed by a health check. On a batch after which the DUT
 * is not well, the batch is sent again to a fresh DUT (did it recur?), delta debugging finds the
 * smallest sequence of its cases that still does it, that sequence is sent once more, and what
 * left the port then becomes the reproducer (pcapng + seed). Then a fresh DUT, and on.
 * The campaign drives a CampaignRig: FuzzRig live, a simulated link in the judge tests, so the
 * evidence those judge is made by this very loop.
 */
import { MESSAGE_TYPE_NAMES } from '../../harness/codec/constants.ts'
import type { BurstRecord } from '../../harness/fuzz/burst.ts'
import { fuzzBatch, type FuzzCase } from '../../harness/fuzz/cases.ts'
import { assessHealth, type HealthObservation, type HealthProblem } from '../../harness/fuzz/health.ts'
import { ddmin } from '../../harness/fuzz/minimize.ts'
import { reproducerPcapng } from '../../harness/fuzz/reproducer.ts'
import { delayRequestName, type FuzzTarget } from '../../harness/fuzz/target.ts'
import type { TransportName } from '../../harness/profiles/types.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import type { TestContext } from '../../harness/run/context.ts'
import { FuzzRig } from './fuzz_rig.ts'

export interface FuzzParams {
  /** How long to fuzz (failures' minimisation comes on top). */
  minutes: number
  seed: number
  /** Cases per batch, spread over batchSpanMs. */
  batchSize: number
  batchSpanMs: number
  /** Live trials the minimisation of one failure may take (each restarts the DUT). */
  maxTrials: number
  /** The campaign ends after this many failures (each minimised, which takes minutes on a slow DUT). */
  maxFailures: number
}

export const FUZZ_DEFAULTS: FuzzParams = { minutes: 0.5, seed: 1, batchSize: 32, batchSpanMs: 2000, maxTrials: 24, maxFailures: 2 }

export interface BatchRecord {
  batch: number
  cases: number
  planned: number
  sent: number
  /** Cases per family. */
  families: Record<string, number>
  /** Cases of the batch not sent: like a failure's minimal case (quarantined). */
  leftOut?: number
  health: HealthObservation
  problems: HealthProblem[]
}

export interface FailureRecord {
  batch: number
  problems: HealthProblem[]
  /** The end of the DUT's log, when it died. */
  logTail?: string
  /** The whole batch, sent again to a fresh DUT, made it unwell again. */
  recurred: boolean
  /** The smallest sequence found: its cases, the trials it took, whether the budget ran out first. */
  minimal?: { cases: { id: string; description: string }[]; trials: number; exhausted: boolean }
  /** The minimal sequence sent once more: what the DUT did (absent: it was not sent again). */
  replay?: { problems: HealthProblem[] }
  /** The reproducer's file in the run's evidence. */
  reproducer?: string
  /**
   * Cases like the single minimal one (same senders and messageTypes on the wire) that later
   * batches leave out, so that one weakness does not hide the rest behind it.
   */
  quarantined?: string
  /** What could not be done, and why. */
  note?: string
}

export interface FuzzEvidence {
  params: FuzzParams
  grandmaster: string
  delayRequest: string
  recoveryMs: number
  stateExpected: boolean
  baseline: { health: HealthObservation; problems: HealthProblem[] }
  batches: BatchRecord[]
  failures: FailureRecord[]
  /** Why the campaign ended. */
  stopped: 'time' | 'failures' | 'dut-did-not-come-back' | 'aborted'
  startedNs: bigint
  endNs: bigint
}

/** What the campaign needs of the DUT's surroundings: FuzzRig live, a simulated link in the judge tests. */
export interface CampaignRig {
  readonly target: FuzzTarget
  /** Longest a well DUT may need to be seen well again: to lock after a start, or after a fuzzed choice. */
  readonly recoveryMs: number
  /** The DUT answered state reads before fuzzing (so its silence later is a problem). */
  readonly stateExpected: boolean
  /** The timestamp clock now (ns). */
  now(): bigint
  /** The grandmaster's time at `ns` on the timestamp clock (what its messages say). */
  grandmasterTime(ns: bigint): bigint
  /** Watch the DUT from `fromNs` until it is seen well (or dies), at most the recovery time. */
  observe(fromNs: bigint): Promise<HealthObservation>
  /** Put the cases on the wire; resolves once their frames have left. */
  send(cases: readonly FuzzCase[]): Promise<BurstRecord>
  /** Forget the recording so far (a campaign runs for minutes; only a failure's frames are kept). */
  clearRecording(): void
  /** The fuzz frames recorded since the recording was last cleared. */
  sentFrames(): RecordedFrame[]
  /** Stop and start the DUT again. */
  restartDut(): Promise<void>
  close(): Promise<void>
}

/** What the DUT did after a sequence of cases sent to it fresh. */
export interface Trial {
  observation: HealthObservation
  problems: HealthProblem[]
  burst: BurstRecord
  /** The fuzz frames as they left (octets, TX time, why), for a reproducer. */
  sent: RecordedFrame[]
}

export const problemsOf = (rig: CampaignRig, o: HealthObservation): HealthProblem[] => assessHealth(o, rig.target)

/** Restart the DUT and watch it lock to the grandmaster again. */
export async function restartWatched(rig: CampaignRig): Promise<HealthObservation> {
  await rig.restartDut()
  return rig.observe(rig.now())
}

/** A fresh DUT, seen well, then these cases: what it did (undefined when it never came back before them). */
export async function trial(rig: CampaignRig, cases: readonly FuzzCase[]): Promise<Trial | undefined> {
  if (problemsOf(rig, await restartWatched(rig)).length) return undefined
  rig.clearRecording()
  const burst = await rig.send(cases)
  const observation = await rig.observe(rig.now())
  return { observation, problems: problemsOf(rig, observation), burst, sent: rig.sentFrames() }
}

/** What the campaign tells and keeps: progress, files, the run's facts, Ctrl-C. */
export interface CampaignHooks {
  step(text: string): void
  /** Store a reproducer; returns where. */
  attach(name: string, bytes: Uint8Array): string
  aborted(): boolean
  facts: { profile: string; transport: TransportName; domainNumber: number }
}

function families(cases: readonly FuzzCase[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of cases) out[c.family] = (out[c.family] ?? 0) + 1
  return out
}

/** What a case is, for the quarantine: who sends which message types, as the wire says (a flipped bit may have made a Pdelay_Resp). */
export function caseSignature(c: FuzzCase): string {
  const wire = (o: Uint8Array) => MESSAGE_TYPE_NAMES[o[0]! & 0x0f] ?? `messageType 0x${(o[0]! & 0x0f).toString(16).toUpperCase()}`
  return [...new Set(c.frames.map((f) => `the ${f.sender}'s ${wire(f.octets)}`))].join(' + ')
}

/** The reproducer of frames as they left, stored; returns where. */
function storeReproducer(h: CampaignHooks, rig: CampaignRig, p: FuzzParams, name: string, sent: readonly RecordedFrame[], cases: { id: string; description: string }[], problems: HealthProblem[]): string {
  const bytes = reproducerPcapng(
    sent,
    { seed: p.seed, ...h.facts, grandmaster: rig.target.grandmaster, stranger: rig.target.stranger, cases, problems },
    (f) => (f.reason?.step.endsWith('from the stranger') ? 'stranger' : 'grandmaster'),
    (f) => /^case (\S+)/.exec(f.reason?.step ?? '')?.[1] ?? '?',
  )
  return h.attach(name, bytes)
}

const described = (cases: readonly FuzzCase[]) => cases.map((c) => ({ id: c.id, description: c.description }))

/** Recur, minimise, replay, write the reproducer: one failure's record. */
async function investigate(h: CampaignHooks, rig: CampaignRig, p: FuzzParams, batch: number, cases: FuzzCase[], problems: HealthProblem[], logTail: string | undefined, n: number): Promise<FailureRecord> {
  const rec: FailureRecord = { batch, problems, recurred: false, ...(logTail ? { logTail } : {}) }
  const name = `fuzz-failure-${n}-seed${p.seed}-batch${batch}.pcapng`
  // The batch as it left, before a trial clears the recording: the reproducer if nothing smaller is found.
  const original = rig.sentFrames()
  h.step(`batch ${batch}: ${problems.map((x) => x.kind).join(', ')}; sending it again to a fresh DUT`)
  const again = await trial(rig, cases)
  if (!again) return { ...rec, note: 'the DUT did not come back well after a restart: nothing could be sent again' }
  rec.recurred = again.problems.length > 0
  if (!rec.recurred) {
    rec.reproducer = storeReproducer(h, rig, p, name, original, described(cases), problems)
    return { ...rec, note: 'the batch sent again to a fresh DUT left it well: the failure did not recur; the reproducer is the whole batch as first sent' }
  }
  let trials = 0
  const m = await ddmin(cases, async (subset) => {
    trials++
    h.step(`batch ${batch}: minimising, trial ${trials} (${subset.length} cases)`)
    const t = await trial(rig, subset)
    return !!t && t.problems.length > 0
  }, { maxTrials: p.maxTrials })
  rec.minimal = { cases: described(m.minimal), trials: m.trials, exhausted: m.exhausted }
  h.step(`batch ${batch}: sending the ${m.minimal.length} minimal case(s) once more`)
  const last = await trial(rig, m.minimal)
  if (!last) return { ...rec, note: 'the DUT did not come back well before the minimal sequence could be sent once more' }
  rec.replay = { problems: last.problems }
  rec.reproducer = storeReproducer(h, rig, p, name, last.sent, rec.minimal.cases, last.problems.length ? last.problems : problems)
  if (m.minimal.length === 1 && last.problems.length) rec.quarantined = caseSignature(m.minimal[0]!)
  return rec
}

export async function acquireFuzz(ctx: TestContext, p: FuzzParams): Promise<FuzzEvidence> {
  ctx.step('starting the DUT as a slave of a clean grandmaster')
  const rig = await FuzzRig.start(ctx)
  return runCampaign(rig, p, {
    step: (t) => ctx.step(t),
    attach: (name, bytes) => ctx.attach(name, bytes, 'other'),
    aborted: () => ctx.signal.aborted,
    facts: { profile: ctx.profile.id, transport: ctx.session.transport, domainNumber: ctx.session.domainNumber },
  })
}

/** Fuzz for p.minutes on the rig's clock (then closes it): the campaign's evidence. */
export async function runCampaign(rig: CampaignRig, p: FuzzParams, h: CampaignHooks): Promise<FuzzEvidence> {
  const startedNs = rig.now()
  const ev: FuzzEvidence = {
    params: p,
    grandmaster: rig.target.grandmaster.clockIdentity,
    delayRequest: delayRequestName(rig.target),
    recoveryMs: rig.recoveryMs,
    stateExpected: rig.stateExpected,
    baseline: { health: undefined as unknown as HealthObservation, problems: [] },
    batches: [],
    failures: [],
    stopped: 'time',
    startedNs,
    endNs: startedNs,
  }
  try {
    const health = await rig.observe(startedNs)
    ev.baseline = { health, problems: problemsOf(rig, health) }
    if (ev.baseline.problems.length) return ev
    const quarantine = new Set<string>()
    // Minimising a failure does not eat into the fuzzing time: the deadline moves by what it took.
    let deadlineNs = startedNs + BigInt(Math.round(p.minutes * 60_000)) * 1_000_000n
    const spanNs = BigInt(p.batchSpanMs) * 1_000_000n
    for (let b = 0; rig.now() < deadlineNs; b++) {
      if (h.aborted()) {
        ev.stopped = 'aborted'
        break
      }
      const drawn = fuzzBatch(rig.target, { seed: p.seed, batch: b, size: p.batchSize, spanNs, timeNs: rig.grandmasterTime(rig.now()) })
      const cases = drawn.filter((c) => !quarantine.has(caseSignature(c)))
      h.step(`batch ${b}: ${cases.length} cases (${ev.batches.reduce((n, x) => n + x.cases, 0)} sent so far, ${ev.failures.length} failures)`)
      rig.clearRecording()
      const burst = await rig.send(cases)
      const health = await rig.observe(rig.now())
      const problems = problemsOf(rig, health)
      const leftOut = drawn.length - cases.length
      ev.batches.push({ batch: b, cases: cases.length, planned: burst.planned, sent: burst.sent, families: families(cases), health, problems, ...(leftOut ? { leftOut } : {}) })
      if (problems.length === 0) continue
      const investigating = rig.now()
      const failure = await investigate(h, rig, p, b, cases, problems, health.exit?.logTail, ev.failures.length + 1)
      ev.failures.push(failure)
      if (failure.quarantined) quarantine.add(failure.quarantined)
      const back = await restartWatched(rig)
      deadlineNs += rig.now() - investigating
      if (ev.failures.length >= p.maxFailures) {
        ev.stopped = 'failures'
        break
      }
      if (problemsOf(rig, back).length) {
        ev.stopped = 'dut-did-not-come-back'
        break
      }
    }
  } catch (e) {
    if (!h.aborted()) throw e
    ev.stopped = 'aborted'
  } finally {
    ev.endNs = rig.now()
    await rig.close()
  }
  return ev
}
