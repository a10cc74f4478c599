/**
 * Runs one conformance definition against the session and turns what happens into a
 * TestResult — for every outcome: a verdict, a thrown harness error, an abort. The
 * result is on disk before this returns, so nothing is lost if the run dies next.
 */
import type { Profile } from '../profiles/types.ts'
import type { TestResult } from '../results/record.ts'
import type { ResultsWriter } from '../results/writer.ts'
import { type Check, combineChecks, type Verdict } from '../verdict/verdict.ts'
import type { TestContext } from './context.ts'
import { type ConformanceTest, runApplies, testParams } from './definition.ts'
import { resultBus } from '../results/result_bus.ts'
import { sinceBaseline } from '../results/diff.ts'
import { EVIDENCE_FORMAT, type Evidence, sessionFacts } from './evidence.ts'
import { encodeEvidence } from './evidence_codec.ts'
import { logDuring } from './dut_log.ts'
import { Recorder } from '../recorder/recorder.ts'
import { recordingToPcapng } from '../recorder/pcapng_export.ts'
import type { Session } from './session_types.ts'

export interface ExecuteOptions {
  profile: Profile
  session: Session
  writer: ResultsWriter
  signal: AbortSignal
  onStep?: (def: ConformanceTest, text: string) => void
  /** Overrides timeLimitMs(def) (unit tests). */
  timeLimitMs?: number
  /** `run --baseline DIR`: each record says what moved since that run. */
  baseline?: { dir: string; results: readonly TestResult[] }
}

/**
 * How long one test may go without a step (its cases each take one): four times its estimate,
 * at least a minute, for a DUT announcing at most every second (what the estimates assume);
 * a DUT configured slower stretches every wait by its Announce interval, and so the limit. A
 * test silent that long is hung. At the limit its acquisition is aborted and waited for, so no
 * test ever runs beside the next one on the port.
 */
export function timeLimitMs(def: Pick<ConformanceTest, 'estimatedSeconds'>, logAnnounceInterval = 0): number {
  return Math.max(60_000, def.estimatedSeconds * 4000) * 2 ** Math.max(0, logAnnounceInterval)
}

/** First failing (else inconclusive) check, as the one-line reason. */
export function reasonFrom(verdict: Verdict, checks: Check[]): string {
  if (verdict === 'pass') return `${checks.length} checks passed`
  const c = checks.find((x) => x.verdict === verdict)
  if (!c) return verdict === 'not-applicable' ? 'no check applied' : verdict
  const what = `${c.name}: measured ${c.measured}${c.unit ? ` ${c.unit}` : ''}, limit ${c.limit}`
  return c.detail ? `${what} (${c.detail})` : what
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error('aborted'))
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal.reason ?? new Error('aborted'))
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** The identity half of a result record: what the test is and where it ran. */
export function identityOf(def: ConformanceTest, profile: Profile, startedMs: number) {
  return {
    id: def.id,
    title: def.title,
    area: def.area,
    clause: def.clause,
    mapsTo: def.mapsTo,
    tags: def.tags ?? [],
    severity: def.severity ?? 'normal',
    profile: profile.id,
    startedAt: new Date(startedMs).toISOString(),
  }
}

/** The record of a test that never ran because the harness could not start (lab not built, interface gone). */
export function notRunResult(def: ConformanceTest, profile: Profile, why: string): TestResult {
  return {
    ...identityOf(def, profile, Date.now()),
    durationMs: 0,
    verdict: 'inconclusive',
    reason: `not run: ${why}`,
    checks: [],
    measurements: {},
    steps: [],
    evidence: {},
    harnessError: why,
  }
}

/** The DUT's unrequested exit as a check: a crash is the DUT's failure, whatever the test was measuring. */
export function dutExitCheck(e: NonNullable<Evidence['dutExit']>): Check {
  const how = e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`
  return {
    name: 'the DUT kept running through the test',
    verdict: 'fail',
    measured: `${e.program} ${how} at ${new Date(e.atMs).toISOString()}`,
    limit: 'runs until the harness stops it',
    source: 'a clock must keep its port states and messages (IEEE 1588-2019 9.2)',
    detail: e.logTail,
  }
}

/** Judge evidence into the verdict half of a result record (also what `rejudge` calls). */
export function judged(def: ConformanceTest, ev: Evidence, profile: Profile): Pick<TestResult, 'verdict' | 'reason' | 'checks' | 'measurements'> {
  // An acquisition the DUT's death broke off has no data to judge; the death is the verdict.
  const outcome = ev.acquisitionError === undefined ? def.judge(ev, profile) : { checks: [] as Check[], measurements: {}, reason: undefined }
  const checks = ev.dutExit ? [dutExitCheck(ev.dutExit), ...outcome.checks] : outcome.checks
  const verdict = checks.length ? combineChecks(checks) : 'inconclusive'
  const reason = ev.dutExit
    ? `${reasonFrom('fail', checks)}${ev.acquisitionError ? `; the test broke off: ${ev.acquisitionError}` : ''}`
    : (outcome.reason ?? (checks.length ? reasonFrom(verdict, checks) : 'the test produced no checks'))
  return { verdict, reason, checks, measurements: outcome.measurements ?? {} }
}

/** Every Recorder in the evidence data (top level and one level into arrays and objects). */
function recordingsIn(data: unknown): Recorder[] {
  const out: Recorder[] = []
  const visit = (v: unknown, depth: number) => {
    if (v instanceof Recorder) out.push(v)
    else if (depth < 3 && v && typeof v === 'object') for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1)
  }
  visit(data, 0)
  return out
}

export async function executeTest(def: ConformanceTest, o: ExecuteOptions): Promise<TestResult> {
  const started = Date.now()
  const steps: TestResult['steps'] = []
  const evidence: TestResult['evidence'] = {}
  const base = identityOf(def, o.profile, started)
  let noiseUsed: TestResult['noise']
  const finish = async (r: Omit<TestResult, keyof typeof base | 'durationMs' | 'steps' | 'evidence'>): Promise<TestResult> => {
    const result: TestResult = { ...base, ...r, steps, evidence, durationMs: Date.now() - started, ...(noiseUsed ? { noise: noiseUsed } : {}) }
    if (o.baseline) result.sinceBaseline = sinceBaseline(o.baseline.dir, o.baseline.results, result)
    o.writer.result(result)
    await resultBus.publishResult(result)
    return result
  }

  const applies = runApplies(def, o.profile, o.session.clockType)
  if (applies !== true) {
    return finish({ verdict: 'not-applicable', reason: applies, checks: [], measurements: {} })
  }
  if (o.signal.aborted) {
    return finish({ verdict: 'inconclusive', reason: 'not run: the run was interrupted', checks: [], measurements: {}, harnessError: 'interrupted' })
  }

  // The noise of this test's minutes, not the run's first second; the session's figure where it cannot re-measure.
  let noise = o.session.noise
  if (o.session.measureNoise) {
    try {
      noise = await o.session.measureNoise()
    } catch {
      // A failed re-measurement keeps the session's figure; the evidence says which was used.
    }
  }
  // The run's Ctrl-C, or this test's time limit: either stops the acquisition where it waits.
  const limitMs = o.timeLimitMs ?? timeLimitMs(def, o.session.dutSettings.intervals.announce.value)
  const testAbort = new AbortController()
  const onRunAbort = () => testAbort.abort(o.signal.reason ?? new Error('aborted'))
  o.signal.addEventListener('abort', onRunAbort, { once: true })
  const overLimit = () => testAbort.abort(new Error(`the test took no step for ${limitMs / 1000} s, its time limit (its estimate ${def.estimatedSeconds} s)`))
  let limitTimer = setTimeout(overLimit, limitMs)
  const testSignal = testAbort.signal
  noiseUsed = { ns: Number(noise.ns), timeErrorFloorNs: Number(noise.timeErrorFloorNs), method: noise.method, ...(noise.tailNs !== undefined ? { tailNs: Number(noise.tailNs) } : {}), ...(noise.stalls ? { stalls: noise.stalls } : {}) }
  const ctx: TestContext = {
    profile: o.profile,
    session: o.session,
    params: (defaults) => testParams(o.profile, def.id, defaults),
    step: (text) => {
      clearTimeout(limitTimer)
      limitTimer = setTimeout(overLimit, limitMs)
      steps.push({ atMs: Date.now() - started, text })
      o.onStep?.(def, text)
    },
    signal: testSignal,
    noiseNs: noise.ns,
    attach: (name, data, kind) => {
      const rel = o.writer.evidence(`${o.profile.id}.${def.id}.${name}`, data)
      if (kind === 'pcapng') evidence.pcapng = rel
      else if (kind === 'plot') (evidence.plots ??= []).push({ name, file: rel })
      else (evidence.files ??= []).push({ name, file: rel })
      return rel
    },
    sleep: (ms) => abortableSleep(ms, testSignal),
  }

  const envelope = (data: unknown, extra: Pick<Evidence, 'dutExit' | 'acquisitionError'> = {}): Evidence => ({
    format: EVIDENCE_FORMAT,
    test: def.id,
    profile: o.profile.id,
    session: sessionFacts(o.session),
    dut: o.session.dutSettings,
    noise,
    steps: [...steps],
    data,
    ...extra,
  })
  const store = (ev: Evidence) => {
    evidence.json = o.writer.evidence(`${o.profile.id}.${def.id}.evidence.json`, encodeEvidence(ev))
    // A test that attached no capture still leaves its recordings as pcapng, one section each.
    if (!evidence.pcapng) {
      const recs = recordingsIn(ev.data)
      if (recs.length) evidence.pcapng = o.writer.evidence(`${o.profile.id}.${def.id}.pcapng`, Buffer.concat(recs.map((r) => recordingToPcapng(r))))
    }
  }

  const dutLogBefore = await o.session.dut.logs().catch(() => '')
  const storeDutLog = async () => {
    const text = logDuring(dutLogBefore, await o.session.dut.logs().catch(() => ''))
    if (text.trim()) evidence.dutLog = o.writer.evidence(`${o.profile.id}.${def.id}.dut.log`, text)
  }
  try {
    const data = await def.acquire(ctx)
    await storeDutLog()
    // Ctrl-C reaches a lab DUT in the same process group: its exit then is not its fault.
    const dutExit = o.signal.aborted ? undefined : o.session.dutExit?.()
    const ev = envelope(data, dutExit ? { dutExit } : {})
    store(ev)
    return await finish(judged(def, ev, o.profile))
  } catch (err) {
    const interrupted = o.signal.aborted
    const overTime = !interrupted && testSignal.aborted
    const message = overTime ? String((testSignal.reason as Error).message) : err instanceof Error ? err.message : String(err)
    // The DUT died under the test: that is the DUT's failure, not the harness's.
    const dutExit = interrupted ? undefined : o.session.dutExit?.()
    await storeDutLog()
    if (dutExit) {
      steps.push({ atMs: Date.now() - started, text: `the DUT exited (${dutExit.signal ?? `code ${dutExit.code}`}); the test broke off: ${message}` })
      const ev = envelope(null, { dutExit, acquisitionError: message })
      store(ev)
      return finish(judged(def, ev, o.profile))
    }
    steps.push({ atMs: Date.now() - started, text: interrupted ? 'interrupted' : `harness error: ${message}` })
    return finish({
      verdict: 'inconclusive',
      reason: interrupted ? 'interrupted before the test could decide' : `harness error: ${message}`,
      checks: [],
      measurements: {},
      harnessError: interrupted ? 'interrupted' : overTime ? message : (err instanceof Error && err.stack) || message,
    })
  } finally {
    clearTimeout(limitTimer)
    o.signal.removeEventListener('abort', onRunAbort)
  }
}
