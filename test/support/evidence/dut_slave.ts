/**
 * Evidence of a DUT *slave* for judge unit tests: the harness grandmaster(s) (TestMaster, as
 * the live acquisition's startMasters configures them) and the DUT as a TestSlave on the
 * simulated link, keeping only the harness port's frames; plus the DUT's state as a polled
 * timeline, since a simulated slave has no management interface.
 *
 *   const sim = simulateDutSlave(profile, { seconds: 300, seed: 3, clockRate: 1.2 })
 *   const reads = pollReads({ fromNs, toNs, pollMs: 20, stateAt: timeline([{ atNs: 0n, portState: 'SLAVE' }]) })
 *
 * API (kept small; the BMCA suites may import it): simulateDutSlave (one or more harness
 * grandmasters, a fault on the DUT slave, a silence), RateScaled (a DUT clock running fast),
 * harnessMasterConfig, and for the state: timeline, dutState, pollReads, historyOf.
 */
import type { Engine, EngineAction } from '../../../harness/engines/actions.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { testMasterConfigFromProfile, testSlaveConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { type AnnounceDataset, TestMaster, type TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { TestSlave, type TestSlaveConfig } from '../../../harness/engines/test_slave.ts'
import { configuredIntervals } from '../../../harness/dut/settings.ts'
import type { DutState, PortStateName } from '../../../harness/dut/types.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'
import { seededRandom } from '../random/seeded.ts'
import { DUT_IDENTITY, dutSettingsFor, HARNESS_IDENTITY, type SimulationOptions } from './simulate.ts'

const START_NS = 1_700_000_000_000_000_000n

/**
 * An engine whose clock runs `rate` times as fast as the link's (rate 1.2: every interval it
 * keeps is 1/1.2 as long): a DUT that does everything 20 % too fast.
 */
export class RateScaled implements Engine {
  readonly name: string
  constructor(private readonly inner: Engine, private readonly rate: number, private readonly originNs: bigint) {
    this.name = inner.name
  }
  private local(now: bigint): bigint {
    return this.originNs + BigInt(Math.round(Number(now - this.originNs) * this.rate))
  }
  private link(local: bigint): bigint {
    return this.originNs + BigInt(Math.round(Number(local - this.originNs) / this.rate))
  }
  private back(actions: EngineAction[]): EngineAction[] {
    return actions.map((a) => (a.kind === 'timer' ? { ...a, at: this.link(a.at) } : a.at !== undefined ? { ...a, at: this.link(a.at) } : a))
  }
  start(now: bigint) {
    return this.back(this.inner.start(this.local(now)))
  }
  onTimer(id: string, now: bigint) {
    return this.back(this.inner.onTimer(id, this.local(now)))
  }
  onMessage(rx: Parameters<Engine['onMessage']>[0], now: bigint) {
    return this.back(this.inner.onMessage({ ...rx, rxTimestampNs: this.local(rx.rxTimestampNs) }, this.local(now)))
  }
  onTransmitted(tx: Parameters<Engine['onTransmitted']>[0], now: bigint) {
    return this.back(this.inner.onTransmitted({ ...tx, txTimestampNs: this.local(tx.txTimestampNs) }, this.local(now)))
  }
}

export interface DutSlaveOptions extends SimulationOptions {
  /** Edits of the DUT slave's config (e.g. spacing: { rule: 'fixed' }). */
  slave?: Partial<TestSlaveConfig>
  /** The DUT's clock runs this many times as fast (1.2 = 20 % too fast). Default 1. */
  clockRate?: number
  /** Announce data set of the harness grandmaster (index 1), as startMasters' spec.dataset. */
  dataset?: Partial<AnnounceDataset>
  /** Several harness grandmasters (startMasters' specs); default one, 'gm' with identity 1 and `dataset`. */
  masters?: { name: string; identity: number; dataset?: Partial<AnnounceDataset>; extra?: Partial<TestMasterConfig> }[]
  /** Stop the first grandmaster's Announce (Sync goes on) this many seconds into the run, as INT-03 does. */
  silenceAnnounceAtS?: number
  /** The DUT starts announcing as a master this many seconds into the run (its own TestMaster). */
  dutAnnouncesFromS?: number
}

export interface DutSlaveRun {
  /** The harness port's frames, as a live recording holds them. */
  recorder: Recorder
  startNs: bigint
  /** When the grandmaster's Announce stopped (silenceAnnounceAtS). */
  silencedAtNs?: bigint
}

type MasterSpec = NonNullable<DutSlaveOptions['masters']>[number]

/** A harness grandmaster as startMasters configures it (its harness identity, the DUT's configured intervals). */
export function harnessMasterConfig(profile: Profile, o: Pick<DutSlaveOptions, 'dutOptions' | 'domainNumber' | 'mode'>, spec: MasterSpec): TestMasterConfig {
  const s = dutSettingsFor(profile, o)
  return testMasterConfigFromProfile(
    profile,
    { name: spec.name, clockIdentity: HARNESS_IDENTITY(spec.identity), intervals: configuredIntervals(s), ...(spec.dataset ? { dataset: spec.dataset } : {}) },
    { header: { domainNumber: s.domainNumber.value }, ...spec.extra },
  )
}

/** Run the harness grandmaster(s) against a simulated DUT slave (E2E; the DUT adopts Delay_Resp's interval). */
export function simulateDutSlave(profile: Profile, o: DutSlaveOptions): DutSlaveRun {
  const s = dutSettingsFor(profile, o)
  const startNs = o.startNs ?? START_NS
  const header = { domainNumber: s.domainNumber.value }
  const slave = new TestSlave(
    testSlaveConfigFromProfile(profile, { name: 'dut-slave', clockIdentity: DUT_IDENTITY, intervals: configuredIntervals(s) }, { header, delayMechanism: 'E2E', adoptDelayRespInterval: true, seed: o.seed ?? 1, ...o.slave }),
  )
  const dutEngines: Engine[] = [slave]
  if (o.dutAnnouncesFromS !== undefined) {
    const cfg = testMasterConfigFromProfile(profile, { name: 'dut-master', clockIdentity: DUT_IDENTITY, intervals: configuredIntervals(s) }, { header, startDelayNs: BigInt(Math.round(o.dutAnnouncesFromS * 1e9)) })
    dutEngines.push(new TestMaster(cfg))
  }
  const group = new EngineGroup('dut', dutEngines)
  const dut: Engine = o.clockRate && o.clockRate !== 1 ? new RateScaled(group, o.clockRate, startNs) : group
  const specs = o.masters ?? [{ name: 'gm', identity: 1, ...(o.dataset ? { dataset: o.dataset } : {}) }]
  const masters = specs.map((spec) => new TestMaster(harnessMasterConfig(profile, o, spec)))
  const harness: Engine = masters.length === 1 ? masters[0]! : new EngineGroup('masters', masters)
  const rand = seededRandom(o.seed ?? 1)
  const jitter = o.jitterNs ?? 0
  const link = new SimulatedLink({ startNs, delay: () => 1_000n + (jitter ? BigInt(Math.round((rand() * 2 - 1) * jitter + jitter)) : 0n) })
  link.add('dut', dut)
  link.add('harness', harness)
  link.start()
  let silencedAtNs: bigint | undefined
  const endNs = startNs + BigInt(Math.round(o.seconds * 1e9))
  if (o.silenceAnnounceAtS !== undefined) {
    link.run(startNs + BigInt(Math.round(o.silenceAnnounceAtS * 1e9)))
    silencedAtNs = link.now
    link.control('harness', () => masters[0]!.silence({ announce: true, sync: false, answers: false }))
  }
  link.run(endNs)
  const recorder = new Recorder()
  for (const f of link.recorder.frames) {
    if (f.port !== 'harness') continue
    recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  }
  return { recorder, startNs, ...(silencedAtNs !== undefined ? { silencedAtNs } : {}) }
}

/** A DutState with one port in `portState` (following `grandmaster` when given). */
export function dutState(portState: PortStateName, grandmaster?: string): DutState {
  return {
    source: 'management-uds',
    readAt: 0,
    clockIdentity: DUT_IDENTITY,
    ports: [{ portNumber: 1, portState }],
    ...(grandmaster ? { grandmasterIdentity: grandmaster } : {}),
  }
}

/** The DUT's port state over time from its transitions (sorted by atNs); undefined = no answer. */
export function timeline(transitions: { atNs: bigint; portState: PortStateName | undefined }[]): (ns: bigint) => PortStateName | undefined {
  return (ns) => {
    let current: PortStateName | undefined
    for (const t of transitions) if (t.atNs <= ns) current = t.portState
    return current
  }
}

export interface PolledRead {
  startNs: bigint
  endNs: bigint
  state?: DutState
  error?: string
}

/**
 * Management reads every pollMs from fromNs until toNs (or until `until` holds for a read's
 * state), each taking readLatencyMs and seeing the state at its midpoint.
 */
export function pollReads(o: {
  fromNs: bigint
  toNs: bigint
  pollMs: number
  readLatencyMs?: number
  stateAt: (ns: bigint) => PortStateName | undefined
  until?: (s: DutState) => boolean
}): PolledRead[] {
  const latency = BigInt(Math.round((o.readLatencyMs ?? 2) * 1e6))
  const step = BigInt(Math.round(o.pollMs * 1e6)) + latency
  const reads: PolledRead[] = []
  for (let t = o.fromNs; t < o.toNs; t += step) {
    const seen = o.stateAt(t + latency / 2n)
    if (!seen) {
      reads.push({ startNs: t, endNs: t + latency, error: 'no answer' })
      continue
    }
    const state = dutState(seen)
    reads.push({ startNs: t, endNs: t + latency, state })
    if (o.until?.(state)) break
  }
  return reads
}

/** The same reads in waitForState's `history` shape ({ atNs = end of the read, state | error }). */
export function historyOf(reads: readonly PolledRead[]): { atNs: bigint; state?: DutState; error?: string }[] {
  return reads.map((r) => (r.state ? { atNs: r.endNs, state: r.state } : { atNs: r.endNs, error: r.error ?? 'no answer' }))
}
