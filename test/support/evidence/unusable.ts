/**
 * Evidence for BMCA-05 and ROB-04 made sans-IO: the reference DUT (with faults, if asked) as
 * a slave on a simulated link, the harness masters of `acquireUnusable` driven by the same
 * script (lock on A, every case master announcing for the window + 2 intervals, back to A,
 * the control), and the DUT's state read every pollMs of simulated time.
 */
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import type { ConformanceTest } from '../../../harness/run/definition.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import { TestMaster, type TestMasterConfig } from '../../../harness/engines/test_master.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { ReferenceClock } from '../../../harness/refdut/clock.ts'
import { applyFaults } from '../../../harness/refdut/faults.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import type { StateRead } from '../../../suites/support/grandmasters.ts'
import { betterThanDefault } from '../../../suites/support/grandmasters.ts'
import { masterRecord } from '../../../suites/support/bmca_cases.ts'
import { type UnusableCase, type UnusableEvidence, watchIntervals } from '../../../suites/support/unusable_masters.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'
import { gmConfig, ms, START_NS } from './bmca.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope, type EnvelopeOptions } from './simulate.ts'

export function unusableEvidence(testId: string, profile: Profile, cases: readonly UnusableCase[], o: { faults?: string[]; pollMs?: number; unreadableWatch?: boolean } = {}) {
  const silent = { sendAnnounce: false, sendSync: false }
  const better = betterThanDefault({ profile })
  const cfgA = gmConfig(profile, 'gm-a', 1)
  const caseCfgs: TestMasterConfig[] = cases.map((c, i) =>
    gmConfig(profile, `case-${c.key}`, 2 + i, { ...better, ...c.dataset }, { ...silent, ...(c.mutations ? { mutations: c.mutations } : {}), ...(c.announceTlvs ? { announceTlvs: c.announceTlvs } : {}), ...(c.asDut ? { clockIdentity: DUT_IDENTITY } : {}) }),
  )
  const cfgCtl = gmConfig(profile, 'control', 2 + cases.length, better, silent)
  const { dut, link, ctl, harnessRecording } = refdutWithMasters(profile, [cfgA, ...caseCfgs, cfgCtl], o.faults ? { faults: o.faults } : {})
  const T = logIntervalToNs(cfgA.logAnnounceInterval)
  const { watch } = simulatedReads(link, dut, o.pollMs ?? 50)
  const slaveOf = (id: string) => (r: StateRead) => r.state?.grandmasterIdentity === id && r.state.ports.some((p) => p.portState === 'SLAVE')
  const lockHistory = watch(20n * T, slaveOf(cfgA.clockIdentity))
  const watchAtNs = link.now
  for (const c of caseCfgs) ctl(c.name, (gm, now) => gm.resume(now, { announce: true, sync: true, answers: false }))
  // unreadableWatch: the state source stops answering while the case masters announce.
  const watchHistory = watch(BigInt(watchIntervals(profile)) * T).map((r) => (o.unreadableWatch ? { atNs: r.atNs, error: 'pmc: no answer within 1000 ms' } : r))
  for (const c of caseCfgs) ctl(c.name, (gm) => gm.silence({ announce: true, sync: true, answers: true }))
  watch(20n * T, slaveOf(cfgA.clockIdentity))
  const controlAtNs = link.now
  ctl(cfgCtl.name, (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
  const controlHistory = watch(12n * T, slaveOf(cfgCtl.clockIdentity))
  const recorder = harnessRecording()
  const data: UnusableEvidence = {
    a: masterRecord(cfgA),
    cases: cases.map((c, i) => ({ key: c.key, title: c.title, source: c.source, master: masterRecord(caseCfgs[i]!) })),
    control: masterRecord(cfgCtl),
    ...(cases.some((c) => c.asDut) ? { dutClockIdentity: DUT_IDENTITY } : {}),
    startedNs: START_NS,
    lockHistory,
    watchAtNs,
    watchHistory,
    controlAtNs,
    controlHistory,
    endNs: link.now,
    recorder,
  }
  return envelope(testId, profile, data)
}

/** Run `test`'s judge on that evidence: the checks, their combined verdict and the names of the failed ones. */
export function judgedUnusable(test: ConformanceTest<UnusableEvidence>, profile: Profile, cases: readonly UnusableCase[], o: Parameters<typeof unusableEvidence>[3] = {}) {
  const e = unusableEvidence(test.id, profile, cases, o)
  const checks = test.judge(e, profile).checks
  return { e, checks, verdict: combineChecks(checks), failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

/**
 * Reads of a reference DUT on a simulated link, as the live acquisitions poll it: `read()` now,
 * `watch(forNs, until)` every `pollMs` until `until` holds or the time is up.
 */
export function simulatedReads(link: SimulatedLink, dut: ReferenceClock, pollMs = 50) {
  const read = (): StateRead => ({ atNs: link.now, startNs: link.now - ms(2), state: dut.dutState(Number(link.now / 1_000_000n)) })
  const watch = (forNs: bigint, until: (r: StateRead) => boolean = () => false): StateRead[] => {
    const out: StateRead[] = []
    const end = link.now + forNs
    while (link.now < end) {
      link.run(link.now + ms(pollMs))
      out.push(read())
      if (until(out.at(-1)!)) break
    }
    return out
  }
  return { read, watch }
}

/**
 * A reference DUT slave (with `faults`) and harness grandmasters on one simulated link, as
 * startMasters builds them live: on a peer-delay link one harness responder answers Pdelay_Req
 * for all masters. `ctl(name, fn)` changes a master between events; the recording keeps the
 * harness port's frames (`harnessRecording()`).
 */
export function refdutWithMasters(profile: Profile, configs: readonly TestMasterConfig[], o: { faults?: string[] } & EnvelopeOptions = {}) {
  const dut = new ReferenceClock(applyFaults({ name: 'refdut', clockIdentity: DUT_IDENTITY, profile, settings: dutSettingsFor(profile, o), role: 'slave', behaviour: {}, seed: 7 }, o.faults ?? []))
  const p2p = profile.delayMechanism.default === 'P2P'
  const masters = configs.map((c) => new TestMaster(p2p ? { ...c, delayMechanism: 'none' } : c))
  const engines = p2p ? [...masters, new TestMaster(gmConfig(profile, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' }, o))] : masters
  const group = new EngineGroup('masters', engines)
  const link = new SimulatedLink({ startNs: START_NS })
  link.add('dut', dut)
  link.add('harness', group)
  link.start()
  const ctl = (name: string, fn: (gm: TestMaster, now: bigint) => ReturnType<TestMaster['silence']> | void) => link.control('harness', (now) => group.control<TestMaster>(name, (gm) => fn(gm, now)))
  const harnessRecording = () => {
    const recorder = new Recorder()
    for (const f of link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    return recorder
  }
  return { dut, link, masters, ctl, harnessRecording }
}
