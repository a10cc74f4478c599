/**
 * The device under test, seen the same way whatever it is: a ptp4l or ptpd
 * we start in the virtual lab, or a real device on a wire that we only talk
 * to. Suites drive every DUT through this interface.
 */
import type { ClockIdentity, ClockQuality, PortIdentity } from '../codec/types.ts'
import type { DelayMechanismName, Profile, TransportName } from '../profiles/types.ts'
import type { DutSetting as SettingValue, SettingKey } from './settings.ts'

export type { TransportName, DelayMechanismName }

/** What the DUT is asked to be. */
export type DutRole = 'master' | 'slave' | 'auto' | 'boundary' | 'e2e-tc' | 'p2p-tc'
export const DUT_ROLES: readonly DutRole[] = ['master', 'slave', 'auto', 'boundary', 'e2e-tc', 'p2p-tc']

/** Port states of IEEE 1588-2019 Table 20 (8.2.15.3.1), numbered as on the wire. */
export const PORT_STATES = ['NONE', 'INITIALIZING', 'FAULTY', 'DISABLED', 'LISTENING', 'PRE_MASTER', 'MASTER', 'PASSIVE', 'UNCALIBRATED', 'SLAVE'] as const
export type PortStateName = Exclude<(typeof PORT_STATES)[number], 'NONE'>

export function portStateName(n: number): PortStateName | undefined {
  const s = PORT_STATES[n]
  return s && s !== 'NONE' ? s : undefined
}

/** An interface the DUT runs on. A LabPort fits as is. */
export interface DutInterface {
  ifname: string
  /** Network namespace holding the interface; absent = the current one. */
  netns?: string
  mac?: string
}

/** Values handed to the implementation unchanged (ptp4l: any configuration key). */
export type DutOptions = Record<string, string | number | boolean>

export interface DutStartOptions {
  profile: Profile
  role: DutRole
  /** Default: the profile's default transport. */
  transport?: TransportName
  /** Default: P2P for a P2P TC, E2E for an E2E TC, else the profile's default. */
  delayMechanism?: DelayMechanismName
  interfaces: DutInterface[]
  /** Implementation settings passed through, e.g. { masterOnly: 1 }. They win over everything but safety. */
  options?: DutOptions
  /** Unicast profiles (G.8275.2, G.8265.1): addresses of the masters a slave asks for service. */
  unicastMasters?: string[]
}

/** Where readState() gets its answers. */
/** log: the implementation's own log of port transitions (a linuxptp TC answers no management). */
export type StateSource = 'management-uds' | 'status-file' | 'management-wire' | 'passive' | 'log'

/** Settings a DUT may allow to change; how it applies each is up to the adapter. */
export type DutSetting =
  | 'priority1'
  | 'priority2'
  | 'domainNumber'
  | 'logAnnounceInterval'
  | 'logSyncInterval'
  | 'logMinDelayReqInterval'
  | 'logMinPdelayReqInterval'
  | 'announceReceiptTimeout'

export interface DutCapabilities {
  roles: DutRole[]
  transports: TransportName[]
  delayMechanisms: DelayMechanismName[]
  oneStep: boolean
  twoStep: boolean
  /** Settings set() accepts. */
  settable: DutSetting[]
  /** Answers PTP management on the wire (GET). */
  wireManagement: boolean
}

export interface DutDescription {
  implementation: string
  version: string
  capabilities: DutCapabilities
  stateSource: StateSource
  /** Known limits worth printing next to results. */
  notes: string[]
}

export interface DutPortState {
  portNumber: number
  portIdentity?: PortIdentity
  ifname?: string
  portState: PortStateName
  delayMechanism?: DelayMechanismName | 'COMMON_P2P' | 'DISABLED'
  /** Integer nanoseconds (PORT_DATA_SET.peerMeanPathDelay / 2^16, truncated). */
  peerMeanPathDelayNs?: bigint
  logAnnounceInterval?: number
  logSyncInterval?: number
  logMinDelayReqInterval?: number
  logMinPdelayReqInterval?: number
  announceReceiptTimeout?: number
  asCapable?: boolean
}

export interface DutState {
  source: StateSource
  /** Date.now() when the answer arrived. */
  readAt: number
  clockIdentity?: ClockIdentity
  domainNumber?: number
  priority1?: number
  priority2?: number
  clockQuality?: ClockQuality
  slaveOnly?: boolean
  ports: DutPortState[]
  parentPortIdentity?: PortIdentity
  grandmasterIdentity?: ClockIdentity
  grandmasterPriority1?: number
  grandmasterPriority2?: number
  grandmasterClockQuality?: ClockQuality
  stepsRemoved?: number
  /** Integer nanoseconds. */
  offsetFromMasterNs?: bigint
  meanPathDelayNs?: bigint
}

/** How a set() took effect. */
export interface SetResult {
  setting: DutSetting
  value: number
  /** runtime: applied live (management SET); restart: config changed and DUT restarted; hook: the DUT file's hook ran. */
  applied: 'runtime' | 'restart' | 'hook'
}

/** What was in force, for the results: enough to rerun the DUT exactly. */
export interface DutSettingsRecord {
  implementation: string
  version: string
  role: DutRole
  transport: TransportName
  delayMechanism: DelayMechanismName
  interfaces: DutInterface[]
  options: DutOptions
  /** The command line, wrappers included. */
  argv: string[]
  /** The full configuration text given to the implementation. */
  config: string
}

export interface Dut {
  describe(): Promise<DutDescription>
  start(o: DutStartOptions): Promise<void>
  /** Graceful stop (SIGTERM); idempotent. */
  stop(): Promise<void>
  restart(): Promise<void>
  /** Fault injection: SIGKILL, no chance to say goodbye. */
  kill(): Promise<void>
  readState(): Promise<DutState>
  set(setting: DutSetting, value: number): Promise<SetResult>
  /** Everything the implementation printed so far. */
  logs(): Promise<string>
  /** Port state changes the implementation logged, timed on the timestamp clock (lab ptp4l: to 1 ms). */
  portTransitions?(): Promise<PortTransition[]>
  /** The grandmasters its BMCA selected, as it logged each choice, timed on the timestamp clock (lab ptp4l: to 1 ms). */
  bestMasterChanges?(): Promise<BestMasterChange[]>
  /** The settings in force (undefined before start). */
  settings(): DutSettingsRecord | undefined
  /** Values the implementation uses where nothing configures them (settings.ts `implementation`). */
  implementationSettings?(options?: DutOptions): Partial<Record<SettingKey, SettingValue>>
}

/** A port state change as the DUT logged it, on the timestamp clock (CLOCK_REALTIME ns). */
export interface PortTransition {
  /** The change happened in [atNs, atNs + resolutionNs). */
  atNs: bigint
  resolutionNs: bigint
  port: number
  from: PortStateName
  to: PortStateName
  /** The implementation's event name (ptp4l: ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES, RS_SLAVE, ...). */
  event: string
}

/** A new best master the DUT's BMCA chose, as it logged it, on the timestamp clock. */
export interface BestMasterChange {
  /** The choice was made in [atNs, atNs + resolutionNs). */
  atNs: bigint
  resolutionNs: bigint
  clockIdentity: string
}

/** A DUT process that ended without the harness asking: when, how, and what it printed last. */
export interface DutExit {
  program: string
  code: number | null
  signal: string | null
  /** Wall-clock ms (Date.now()) when the harness saw it exit. */
  atMs: number
  logTail: string
}

/** A DUT adapter refuses what it cannot do with this error, naming the reason. */
export class DutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DutError'
  }
}
