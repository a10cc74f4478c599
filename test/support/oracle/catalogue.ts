/**
 * Every message type and every TLV the codec supports, with distinctive
 * non-zero values (signed fields negative, multi-octet fields with all octets
 * different) so that a swapped, shifted or sign-flipped field cannot agree
 * with tshark by accident.
 */
import {
  buildAcknowledgeCancelUnicastTransmissionTlv,
  buildAlternateTimeOffsetIndicatorTlv,
  buildAnnounce,
  buildC37238Tlv2011,
  buildC37238Tlv2017,
  buildCancelUnicastTransmissionTlv,
  buildDelayReq,
  buildDelayResp,
  buildFollowUp,
  buildFollowUpInfoTlv,
  buildGptpCapableTlv,
  buildGrantUnicastTransmissionTlv,
  buildInterfaceRateTlv,
  buildManagement,
  buildMessageIntervalRequestTlv,
  buildOrganizationExtensionTlv,
  buildPadTlv,
  buildPathTraceTlv,
  buildPdelayReq,
  buildPdelayResp,
  buildPdelayRespFollowUp,
  buildRequestUnicastTransmissionTlv,
  buildSignaling,
  buildSync,
  buildUnknownTlv,
  ManagementErrorId,
  ManagementId,
  TlvType,
  type Header,
  type ManagementDataField,
  type PtpMessage,
} from '../../../harness/codec/index.ts'

export interface CatalogueEntry {
  label: string
  message: PtpMessage
}

const ts = (secondsField: bigint, nanosecondsField: number) => ({ secondsField, nanosecondsField })

/** Header values shared by the catalogue; each entry varies some of them. */
function header(over: Partial<Header> = {}): Partial<Header> {
  return {
    domainNumber: 24,
    sequenceId: 0xbeef,
    sourcePortIdentity: { clockIdentity: '0a1b2c.fffe.3d4e5f', portNumber: 0x0102 },
    correctionField: (123_456n << 16n) | 0x8000n,
    minorVersionPTP: 1,
    ...over,
  }
}

const requesting = { clockIdentity: 'a0b1c2.d3e4.f50617', portNumber: 0x0a0b }
const target = { clockIdentity: '112233.4455.667788', portNumber: 0x0201 }

function management(label: string, action: 'GET' | 'SET' | 'RESPONSE' | 'COMMAND' | 'ACKNOWLEDGE', id: keyof typeof ManagementId, dataField?: ManagementDataField | null): CatalogueEntry {
  return {
    label,
    message: buildManagement({
      header: header({ controlField: 4, logMessageInterval: 0x7f, correctionField: 0n }),
      actionField: action,
      managementId: id,
      dataField,
      targetPortIdentity: target,
      startingBoundaryHops: 3,
      boundaryHops: 2,
    }),
  }
}

const oneOctet = (name: any, value: number): ManagementDataField => ({ name, value, reserved: 0 })

export function catalogue(): CatalogueEntry[] {
  const e: CatalogueEntry[] = []
  const add = (label: string, message: PtpMessage) => e.push({ label, message })

  // ---- event messages ----
  add('Sync two-step', buildSync({ header: header({ flagField: 0x0200 | 0x0400 | 0x0100, logMessageInterval: -3, controlField: 0 }) }))
  add(
    'Sync one-step, negative fractional correction',
    buildSync({
      header: header({ correctionField: -((5n << 16n) | 0x4000n), logMessageInterval: 0x7f, minorSdoId: 0x5a }),
      originTimestamp: ts(0x123456789abcn, 999_999_999),
    }),
  )
  add('Sync 802.1AS (majorSdoId 1)', buildSync({ header: header({ majorSdoId: 1, flagField: 0x0200, logMessageInterval: -3, domainNumber: 0 }) }))
  add('Delay_Req', buildDelayReq({ header: header({ controlField: 1, logMessageInterval: 0x7f }), originTimestamp: ts(1_700_000_000n, 1) }))
  add('Pdelay_Req', buildPdelayReq({ header: header({ logMessageInterval: 0 }), originTimestamp: ts(0xabcdn, 0x3b9ac9fe) }))
  add(
    'Pdelay_Resp',
    buildPdelayResp({ header: header({ flagField: 0x0200 }), requestReceiptTimestamp: ts(0xfedcba987654n, 42), requestingPortIdentity: requesting }),
  )

  // ---- general messages ----
  add('Follow_Up', buildFollowUp({ header: header({ controlField: 2, logMessageInterval: -4 }), preciseOriginTimestamp: ts(0x0000ffffffffn, 500_000_000) }))
  add(
    'Follow_Up 802.1AS with Follow_Up information TLV',
    buildFollowUp({
      header: header({ majorSdoId: 1, domainNumber: 0, logMessageInterval: -3 }),
      preciseOriginTimestamp: ts(1_700_000_123n, 123_456_789),
      tlvs: [
        buildFollowUpInfoTlv({
          cumulativeScaledRateOffset: -123_456_789,
          gmTimeBaseIndicator: 0x1234,
          lastGmPhaseChange: -((0x1_2345_6789n << 16n) | 0xabcdn),
          scaledLastGmFreqChange: -98_765,
        }),
      ],
    }),
  )
  add(
    'Delay_Resp',
    buildDelayResp({ header: header({ controlField: 3, logMessageInterval: -3 }), receiveTimestamp: ts(1_700_000_000n, 999_000_001), requestingPortIdentity: requesting }),
  )
  add(
    'Pdelay_Resp_Follow_Up',
    buildPdelayRespFollowUp({ header: header({ logMessageInterval: 0x7f }), responseOriginTimestamp: ts(77n, 7), requestingPortIdentity: requesting }),
  )

  const announce = (label: string, tlvs: PtpMessage['tlvs'], over: Partial<Header> = {}) =>
    add(
      label,
      buildAnnounce({
        header: header({ flagField: 0x007f & ~0x0040, logMessageInterval: -2, ...over }),
        originTimestamp: ts(1_699_999_999n, 123),
        currentUtcOffset: -37,
        grandmasterPriority1: 127,
        grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d },
        grandmasterPriority2: 129,
        grandmasterIdentity: '0c0d0e.0f10.111213',
        stepsRemoved: 0x1234,
        timeSource: 0x20,
        tlvs,
      }),
    )
  announce('Announce, every flag of octet 1', [], { flagField: 0x003f | 0x0040 })
  announce('Announce + PATH_TRACE', [buildPathTraceTlv(['0a1b2c.fffe.3d4e5f', '010203.0405.060708', 'f0e1d2.c3b4.a59687'])])
  announce('Announce + ALTERNATE_TIME_OFFSET_INDICATOR (odd displayName)', [
    buildAlternateTimeOffsetIndicatorTlv({ keyField: 7, currentOffset: -3600, jumpSeconds: 3600, timeOfNextJump: 0x0102_0304_0506n, displayName: 'CET' }),
  ])
  announce('Announce + ALTERNATE_TIME_OFFSET_INDICATOR (even displayName)', [
    buildAlternateTimeOffsetIndicatorTlv({ keyField: 1, currentOffset: 7200, jumpSeconds: -3600, timeOfNextJump: 0xfedc_ba98_7654n, displayName: 'CEST' }),
  ])
  for (const lengthConvention of [18, 12] as const) {
    announce(`Announce + C37.238-2011 TLV, lengthField ${lengthConvention}`, [
      buildC37238Tlv2011({ grandmasterID: 0x00fe, grandmasterTimeInaccuracy: 200, networkTimeInaccuracy: 0xffffffff, lengthConvention }),
    ])
    announce(`Announce + C37.238-2017 TLV, lengthField ${lengthConvention}`, [
      buildC37238Tlv2017({ grandmasterID: 0x0103, totalTimeInaccuracy: 1_234_567, lengthConvention }),
    ])
  }
  announce('Announce + generic ORGANIZATION_EXTENSION', [
    buildOrganizationExtensionTlv({ organizationId: 0x00a0b1, organizationSubType: 0x010203, dataField: Uint8Array.of(1, 2, 3, 4, 5, 6) }),
  ])
  announce('Announce + PAD', [buildPadTlv(6)])
  announce('Announce + unknown TLV', [buildUnknownTlv(0x7ff0, Uint8Array.of(0xde, 0xad, 0xbe, 0xef))])
  announce('Announce + PATH_TRACE + C37.238-2017 + PAD', [
    buildPathTraceTlv(['0a1b2c.fffe.3d4e5f']),
    buildC37238Tlv2017({ grandmasterID: 9, totalTimeInaccuracy: 50 }),
    buildPadTlv(2),
  ])

  const signaling = (label: string, tlvs: PtpMessage['tlvs'], over: Partial<Header> = {}) =>
    add(label, buildSignaling({ header: header({ logMessageInterval: 0x7f, flagField: 0x0400, ...over }), targetPortIdentity: target, tlvs }))
  signaling('Signaling + REQUEST_UNICAST_TRANSMISSION', [buildRequestUnicastTransmissionTlv({ messageType: 0xb, logInterMessagePeriod: -3, durationField: 300 })])
  signaling('Signaling + GRANT_UNICAST_TRANSMISSION', [
    buildGrantUnicastTransmissionTlv({ messageType: 0x9, logInterMessagePeriod: -7, durationField: 0x01020304, renewalInvited: true }),
  ])
  signaling('Signaling + CANCEL_UNICAST_TRANSMISSION', [buildCancelUnicastTransmissionTlv({ messageType: 0x0 })])
  signaling('Signaling + ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION', [buildAcknowledgeCancelUnicastTransmissionTlv({ messageType: 0xb })])
  signaling(
    'Signaling + all four unicast negotiation TLVs',
    [
      buildRequestUnicastTransmissionTlv({ messageType: 0x0, logInterMessagePeriod: -4, durationField: 60 }),
      buildGrantUnicastTransmissionTlv({ messageType: 0xb, logInterMessagePeriod: 1, durationField: 0 }),
      buildCancelUnicastTransmissionTlv({ messageType: 0x9 }),
      buildAcknowledgeCancelUnicastTransmissionTlv({ messageType: 0x0 }),
    ],
  )
  signaling(
    'Signaling 802.1AS + message interval request TLV',
    [buildMessageIntervalRequestTlv({ linkDelayInterval: -3, timeSyncInterval: 126, announceInterval: 127, flags: 0x06 })],
    { majorSdoId: 1, domainNumber: 0, flagField: 0 },
  )
  signaling('Signaling 802.1AS-2020 + gPTP-capable TLV', [buildGptpCapableTlv({ logGptpCapableMessageInterval: 3, flags: 0 })], {
    majorSdoId: 1,
    domainNumber: 0,
    flagField: 0,
  })
  signaling(
    'Signaling 802.1AS-2020 + gPTP-capable message interval TLV',
    [buildGptpCapableTlv({ logGptpCapableMessageInterval: -2, messageInterval: true })],
    { majorSdoId: 1, domainNumber: 0, flagField: 0 },
  )
  signaling('Signaling + ITU-T interface rate TLV', [
    buildInterfaceRateTlv({ interfaceBitPeriod: 1_000_000_000n, numberOfBitsBeforeTimestamp: 0x0102, numberOfBitsAfterTimestamp: 0x0304 }),
  ])
  signaling('Signaling + PAD + unknown TLV', [buildPadTlv(4), buildUnknownTlv(0x2003, Uint8Array.of(9, 8, 7, 6, 5, 4))])
  signaling('Signaling + generic ORGANIZATION_EXTENSION (0x4000)', [
    buildOrganizationExtensionTlv({ tlvType: TlvType.ORGANIZATION_EXTENSION_PROPAGATE, organizationId: 0x001b19, organizationSubType: 0xabcdef, dataField: Uint8Array.of(0, 1) }),
  ])

  // ---- Management: each typed managementId, as pmc's GET and as a RESPONSE ----
  const cq = { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }
  e.push(management('Management GET NULL_MANAGEMENT', 'GET', 'NULL_MANAGEMENT'))
  e.push(management('Management COMMAND ENABLE_PORT', 'COMMAND', 'ENABLE_PORT', null))
  e.push(management('Management GET DEFAULT_DATA_SET (zero-filled, as pmc)', 'GET', 'DEFAULT_DATA_SET'))
  e.push(management('Management GET TIME_STATUS_NP (zero-filled, as pmc)', 'GET', 'TIME_STATUS_NP'))
  const responses: [keyof typeof ManagementId, ManagementDataField][] = [
    // Two DEFAULT_DATA_SETs: twoStepFlag alone, then slaveOnly alone, so the two bits cannot be confused.
    [
      'DEFAULT_DATA_SET',
      { name: 'DEFAULT_DATA_SET', flags: 0x01, reserved1: 0, numberPorts: 1, priority1: 128, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, priority2: 128, clockIdentity: '020000.fffe.000001', domainNumber: 0, reserved2: 0 },
    ],
    [
      'DEFAULT_DATA_SET',
      { name: 'DEFAULT_DATA_SET', flags: 0x02, reserved1: 0, numberPorts: 0x0102, priority1: 127, clockQuality: { clockClass: 7, clockAccuracy: 0x22, offsetScaledLogVariance: 0x4321 }, priority2: 250, clockIdentity: '0a1b2c.fffe.3d4e5f', domainNumber: 44, reserved2: 0 },
    ],
    ['CURRENT_DATA_SET', { name: 'CURRENT_DATA_SET', stepsRemoved: 0x0203, offsetFromMaster: -((1_234n << 16n) | 0x1234n), meanPathDelay: (5_678n << 16n) | 0xc000n }],
    [
      'PARENT_DATA_SET',
      {
        name: 'PARENT_DATA_SET',
        parentPortIdentity: { clockIdentity: '0c0d0e.0f10.111213', portNumber: 3 },
        parentStats: 1,
        reserved: 0,
        observedParentOffsetScaledLogVariance: 0xfedc,
        observedParentClockPhaseChangeRate: -0x12345678,
        grandmasterPriority1: 1,
        grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x20, offsetScaledLogVariance: 0x4e5d },
        grandmasterPriority2: 2,
        grandmasterIdentity: 'fedcba.9876.543210',
      },
    ],
    ['TIME_PROPERTIES_DATA_SET', { name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: -37, flags: 0x3d, timeSource: 0x40 }],
    [
      'PORT_DATA_SET',
      {
        name: 'PORT_DATA_SET',
        portIdentity: { clockIdentity: '0a1b2c.fffe.3d4e5f', portNumber: 0x0102 },
        portState: 9,
        logMinDelayReqInterval: -4,
        peerMeanPathDelay: (1_500n << 16n) | 0x0001n,
        logAnnounceInterval: -2,
        announceReceiptTimeout: 3,
        logSyncInterval: -3,
        delayMechanism: 2,
        logMinPdelayReqInterval: -5,
        versionNumber: 2,
      },
    ],
    ['PRIORITY1', oneOctet('PRIORITY1', 200)],
    ['PRIORITY2', oneOctet('PRIORITY2', 201)],
    ['DOMAIN', oneOctet('DOMAIN', 24)],
    ['SLAVE_ONLY', oneOctet('SLAVE_ONLY', 1)],
    ['LOG_ANNOUNCE_INTERVAL', oneOctet('LOG_ANNOUNCE_INTERVAL', -2)],
    ['ANNOUNCE_RECEIPT_TIMEOUT', oneOctet('ANNOUNCE_RECEIPT_TIMEOUT', 3)],
    ['LOG_SYNC_INTERVAL', oneOctet('LOG_SYNC_INTERVAL', -7)],
    ['VERSION_NUMBER', oneOctet('VERSION_NUMBER', 2)],
    ['DELAY_MECHANISM', oneOctet('DELAY_MECHANISM', 2)],
    ['LOG_MIN_PDELAY_REQ_INTERVAL', oneOctet('LOG_MIN_PDELAY_REQ_INTERVAL', -3)],
    [
      'TIME_STATUS_NP',
      {
        name: 'TIME_STATUS_NP',
        master_offset: -1234n,
        ingress_time: 1_700_000_000_123_456_789n,
        cumulativeScaledRateOffset: -5,
        scaledLastGmPhaseChange: 6,
        gmTimeBaseIndicator: 7,
        lastGmPhaseChange: -8n,
        gmPresent: 1,
        gmIdentity: '0c0d0e.0f10.111213',
      },
    ],
    ['GRANDMASTER_SETTINGS_NP', { name: 'GRANDMASTER_SETTINGS_NP', clockQuality: cq, utc_offset: 37, time_flags: 0x3c, time_source: 0xa0 }],
    ['PORT_DATA_SET_NP', { name: 'PORT_DATA_SET_NP', neighborPropDelayThresh: 20_000_000, asCapable: 1 }],
    ['SYNCHRONIZATION_UNCERTAIN_NP', oneOctet('SYNCHRONIZATION_UNCERTAIN_NP', 0xff)],
  ]
  for (const [id, data] of responses) e.push(management(`Management RESPONSE ${id}`, 'RESPONSE', id, data))
  e.push(management('Management SET PRIORITY1', 'SET', 'PRIORITY1', oneOctet('PRIORITY1', 100)))
  e.push({
    label: 'Management RESPONSE MANAGEMENT_ERROR_STATUS with displayData',
    message: buildManagement({
      header: header({ controlField: 4, logMessageInterval: 0x7f }),
      actionField: 'RESPONSE',
      managementId: 'PRIORITY1',
      error: { managementErrorId: ManagementErrorId.NOT_SUPPORTED, displayData: 'SET from the network refused' },
      targetPortIdentity: target,
    }),
  })
  e.push({
    label: 'Management RESPONSE MANAGEMENT_ERROR_STATUS without displayData',
    message: buildManagement({
      header: header({ controlField: 4, logMessageInterval: 0x7f }),
      actionField: 'RESPONSE',
      managementId: 'CLOCK_DESCRIPTION',
      error: { managementErrorId: ManagementErrorId.NO_SUCH_ID },
      targetPortIdentity: target,
    }),
  })
  return e
}
