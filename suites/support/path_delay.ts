/**
 * Path delay under an emulated longer link (E2E-02, P2P-02). The harness grandmaster (and, on a
 * peer-delay link, its link peer) writes its timestamps as if the link took longer
 * (TestMaster.setPathDelay: send times earlier by `toDutNs`, receive times later by `fromDutNs`),
 * in three phases: none (the control), a fixed delay D both ways, an asymmetry A towards the DUT.
 * A conformant two-way slave reports, relative to the control,
 *   meanPathDelay (E2E) / neighborPropDelay (P2P)  + (toDut + fromDut) / 2
 *   offsetFromMaster                               + (toDut − fromDut) / 2
 * (IEEE 1588-2019 11.3.2, 11.4.2; 7.4.2: the asymmetry a two-way mechanism cannot see). Changes
 * are judged, not absolute values, so the real link's delay and asymmetry cancel.
 */
import type { PathDelay } from '../../harness/engines/test_master.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { formatNs } from '../../harness/time/format.ts'
import { logIntervalToMs } from '../../harness/time/log_interval.ts'
import { absNs, medianNs } from '../../harness/stats/robust.ts'
import type { DutState } from '../../harness/dut/types.ts'
import { isSlave, lockAndSettle, masterConfig, startMasters, type StateRead, waitForState } from './grandmasters.ts'
import { changeCheck, type OffsetReport, sampleOffsets } from './offset_reports.ts'
import { neverFollowedCheck } from './state_history.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'

export type Mechanism = 'E2E' | 'P2P'

export interface DelayRead {
  atNs: bigint
  ns: bigint
}

export interface PathPhase {
  name: string
  path: PathDelay
  /** When the emulated delay took effect (timestamp clock). */
  fromNs: bigint
  /** How long the DUT's delay took to move to the new value (undefined: it did not within the wait). */
  settledAfterMs?: number
  /** How long until the DUT's delay was steady (undefined: it still moved when the wait ended). */
  steadyAfterMs?: number
  /** The DUT's delay as read while the harness waited for it (before the samples). */
  trail?: DelayRead[]
  waitedMs: number
  /** The DUT's delay (meanPathDelay or neighborPropDelay), expectedNs = what the emulated path adds. */
  delay: OffsetReport[]
  /** The DUT's offsetFromMaster, expectedNs = the grandmaster's true offset + what the path adds. */
  offset: OffsetReport[]
}

export interface PathDelayData {
  mechanism: Mechanism
  delayNs: bigint
  asymmetryNs: bigint
  /** Why the injected amounts are what they are (a profile's threshold may bound them). */
  amountsWhy: string
  lock: StateRead[]
  locked: boolean
  phases: PathPhase[]
  recorder: Recorder
}

/** What the emulated path adds to the DUT's delay and offset. */
export const delayChange = (p: PathDelay) => (p.toDutNs + p.fromDutNs) / 2n
export const offsetChange = (p: PathDelay) => (p.toDutNs - p.fromDutNs) / 2n

/** The DUT's delay as its state reports it: meanPathDelay (E2E) or the port's peerMeanPathDelay (P2P). */
export function dutDelay(s: DutState | undefined, m: Mechanism): bigint | undefined {
  if (!s) return undefined
  return m === 'E2E' ? s.meanPathDelayNs : s.ports[0]?.peerMeanPathDelayNs
}

const SAMPLE_SECONDS = 4
/** Reads of the DUT's delay every 250 ms; 8 against the 8 before (2 s each) say whether it still moves. */
const STEADY_READS = 8

/**
 * Wait (bounded) until the DUT's reported delay is steady: the median of its last 2 s within
 * `thresholdNs` of the median of the 2 s before. A delay filter settles at its own pace (ptp4l:
 * a median of 10 exchanges; ptpd: an IIR filter, far slower); sampling a moving value would
 * judge the filter, not the path.
 */
async function waitSteady(ctx: TestContext, mechanism: Mechanism, maxMs: number, thresholdNs: bigint, trail: DelayRead[]): Promise<number | undefined> {
  const values: bigint[] = []
  const w = await waitForState(ctx, (s) => {
    const d = dutDelay(s, mechanism)
    if (d === undefined) return false
    values.push(d)
    if (values.length < 2 * STEADY_READS) return false
    return absNs(medianNs(values.slice(-2 * STEADY_READS, -STEADY_READS)) - medianNs(values.slice(-STEADY_READS))) <= thresholdNs
  }, maxMs, 250)
  trail.push(...delayReads(w.history, mechanism))
  return w.atMs
}

/** The DUT's delay in each answered read. */
const delayReads = (history: readonly StateRead[], mechanism: Mechanism): DelayRead[] =>
  history.flatMap((r) => {
    const ns = dutDelay(r.state, mechanism)
    return ns === undefined ? [] : [{ atNs: r.atNs, ns }]
  })

/** Run the control and the two impaired phases; `amounts` are D and A (ns). */
export async function acquirePathDelay(ctx: TestContext, mechanism: Mechanism, amounts: { delayNs: bigint; asymmetryNs: bigint; why: string }): Promise<PathDelayData> {
  const spec = { name: 'gm', identity: 1 }
  const cfg = masterConfig(ctx, spec)
  const m = await startMasters(ctx, [spec], { freshDut: true })
  // On a peer-delay link the link peer answers Pdelay_Req: it carries the emulated path too.
  const carriers = mechanism === 'P2P' ? ['gm', 'link-peer'] : ['gm']
  const s = ctx.session.dutSettings
  const requestMs = logIntervalToMs(mechanism === 'E2E' ? s.intervals.delayReq.value : s.intervals.pdelayReq.value)
  const data: Omit<PathDelayData, 'recorder'> = { mechanism, delayNs: amounts.delayNs, asymmetryNs: amounts.asymmetryNs, amountsWhy: amounts.why, lock: [], locked: false, phases: [] }
  try {
    ctx.step('waiting for the DUT to follow the grandmaster and report its path delay')
    const locked = await lockAndSettle(ctx, cfg, (x) => dutDelay(x, mechanism) !== undefined, 4 * requestMs)
    data.lock = locked.history
    data.locked = locked.atMs !== undefined
    if (!data.locked) return { ...data, recorder: m.handle.recorder }
    const phases: { name: string; path: PathDelay }[] = [
      { name: 'control (no emulated delay)', path: { toDutNs: 0n, fromDutNs: 0n } },
      { name: `fixed delay ${formatNs(amounts.delayNs)} each way`, path: { toDutNs: amounts.delayNs, fromDutNs: amounts.delayNs } },
      { name: `asymmetry ${formatNs(amounts.asymmetryNs)} towards the DUT`, path: { toDutNs: amounts.asymmetryNs, fromDutNs: 0n } },
    ]
    let controlDelay: bigint | undefined
    for (const ph of phases) {
      ctx.step(ph.name)
      for (const c of carriers) m.control(c, (gm) => gm.setPathDelay(ph.path))
      const fromNs = systemTimeNs()
      const t0 = Date.now()
      let settledAfterMs: number | undefined = 0
      // Steady within a fiftieth of the emulated delay: far below what the judge must tell apart.
      const steadyWithin = amounts.delayNs / 50n > 1000n ? amounts.delayNs / 50n : 1000n
      let steadyAfterMs: number | undefined
      const trail: DelayRead[] = []
      if (controlDelay === undefined) steadyAfterMs = await waitSteady(ctx, mechanism, 30_000, steadyWithin, trail)
      if (controlDelay !== undefined) {
        // Wait (bounded: 16 exchanges) until the reported delay has moved by the emulated amount.
        const target = controlDelay + delayChange(ph.path)
        const near = (x: DutState) => {
          const d = dutDelay(x, mechanism)
          const err = d === undefined ? undefined : d - target
          return err !== undefined && absNs(err) * 4n <= (delayChange(ph.path) > 0n ? delayChange(ph.path) : 1n)
        }
        const w = await waitForState(ctx, near, 16 * requestMs + 2000, 250)
        trail.push(...delayReads(w.history, mechanism))
        settledAfterMs = w.atMs
        // A few more exchanges so the offset (which uses the filtered delay) follows too.
        await ctx.sleep(2 * requestMs + 500)
        steadyAfterMs = await waitSteady(ctx, mechanism, 16 * requestMs + 4000, steadyWithin, trail)
      }
      const sampled = await sampleOffsets(ctx, m, SAMPLE_SECONDS)
      const delay: OffsetReport[] = []
      const offset: OffsetReport[] = []
      for (const r of sampled.reads) {
        const d = dutDelay(r.state, mechanism)
        if (d !== undefined && r.state && isSlave(r.state)) delay.push({ readNs: r.atNs, reportedNs: d, expectedNs: delayChange(ph.path) })
      }
      for (const r of sampled.reports) offset.push({ ...r, expectedNs: r.expectedNs + offsetChange(ph.path) })
      if (controlDelay === undefined && delay.length) controlDelay = medianNs(delay.map((x) => x.reportedNs))
      data.phases.push({ name: ph.name, path: ph.path, fromNs, waitedMs: Date.now() - t0, ...(settledAfterMs !== undefined ? { settledAfterMs } : {}), ...(steadyAfterMs !== undefined ? { steadyAfterMs } : {}), trail, delay, offset })
    }
  } finally {
    for (const c of carriers) m.control(c, (gm) => gm.setPathDelay(undefined))
    await m.close()
  }
  return { ...data, recorder: m.handle.recorder }
}

const SOURCE_DELAY = { E2E: 'IEEE 1588-2019 11.3.2 (meanPathDelay from t1…t4)', P2P: 'IEEE 1588-2019 11.4.2 (meanLinkDelay from t1…t4)' }
const SOURCE_OFFSET = 'IEEE 1588-2019 11.3.2, 7.4.2 (a path asymmetry the mechanism cannot see moves offsetFromMaster by half of it)'

/** How far a series' error (reported − expected) moved while it was sampled: median of its second half − its first half. */
export function driftNs(reports: readonly OffsetReport[]): bigint {
  if (reports.length < 4) return 0n
  const h = Math.floor(reports.length / 2)
  const err = (r: OffsetReport) => r.reportedNs - r.expectedNs
  return medianNs(reports.slice(h).map(err)) - medianNs(reports.slice(0, h).map(err))
}


/**
 * How far the DUT's delay moved over the last ~8 s of a phase (the reads while the harness waited,
 * then the samples): the median of the final 2 s minus the median of the (up to 8) reads in the
 * 4 s ending 8 s before.
 * Undefined where the reads do not span that long.
 */
export function recentMove(ph: PathPhase): { movedNs: bigint; spanNs: bigint } | undefined {
  const reads = [...(ph.trail ?? []), ...ph.delay.map((r) => ({ atNs: r.readNs, ns: r.reportedNs }))].sort((x, y) => (x.atNs < y.atNs ? -1 : 1))
  if (reads.length < 8) return undefined
  const end = reads.at(-1)!.atNs
  const TWO_S = 2_000_000_000n
  const SPAN = 8_000_000_000n
  const last = reads.filter((r) => r.atNs > end - TWO_S).map((r) => r.ns)
  // The reads just before that point (the acquisition pauses its reads for a few exchanges).
  const before = reads.filter((r) => r.atNs > end - SPAN - 2n * TWO_S && r.atNs <= end - SPAN).slice(-8).map((r) => r.ns)
  if (last.length < 3 || before.length < 3) return undefined
  return { movedNs: medianNs(last) - medianNs(before), spanNs: SPAN }
}

/**
 * A failed change is not judged where the DUT's value had not settled: its filter, not the path,
 * decided the number. Not settled = the control drifted by more than the tolerance between the
 * halves of its samples, or the phase's delay was still moving towards the expected value over
 * its last 8 s by more than the tolerance's quarter (a slow filter still converging: ptpd's delay
 * filter takes a 500 µs step over minutes). A value that stays put, or moves away, keeps its
 * FAIL. Then: inconclusive, with the numbers.
 */
function unlessMoving(c: Check, control: readonly OffsetReport[], ph: PathPhase, phaseChange: bigint, what: string): Check {
  if (c.verdict !== 'fail' || typeof c.noise !== 'number') return c
  const tol = c.noise
  const dc = driftNs(control)
  const reasons: string[] = []
  if (Number(absNs(dc)) > tol) reasons.push(`in the control it drifted ${formatNs(dc)} between the halves of its ${SAMPLE_SECONDS} s`)
  const m = recentMove(ph)
  if (m && Number(absNs(m.movedNs)) * 4 > tol && Number(absNs(m.movedNs)) > 1000 && (m.movedNs > 0n) !== (phaseChange > 0n)) {
    reasons.push(`the ${what} was still moving towards the expected value (${formatNs(m.movedNs)} over the last ${Number(m.spanNs) / 1e9} s of a ${(ph.waitedMs / 1000).toFixed(1)} s wait and sampling, ${formatNs(absNs(phaseChange))} short)`)
  }
  if (!reasons.length) return c
  return { ...c, verdict: 'inconclusive', detail: `${c.detail}; not judged, the DUT had not settled: ${reasons.join('; ')}` }
}

/** The judge shared by E2E-02 and P2P-02. */
export function judgePathDelay(d: PathDelayData, floorNs: bigint, asymmetryAllowanceNs = 0n): Check[] {
  const what = d.mechanism === 'E2E' ? 'meanPathDelay' : 'neighborPropDelay'
  if (!d.locked) {
    return [neverFollowedCheck(d.lock, `offsetFromMaster and ${what}`)]
  }
  const [control, ...impaired] = d.phases
  if (!control) return [{ name: 'control phase', measured: 'not run', limit: 'run', source: 'harness', verdict: 'inconclusive', detail: 'the acquisition ended before its control phase' }]
  const checks: Check[] = []
  for (const ph of impaired) {
    const dd = delayChange(ph.path)
    const od = offsetChange(ph.path)
    const settle = ph.settledAfterMs === undefined ? `; the ${what} did not reach the new value within the ${ph.waitedMs} ms wait` : `; moved within ${ph.settledAfterMs} ms`
    // The smallest wrong answer each check must tell apart: the full injected change (a DUT that
    // ignores it), or for a zero change the other half of the path (a DUT using one direction).
    const delayCheck = changeCheck(`${ph.name}: ${what} moves by ${formatNs(dd)}`, control.delay, ph.delay, floorNs, dd === 0n ? ph.path.toDutNs : dd, `a ${what} that does not follow the emulated path`)
    const offsetCheck = changeCheck(`${ph.name}: offsetFromMaster moves by ${formatNs(od)}`, control.offset, ph.offset, floorNs, od === 0n ? dd : od, 'an offset that does not follow the emulated asymmetry, or moves with a symmetric delay', asymmetryAllowanceNs)
    // Whether the delay was still converging decides for both: the offset uses that delay.
    const delayShort = medianNs(ph.delay.map((r) => r.reportedNs - r.expectedNs)) - medianNs(control.delay.map((r) => r.reportedNs - r.expectedNs))
    checks.push(
      unlessMoving({ ...delayCheck, source: SOURCE_DELAY[d.mechanism], detail: `${delayCheck.detail}${settle}` }, control.delay, ph, delayShort, what),
      unlessMoving({ ...offsetCheck, source: SOURCE_OFFSET }, control.offset, ph, delayShort, what),
    )
  }
  return checks
}
