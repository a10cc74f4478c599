/**
 * Wire constants of IEEE 1588-2019 (clause 13 message formats, clause 14-16 TLVs, clause 15
 * management, Annexes C, E, F transports) and linuxptp's implementation-specific ids.
 */
import type { MessageTypeName } from './types.ts'

export const HEADER_LENGTH = 34

/** versionPTP of IEEE 1588-2008 and -2019 (13.3.2.4); a receiver ignores other major versions. */
export const PTP_VERSION = 2

/** messageType values (1588-2019 Table 36). */
export const MessageType = {
  Sync: 0x0,
  Delay_Req: 0x1,
  Pdelay_Req: 0x2,
  Pdelay_Resp: 0x3,
  Follow_Up: 0x8,
  Delay_Resp: 0x9,
  Pdelay_Resp_Follow_Up: 0xa,
  Announce: 0xb,
  Signaling: 0xc,
  Management: 0xd,
} as const satisfies Record<MessageTypeName, number>

/** messageType nibble -> name; undefined for the reserved values 0x4-0x7, 0xE, 0xF. */
export const MESSAGE_TYPE_NAMES: ReadonlyArray<MessageTypeName | undefined> = [
  'Sync', 'Delay_Req', 'Pdelay_Req', 'Pdelay_Resp', undefined, undefined, undefined, undefined,
  'Follow_Up', 'Delay_Resp', 'Pdelay_Resp_Follow_Up', 'Announce', 'Signaling', 'Management', undefined, undefined,
]

/** Event messages are timestamped and go to UDP port 319; general ones to 320 (1588-2019 13.3.2.2, Annex C). */
export function isEventMessage(messageType: number): boolean {
  return (messageType & 0xf) < 0x4
}

/** Fixed length (header + body, no TLVs) per messageType (1588-2019 13.5-13.13). */
export const BODY_LENGTH: Readonly<Record<MessageTypeName, number>> = {
  Sync: 44,
  Delay_Req: 44,
  Pdelay_Req: 54,
  Pdelay_Resp: 54,
  Follow_Up: 44,
  Delay_Resp: 54,
  Pdelay_Resp_Follow_Up: 54,
  Announce: 64,
  Signaling: 44,
  Management: 48,
}

/**
 * BODY_LENGTH by messageType nibble (0 for reserved values): the decoder's per-message lookup,
 * an indexed load instead of a property lookup by a computed name.
 */
export const BODY_LENGTH_BY_MESSAGE_TYPE: readonly number[] = byMessageType(BODY_LENGTH)

/** A Record<MessageTypeName, number> as a 16-entry array indexed by messageType (0 for reserved values). */
export function byMessageType(values: Readonly<Record<MessageTypeName, number>>): number[] {
  return MESSAGE_TYPE_NAMES.map((name) => (name === undefined ? 0 : values[name]))
}

/** Legacy controlField values (1588-2008 Table 23; 1588-2019 13.3.2.13 wants 0 but accepts these). */
export const CONTROL_FIELD_LEGACY: Readonly<Record<MessageTypeName, number>> = {
  Sync: 0,
  Delay_Req: 1,
  Follow_Up: 2,
  Delay_Resp: 3,
  Management: 4,
  Pdelay_Req: 5,
  Pdelay_Resp: 5,
  Pdelay_Resp_Follow_Up: 5,
  Announce: 5,
  Signaling: 5,
}

/** logMessageInterval value meaning "not applicable / unicast" (1588-2019 13.3.2.14). */
export const LOG_MESSAGE_INTERVAL_UNSPECIFIED = 0x7f

// flagField masks, 16-bit as on the wire (octet 0 << 8 | octet 1), 1588-2019 Table 37.
export const FLAG_ALTERNATE_MASTER = 0x0100
export const FLAG_TWO_STEP = 0x0200
export const FLAG_UNICAST = 0x0400
export const FLAG_PROFILE_SPECIFIC_1 = 0x2000
export const FLAG_PROFILE_SPECIFIC_2 = 0x4000
/** Reserved bit (the 2008 experimental "security" flag). */
export const FLAG_SECURITY = 0x8000
export const FLAG_LEAP61 = 0x0001
export const FLAG_LEAP59 = 0x0002
export const FLAG_CURRENT_UTC_OFFSET_VALID = 0x0004
export const FLAG_PTP_TIMESCALE = 0x0008
export const FLAG_TIME_TRACEABLE = 0x0010
export const FLAG_FREQUENCY_TRACEABLE = 0x0020
export const FLAG_SYNCHRONIZATION_UNCERTAIN = 0x0040

/** actionField values (1588-2019 Table 57). */
export const ActionField = {
  GET: 0,
  SET: 1,
  RESPONSE: 2,
  COMMAND: 3,
  ACKNOWLEDGE: 4,
} as const

/** tlvType values (1588-2019 Table 52). */
export const TlvType = {
  MANAGEMENT: 0x0001,
  MANAGEMENT_ERROR_STATUS: 0x0002,
  ORGANIZATION_EXTENSION: 0x0003,
  REQUEST_UNICAST_TRANSMISSION: 0x0004,
  GRANT_UNICAST_TRANSMISSION: 0x0005,
  CANCEL_UNICAST_TRANSMISSION: 0x0006,
  ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION: 0x0007,
  PATH_TRACE: 0x0008,
  ALTERNATE_TIME_OFFSET_INDICATOR: 0x0009,
  AUTHENTICATION_2008: 0x2000,
  AUTHENTICATION_CHALLENGE: 0x2001,
  SECURITY_ASSOCIATION_UPDATE: 0x2002,
  CUM_FREQ_SCALE_FACTOR_OFFSET: 0x2003,
  ORGANIZATION_EXTENSION_PROPAGATE: 0x4000,
  ENHANCED_ACCURACY_METRICS: 0x4001,
  ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE: 0x8000,
  L1_SYNC: 0x8001,
  PORT_COMMUNICATION_AVAILABILITY: 0x8002,
  PROTOCOL_ADDRESS: 0x8003,
  SLAVE_RX_SYNC_TIMING_DATA: 0x8004,
  SLAVE_RX_SYNC_COMPUTED_DATA: 0x8005,
  SLAVE_TX_EVENT_TIMESTAMPS: 0x8006,
  CUMULATIVE_RATE_RATIO: 0x8007,
  PAD: 0x8008,
  AUTHENTICATION: 0x8009,
} as const

/** Organization ids (OUI/CID) as 24-bit numbers. */
export const OrganizationId = {
  IEEE_802_1: 0x0080c2,
  IEEE_C37_238: 0x1c129d,
  ITU_T: 0x0019a7,
  SMPTE: 0x6897e8,
} as const

/** managementId values (1588-2019 Table 59; 0xC000.. linuxptp 3.1.1 tlv.h). */
export const ManagementId = {
  NULL_MANAGEMENT: 0x0000,
  CLOCK_DESCRIPTION: 0x0001,
  USER_DESCRIPTION: 0x0002,
  SAVE_IN_NON_VOLATILE_STORAGE: 0x0003,
  RESET_NON_VOLATILE_STORAGE: 0x0004,
  INITIALIZE: 0x0005,
  FAULT_LOG: 0x0006,
  FAULT_LOG_RESET: 0x0007,
  DEFAULT_DATA_SET: 0x2000,
  CURRENT_DATA_SET: 0x2001,
  PARENT_DATA_SET: 0x2002,
  TIME_PROPERTIES_DATA_SET: 0x2003,
  PORT_DATA_SET: 0x2004,
  PRIORITY1: 0x2005,
  PRIORITY2: 0x2006,
  DOMAIN: 0x2007,
  SLAVE_ONLY: 0x2008,
  LOG_ANNOUNCE_INTERVAL: 0x2009,
  ANNOUNCE_RECEIPT_TIMEOUT: 0x200a,
  LOG_SYNC_INTERVAL: 0x200b,
  VERSION_NUMBER: 0x200c,
  ENABLE_PORT: 0x200d,
  DISABLE_PORT: 0x200e,
  TIME: 0x200f,
  CLOCK_ACCURACY: 0x2010,
  UTC_PROPERTIES: 0x2011,
  TRACEABILITY_PROPERTIES: 0x2012,
  TIMESCALE_PROPERTIES: 0x2013,
  UNICAST_NEGOTIATION_ENABLE: 0x2014,
  PATH_TRACE_LIST: 0x2015,
  PATH_TRACE_ENABLE: 0x2016,
  GRANDMASTER_CLUSTER_TABLE: 0x2017,
  UNICAST_MASTER_TABLE: 0x2018,
  UNICAST_MASTER_MAX_TABLE_SIZE: 0x2019,
  ACCEPTABLE_MASTER_TABLE: 0x201a,
  ACCEPTABLE_MASTER_TABLE_ENABLED: 0x201b,
  ACCEPTABLE_MASTER_MAX_TABLE_SIZE: 0x201c,
  ALTERNATE_MASTER: 0x201d,
  ALTERNATE_TIME_OFFSET_ENABLE: 0x201e,
  ALTERNATE_TIME_OFFSET_NAME: 0x201f,
  ALTERNATE_TIME_OFFSET_MAX_KEY: 0x2020,
  ALTERNATE_TIME_OFFSET_PROPERTIES: 0x2021,
  EXTERNAL_PORT_CONFIGURATION_ENABLED: 0x3000,
  MASTER_ONLY: 0x3001,
  HOLDOVER_UPGRADE_ENABLE: 0x3002,
  EXT_PORT_CONFIG_PORT_DATA_SET: 0x3003,
  TRANSPARENT_CLOCK_DEFAULT_DATA_SET: 0x4000,
  TRANSPARENT_CLOCK_PORT_DATA_SET: 0x4001,
  PRIMARY_DOMAIN: 0x4002,
  DELAY_MECHANISM: 0x6000,
  LOG_MIN_PDELAY_REQ_INTERVAL: 0x6001,
  TIME_STATUS_NP: 0xc000,
  GRANDMASTER_SETTINGS_NP: 0xc001,
  PORT_DATA_SET_NP: 0xc002,
  SUBSCRIBE_EVENTS_NP: 0xc003,
  PORT_PROPERTIES_NP: 0xc004,
  PORT_STATS_NP: 0xc005,
  SYNCHRONIZATION_UNCERTAIN_NP: 0xc006,
} as const

export type ManagementIdName = keyof typeof ManagementId

/** managementErrorId values (1588-2019 Table 109). */
export const ManagementErrorId = {
  RESPONSE_TOO_BIG: 0x0001,
  NO_SUCH_ID: 0x0002,
  WRONG_LENGTH: 0x0003,
  WRONG_VALUE: 0x0004,
  NOT_SETABLE: 0x0005,
  NOT_SUPPORTED: 0x0006,
  GENERAL_ERROR: 0xfffe,
} as const

/** DEFAULT_DATA_SET flags bits. */
export const DDS_TWO_STEP = 0x01
export const DDS_SLAVE_ONLY = 0x02

/** portState values (1588-2019 Table 20). */
export const PortState = {
  INITIALIZING: 1,
  FAULTY: 2,
  DISABLED: 3,
  LISTENING: 4,
  PRE_MASTER: 5,
  MASTER: 6,
  PASSIVE: 7,
  UNCALIBRATED: 8,
  SLAVE: 9,
} as const

/** delayMechanism values. */
export const DelayMechanism = { E2E: 1, P2P: 2, COMMON_P2P: 3, SPECIAL: 4, NO_MECHANISM: 0xfe } as const

/** timeSource values (1588-2019 Table 6). */
export const TimeSource = {
  ATOMIC_CLOCK: 0x10,
  GNSS: 0x20,
  TERRESTRIAL_RADIO: 0x30,
  SERIAL_TIME_CODE: 0x39,
  PTP: 0x40,
  NTP: 0x50,
  HAND_SET: 0x60,
  OTHER: 0x90,
  INTERNAL_OSCILLATOR: 0xa0,
} as const

// Transport mappings (1588-2019 Annexes C, E, F).
export const ETHERTYPE_PTP = 0x88f7
export const ETHERTYPE_VLAN = 0x8100
export const ETHERTYPE_QINQ = 0x88a8
export const ETHERTYPE_IPV4 = 0x0800
export const ETHERTYPE_IPV6 = 0x86dd
export const UDP_PORT_EVENT = 319
export const UDP_PORT_GENERAL = 320
/** Forwardable multicast address for all messages except peer delay (Annex F). */
export const MAC_PTP_PRIMARY = '01:1b:19:00:00:00'
/** Non-forwardable link-local multicast address for the peer-delay messages (Annex F). */
export const MAC_PTP_PDELAY = '01:80:c2:00:00:0e'
export const IPV4_PTP_PRIMARY = '224.0.1.129'
export const IPV4_PTP_PDELAY = '224.0.0.107'
/** FF0X::181 with X the scope nibble (Annex E); linuxptp's default scope is 0xE (global). */
export function ipv6PtpPrimary(scope: number = 0xe): string {
  return `ff0${(scope & 0xf).toString(16)}::181`
}
export const IPV6_PTP_PDELAY = 'ff02::6b'

/** Peer-delay messages use the link-local addresses; everything else the primary ones. */
export function isPeerDelayMessage(messageType: number): boolean {
  const t = messageType & 0xf
  return t === MessageType.Pdelay_Req || t === MessageType.Pdelay_Resp || t === MessageType.Pdelay_Resp_Follow_Up
}

/** UDP destination port for a messageType (319 event, 320 general). */
export function udpPortFor(messageType: number): number {
  return isEventMessage(messageType) ? UDP_PORT_EVENT : UDP_PORT_GENERAL
}
