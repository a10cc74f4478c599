/**
 * Everything a conformance test file needs, in one import: the definition, its context and
 * evidence types, the check vocabulary, the DUT's configured settings, emulated grandmasters
 * and the shared observation, interval statistics, scenarios and the mutation catalogue.
 *
 *   import { conformance, observeDutMaster, exactCheck } from '../kit.ts'
 *
 * A test is `acquire` (drive the network, return evidence: recordings are Recorders and are
 * attached as pcapng by themselves) and `judge` (pure: evidence + profile → checks).
 */
export { conformance, testParams, type ConformanceTest, type Fixture, type Outcome } from '../harness/run/definition.ts'
export type { TestContext } from '../harness/run/context.ts'
export type { Evidence, SessionFacts } from '../harness/run/evidence.ts'
export type { Profile, IntervalName } from '../harness/profiles/types.ts'
export { type Check, type Verdict, combineChecks, exactCheck, judgeBound, judgeRange } from '../harness/verdict/verdict.ts'
export { describeSetting, FROM_CAPTURE, type DutSetting, type DutSettings } from '../harness/dut/settings.ts'
export type { DutState } from '../harness/dut/types.ts'
export { Recorder } from '../harness/recorder/recorder.ts'
export type { RecordedFrame } from '../harness/recorder/frame.ts'
export { describeFrame, frameRef } from '../harness/recorder/frame.ts'
export { pairDelayReqResp } from '../harness/recorder/pairing.ts'
export { intervals, summarize } from '../harness/stats/percentiles.ts'
export { logIntervalToMs, logIntervalToNs } from '../harness/time/log_interval.ts'
export { formatDuration, formatNs } from '../harness/time/format.ts'
export { timestampToNs } from '../harness/time/timestamp.ts'
export { scoreIntervalRule, pctWindow, type IntervalRule } from '../harness/stats/interval_rule.ts'
export { EngineGroup } from '../harness/engines/engine_group.ts'
export { TestMaster, type AnnounceDataset, type TestMasterConfig } from '../harness/engines/test_master.ts'
export { TestSlave } from '../harness/engines/test_slave.ts'
export { TimeBase } from '../harness/engines/time_base.ts'
export { Scenario, type ScenarioStep } from '../harness/engines/scenario.ts'
export { mutate, type MutationRule } from '../harness/engines/mutations.ts'
export { observeDutMaster, observationFault, dutFrames, dutPortOf, describeArrivals, type Observation } from './support/observation.ts'
export { passiveOnDutMaster, type PassiveTest } from './support/passive.ts'
export {
  betterThanDefault,
  isSlave,
  isSlaveOf,
  lockTimeoutMs,
  masterConfig,
  startMasters,
  waitForState,
  type Masters,
  type MasterSpec,
  type StateWait,
} from './support/grandmasters.ts'
export { mode, intervalRuleOf } from './support/intervals.ts'
