/**
 * Management TLV dataFields typed by managementId (IEEE 1588-2019 15.5.3; linuxptp's *_NP ids
 * from linuxptp 3.1.1 tlv.h). The discriminator `name` is the managementId name. A dataField
 * whose length does not match its managementId, or whose id is not typed here, is kept as RAW.
 */
import type { ClockIdentity, ClockQuality, PortIdentity } from './types.ts'

/** DEFAULT_DATA_SET, 20 octets (1588-2019 15.5.3.3.1). */
export interface DefaultDataSetData {
  name: 'DEFAULT_DATA_SET'
  /** bit 0 twoStepFlag (TSC), bit 1 slaveOnly (SO); other bits reserved. */
  flags: number
  reserved1: number
  numberPorts: number
  priority1: number
  clockQuality: ClockQuality
  priority2: number
  clockIdentity: ClockIdentity
  domainNumber: number
  reserved2: number
}

/** CURRENT_DATA_SET, 18 octets (15.5.3.4.1). */
export interface CurrentDataSetData {
  name: 'CURRENT_DATA_SET'
  stepsRemoved: number
  /** TimeInterval, ns x 2^16. */
  offsetFromMaster: bigint
  /** TimeInterval, ns x 2^16. */
  meanPathDelay: bigint
}

/** PARENT_DATA_SET, 32 octets (15.5.3.5.1). */
export interface ParentDataSetData {
  name: 'PARENT_DATA_SET'
  parentPortIdentity: PortIdentity
  /** bit 0 PS (parentStats); other bits reserved. */
  parentStats: number
  reserved: number
  observedParentOffsetScaledLogVariance: number
  /** Integer32. */
  observedParentClockPhaseChangeRate: number
  grandmasterPriority1: number
  grandmasterClockQuality: ClockQuality
  grandmasterPriority2: number
  grandmasterIdentity: ClockIdentity
}

/** TIME_PROPERTIES_DATA_SET, 4 octets (15.5.3.6.1). */
export interface TimePropertiesDataSetData {
  name: 'TIME_PROPERTIES_DATA_SET'
  /** Integer16. */
  currentUtcOffset: number
  /** Octet 1 of flagField: bit 0 leap61 ... bit 5 frequencyTraceable. */
  flags: number
  timeSource: number
}

/** PORT_DATA_SET, 26 octets (15.5.3.7.1). */
export interface PortDataSetData {
  name: 'PORT_DATA_SET'
  portIdentity: PortIdentity
  portState: number
  logMinDelayReqInterval: number
  /** TimeInterval, ns x 2^16. */
  peerMeanPathDelay: bigint
  logAnnounceInterval: number
  announceReceiptTimeout: number
  logSyncInterval: number
  delayMechanism: number
  logMinPdelayReqInterval: number
  /** Low nibble versionNumber; high nibble reserved (minorVersionNumber in 2019). */
  versionNumber: number
}

/** Management ids whose dataField is one value octet plus one reserved octet. */
export type OneOctetManagementName =
  | 'PRIORITY1'
  | 'PRIORITY2'
  | 'DOMAIN'
  | 'SLAVE_ONLY'
  | 'LOG_ANNOUNCE_INTERVAL'
  | 'ANNOUNCE_RECEIPT_TIMEOUT'
  | 'LOG_SYNC_INTERVAL'
  | 'VERSION_NUMBER'
  | 'DELAY_MECHANISM'
  | 'LOG_MIN_PDELAY_REQ_INTERVAL'
  | 'SYNCHRONIZATION_UNCERTAIN_NP'

/**
 * value + reserved, 2 octets. value is signed for the log*Interval ids, unsigned otherwise.
 * SLAVE_ONLY carries the SO flag in bit 0; SYNCHRONIZATION_UNCERTAIN_NP is 0 false, 1 true, 0xFF don't care.
 */
export interface OneOctetData {
  name: OneOctetManagementName
  value: number
  reserved: number
}

/** linuxptp TIME_STATUS_NP, 50 octets. */
export interface TimeStatusNpData {
  name: 'TIME_STATUS_NP'
  /** Integer64 ns. */
  master_offset: bigint
  /** Integer64 ns. */
  ingress_time: bigint
  cumulativeScaledRateOffset: number
  scaledLastGmPhaseChange: number
  gmTimeBaseIndicator: number
  /** ScaledNs (96-bit signed, ns x 2^16). */
  lastGmPhaseChange: bigint
  /** Integer32, non-zero when a grandmaster is present. */
  gmPresent: number
  gmIdentity: ClockIdentity
}

/** linuxptp GRANDMASTER_SETTINGS_NP, 8 octets. */
export interface GrandmasterSettingsNpData {
  name: 'GRANDMASTER_SETTINGS_NP'
  clockQuality: ClockQuality
  /** Integer16. */
  utc_offset: number
  time_flags: number
  time_source: number
}

/** linuxptp PORT_DATA_SET_NP, 8 octets. */
export interface PortDataSetNpData {
  name: 'PORT_DATA_SET_NP'
  /** UInteger32 ns. */
  neighborPropDelayThresh: number
  /** Integer32. */
  asCapable: number
}

/** Any other managementId, or a dataField of the wrong length: the dataField octets. */
export interface RawManagementData {
  name: 'RAW'
  bytes: Uint8Array
}

export type ManagementDataField =
  | DefaultDataSetData
  | CurrentDataSetData
  | ParentDataSetData
  | TimePropertiesDataSetData
  | PortDataSetData
  | OneOctetData
  | TimeStatusNpData
  | GrandmasterSettingsNpData
  | PortDataSetNpData
  | RawManagementData

export type ManagementDataName = ManagementDataField['name']
