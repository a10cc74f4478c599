/**
 * `analyze`: the conformance tests that need no stimulus, judged on captures. The capture is
 * the acquisition — its frames become the observation a live run records — and the judges
 * are the live ones, unchanged. Tests that need the harness to act are recorded as not
 * applicable with that reason, never dropped. The capture's timestamp resolution is the noise.
 * A capture of any size is read as a stream and judged in windows (windows.ts): memory follows
 * the window, not the file.
 */
import { basename } from 'node:path'
import { release } from 'node:os'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { PtpMessage } from '../codec/types.ts'
import { FROM_CAPTURE, resolveDutSettings, settingsTable, type DutSetting, type SettingKey } from '../dut/settings.ts'
import type { DutOptions } from '../dut/types.ts'
import type { Profile } from '../profiles/types.ts'
import { profileL2Destinations } from '../profiles/l2_destinations.ts'
import type { RunEnvironment, TestResult } from '../results/record.ts'
import type { Recorder } from '../recorder/recorder.ts'
import { profileApplies, type ConformanceTest } from '../run/definition.ts'
import { EVIDENCE_FORMAT, type Evidence } from '../run/evidence.ts'
import { identityOf, judged } from '../run/execute.ts'
import { harnessVersion, unconfirmedValues } from '../run/environment.ts'
import type { HarnessNoise } from '../run/session_types.ts'
import { recorderOf } from './capture_recording.ts'
import { capturedPtpFrames, newStats, type CapturedFrame, type CaptureStats } from './capture_stream.ts'
import { ClockTally, chooseDut, type ClockSeen } from './clocks.ts'
import { excerptFrames, mergeWindowOutcomes, windowsOf, WINDOW_FRAMES, type WindowOutcome } from './windows.ts'
import { recordingToPcapng } from '../recorder/pcapng_export.ts'

export { readCaptures } from './capture_recording.ts'

export interface AnalyzeInput {
  captures: string[]
  profile: Profile
  tests: { file: string; def: ConformanceTest }[]
  /** clockIdentity, MAC or IP of the DUT; absent = the one grandmaster in the capture. */
  dut?: string
  /** What the DUT is configured with, where the engineer knows it (`--dut-option`). */
  dutOptions?: DutOptions
  /** PTP frames per judging window (windows.ts); the memory a capture of any size needs. */
  windowFrames?: number
  onProgress?: (file: string, frames: number, offset: number) => void
}

export interface AnalyzeOutcome {
  results: TestResult[]
  environment: RunEnvironment
  clocks: ClockSeen[]
  dut: ClockSeen
  stats: CaptureStats
  /** The capture's first PTP frames (up to SAMPLE_FRAMES), for the profile fit. */
  sample: Recorder
  /** How many windows the capture was judged in. */
  windows: number
  /** Per test that did not pass: a pcapng of the frames its checks name (capture frame numbers as comments). */
  excerpts: Map<string, Uint8Array>
}

/** Frames the profile fit looks at: its domains, sdoIds, addresses and TLVs show in the first thousands. */
export const SAMPLE_FRAMES = 20_000

export type AnalyzeFailure = { error: string; clocks: ClockSeen[]; stats: CaptureStats; sample: Recorder }

/** The most common value of `pick` over the DUT's messages of `type`. */
function advertised(messages: PtpMessage[], type: string, pick: (m: PtpMessage) => number): number | undefined {
  const counts = new Map<number, number>()
  for (const m of messages) if (m.type === type) counts.set(pick(m), (counts.get(pick(m)) ?? 0) + 1)
  let best: [number, number] | undefined
  for (const e of counts) if (!best || e[1] > best[1]) best = e
  return best?.[0]
}

/** The DUT's values as it advertised them, standing in for its unknown configuration (origin says so). */
export function advertisedSettings(messages: PtpMessage[], profile: Profile): Partial<Record<SettingKey, DutSetting>> {
  const announce = (f: (a: Extract<PtpMessage, { type: 'Announce' }>) => number) => advertised(messages, 'Announce', (m) => f(m as Extract<PtpMessage, { type: 'Announce' }>))
  const interval = (m: PtpMessage) => m.header.logMessageInterval
  const values: Partial<Record<SettingKey, number | undefined>> = {
    announce: advertised(messages, 'Announce', interval),
    sync: advertised(messages, 'Sync', interval),
    delayReq: advertised(messages, 'Delay_Resp', interval),
    ...(profile.bmca.variant === '802.1as' ? { pdelayReq: advertised(messages, 'Pdelay_Req', interval) } : {}),
    priority1: announce((a) => a.grandmasterPriority1),
    priority2: announce((a) => a.grandmasterPriority2),
    clockClass: announce((a) => a.grandmasterClockQuality.clockClass),
  }
  const out: Partial<Record<SettingKey, DutSetting>> = {}
  for (const [k, v] of Object.entries(values) as [SettingKey, number | undefined][]) {
    // 0x7F is "unspecified", not a configured interval.
    if (v !== undefined && v !== 0x7f) out[k] = { value: v, origin: FROM_CAPTURE }
  }
  return out
}

/** The DUT's domain (of its first Sync) and advertised values in the frames kept from the first read. */
function dutAsCaptured(head: readonly CapturedFrame[], dut: ClockSeen, profile: Profile) {
  const fromDut = head.flatMap((f) => (f.input.message && normalizeClockIdentity(f.input.message.header.sourcePortIdentity.clockIdentity) === dut.clockIdentity ? [f.input.message] : []))
  const firstSync = fromDut.find((m) => m.type === 'Sync')
  return { domainNumber: firstSync?.header.domainNumber ?? dut.domains[0] ?? profile.domain.default.value, advertised: advertisedSettings(fromDut, profile) }
}

export function analyze(input: AnalyzeInput): AnalyzeOutcome | AnalyzeFailure {
  const profile = input.profile
  const windowFrames = input.windowFrames ?? WINDOW_FRAMES
  const l2Destinations = profileL2Destinations(profile)
  const stream = { decode: { l2Destinations }, ...(input.onProgress ? { onProgress: input.onProgress } : {}) }

  // Pass 1: who is in the capture, and its statistics. The first two windows' worth is kept:
  // a capture that fits is judged from it without a second read.
  const stats = newStats()
  const tally = new ClockTally()
  const head: CapturedFrame[] = []
  let whole = true
  for (const f of capturedPtpFrames(input.captures, stats, stream)) {
    tally.add(f.input)
    if (head.length < 2 * windowFrames) head.push(f)
    else whole = false
  }
  const clocks = tally.list()
  const sample = recorderOf(head.slice(0, SAMPLE_FRAMES))
  const dut = chooseDut(clocks, input.dut)
  if (typeof dut === 'string') return { error: dut, clocks, stats, sample }

  // What the DUT is configured to do, as far as a capture can tell: its advertised values in
  // the first windows (a configuration does not change mid-capture), unless the engineer says.
  const { domainNumber, advertised } = dutAsCaptured(head, dut, profile)
  const transport = (dut.transports[0] ?? profile.transport.default) as Profile['transport']['default']
  const delayMechanism = dut.counts.Pdelay_Resp ? 'P2P' : dut.counts.Delay_Resp ? 'E2E' : profile.delayMechanism.default
  const dutSettings = resolveDutSettings({ profile, mode: 'device', transport, delayMechanism, domainNumber, options: input.dutOptions ?? {}, declared: advertised })
  const noise: HarnessNoise = {
    ns: stats.resolutionNs,
    timeErrorFloorNs: stats.resolutionNs,
    method: `the capture's timestamp resolution (${stats.resolutionNs} ns); the capturing host's own timestamping error is unknown and not included`,
  }
  const timestamping = `capture (${stats.resolutionNs} ns resolution)`
  const started = new Date()
  const names = input.captures.map((f) => basename(f))
  const judgedTests = input.tests.filter(({ def }) => profileApplies(def, profile) === true && def.capturable)
  const perTest = new Map<string, WindowOutcome[]>(judgedTests.map(({ def }) => [def.id, []]))
  const durations = new Map<string, number>()
  const excerpts = new Map<string, { verdict: 'fail' | 'inconclusive'; pcapng: Uint8Array }>()

  // Pass 2: each window's frames as the observation a live run records, judged by the live judges.
  let windows = 0
  let source: Iterable<CapturedFrame> = head
  if (!whole) {
    // A second read holds only its own window: what the first kept is let go.
    head.length = 0
    source = capturedPtpFrames(input.captures, newStats(), stream)
  }
  for (const w of windowsOf(source, windowFrames)) {
    windows++
    const recorder = recorderOf(w.frames)
    const own = w.frames.slice(w.carried)
    const at = (f: CapturedFrame | undefined) => (f ? (names.length > 1 ? `${names[f.file]} ${f.input.captureFrame}` : `${f.input.captureFrame}`) : '?')
    const span = `frames ${at(own[0])}–${at(own.at(-1))}`
    const times = w.frames.flatMap((f) => (f.input.timestampNs === null ? [] : [f.input.timestampNs]))
    const firstNs = times.length ? times.reduce((a, b) => (a < b ? a : b)) : 0n
    const lastNs = times.length ? times.reduce((a, b) => (a > b ? a : b)) : firstNs
    const dutSyncFrame = recorder.query({ sender: dut.clockIdentity, type: 'Sync', domainNumber })[0]
    const observation = {
      recorder,
      // No harness took part: an identity no clock uses.
      harnessPort: { clockIdentity: normalizeClockIdentity('000000.0000.000000'), portNumber: 0 },
      ...(dutSyncFrame?.timestampNs != null ? { firstSyncAfterMs: Number((dutSyncFrame.timestampNs - firstNs) / 1_000_000n) } : {}),
      durationMs: Number((lastNs - firstNs) / 1_000_000n),
      dut: { clockIdentity: dut.clockIdentity, portNumber: dut.ports[0] ?? 1 },
    }
    for (const { def } of judgedTests) {
      const ev: Evidence = {
        format: EVIDENCE_FORMAT,
        test: def.id,
        profile: profile.id,
        session: { mode: 'device', transport, delayMechanism, domainNumber, timestamping, harnessClockIdentities: [] },
        dut: dutSettings,
        noise,
        steps: [],
        data: { observation },
      }
      const t0 = Date.now()
      const outcome = { ...judged(def, ev, profile), span }
      perTest.get(def.id)!.push(outcome)
      durations.set(def.id, (durations.get(def.id) ?? 0) + Date.now() - t0)
      // The evidence of a test that did not pass: the frames its worst window's checks name.
      const had = excerpts.get(def.id)
      if (outcome.verdict !== 'pass' && outcome.verdict !== 'not-applicable' && (!had || (had.verdict === 'inconclusive' && outcome.verdict === 'fail'))) {
        const frames = excerptFrames(recorder.frames, outcome.checks, outcome.verdict)
        excerpts.set(def.id, { verdict: outcome.verdict, pcapng: recordingToPcapng(frames, { comment: `ptp-conform analyze: ${def.id} ${outcome.verdict}, window ${w.index + 1} (${span}) of ${names.join(', ')}; ${frames.length} frames, each with its capture frame number as a comment` }) })
      }
    }
  }

  const results: TestResult[] = []
  for (const { def } of input.tests) {
    const base = { ...identityOf(def, profile, started.getTime()), durationMs: 0, steps: [], evidence: {} }
    const applies = profileApplies(def, profile)
    if (applies !== true) {
      results.push({ ...base, verdict: 'not-applicable', reason: applies, checks: [], measurements: {} })
      continue
    }
    if (!def.capturable) {
      const role = def.fixture === 'dut-slave' ? 'its grandmaster' : 'a slave or peer that acts on the DUT'
      results.push({ ...base, verdict: 'not-applicable', reason: `needs stimulus: the harness must be ${role}, which a capture cannot be`, checks: [], measurements: {} })
      continue
    }
    results.push({
      ...base,
      ...mergeWindowOutcomes(perTest.get(def.id)!),
      durationMs: durations.get(def.id) ?? 0,
      steps: [{ atMs: 0, text: `judged ${Object.values(dut.counts).reduce((a, b) => a + b, 0)} messages of ${dut.clockIdentity} from ${names.join(', ')}${windows > 1 ? ` in ${windows} windows of ${windowFrames}–${2 * windowFrames} frames` : ''}` }],
      noise: { ns: Number(noise.ns), timeErrorFloorNs: Number(noise.timeErrorFloorNs), method: noise.method },
    })
  }
  const environment: RunEnvironment = {
    harnessVersion: harnessVersion(),
    profile: profile.id,
    profileFile: profile.origin?.file ?? '',
    unconfirmedValues: unconfirmedValues(profile),
    interface: `capture ${names.join(', ')}`,
    transport,
    domainNumber,
    timestamping,
    kernel: release(),
    node: process.version,
    dut: {
      implementation: `clock ${dut.clockIdentity}`,
      version: 'as captured',
      mode: 'capture (analyze)',
      settings: Object.fromEntries(Object.entries(settingsTable(dutSettings)).map(([k, v]) => [`configured ${k}`, v])),
    },
    harnessNoiseNs: Number(noise.ns),
    harnessTimeErrorFloorNs: Number(noise.timeErrorFloorNs),
    startedAt: started.toISOString(),
  }
  return { results, environment, clocks, dut, stats, sample, windows, excerpts: new Map([...excerpts].map(([id, x]) => [id, x.pcapng])) }
}
