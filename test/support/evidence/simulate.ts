/**
 * Evidence for judge unit tests, made by the sans-IO engines on a simulated link instead of a
 * network: the DUT is a TestMaster or TestSlave configured as the profile's lab DUT (with a
 * fault applied by the test), the harness side is what the live acquisition runs, and only the
 * harness port's frames are kept — exactly what a live recording would hold. Timing noise is
 * a seeded random one-way delay, so a "noisy" case is reproducible.
 */
import { LINUXPTP_IMPLEMENTATION_SETTINGS } from '../../../harness/dut/linuxptp/config.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { profileHeader, testMasterConfigFromProfile, testSlaveConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { TestMaster, type TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { configuredIntervals, type DutSettings, resolveDutSettings } from '../../../harness/dut/settings.ts'
import type { DutOptions } from '../../../harness/dut/types.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { EVIDENCE_FORMAT, type Evidence } from '../../../harness/run/evidence.ts'
import type { HarnessNoise } from '../../../harness/run/session_types.ts'
import type { Engine } from '../../../harness/engines/actions.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'
import { seededRandom } from '../random/seeded.ts'

/** The harness's emulated clock identities (index n), as a lab session derives them. */
export const HARNESS_IDENTITY = (n: number) => `020000.fffe.0000${(0x40 + n).toString(16).padStart(2, '0')}`
export const DUT_IDENTITY = '020000.fffe.000001'
export const QUIET_NOISE: HarnessNoise = { ns: 2_000n, timeErrorFloorNs: 3_000n, method: 'simulated link (unit test)' }

export interface EnvelopeOptions {
  /** `--dut-option`-style settings of the DUT (e.g. { announceReceiptTimeout: 9 }). */
  dutOptions?: DutOptions
  noise?: HarnessNoise
  mode?: 'lab' | 'device'
  domainNumber?: number
}

export function dutSettingsFor(profile: Profile, o: EnvelopeOptions = {}): DutSettings {
  const mode = o.mode ?? 'lab'
  const lab = profile.lab.ptp4l.domainNumber
  return resolveDutSettings({
    profile,
    mode,
    transport: profile.transport.default,
    delayMechanism: profile.delayMechanism.default,
    domainNumber: o.domainNumber ?? (mode === 'lab' && lab !== undefined && lab !== null ? Number(lab) : profile.domain.default.value),
    options: o.dutOptions ?? {},
    // The lab's stacks send DSCP 0 unless configured (MF-06); the rest stays the profile's.
    implementation: { dscpEvent: LINUXPTP_IMPLEMENTATION_SETTINGS.dscpEvent!, dscpGeneral: LINUXPTP_IMPLEMENTATION_SETTINGS.dscpGeneral! },
  })
}

/** Wrap a test's data in the envelope execute.ts builds live. */
export function envelope<D>(test: string, profile: Profile, data: D, o: EnvelopeOptions = {}): Evidence<D> {
  const dut = dutSettingsFor(profile, o)
  return {
    format: EVIDENCE_FORMAT,
    test,
    profile: profile.id,
    session: {
      mode: dut.mode,
      transport: dut.transport,
      delayMechanism: dut.delayMechanism,
      domainNumber: dut.domainNumber.value,
      timestamping: 'simulated',
      harnessClockIdentities: Array.from({ length: 8 }, (_, n) => HARNESS_IDENTITY(n)),
    },
    dut,
    noise: o.noise ?? QUIET_NOISE,
    steps: [],
    data,
  }
}

export interface SimulationOptions extends EnvelopeOptions {
  seconds: number
  /** ± one-way delay jitter (uniform), ns; 0 = a fixed delay. */
  jitterNs?: number
  /** The link's fixed one-way delay, ns (default 1 µs). */
  linkDelayNs?: number
  seed?: number
  /** Start the simulation at this time (default 1.7e18 ns). */
  startNs?: bigint
}

/** Run `engines` against the harness side on a simulated link; return the harness port's recording. */
export function simulate(dutEngine: Engine, harnessEngine: Engine, o: SimulationOptions): Recorder {
  const rand = seededRandom(o.seed ?? 1)
  const jitter = BigInt(Math.round(o.jitterNs ?? 0))
  const link = new SimulatedLink({
    ...(o.startNs !== undefined ? { startNs: o.startNs } : {}),
    delay: () => BigInt(o.linkDelayNs ?? 1_000) + (jitter ? BigInt(Math.round((rand() * 2 - 1) * Number(jitter))) + jitter : 0n),
  })
  link.add('dut', dutEngine)
  link.add('harness', harnessEngine)
  link.start()
  link.advance(BigInt(Math.round(o.seconds * 1e9)))
  const kept = new Recorder()
  for (const f of link.recorder.frames) {
    if (f.port !== 'harness') continue
    kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  }
  return kept
}

/** The lab DUT as a grandmaster of `profile`: a TestMaster with the configured settings; `fault` edits its config. */
export function dutMasterConfig(profile: Profile, o: EnvelopeOptions = {}, fault: Partial<TestMasterConfig> = {}): TestMasterConfig {
  const s = dutSettingsFor(profile, o)
  const iv = configuredIntervals(s)
  return testMasterConfigFromProfile(
    profile,
    { name: 'dut', clockIdentity: DUT_IDENTITY, intervals: iv, dataset: { grandmasterPriority1: s.priority1.value, grandmasterPriority2: s.priority2.value } },
    { header: { ...profileHeader(profile), domainNumber: s.domainNumber.value }, ...fault },
  )
}

/** The harness side of the passive observation: a conformant slave (and link peer on P2P). */
export function observerEngine(profile: Profile, o: EnvelopeOptions = {}): Engine {
  const s = dutSettingsFor(profile, o)
  const header = { ...profileHeader(profile), domainNumber: s.domainNumber.value }
  const engines: (TestSlave | TestMaster)[] = [
    new TestSlave(testSlaveConfigFromProfile(profile, { name: 'test-slave', clockIdentity: HARNESS_IDENTITY(0), intervals: configuredIntervals(s) }, { header, delayMechanism: s.delayMechanism, adoptDelayRespInterval: true })),
  ]
  if (s.delayMechanism === 'P2P') {
    engines.push(new TestMaster(testMasterConfigFromProfile(profile, { name: 'link-peer', clockIdentity: HARNESS_IDENTITY(0), intervals: configuredIntervals(s) }, { header, sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })))
  }
  return new EngineGroup('observer', engines)
}

/**
 * The lab DUT as a grandmaster: its master port and, on a peer-delay link, the peer-delay
 * requester every P2P port runs (same identity). `fault` edits the master's config.
 */
export function dutMasterEngine(profile: Profile, o: EnvelopeOptions = {}, fault: Partial<TestMasterConfig> = {}): Engine {
  const cfg = dutMasterConfig(profile, o, fault)
  const s = dutSettingsFor(profile, o)
  if (s.delayMechanism !== 'P2P') return new TestMaster(cfg)
  const requester = new TestSlave(
    testSlaveConfigFromProfile(profile, { name: 'dut-pdelay', clockIdentity: DUT_IDENTITY, intervals: configuredIntervals(s) }, { header: { ...cfg.header }, delayMechanism: 'P2P' }),
  )
  return new EngineGroup('dut', [new TestMaster(cfg), requester])
}

/** Observation evidence (the `observation` data of the passive tests) from a simulated DUT master. */
export function simulatedObservation(profile: Profile, o: SimulationOptions, fault: Partial<TestMasterConfig> = {}) {
  const recorder = simulate(dutMasterEngine(profile, o, fault), observerEngine(profile, o), o)
  const firstSync = recorder.byType('Sync', { direction: 'in', domainNumber: dutSettingsFor(profile, o).domainNumber.value })[0]
  const start = recorder.frames[0]?.timestampNs ?? 0n
  return {
    recorder,
    harnessPort: { clockIdentity: HARNESS_IDENTITY(0), portNumber: 1 },
    ...(firstSync ? { firstSyncAfterMs: Number((firstSync.timestampNs! - start) / 1_000_000n) } : {}),
    durationMs: o.seconds * 1000,
  }
}
