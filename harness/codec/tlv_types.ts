/**
 * TLV model (IEEE 1588-2019 14). Each TLV keeps tlvType and lengthField as they were on the wire,
 * so a mutated length survives a decode/encode cycle (encodeMessage recomputes lengthField unless
 * told to keep it). A known TLV whose length does not fit its layout decodes as UNKNOWN (raw value)
 * with a finding, so nothing is lost.
 */
import type { ClockIdentity } from './types.ts'
import type { ManagementDataField } from './management_types.ts'

interface TlvBase {
  tlvType: number
  /** Octets after the lengthField, as on the wire. */
  lengthField: number
}

/** MANAGEMENT (0x0001), 1588-2019 15.5.2. */
export interface ManagementTlv extends TlvBase {
  kind: 'MANAGEMENT'
  managementId: number
  /** null when the dataField is empty (pmc -z GET, COMMANDs). */
  dataField: ManagementDataField | null
}

/** MANAGEMENT_ERROR_STATUS (0x0002), 1588-2019 15.5.4. */
export interface ManagementErrorStatusTlv extends TlvBase {
  kind: 'MANAGEMENT_ERROR_STATUS'
  managementErrorId: number
  managementId: number
  /** UInteger32 reserved at TLV octet 8. */
  reserved: number
  /** Text octets of the optional displayData PTPText (UTF-8, not decoded); null when absent. */
  displayData: Uint8Array | null
  /** Octets after displayData (pad to even length). */
  pad: Uint8Array
}

/** Fields common to every organization extension (tlvType 0x0003, 0x4000 or 0x8000), 1588-2019 14.3. */
interface OrgBase extends TlvBase {
  kind: 'ORGANIZATION_EXTENSION'
  /** 24-bit OUI/CID, e.g. 0x0080c2 for IEEE 802.1. */
  organizationId: number
  /** 24-bit organizationSubType. */
  organizationSubType: number
}

/** 802.1AS Follow_Up information TLV (00-80-C2 / 1), 802.1AS-2020 11.4.4.3. */
export interface FollowUpInfoTlv extends OrgBase {
  org: 'IEEE_802_1AS_FOLLOW_UP_INFO'
  cumulativeScaledRateOffset: number
  gmTimeBaseIndicator: number
  /** ScaledNs, 96-bit signed, ns x 2^16. */
  lastGmPhaseChange: bigint
  /** linuxptp calls it scaledLastGmPhaseChange. */
  scaledLastGmFreqChange: number
}

/** 802.1AS message interval request TLV (00-80-C2 / 2), 802.1AS-2020 10.6.4.3. */
export interface MessageIntervalRequestTlv extends OrgBase {
  org: 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST'
  linkDelayInterval: number
  timeSyncInterval: number
  announceInterval: number
  flags: number
  /** UInteger16 reserved. */
  reserved: number
}

/** 802.1AS-2020 gPTP-capable TLV (subtype 4) and gPTP-capable message interval request TLV (subtype 5). */
export interface GptpCapableTlv extends OrgBase {
  org: 'IEEE_802_1AS_GPTP_CAPABLE' | 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL'
  logGptpCapableMessageInterval: number
  flags: number
  /** The reserved octets that follow (4 in 802.1AS-2020). */
  reserved: Uint8Array
}

/**
 * IEEE C37.238 TLV (1C-12-9D / 1 for 2011, / 2 for 2017). Always 22 octets on the wire. The
 * 2011 text puts 12 in lengthField (dataField only), linuxptp and Wireshark 18 (after lengthField);
 * lengthConvention records which one this TLV came with.
 */
export interface C37238Tlv2011 extends OrgBase {
  org: 'IEEE_C37_238_2011'
  lengthConvention: 12 | 18
  grandmasterID: number
  grandmasterTimeInaccuracy: number
  networkTimeInaccuracy: number
  reserved: number
}

export interface C37238Tlv2017 extends OrgBase {
  org: 'IEEE_C37_238_2017'
  lengthConvention: 12 | 18
  grandmasterID: number
  /** UInteger32 reserved at TLV octet 12 (grandmasterTimeInaccuracy in 2011). */
  reserved1: number
  totalTimeInaccuracy: number
  reserved2: number
}

/** ITU-T G.8275.2 Annex D interface rate TLV (00-19-A7 / 2). */
export interface InterfaceRateTlv extends OrgBase {
  org: 'ITU_T_INTERFACE_RATE'
  /** UInteger64 attoseconds per bit. */
  interfaceBitPeriod: bigint
  numberOfBitsBeforeTimestamp: number
  numberOfBitsAfterTimestamp: number
}

/** Any other organization extension: the dataField after organizationSubType, raw. */
export interface GenericOrgTlv extends OrgBase {
  org: 'GENERIC'
  dataField: Uint8Array
}

export type OrganizationExtensionTlv =
  | FollowUpInfoTlv
  | MessageIntervalRequestTlv
  | GptpCapableTlv
  | C37238Tlv2011
  | C37238Tlv2017
  | InterfaceRateTlv
  | GenericOrgTlv

/** PATH_TRACE (0x0008), 1588-2019 16.2, 802.1AS-2020 10.6.3.3. */
export interface PathTraceTlv extends TlvBase {
  kind: 'PATH_TRACE'
  pathSequence: ClockIdentity[]
  /** Octets after the last whole ClockIdentity when lengthField is not a multiple of 8. */
  remainder?: Uint8Array
}

/** ALTERNATE_TIME_OFFSET_INDICATOR (0x0009), 1588-2019 16.3. */
export interface AlternateTimeOffsetIndicatorTlv extends TlvBase {
  kind: 'ALTERNATE_TIME_OFFSET_INDICATOR'
  keyField: number
  /** Integer32 seconds. */
  currentOffset: number
  /** Integer32 seconds. */
  jumpSeconds: number
  /** UInteger48 PTP seconds. */
  timeOfNextJump: bigint
  /** displayName PTPText octets (UTF-8, not decoded). */
  displayName: Uint8Array
  /** Octets after displayName (pad to even length). */
  pad: Uint8Array
}

/** REQUEST_UNICAST_TRANSMISSION (0x0004), 1588-2019 16.1.4.1. */
export interface RequestUnicastTransmissionTlv extends TlvBase {
  kind: 'REQUEST_UNICAST_TRANSMISSION'
  /** High nibble of TLV octet 4. */
  messageType: number
  /** Low nibble of TLV octet 4 (reserved). */
  reservedNibble: number
  logInterMessagePeriod: number
  durationField: number
}

/** GRANT_UNICAST_TRANSMISSION (0x0005), 1588-2019 16.1.4.2. */
export interface GrantUnicastTransmissionTlv extends TlvBase {
  kind: 'GRANT_UNICAST_TRANSMISSION'
  messageType: number
  reservedNibble: number
  logInterMessagePeriod: number
  /** 0 = request denied. */
  durationField: number
  reserved: number
  /** bit 0: renewalInvited. */
  flags: number
}

/** CANCEL_UNICAST_TRANSMISSION (0x0006) and ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION (0x0007), 1588-2019 16.1.4.3/4. */
export interface CancelUnicastTransmissionTlv extends TlvBase {
  kind: 'CANCEL_UNICAST_TRANSMISSION' | 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION'
  messageType: number
  /** Low nibble of TLV octet 4: bit 0 maintainRequest, bit 1 maintainGrant (2019); reserved in 2008. */
  flags: number
  reserved: number
}

/** PAD (0x8008), 1588-2019 14.4. */
export interface PadTlv extends TlvBase {
  kind: 'PAD'
  pad: Uint8Array
}

/**
 * Any other TLV, or a known one whose length does not fit its layout, or one cut short by
 * messageLength (then value.length < lengthField).
 */
export interface UnknownTlv extends TlvBase {
  kind: 'UNKNOWN'
  value: Uint8Array
}

export type Tlv =
  | ManagementTlv
  | ManagementErrorStatusTlv
  | OrganizationExtensionTlv
  | PathTraceTlv
  | AlternateTimeOffsetIndicatorTlv
  | RequestUnicastTransmissionTlv
  | GrantUnicastTransmissionTlv
  | CancelUnicastTransmissionTlv
  | PadTlv
  | UnknownTlv

export type TlvKind = Tlv['kind']
export type OrgKind = OrganizationExtensionTlv['org']
