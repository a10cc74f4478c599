/**
 * `analyze`: the conformance tests that need no stimulus, judged on captures. The capture is
 * the acquisition — its frames become the observation a live run records — and the judges
 * are the live ones, unchanged. Tests that need the harness to act are recorded as not
 * applicable with that reason, never dropped. The capture's timestamp resolution is the noise.
 */
import { basename } from 'node:path'
import { release } from 'node:os'
import { openCapture } from '../capture/index.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { PtpMessage } from '../codec/types.ts'
import { FROM_CAPTURE, resolveDutSettings, settingsTable, type DutSetting, type SettingKey } from '../dut/settings.ts'
import type { DutOptions } from '../dut/types.ts'
import type { Profile } from '../profiles/types.ts'
import { profileL2Destinations } from '../profiles/l2_destinations.ts'
import type { RunEnvironment, TestResult } from '../results/record.ts'
import { Recorder } from '../recorder/recorder.ts'
import { profileApplies, type ConformanceTest } from '../run/definition.ts'
import { EVIDENCE_FORMAT, type Evidence } from '../run/evidence.ts'
import { identityOf, judged } from '../run/execute.ts'
import { harnessVersion, unconfirmedValues } from '../run/environment.ts'
import type { HarnessNoise } from '../run/session_types.ts'
import { recordCapture, type CaptureRecording } from './capture_recording.ts'
import { chooseDut, clocksIn, type ClockSeen } from './clocks.ts'

export interface AnalyzeInput {
  captures: string[]
  profile: Profile
  tests: { file: string; def: ConformanceTest }[]
  /** clockIdentity, MAC or IP of the DUT; absent = the one grandmaster in the capture. */
  dut?: string
  /** What the DUT is configured with, where the engineer knows it (`--dut-option`). */
  dutOptions?: DutOptions
  onProgress?: (file: string, frames: number, offset: number) => void
}

export interface AnalyzeOutcome {
  results: TestResult[]
  environment: RunEnvironment
  clocks: ClockSeen[]
  dut: ClockSeen
  recording: CaptureRecording
}

/** One recording of every capture, in timestamp order when there are several. */
export function readCaptures(files: string[], onProgress?: AnalyzeInput['onProgress'], profile?: Profile): CaptureRecording {
  const l2Destinations = profile && profileL2Destinations(profile)
  const parts = files.map((f) => recordCapture(openCapture(f), { onProgress: (n, off) => onProgress?.(f, n, off), ...(l2Destinations ? { decode: { l2Destinations } } : {}) }))
  if (parts.length === 1) return parts[0]!
  const all = parts.flatMap((p, i) => p.recorder.query().map((f) => ({ f, n: p.frameNumbers[f.index]!, file: i })))
  all.sort((a, b) => (a.f.timestampNs ?? 0n) < (b.f.timestampNs ?? 0n) ? -1 : (a.f.timestampNs ?? 0n) > (b.f.timestampNs ?? 0n) ? 1 : 0)
  const recorder = new Recorder()
  for (const { f } of all) {
    const { index: _i, notes: _n, decodeError: _d, ...input } = f
    recorder.record(input)
  }
  const firsts = parts.flatMap((p) => (p.firstNs === undefined ? [] : [p.firstNs]))
  const lasts = parts.flatMap((p) => (p.lastNs === undefined ? [] : [p.lastNs]))
  const damaged = parts.find((p) => p.damage)
  return {
    recorder,
    frameNumbers: all.map((x) => x.n),
    frames: parts.reduce((s, p) => s + p.frames, 0),
    notPtp: parts.reduce((s, p) => s + p.notPtp, 0),
    unsupportedLink: parts.reduce((s, p) => s + p.unsupportedLink, 0),
    resolutionNs: parts.reduce((m, p) => (p.resolutionNs > m ? p.resolutionNs : m), 1n),
    ...(firsts.length ? { firstNs: firsts.reduce((a, b) => (a < b ? a : b)) } : {}),
    ...(lasts.length ? { lastNs: lasts.reduce((a, b) => (a > b ? a : b)) } : {}),
    ...(damaged?.damage ? { damage: damaged.damage } : {}),
  }
}

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

export function analyze(input: AnalyzeInput): AnalyzeOutcome | { error: string; clocks: ClockSeen[]; recording: CaptureRecording } {
  const recording = readCaptures(input.captures, input.onProgress, input.profile)
  const clocks = clocksIn(recording.recorder)
  const dut = chooseDut(clocks, input.dut)
  if (typeof dut === 'string') return { error: dut, clocks, recording }
  const profile = input.profile
  const fromDut = recording.recorder.query({ sender: dut.clockIdentity }).flatMap((f) => (f.message ? [f.message] : []))
  const firstSync = fromDut.find((m) => m.type === 'Sync')
  const domainNumber = firstSync?.header.domainNumber ?? dut.domains[0] ?? profile.domain.default.value
  const transport = (dut.transports[0] ?? profile.transport.default) as Profile['transport']['default']
  const delayMechanism = fromDut.some((m) => m.type === 'Pdelay_Resp') ? 'P2P' : fromDut.some((m) => m.type === 'Delay_Resp') ? 'E2E' : profile.delayMechanism.default
  const dutSettings = resolveDutSettings({ profile, mode: 'device', transport, delayMechanism, domainNumber, options: input.dutOptions ?? {}, declared: advertisedSettings(fromDut, profile) })
  const noise: HarnessNoise = {
    ns: recording.resolutionNs,
    timeErrorFloorNs: recording.resolutionNs,
    method: `the capture's timestamp resolution (${recording.resolutionNs} ns); the capturing host's own timestamping error is unknown and not included`,
  }
  const firstNs = recording.firstNs ?? 0n
  const dutSyncFrame = recording.recorder.query({ sender: dut.clockIdentity, type: 'Sync', domainNumber })[0]
  const observation = {
    recorder: recording.recorder,
    // No harness took part: an identity no clock uses.
    harnessPort: { clockIdentity: normalizeClockIdentity('000000.0000.000000'), portNumber: 0 },
    ...(dutSyncFrame?.timestampNs != null ? { firstSyncAfterMs: Number((dutSyncFrame.timestampNs - firstNs) / 1_000_000n) } : {}),
    durationMs: Number(((recording.lastNs ?? firstNs) - firstNs) / 1_000_000n),
    dut: { clockIdentity: dut.clockIdentity, portNumber: dut.ports[0] ?? 1 },
  }
  const started = new Date()
  const results: TestResult[] = []
  for (const { def } of input.tests) {
    const base = {
      ...identityOf(def, profile, started.getTime()),
      durationMs: 0,
      steps: [],
      evidence: {},
    }
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
    const ev: Evidence = {
      format: EVIDENCE_FORMAT,
      test: def.id,
      profile: profile.id,
      session: { mode: 'device', transport, delayMechanism, domainNumber, timestamping: `capture (${recording.resolutionNs} ns resolution)`, harnessClockIdentities: [] },
      dut: dutSettings,
      noise,
      steps: [],
      data: { observation },
    }
    const t0 = Date.now()
    results.push({
      ...base,
      ...judged(def, ev, profile),
      durationMs: Date.now() - t0,
      steps: [{ atMs: 0, text: `judged ${fromDut.length} messages of ${dut.clockIdentity} from ${input.captures.map((f) => basename(f)).join(', ')}` }],
      noise: { ns: Number(noise.ns), timeErrorFloorNs: Number(noise.timeErrorFloorNs), method: noise.method },
    })
  }
  const environment: RunEnvironment = {
    harnessVersion: harnessVersion(),
    profile: profile.id,
    profileFile: profile.origin?.file ?? '',
    unconfirmedValues: unconfirmedValues(profile),
    interface: `capture ${input.captures.map((f) => basename(f)).join(', ')}`,
    transport,
    domainNumber,
    timestamping: `capture (${recording.resolutionNs} ns resolution)`,
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
  return { results, environment, clocks, dut, recording }
}
