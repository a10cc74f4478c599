/**
 * Evidence for the faulty-grandmaster tests (ROB-01, ROB-03, ROB-05) from the reference DUT on
 * a simulated link, with the acquisition's phases: lock, a clean control phase, then each case's
 * fault on (mutations, time step, intruder Sync) and off again. Reads every 250 ms, as live.
 */
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TimeBase } from '../../../harness/engines/time_base.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { FAULT_PHASES, settleMs, type FaultCase, type FaultCaseRecord, type FaultyStreamEvidence } from '../../../suites/support/faulty_grandmaster.ts'
import { isSlave, type StateRead } from '../../../suites/support/grandmasters.ts'
import type { OffsetReport } from '../../../suites/support/offset_reports.ts'
import { gmConfig, ms } from './bmca.ts'
import { dutSettingsFor, envelope, type EnvelopeOptions } from './simulate.ts'
import { refdutWithMasters, simulatedReads } from './unusable.ts'

export function faultyStreamEvidence(testId: string, profile: Profile, cases: readonly FaultCase[], o: { faults?: string[] } & EnvelopeOptions = {}) {
  const twoStep = profile.steps.twoStep === 'forbidden' ? {} : { twoStep: true }
  const gmCfg = gmConfig(profile, 'gm', 1, undefined, twoStep, o)
  const intruderCfg = gmConfig(profile, 'intruder', 2, undefined, { ...twoStep, sendAnnounce: false, sendSync: false }, o)
  const settings = dutSettingsFor(profile, o)
  const { dut, link, masters, ctl: onMaster, harnessRecording } = refdutWithMasters(profile, [gmCfg, intruderCfg], o)
  const [gm, intruder] = masters as [TestMaster, TestMaster]
  const ctl = (e: TestMaster, fn: (now: bigint) => ReturnType<TestMaster['silence']> | void) => onMaster(e.name, (_gm, now) => fn(now))
  const { read, watch } = simulatedReads(link, dut, 100)
  const wait = (forMs: number) => watch(ms(forMs))
  const sample = (seconds: number) => {
    const reports: OffsetReport[] = []
    const reads: StateRead[] = []
    const end = link.now + ms(seconds * 1000)
    while (link.now < end) {
      link.run(link.now + ms(250))
      const r = read()
      reads.push(r)
      const off = r.state?.offsetFromMasterNs
      if (off !== undefined && isSlave(r.state!)) reports.push({ readNs: r.atNs, reportedNs: off, expectedNs: gm.expectedSlaveOffsetNs(r.atNs) })
    }
    return { reports, reads }
  }
  const lock: StateRead[] = []
  const deadline = link.now + ms(30_000)
  while (link.now < deadline && lock.at(-1)?.state?.offsetFromMasterNs === undefined) lock.push(...wait(100))
  const locked = lock.at(-1)?.state?.offsetFromMasterNs !== undefined
  const records: FaultCaseRecord[] = []
  let control: OffsetReport[] = []
  if (locked) {
    wait(4 * Math.max(Number(logIntervalToNs(gmCfg.logSyncInterval) / 1_000_000n), Number(logIntervalToNs(settings.intervals.delayReq.value) / 1_000_000n)) + 1000)
    control = sample(FAULT_PHASES.controlSeconds).reports
    for (const c of cases) {
      const fromNs = link.now
      ctl(gm, () => {
        gm.setMutations(c.mutations)
        if (c.stepNs) gm.setTimeBase(new TimeBase({ offsetNs: gm.timeBase.offsetNs + c.stepNs }))
      })
      if (c.intruderOffsetNs !== undefined) {
        ctl(intruder, (now) => {
          intruder.setTimeBase(new TimeBase({ offsetNs: gm.timeBase.offsetNs + c.intruderOffsetNs! }))
          return intruder.resume(now, { announce: false, sync: true, answers: false })
        })
      }
      const settle = wait(settleMs(gmCfg.logSyncInterval))
      const during = sample(FAULT_PHASES.caseSeconds)
      const applied = gm.mutationsApplied
      ctl(gm, () => gm.setMutations([]))
      if (c.intruderOffsetNs !== undefined) ctl(intruder, () => intruder.silence({ announce: true, sync: true, answers: true }))
      const { mutations, ...rest } = c
      const rec: FaultCaseRecord = { ...rest, rules: mutations.map((m) => m.id ?? 'rule'), applied, fromNs, toNs: link.now, reads: [...settle, ...during.reads], reports: during.reports, afterReads: [], after: [] }
      if (c.offsetPhase === 'after') {
        const back = wait(settleMs(gmCfg.logSyncInterval))
        const after = sample(FAULT_PHASES.afterSeconds)
        rec.afterReads = [...back, ...after.reads]
        rec.after = after.reports
      } else wait(settleMs(gmCfg.logSyncInterval))
      records.push(rec)
    }
  }
  const recorder = harnessRecording()
  const data: FaultyStreamEvidence = {
    gmIdentity: gmCfg.clockIdentity,
    intruderIdentity: intruderCfg.clockIdentity,
    lock,
    locked,
    control,
    cases: records,
    recorder,
  }
  return envelope(testId, profile, data, o)
}
