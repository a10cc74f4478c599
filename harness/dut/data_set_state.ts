/**
 * Management data sets (IEEE 1588-2019 15.5.3) -> the DUT-neutral DutState.
 *
 * pmc's text replies (linuxptp adapter) and our own decoded management
 * responses (remote adapter) both arrive as the codec's data set shapes, so
 * one mapping serves both and the two state sources cannot drift apart.
 * Pure: no I/O.
 */
import type { CurrentDataSetData, DefaultDataSetData, ParentDataSetData, PortDataSetData } from '../codec/management_types.ts'
import { portStateName, type DutPortState, type DutState } from './types.ts'

/** PORT_DATA_SET.delayMechanism (1588-2019 Table 21; 0xFE as linuxptp reports a disabled one). */
const DELAY_MECHANISM_CODE: Record<number, DutPortState['delayMechanism']> = { 1: 'E2E', 2: 'P2P', 3: 'COMMON_P2P', 0xfe: 'DISABLED' }

export function applyDefaultDataSet(state: DutState, d: DefaultDataSetData): void {
  Object.assign(state, {
    clockIdentity: d.clockIdentity,
    domainNumber: d.domainNumber,
    priority1: d.priority1,
    priority2: d.priority2,
    clockQuality: d.clockQuality,
    // DEFAULT_DATA_SET flags: bit 1 is slaveOnly (15.5.3.3.1).
    slaveOnly: (d.flags & 2) !== 0,
  })
}

/** offsetFromMaster and meanPathDelay are TimeInterval (ns x 2^16); the state holds whole ns. */
export function applyCurrentDataSet(state: DutState, c: CurrentDataSetData): void {
  state.stepsRemoved = c.stepsRemoved
  state.offsetFromMasterNs = c.offsetFromMaster / 65536n
  state.meanPathDelayNs = c.meanPathDelay / 65536n
}

export function applyParentDataSet(state: DutState, p: ParentDataSetData): void {
  Object.assign(state, {
    parentPortIdentity: p.parentPortIdentity,
    grandmasterIdentity: p.grandmasterIdentity,
    grandmasterPriority1: p.grandmasterPriority1,
    grandmasterPriority2: p.grandmasterPriority2,
    grandmasterClockQuality: p.grandmasterClockQuality,
  })
}

/** One port of the state; an unknown portState number reads as FAULTY rather than being dropped. */
export function portStateFromDataSet(p: PortDataSetData): DutPortState {
  return {
    portNumber: p.portIdentity.portNumber,
    portIdentity: p.portIdentity,
    portState: portStateName(p.portState) ?? 'FAULTY',
    delayMechanism: DELAY_MECHANISM_CODE[p.delayMechanism],
    peerMeanPathDelayNs: p.peerMeanPathDelay >> 16n,
    logAnnounceInterval: p.logAnnounceInterval,
    logSyncInterval: p.logSyncInterval,
    logMinDelayReqInterval: p.logMinDelayReqInterval,
    logMinPdelayReqInterval: p.logMinPdelayReqInterval,
    announceReceiptTimeout: p.announceReceiptTimeout,
  }
}
