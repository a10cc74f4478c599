/**
 * A capture judged in windows: the cut keeps consecutive pairs (each window starts with the
 * last frame of every sender/type of the one before), the last window is never a short tail,
 * and merged outcomes fail where any window fails, naming it. Judged in windows of 500 frames,
 * a conformant capture earns the verdicts it earns whole, and a fault late in it still fails.
 */
import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyze } from '../../../harness/analyze/analyze.ts'
import type { CapturedFrame } from '../../../harness/analyze/capture_stream.ts'
import { mergeWindowOutcomes, windowsOf, type WindowOutcome } from '../../../harness/analyze/windows.ts'
import { buildSync, buildAnnounce } from '../../../harness/codec/index.ts'
import { readCapture } from '../../../harness/capture/index.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { recordingToPcapng } from '../../../harness/recorder/pcapng_export.ts'
import type { Check } from '../../../harness/verdict/verdict.ts'
import INT01 from '../../../suites/int/int-01-message-rates.ts'
import MF01 from '../../../suites/mf/mf-01-header-fields.ts'
import MF03 from '../../../suites/mf/mf-03-sequence-id.ts'
import { simulatedObservation } from '../../support/evidence/simulate.ts'

const GM = { clockIdentity: '02aaaa.fffe.000001', portNumber: 1 }
function frame(n: number, type: 'Sync' | 'Announce'): CapturedFrame {
  const header = { sourcePortIdentity: GM, sequenceId: n }
  const message = type === 'Sync' ? buildSync({ header }) : buildAnnounce({ header })
  return { input: { direction: 'in', port: 'if0', transport: 'l2', timestampNs: BigInt(n) * 1_000_000n, bytes: new Uint8Array(44), message, findings: [], captureFrame: n + 1 }, file: 0 }
}

test.group('analyze: windows', () => {
  test('2500 frames in windows of 1000: two windows (1000 and 1500, no short tail), the second starting with the last Sync and Announce of the first', ({ assert }) => {
    const frames = Array.from({ length: 2500 }, (_, i) => frame(i, i % 10 === 0 ? 'Announce' : 'Sync'))
    const ws = [...windowsOf(frames, 1000)]
    assert.deepEqual(ws.map((w) => w.frames.length - w.carried), [1000, 1500])
    assert.equal(ws[1]!.carried, 2)
    assert.deepEqual(ws[1]!.frames.slice(0, 2).map((f) => f.input.captureFrame), [991, 1000], 'the last Announce (frame 991) and the last Sync (frame 1000), in order')
    assert.equal(ws[1]!.frames[2]!.input.captureFrame, 1001)
    assert.lengthOf([...windowsOf(frames.slice(0, 10), 1000)], 1, 'a capture smaller than a window is one window')
    assert.lengthOf([...windowsOf([], 1000)], 1, 'an empty capture is still judged once')
  })

  test('merged: a check fails if it fails in any window, naming the window and how the others came out; one window is returned as it is', ({ assert }) => {
    const check = (verdict: Check['verdict'], measured: number): Check => ({ name: 'Sync mean interval', verdict, measured, limit: '1 s ± 30 %', source: 'profile' })
    const o = (verdict: Check['verdict'], measured: number, span: string): WindowOutcome => ({ verdict, reason: '', checks: [check(verdict, measured)], measurements: {}, span })
    const single = mergeWindowOutcomes([o('pass', 1, 'frames 1–9')])
    assert.equal(single.verdict, 'pass')
    assert.isUndefined(single.checks[0]!.detail)
    const m = mergeWindowOutcomes([o('pass', 1, 'frames 1–9'), o('fail', 2.5, 'frames 10–19'), o('pass', 1, 'frames 20–29')])
    assert.equal(m.verdict, 'fail')
    assert.lengthOf(m.checks, 1)
    assert.equal(m.checks[0]!.measured, 2.5)
    assert.include(m.checks[0]!.detail, 'window 2 of 3, frames 10–19')
    assert.include(m.checks[0]!.detail, 'fail in 1 of 3 windows (2)')
    assert.include(m.checks[0]!.detail, 'pass in 2 of 3 windows')
    assert.equal(mergeWindowOutcomes([o('pass', 1, 'a'), o('inconclusive', 1, 'b')]).verdict, 'inconclusive')
  })

  const e2e = loadProfile('default-e2e')
  const dir = mkdtempSync(join(tmpdir(), 'ptpc-windows-'))
  const capture = (name: string, fault: Parameters<typeof simulatedObservation>[2] = {}) => {
    const file = join(dir, name)
    writeFileSync(file, recordingToPcapng(simulatedObservation(e2e, { seconds: 120 }, fault).recorder))
    return file
  }
  const tests = [INT01, MF01, MF03].map((def) => ({ file: '', def }))
  const verdicts = (file: string, windowFrames?: number) => {
    const r = analyze({ captures: [file], profile: e2e, tests, ...(windowFrames ? { windowFrames } : {}) })
    if ('error' in r) throw new Error(r.error)
    return r
  }

  test('a conformant capture judged in windows of 200 frames earns the verdicts it earns whole', ({ assert }) => {
    const file = capture('ok.pcapng')
    const whole = verdicts(file)
    const cut = verdicts(file, 200)
    assert.equal(whole.windows, 1)
    assert.isAbove(cut.windows, 2)
    assert.deepEqual(cut.results.map((x) => [x.id, x.verdict]), whole.results.map((x) => [x.id, x.verdict]))
    for (const x of cut.results) assert.equal(x.verdict, 'pass', `${x.id}: ${x.reason}`)
  })

  test('fault: Follow_Up with its Sync\'s sequenceId + 1 from the 100th Sync on fails MF-03 in windows, naming a window after the first', ({ assert }) => {
    const file = capture('late-fault.pcapng', { mutations: [{ messageTypes: ['Follow_Up'], select: { kind: 'after', skip: 100 }, mutation: { kind: 'sequenceId', delta: 1 } }] })
    const r = verdicts(file, 200)
    const mf03 = r.results.find((x) => x.id === 'MF-03')!
    assert.equal(mf03.verdict, 'fail')
    const failing = mf03.checks.find((c) => c.verdict === 'fail')!
    assert.match(failing.detail!, /^window [2-9] of \d+, frames \d+–\d+/)
    // Frames are named by their number in the capture, as Wireshark shows it, not a window's position.
    const [, from, to] = /frames (\d+)–(\d+)/.exec(failing.detail!)!
    const named = Number(/Follow_Up #\d+ \(frame (\d+)\)/.exec(failing.detail!)![1])
    assert.isAtLeast(named, Number(from))
    assert.isAtMost(named, Number(to))
    // Its evidence: an excerpt with the named frames, each commented with its capture frame number.
    const excerpt = [...readCapture(r.excerpts.get('MF-03')!)]
    assert.isAtMost(excerpt.length, 200)
    assert.include(excerpt.flatMap((p) => p.comments), `capture frame ${named}`)
    assert.isUndefined(r.excerpts.get('MF-01'), 'a test that passed has no excerpt')
  })
})
