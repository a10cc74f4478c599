/**
 * Evidence of the BMCA tests for judge unit tests: the harness grandmasters are TestMasters
 * configured as startMasters configures them, run on a simulated link with a script (silence
 * A at t, let B send one Announce...); the DUT's choices are a polled timeline of
 * (port state, grandmaster) reads, as waitForState records them; a DUT that acts as a master
 * is the lab DUT's TestMaster. Only the harness port's frames are kept.
 */
import type { Engine, EngineAction } from '../../../harness/engines/actions.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { profileHeader, testMasterConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { type AnnounceDataset, TestMaster, type TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { configuredIntervals } from '../../../harness/dut/settings.ts'
import type { PortStateName } from '../../../harness/dut/types.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { type MasterRecord, masterRecord } from '../../../suites/support/bmca_cases.ts'
import type { StateRead } from '../../../suites/support/grandmasters.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'
import { dutState } from './dut_slave.ts'
import { dutSettingsFor, type EnvelopeOptions, HARNESS_IDENTITY } from './simulate.ts'

export const START_NS = 1_700_000_000_000_000_000n
export const ms = (n: number) => BigInt(Math.round(n * 1e6))
export const s = (n: number) => BigInt(Math.round(n * 1e9))

/** A harness grandmaster as masterConfig builds it (harness identity n, the DUT's configured intervals). */
export function gmConfig(profile: Profile, name: string, identity: number, dataset?: Partial<AnnounceDataset>, extra: Partial<TestMasterConfig> = {}, o: EnvelopeOptions = {}): TestMasterConfig {
  const st = dutSettingsFor(profile, o)
  return testMasterConfigFromProfile(profile, { name, clockIdentity: HARNESS_IDENTITY(identity), intervals: configuredIntervals(st), ...(dataset ? { dataset } : {}) }, { header: { ...profileHeader(profile), domainNumber: st.domainNumber.value }, ...extra })
}

export const recordOf = (cfg: TestMasterConfig): MasterRecord => masterRecord(cfg)

/** An engine that never sends: a slave-only DUT seen from the harness port on an E2E link. */
export const silentDut: Engine = { name: 'dut', start: () => [], onTimer: () => [], onMessage: () => [], onTransmitted: () => [] }

export interface ScriptStep {
  atNs: bigint
  master: string
  fn: (gm: TestMaster, now: bigint) => EngineAction[] | void
}

/** Run the harness masters (and `dut`) on a simulated link with a script; the harness port's recording. */
export function runMasters(configs: TestMasterConfig[], o: { dut?: Engine; script?: ScriptStep[]; endNs: bigint; startNs?: bigint }): Recorder {
  const group = new EngineGroup('masters', configs.map((c) => new TestMaster(c)))
  const link = new SimulatedLink({ startNs: o.startNs ?? START_NS })
  link.add('dut', o.dut ?? silentDut)
  link.add('harness', group)
  link.start()
  for (const step of [...(o.script ?? [])].sort((a, b) => (a.atNs < b.atNs ? -1 : 1))) {
    link.run(step.atNs)
    link.control('harness', (now) => group.control<TestMaster>(step.master, (gm) => step.fn(gm, now)))
  }
  link.run(o.endNs)
  const kept = new Recorder()
  for (const f of link.recorder.frames) {
    if (f.port !== 'harness') continue
    kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  }
  return kept
}

/** What the DUT reports from a time on: a port state and the grandmaster it follows; `error` = no answer. */
export interface Choice {
  atNs: bigint
  portState?: PortStateName
  grandmaster?: string
  error?: string
}

/** waitForState-style reads every pollMs in [fromNs, toNs), each seeing the choice in force. */
export function polled(choices: Choice[], fromNs: bigint, toNs: bigint, pollMs = 50): StateRead[] {
  const sorted = [...choices].sort((a, b) => (a.atNs < b.atNs ? -1 : 1))
  const out: StateRead[] = []
  for (let t = fromNs; t < toNs; t += ms(pollMs)) {
    let c: Choice | undefined
    for (const x of sorted) if (x.atNs <= t) c = x
    if (!c || c.error || !c.portState) out.push({ atNs: t, error: c?.error ?? 'no answer' })
    else out.push({ atNs: t, state: dutState(c.portState, c.grandmaster) })
  }
  return out
}

/** Transmit times of a master's Announce (or Sync) in a recording. */
export function sentBy(rec: Recorder, identity: string, type: 'Announce' | 'Sync' = 'Announce'): bigint[] {
  return rec.frames.filter((f) => f.direction === 'out' && f.message?.type === type && f.message.header.sourcePortIdentity.clockIdentity === identity).map((f) => f.timestampNs!)
}
