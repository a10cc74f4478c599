/** The virtual lab: public face. */
export { Lab, labHealth, type LabUpOptions, type LabPort, type LabHealth } from './lab.ts'
export { planTopology, TOPOLOGIES, BRIDGE_OPTIONS, MAX_LAN_DUTS } from './topology.ts'
export type { TopologyName, TopologyPlan, NodePlan, PortPlan, LinkPlan, NodeRole } from './topology.ts'
export { defaultStateDir, type LabState, type StateEntry, type DutRecord, type TrackedProcess, type Liveness } from './state.ts'
export { spawnDut, verifyNoSysTime, wrapArgv, DROP_SYS_TIME, type ProcessTracker, type Spawned, type SpawnOptions } from './spawn.ts'
export { ourNamespaces, netnsExists, netnsPids, type TeardownReport } from './teardown.ts'
export { isOurs, isAlive, readProc, type ProcIdentity } from './proc.ts'
export { labPrefix, netnsName, isValidLabId } from './naming.ts'
export { readClockState, compareClockState, STEP_TOLERANCE_NS, type ClockState } from './clock_guard.ts'
// The lab's clocks derive their identity from their MAC as ptp4l does; the codec owns that rule.
export { clockIdentityFromMac } from '../codec/clock_identity.ts'
