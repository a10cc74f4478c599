/**
 * What the profile loader knows about each TLV a profile may name: its tlvType
 * (and organisation extension), which message types carry it, and what transport
 * or communication mode it needs. Used by the cross-field rules ("a required TLV
 * the transport cannot carry"), not by the codec, which has its own tables.
 */
import type { MessageName, TlvName, TransportName } from './types.ts'

export interface TlvFacts {
  tlvType: number
  organizationId?: string
  organizationSubType?: string
  /** Message types that can carry the TLV. */
  carriers: MessageName[]
  /** Transports the TLV is defined for; absent = any. */
  transports?: TransportName[]
  /** The TLV exists only in unicast operation (unicast negotiation). */
  needsUnicast?: boolean
  /** The TLV has a lengthField convention a profile may choose (C37.238). */
  lengthFieldVariants?: number[]
  source: string
}

const SIGNALING: MessageName[] = ['Signaling']

export const TLV_CATALOGUE: Record<TlvName, TlvFacts> = {
  PATH_TRACE: { tlvType: 0x0008, carriers: ['Announce'], source: 'IEEE 1588-2019 16.2 [LP, WS]' },
  ALTERNATE_TIME_OFFSET_INDICATOR: {
    tlvType: 0x0009,
    carriers: ['Announce'],
    source: 'IEEE 1588-2019 ALTERNATE_TIME_OFFSET_INDICATOR TLV [LP, WS]',
  },
  IEEE_C37_238_2011: {
    tlvType: 0x0003,
    organizationId: '1C-12-9D',
    organizationSubType: '00-00-01',
    carriers: ['Announce'],
    // The power profile is defined on IEEE 802.3 only (1588 Annex F).
    transports: ['l2'],
    lengthFieldVariants: [12, 18],
    source: 'IEEE C37.238-2011 5.12.2 [C11, LP, WS]',
  },
  IEEE_C37_238_2017: {
    tlvType: 0x0003,
    organizationId: '1C-12-9D',
    organizationSubType: '00-00-02',
    carriers: ['Announce'],
    transports: ['l2'],
    lengthFieldVariants: [12, 18],
    source: 'IEEE C37.238-2017 [LP, WS]',
  },
  IEEE_802_1AS_FOLLOW_UP_INFO: {
    tlvType: 0x0003,
    organizationId: '00-80-C2',
    organizationSubType: '00-00-01',
    carriers: ['Follow_Up'],
    transports: ['l2'],
    source: 'IEEE 802.1AS Follow_Up information TLV [LP, WS]',
  },
  IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST: {
    tlvType: 0x0003,
    organizationId: '00-80-C2',
    organizationSubType: '00-00-02',
    carriers: SIGNALING,
    transports: ['l2'],
    source: 'IEEE 802.1AS message interval request TLV [LP, WS]',
  },
  IEEE_802_1AS_GPTP_CAPABLE: {
    tlvType: 0x8000,
    organizationId: '00-80-C2',
    organizationSubType: '00-00-04',
    carriers: SIGNALING,
    transports: ['l2'],
    source: 'IEEE 802.1AS-2020 gPTP-capable TLV [WS]',
  },
  IEEE_802_1AS_GPTP_CAPABLE_INTERVAL: {
    tlvType: 0x8000,
    organizationId: '00-80-C2',
    organizationSubType: '00-00-05',
    carriers: SIGNALING,
    transports: ['l2'],
    source: 'IEEE 802.1AS-2020 gPTP-capable message-interval TLV [WS]',
  },
  REQUEST_UNICAST_TRANSMISSION: { tlvType: 0x0004, carriers: SIGNALING, needsUnicast: true, source: 'IEEE 1588-2019 16.1 [LP, WS]' },
  GRANT_UNICAST_TRANSMISSION: { tlvType: 0x0005, carriers: SIGNALING, needsUnicast: true, source: 'IEEE 1588-2019 16.1 [LP, WS]' },
  CANCEL_UNICAST_TRANSMISSION: { tlvType: 0x0006, carriers: SIGNALING, needsUnicast: true, source: 'IEEE 1588-2019 16.1 [LP, WS]' },
  ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION: {
    tlvType: 0x0007,
    carriers: SIGNALING,
    needsUnicast: true,
    source: 'IEEE 1588-2019 16.1 [LP, WS]',
  },
  ITU_T_INTERFACE_RATE: {
    // Which organisation-extension tlvType it uses (0x0003 or 0x8000) is unconfirmed.
    tlvType: 0x0003,
    organizationId: '00-19-A7',
    organizationSubType: '00-00-02',
    carriers: SIGNALING,
    transports: ['udp4', 'udp6'],
    needsUnicast: true,
    source: 'ITU-T G.8275.2 Annex D [LP, WS, MS-T]',
  },
  L1_SYNC: { tlvType: 0x8001, carriers: SIGNALING, source: 'IEEE 1588-2019 L1_SYNC TLV [LP]' },
  MANAGEMENT: { tlvType: 0x0001, carriers: ['Management'], source: 'IEEE 1588-2019 management TLV [LP, WS]' },
  MANAGEMENT_ERROR_STATUS: { tlvType: 0x0002, carriers: ['Management'], source: 'IEEE 1588-2019 management error TLV [LP, WS]' },
  SMPTE_SM: {
    tlvType: 0x0003,
    organizationId: '68-97-E8',
    organizationSubType: '00-00-01',
    // The carrying message type (Management) is unconfirmed.
    carriers: ['Management'],
    source: 'SMPTE ST 2059-2 SM TLV [WS]',
  },
}
