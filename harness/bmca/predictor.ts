/**
 * What a conformant DUT must do, so suites can compare its behaviour with a prediction:
 *
 * - `predictChoice`: given the DUT's own defaultDS and the foreign masters it hears on one
 *   port (all qualified), which grandmaster it follows and in which state, and which data set
 *   attribute decided between the best and the runner-up.
 * - `predictFailover`: after the grandmaster falls silent, the window in which the DUT must
 *   switch to the backup: its announce receipt timer expires (announceReceiptTimeout + U(0,1])
 *   announce intervals after the last Announce (linuxptp; 1588-2019 9.2.6.12 fixes N intervals),
 *   then the backup is chosen at once if it is qualified, or once it has re-qualified.
 */
import type { ClockIdentity, ClockQuality, PortIdentity } from '../codec/types.ts'
import type { BmcaVariant } from '../profiles/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { comparatorFor, type DecidingAttribute } from './compare.ts'
import { localDataset, type BmcaDataset, type LocalClock } from './dataset.ts'
import { stateDecision, type RecommendedState, type StateDecisionCode } from './state_decision.ts'
import { logIntervalToNs } from '../time/log_interval.ts'

/** One emulated (or observed) foreign master as the DUT sees it. */
export interface Candidate {
  /** A label for reports ('gm-a'). */
  name: string
  sender: PortIdentity
  priority1: number
  clockQuality: ClockQuality
  priority2: number
  /** Default: sender.clockIdentity. */
  grandmasterIdentity?: ClockIdentity
  stepsRemoved?: number
}

export interface ChoiceInput {
  variant: BmcaVariant
  dut: LocalClock
  /** The DUT port that hears the candidates. */
  dutPort?: number
  /** G.8275.x portDS.localPriority of that port (applies to every candidate). */
  portLocalPriority?: number
  /** G.8275.x notSlave / linuxptp masterOnly: the port ignores foreign masters and never becomes SLAVE. */
  portMasterOnly?: boolean
  candidates: readonly Candidate[]
}

export interface ChoicePrediction {
  state: RecommendedState
  code: StateDecisionCode | undefined
  /** The candidate followed (undefined when the DUT is grandmaster itself). */
  parent: Candidate | undefined
  /** Grandmaster the DUT must report in PARENT_DATA_SET. */
  grandmasterIdentity: ClockIdentity
  /** Candidates best first. */
  ranking: Candidate[]
  /** Attribute that put ranking[0] ahead of ranking[1] (undefined with one candidate). */
  decidedBy: DecidingAttribute | undefined
  /** Attribute that decided D0 against the best candidate. */
  localVersusBest: DecidingAttribute | undefined
}

function candidateDataset(c: Candidate, receiver: PortIdentity, localPriority?: number): BmcaDataset {
  const d: BmcaDataset = {
    priority1: c.priority1,
    clockQuality: { ...c.clockQuality },
    priority2: c.priority2,
    grandmasterIdentity: normalizeClockIdentity(c.grandmasterIdentity ?? c.sender.clockIdentity),
    stepsRemoved: c.stepsRemoved ?? 0,
    sender: { clockIdentity: normalizeClockIdentity(c.sender.clockIdentity), portNumber: c.sender.portNumber },
    receiver,
  }
  if (localPriority !== undefined) d.localPriority = localPriority
  return d
}

export function predictChoice(x: ChoiceInput): ChoicePrediction {
  const compare = comparatorFor(x.variant)
  const port = x.dutPort ?? 1
  const receiver = { clockIdentity: normalizeClockIdentity(x.dut.clockIdentity), portNumber: port }
  const d0 = localDataset(x.dut)
  const lp = x.variant === 'g8275x' ? (x.portLocalPriority ?? 128) : undefined
  if (x.variant === 'g8275x' && d0.localPriority === undefined) d0.localPriority = 128
  const entries = (x.portMasterOnly ? [] : x.candidates)
    .filter((c) => (c.stepsRemoved ?? 0) < 255)
    .map((c) => ({ c, d: candidateDataset(c, receiver, lp) }))
  const ranked = [...entries].sort((a, b) => -compare(a.d, b.d).result)
  const best = ranked[0]
  const decision = stateDecision({
    d0,
    ebest: best?.d,
    ebestPort: best ? port : undefined,
    erbest: best?.d,
    portNumber: port,
    compare,
    slaveOnly: x.dut.slaveOnly,
  })
  const follows = decision.state === 'SLAVE' || decision.state === 'PASSIVE'
  return {
    state: decision.state,
    code: decision.code,
    parent: decision.state === 'SLAVE' ? best?.c : undefined,
    grandmasterIdentity: follows && best ? best.d.grandmasterIdentity : d0.grandmasterIdentity,
    ranking: ranked.map((e) => e.c),
    decidedBy: ranked.length > 1 ? compare(ranked[0]!.d, ranked[1]!.d).decidedBy : undefined,
    localVersusBest: best ? compare(d0, best.d).decidedBy : undefined,
  }
}

// ---------------------------------------------------------------- failover

export type ReceiptTimeoutSpread =
  /** linuxptp: N intervals plus a uniform fraction of one more, (N, N+1]. */
  | 'linuxptp'
  /** 1588-2019 9.2.6.12: exactly N intervals. */
  | 'standard'
  /** statime: uniform in [N, 2N]. */
  | 'statime'

export interface FailoverInput {
  announceReceiptTimeout: number
  /** The DUT port's portDS.logAnnounceInterval (it sizes the DUT's receipt timer). */
  logAnnounceInterval: number
  spread?: ReceiptTimeoutSpread
  backup: {
    /** The backup's Announce interval. */
    logAnnounceInterval: number
    /**
     * 'qualified': the backup stays qualified while the grandmaster lives (1588 9.3.2.5);
     * 'requalify': the DUT may have cleared it when it lost the comparison (linuxptp's
     * port_compute_best does), so up to `threshold` more Announces are needed after the timeout.
     */
    qualification: 'qualified' | 'requalify'
    /** FOREIGN_MASTER_THRESHOLD (2). */
    threshold: number
  }
}

export interface FailoverPrediction {
  /** Earliest and latest switch time, measured from the lost grandmaster's last Announce. */
  earliestNs: bigint
  latestNs: bigint
  /** When the announce receipt timer can expire (same reference). */
  timeoutEarliestNs: bigint
  timeoutLatestNs: bigint
  /** Extra time the backup may need to (re)qualify after the timeout. */
  qualificationNs: bigint
  explanation: string
}


export function predictFailover(x: FailoverInput): FailoverPrediction {
  const interval = logIntervalToNs(x.logAnnounceInterval)
  const n = BigInt(x.announceReceiptTimeout)
  const spread = x.spread ?? 'linuxptp'
  const timeoutEarliestNs = n * interval
  const timeoutLatestNs = spread === 'linuxptp' ? (n + 1n) * interval : spread === 'statime' ? 2n * n * interval : n * interval
  const backupInterval = logIntervalToNs(x.backup.logAnnounceInterval)
  const qualificationNs = x.backup.qualification === 'qualified' ? 0n : BigInt(x.backup.threshold) * backupInterval
  const spreadText = spread === 'linuxptp' ? `(${n} + U(0,1])` : spread === 'statime' ? `U[${n}, ${2n * n}]` : `${n}`
  return {
    earliestNs: timeoutEarliestNs,
    latestNs: timeoutLatestNs + qualificationNs,
    timeoutEarliestNs,
    timeoutLatestNs,
    qualificationNs,
    explanation:
      `announce receipt timeout ${spreadText} × ${interval / 1_000_000n} ms after the last Announce` +
      (qualificationNs > 0n
        ? `, then up to ${x.backup.threshold} backup Announces (${qualificationNs / 1_000_000n} ms) to re-qualify it`
        : ', backup already qualified'),
  }
}
