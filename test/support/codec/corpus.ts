/**
 * Valid PTP messages of every type, with every TLV the codec types and an unknown one, built
 * with the codec's builders. Each must decode without findings and re-encode byte-identically.
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
  encodeMessage,
  FLAG_PTP_TIMESCALE,
  FLAG_TWO_STEP,
  FLAG_UNICAST,
  MessageType,
  type ManagementDataField,
  type PtpMessage,
} from '../../../harness/codec/index.ts'

const gm = '001b19.fffe.000001'
const slave = '001b19.fffe.000002'
const header = (sequenceId: number, extra: object = {}) => ({
  sourcePortIdentity: { clockIdentity: gm, portNumber: 1 },
  sequenceId,
  ...extra,
})
const ts = { secondsField: 1_700_000_000n, nanosecondsField: 123_456_789 }

const dataFields: ManagementDataField[] = [
  { name: 'DEFAULT_DATA_SET', flags: 1, reserved1: 0, numberPorts: 1, priority1: 128, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, priority2: 128, clockIdentity: gm, domainNumber: 0, reserved2: 0 },
  { name: 'CURRENT_DATA_SET', stepsRemoved: 1, offsetFromMaster: -(1234n << 16n), meanPathDelay: 1500n << 16n },
  { name: 'PARENT_DATA_SET', parentPortIdentity: { clockIdentity: gm, portNumber: 1 }, parentStats: 0, reserved: 0, observedParentOffsetScaledLogVariance: 0xffff, observedParentClockPhaseChangeRate: 0x7fffffff, grandmasterPriority1: 128, grandmasterClockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, grandmasterPriority2: 128, grandmasterIdentity: gm },
  { name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: 37, flags: 0x08, timeSource: 0xa0 },
  { name: 'PORT_DATA_SET', portIdentity: { clockIdentity: gm, portNumber: 1 }, portState: 6, logMinDelayReqInterval: 0, peerMeanPathDelay: 0n, logAnnounceInterval: 1, announceReceiptTimeout: 3, logSyncInterval: 0, delayMechanism: 1, logMinPdelayReqInterval: 0, versionNumber: 2 },
  { name: 'PRIORITY1', value: 128, reserved: 0 },
  { name: 'LOG_SYNC_INTERVAL', value: -3, reserved: 0 },
  { name: 'SYNCHRONIZATION_UNCERTAIN_NP', value: 0xff, reserved: 0 },
  { name: 'TIME_STATUS_NP', master_offset: -42n, ingress_time: 1_700_000_000_123_456_789n, cumulativeScaledRateOffset: -5, scaledLastGmPhaseChange: 0, gmTimeBaseIndicator: 0, lastGmPhaseChange: -(1n << 70n), gmPresent: 1, gmIdentity: gm },
  { name: 'GRANDMASTER_SETTINGS_NP', clockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }, utc_offset: 37, time_flags: 0x3c, time_source: 0x20 },
  { name: 'PORT_DATA_SET_NP', neighborPropDelayThresh: 20_000_000, asCapable: 1 },
]
const idOf: Record<string, number> = {
  DEFAULT_DATA_SET: 0x2000, CURRENT_DATA_SET: 0x2001, PARENT_DATA_SET: 0x2002, TIME_PROPERTIES_DATA_SET: 0x2003,
  PORT_DATA_SET: 0x2004, PRIORITY1: 0x2005, LOG_SYNC_INTERVAL: 0x200b, SYNCHRONIZATION_UNCERTAIN_NP: 0xc006,
  TIME_STATUS_NP: 0xc000, GRANDMASTER_SETTINGS_NP: 0xc001, PORT_DATA_SET_NP: 0xc002,
}

export function corpusMessages(): Array<{ name: string; message: PtpMessage }> {
  const out: Array<{ name: string; message: PtpMessage }> = [
    { name: 'Sync two-step', message: buildSync({ header: header(1, { flagField: FLAG_TWO_STEP, correctionField: 0n }) }) },
    { name: 'Sync one-step with correction', message: buildSync({ header: header(2, { correctionField: -(5n << 16n) - 1n }), originTimestamp: ts }) },
    { name: 'Sync unicast 1588-2019', message: buildSync({ header: header(3, { flagField: FLAG_UNICAST | FLAG_TWO_STEP, minorVersionPTP: 1, controlField: 0, logMessageInterval: 0x7f }) }) },
    { name: 'Delay_Req', message: buildDelayReq({ header: header(4, { sourcePortIdentity: { clockIdentity: slave, portNumber: 1 } }), originTimestamp: ts }) },
    { name: 'Follow_Up', message: buildFollowUp({ header: header(1), preciseOriginTimestamp: ts }) },
    { name: 'Follow_Up 802.1AS', message: buildFollowUp({ header: header(1, { majorSdoId: 1 }), preciseOriginTimestamp: ts, tlvs: [buildFollowUpInfoTlv({ cumulativeScaledRateOffset: -1234, gmTimeBaseIndicator: 3, lastGmPhaseChange: -(123n << 16n), scaledLastGmFreqChange: 77 })] }) },
    { name: 'Delay_Resp', message: buildDelayResp({ header: header(4, { logMessageInterval: -3 }), receiveTimestamp: ts, requestingPortIdentity: { clockIdentity: slave, portNumber: 1 } }) },
    { name: 'Pdelay_Req', message: buildPdelayReq({ header: header(9), originTimestamp: ts }) },
    { name: 'Pdelay_Resp', message: buildPdelayResp({ header: header(9, { flagField: FLAG_TWO_STEP }), requestReceiptTimestamp: ts, requestingPortIdentity: { clockIdentity: slave, portNumber: 1 } }) },
    { name: 'Pdelay_Resp_Follow_Up', message: buildPdelayRespFollowUp({ header: header(9), responseOriginTimestamp: ts, requestingPortIdentity: { clockIdentity: slave, portNumber: 1 } }) },
    { name: 'Announce', message: buildAnnounce({ header: header(5, { flagField: FLAG_PTP_TIMESCALE }), originTimestamp: ts }) },
    { name: 'Announce 802.1AS PATH_TRACE', message: buildAnnounce({ header: header(5, { majorSdoId: 1 }), stepsRemoved: 1, tlvs: [buildPathTraceTlv([gm, slave])] }) },
    { name: 'Announce C37.238-2011 (18) + ATOI', message: buildAnnounce({ header: header(6), tlvs: [buildC37238Tlv2011({ grandmasterID: 0x00ff, grandmasterTimeInaccuracy: 50, networkTimeInaccuracy: 200 }), buildAlternateTimeOffsetIndicatorTlv({ keyField: 1, currentOffset: -18000, jumpSeconds: 3600, timeOfNextJump: 1_710_000_000n, displayName: 'EST' })] }) },
    { name: 'Announce C37.238-2011 (12)', message: buildAnnounce({ header: header(6), tlvs: [buildC37238Tlv2011({ grandmasterID: 7, grandmasterTimeInaccuracy: 0xffffffff, networkTimeInaccuracy: 0, lengthConvention: 12 })] }) },
    { name: 'Announce C37.238-2017 (18)', message: buildAnnounce({ header: header(6), tlvs: [buildC37238Tlv2017({ grandmasterID: 3, totalTimeInaccuracy: 250 })] }) },
    { name: 'Announce C37.238-2017 (12) + ATOI empty name', message: buildAnnounce({ header: header(6), tlvs: [buildC37238Tlv2017({ grandmasterID: 3, totalTimeInaccuracy: 250, lengthConvention: 12 }), buildAlternateTimeOffsetIndicatorTlv({ keyField: 0, currentOffset: 0, jumpSeconds: 0, timeOfNextJump: 0n })] }) },
    { name: 'Signaling 802.1AS message interval request', message: buildSignaling({ header: header(10, { majorSdoId: 1 }), tlvs: [buildMessageIntervalRequestTlv({ linkDelayInterval: 0, timeSyncInterval: -3, announceInterval: 127, flags: 0x06 })] }) },
    { name: 'Signaling gPTP-capable', message: buildSignaling({ header: header(11, { majorSdoId: 1 }), tlvs: [buildGptpCapableTlv({ logGptpCapableMessageInterval: 3 })] }) },
    { name: 'Signaling gPTP-capable interval', message: buildSignaling({ header: header(11, { majorSdoId: 1 }), tlvs: [buildGptpCapableTlv({ logGptpCapableMessageInterval: 3, messageInterval: true })] }) },
    { name: 'Signaling unicast request x3', message: buildSignaling({ header: header(12, { flagField: FLAG_UNICAST }), targetPortIdentity: { clockIdentity: gm, portNumber: 1 }, tlvs: [
      buildRequestUnicastTransmissionTlv({ messageType: MessageType.Announce, logInterMessagePeriod: 1, durationField: 300 }),
      buildRequestUnicastTransmissionTlv({ messageType: MessageType.Sync, logInterMessagePeriod: -4, durationField: 300 }),
      buildRequestUnicastTransmissionTlv({ messageType: MessageType.Delay_Resp, logInterMessagePeriod: -4, durationField: 300 }),
    ] }) },
    { name: 'Signaling grant + interface rate', message: buildSignaling({ header: header(13, { flagField: FLAG_UNICAST }), tlvs: [buildGrantUnicastTransmissionTlv({ messageType: MessageType.Sync, logInterMessagePeriod: -4, durationField: 300, renewalInvited: true }), buildInterfaceRateTlv({ interfaceBitPeriod: 1_000_000_000n, numberOfBitsBeforeTimestamp: 64, numberOfBitsAfterTimestamp: 720 })] }) },
    { name: 'Signaling cancel + ack', message: buildSignaling({ header: header(14, { flagField: FLAG_UNICAST }), tlvs: [buildCancelUnicastTransmissionTlv({ messageType: MessageType.Announce, flags: 1 }), buildAcknowledgeCancelUnicastTransmissionTlv({ messageType: MessageType.Announce })] }) },
    { name: 'Signaling generic org + unknown + PAD', message: buildSignaling({ header: header(15), tlvs: [buildOrganizationExtensionTlv({ organizationId: 0x6897e8, organizationSubType: 1, dataField: Uint8Array.of(1, 2, 3, 4) }), buildUnknownTlv(0x7ff0, Uint8Array.of(9, 8, 7, 6, 5, 4)), buildPadTlv(10)] }) },
    { name: 'Management GET NULL_MANAGEMENT', message: buildManagement({ header: header(20), actionField: 'GET', managementId: 'NULL_MANAGEMENT' }) },
    { name: 'Management GET CURRENT_DATA_SET zero-filled', message: buildManagement({ header: header(21), actionField: 'GET', managementId: 'CURRENT_DATA_SET' }) },
    { name: 'Management GET DEFAULT_DATA_SET -z', message: buildManagement({ header: header(22), actionField: 'GET', managementId: 'DEFAULT_DATA_SET', zeroLengthGet: true }) },
    { name: 'Management GET unknown id', message: buildManagement({ header: header(23), actionField: 'GET', managementId: 0x2015 }) },
    { name: 'Management COMMAND ENABLE_PORT', message: buildManagement({ header: header(24), actionField: 'COMMAND', managementId: 'ENABLE_PORT' }) },
    { name: 'Management RESPONSE error NOT_SUPPORTED', message: buildManagement({ header: header(25), actionField: 'RESPONSE', managementId: 'PRIORITY1', error: { managementErrorId: 6 } }) },
    { name: 'Management RESPONSE error with displayData', message: buildManagement({ header: header(26), actionField: 'RESPONSE', managementId: 'PRIORITY1', error: { managementErrorId: 5, displayData: 'not settable' } }) },
  ]
  for (const d of dataFields) {
    out.push({
      name: `Management RESPONSE ${d.name}`,
      message: buildManagement({ header: header(30), actionField: 'RESPONSE', managementId: idOf[d.name]!, dataField: d, targetPortIdentity: { clockIdentity: slave, portNumber: 1 } }),
    })
  }
  return out
}

/** The corpus as encoded octets. */
export function corpusFrames(): Array<{ name: string; bytes: Uint8Array }> {
  return corpusMessages().map(({ name, message }) => ({ name, bytes: encodeMessage(message) }))
}
