/**
 * What a fuzz campaign aims at: the header every frame carries (the run's domain and SDO), the
 * two clocks that send (the grandmaster the DUT follows, and a stranger), the DUT's own port
 * where a message names it, and where frames go. Built once per campaign from the session; the
 * case generator is a pure function of it and the seed.
 */
import type { ClockQuality, PortIdentity } from '../codec/types.ts'
import type { HeaderDefaults } from '../engines/message_factory.ts'
import type { AnnounceDataset, TestMasterConfig } from '../engines/test_master.ts'

/** Who sends a fuzz frame: the DUT's grandmaster (its deepest paths) or another clock. */
export type FuzzSender = 'grandmaster' | 'stranger'

export interface FuzzTarget {
  /** Header defaults of the run (domainNumber is the run's and never changes). */
  header: Omit<HeaderDefaults, 'sourcePortIdentity'>
  grandmaster: PortIdentity
  stranger: PortIdentity
  /** The DUT's port, for Delay_Resp / Pdelay_Resp / Signaling that name it (wildcard when unknown). */
  dut?: PortIdentity
  delayMechanism: 'E2E' | 'P2P'
  /** The grandmaster's Announce data set, so its fuzzed Announce starts from what it really announces. */
  announce: { priority1: number; priority2: number; clockQuality: ClockQuality; timeSource: number; currentUtcOffset: number }
  /** The grandmaster's logMessageIntervals. */
  intervals: { announce: number; sync: number; delayReq: number }
  /** Unicast profiles: frames go to the DUT's address, each sender from its own. Absent: multicast. */
  unicast?: { dut: string; grandmaster?: string; stranger?: string }
  /** Management SET and COMMAND may be sent (`--allow-set`); otherwise every Management frame is a GET. */
  allowManagementSet: boolean
}

/** What the DUT sends to be measured on the target's link: its sign of life in the health check. */
export function delayRequestName(t: Pick<FuzzTarget, 'delayMechanism'>): 'Delay_Req' | 'Pdelay_Req' {
  return t.delayMechanism === 'P2P' ? 'Pdelay_Req' : 'Delay_Req'
}

/** The target around a running emulated grandmaster: its header, identity, data set and intervals. */
export function targetAround(gm: { portIdentity: PortIdentity; announceDataset: Readonly<AnnounceDataset> }, cfg: Pick<TestMasterConfig, 'logAnnounceInterval' | 'logSyncInterval' | 'logMinDelayReqInterval'>, o: Pick<FuzzTarget, 'header' | 'stranger' | 'dut' | 'delayMechanism' | 'unicast' | 'allowManagementSet'>): FuzzTarget {
  const d = gm.announceDataset
  return {
    ...o,
    grandmaster: gm.portIdentity,
    announce: { priority1: d.grandmasterPriority1, priority2: d.grandmasterPriority2, clockQuality: d.grandmasterClockQuality, timeSource: d.timeSource, currentUtcOffset: d.currentUtcOffset },
    intervals: { announce: cfg.logAnnounceInterval, sync: cfg.logSyncInterval, delayReq: cfg.logMinDelayReqInterval ?? cfg.logSyncInterval },
  }
}
