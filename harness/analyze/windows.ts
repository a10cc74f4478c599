/**
 * A capture of any size judged in bounded memory: its PTP frames are cut into windows of
 * `windowFrames` to twice that (a capture smaller than one window is one window, judged
 * exactly as before), and each test's outcomes over the windows are merged into one verdict.
 *
 * Rules that look at consecutive messages (sequenceId + 1, Follow_Up after its Sync, the
 * interval between two Announce) must not lose the pair that straddles a cut: each window
 * starts with the last frame of every (sender port, message type, domain) of the window
 * before it. Only frames of the window's own are carried, so a clock that went silent is not
 * carried on for ever.
 */
import type { TestResult } from '../results/record.ts'
import { reasonFrom } from '../run/execute.ts'
import { combineChecks, combineVerdicts, type Check, type Verdict } from '../verdict/verdict.ts'
import type { CapturedFrame } from './capture_stream.ts'
import type { RecordedFrame } from '../recorder/frame.ts'

/**
 * PTP frames per window. Up to two windows are held at once, at ~2.5 kB of heap per decoded
 * frame (measured on a 250 000-frame capture): a 1 GB capture was judged within a 512 MB heap.
 */
export const WINDOW_FRAMES = 50_000

export interface CaptureWindow {
  /** 0-based. */
  index: number
  /** Frames of the window before, carried over to pair with this window's first ones. */
  carried: number
  frames: CapturedFrame[]
}

const carryKey = (f: CapturedFrame): string | undefined => {
  const m = f.input.message
  if (!m) return undefined
  const s = m.header.sourcePortIdentity
  return `${s.clockIdentity}/${s.portNumber}/${m.type}/${m.header.domainNumber}`
}

/** The last frame of each key among the window's own frames, in their order. */
function carryOf(w: CaptureWindow): CapturedFrame[] {
  const last = new Map<string, number>()
  for (let i = w.carried; i < w.frames.length; i++) {
    const k = carryKey(w.frames[i]!)
    if (k !== undefined) last.set(k, i)
  }
  return [...last.values()].sort((a, b) => a - b).map((i) => w.frames[i]!)
}

export function* windowsOf(frames: Iterable<CapturedFrame>, windowFrames: number): Generator<CaptureWindow> {
  if (!Number.isInteger(windowFrames) || windowFrames < 1) throw new RangeError(`a window holds at least 1 frame, not ${windowFrames}`)
  let carry: CapturedFrame[] = []
  let pending: CapturedFrame[] = []
  let index = 0
  for (const f of frames) {
    pending.push(f)
    // Cut only once two windows' worth is pending, so the last window is never a short tail.
    if (pending.length === 2 * windowFrames) {
      const w: CaptureWindow = { index: index++, carried: carry.length, frames: [...carry, ...pending.slice(0, windowFrames)] }
      yield w
      carry = carryOf(w)
      pending = pending.slice(windowFrames)
    }
  }
  if (pending.length || index === 0) yield { index, carried: carry.length, frames: [...carry, ...pending] }
}

export interface WindowOutcome extends Pick<TestResult, 'verdict' | 'reason' | 'checks' | 'measurements'> {
  /** "frames 1–100000" as Wireshark numbers them (with the file name when several were merged). */
  span: string
}

/**
 * One test's outcomes over the windows as one. A single window is returned as it is. Over
 * several, each check (by name) takes its worst window: the verdict, measured value and
 * detail of that window, with the window named and how the others came out, so a fault in
 * one window of fifty fails the test and says where.
 */
export function mergeWindowOutcomes(outcomes: readonly WindowOutcome[]): Pick<TestResult, 'verdict' | 'reason' | 'checks' | 'measurements'> {
  if (outcomes.length === 0) throw new RangeError('no window was judged')
  if (outcomes.length === 1) {
    const { span: _span, ...only } = outcomes[0]!
    return only
  }
  const byName = new Map<string, { check: Check; window: number }[]>()
  outcomes.forEach((o, w) => {
    for (const c of o.checks) {
      let list = byName.get(c.name)
      if (!list) byName.set(c.name, (list = []))
      list.push({ check: c, window: w })
    }
  })
  const checks: Check[] = []
  for (const list of byName.values()) {
    const worst = combineVerdicts(list.map((x) => x.check.verdict))
    const rep = list.find((x) => x.check.verdict === worst)!
    const tally = new Map<Verdict, number[]>()
    for (const x of list) tally.set(x.check.verdict, [...(tally.get(x.check.verdict) ?? []), x.window + 1])
    const others = [...tally]
      .map(([v, ws]) => `${v} in ${ws.length} of ${list.length} windows${v !== 'pass' && ws.length <= 5 ? ` (${ws.join(', ')})` : ''}`)
      .join(', ')
    checks.push({
      ...rep.check,
      detail: `window ${rep.window + 1} of ${outcomes.length}, ${outcomes[rep.window]!.span}${rep.check.detail ? `: ${rep.check.detail}` : ''}; ${others}`,
    })
  }
  const verdicts = outcomes.map((o) => o.verdict)
  const verdict = checks.length ? combineChecks(checks) : combineVerdicts(verdicts)
  const deciding = outcomes.find((o) => o.verdict === verdict) ?? outcomes[0]!
  return {
    verdict,
    reason: checks.length ? reasonFrom(verdict, checks) : deciding.reason,
    checks,
    measurements: {
      ...deciding.measurements,
      windows: outcomes.map((o) => ({ span: o.span, verdict: o.verdict })),
    },
  }
}

/** Frames an excerpt keeps at most, and around each frame a check names. */
const EXCERPT_FRAMES = 200
const EXCERPT_CONTEXT = 5

/**
 * The frames of a window that explain its verdict, for the test's evidence: those the deciding
 * checks name by capture frame number ("frame 120431"), each with a few neighbours; where no
 * check names one, the window's first frames. Bounded, whatever the capture's size.
 */
export function excerptFrames(frames: readonly RecordedFrame[], checks: readonly Check[], verdict: Verdict): RecordedFrame[] {
  const named = new Set<number>()
  for (const c of checks) if (c.verdict === verdict) for (const m of (c.detail ?? '').matchAll(/\bframe (\d+)\b/g)) named.add(Number(m[1]))
  const keep = new Set<number>()
  frames.forEach((f, i) => {
    if (f.captureFrame === undefined || !named.has(f.captureFrame)) return
    for (let j = Math.max(0, i - EXCERPT_CONTEXT); j <= Math.min(frames.length - 1, i + EXCERPT_CONTEXT); j++) keep.add(j)
  })
  const picked = keep.size ? [...keep].sort((a, b) => a - b).map((i) => frames[i]!) : frames.slice(0, EXCERPT_FRAMES)
  return picked.slice(0, EXCERPT_FRAMES)
}
