/**
 * Which tshark field (Wireshark 4.0 `ptp.*` filter names) is which field of
 * the codec's model (IEEE 1588 names). The oracle looks up every PTP field
 * tshark prints; the position tshark gives it decides which of our TLVs it
 * belongs to. A name missing from both FIELD_MAP and NOT_MAPPED fails the
 * oracle test, so a field tshark decodes can never be skipped silently.
 */
import type { FrameDecode, PtpMessage, PtpTimestamp, Tlv } from '../../../harness/codec/index.ts'
import {
  bit,
  bytes,
  clockIdentity,
  int,
  NOT_COMPARED,
  scaledNsFraction,
  scaledNsWhole,
  text,
  type Mapped,
} from './values.ts'

export interface FieldContext {
  message: PtpMessage
  /** encodeMessage(message): our re-encoding of the decoded message. */
  encoded: Uint8Array
  /** Offset of the field from the start of the PTP message. */
  offset: number
  size: number
  /** Our TLV whose octets contain the field, if any. */
  tlv: Tlv | undefined
  /** Offset of the field from the start of that TLV (its tlvType octet). */
  inTlv: number
}

type Mapper = (c: FieldContext) => Mapped

/** Any property of the message body, for the per-message-type fields. */
function body(c: FieldContext, key: string): any {
  return (c.message as any)[key]
}

function seconds(ts: PtpTimestamp | undefined): Mapped {
  return ts ? int(ts.secondsField) : undefined
}

/** tshark declares most nanoseconds fields FT_INT32: values >= 2^31 (invalid anyway) show negative. */
function nanosSigned(ts: PtpTimestamp | undefined): Mapped {
  return ts ? int(BigInt.asIntN(32, BigInt(ts.nanosecondsField))) : undefined
}

function nanosUnsigned(ts: PtpTimestamp | undefined): Mapped {
  return ts ? int(ts.nanosecondsField) : undefined
}

/** Our re-encoded octets where tshark shows raw octets: checks extent and round trip together. */
function encodedOctets(c: FieldContext): Mapped {
  return bytes(c.encoded.subarray(c.offset, c.offset + c.size))
}

function tlvField(key: string): Mapper {
  return (c) => {
    const t = c.tlv as any
    return t && t[key] !== undefined ? int(t[key]) : undefined
  }
}

function orgField(org: string | string[], key: string): Mapper {
  const orgs = Array.isArray(org) ? org : [org]
  return (c) => {
    const t = c.tlv as any
    if (!t || t.kind !== 'ORGANIZATION_EXTENSION' || !orgs.includes(t.org)) return undefined
    const v = t[key]
    if (v instanceof Uint8Array) return bytes(v)
    return typeof v === 'number' || typeof v === 'bigint' ? int(v) : undefined
  }
}

/** Management dataField typed by our decoder, when its name is one of `names`. */
function mgmt(c: FieldContext): any {
  const t = c.tlv
  return t && t.kind === 'MANAGEMENT' && t.dataField && t.dataField.name !== 'RAW' ? t.dataField : undefined
}

/** Offset of the field inside the management dataField. */
function inData(c: FieldContext): number {
  return c.inTlv - 6
}

function mgmtInt(pick: (d: any, at: number) => number | bigint | undefined): Mapper {
  return (c) => {
    const d = mgmt(c)
    if (!d) return undefined
    const v = pick(d, inData(c))
    return v === undefined ? undefined : int(v)
  }
}

function mgmtBit(pick: (d: any) => number | undefined, mask: number): Mapper {
  return (c) => {
    const d = mgmt(c)
    const v = d ? pick(d) : undefined
    return v === undefined ? undefined : bit(v, mask)
  }
}

const portIdentityOf = (key: string): Mapper => (c) => {
  const p = body(c, key)
  return p ? clockIdentity(p.clockIdentity) : undefined
}
const portNumberOf = (key: string): Mapper => (c) => {
  const p = body(c, key)
  return p ? int(p.portNumber) : undefined
}

const h = (c: FieldContext) => c.message.header

export const FIELD_MAP: Readonly<Record<string, Mapper>> = {
  // ---- common header (1588-2019 13.3) ----
  'ptp.v2.majorsdoid': (c) => int(h(c).majorSdoId),
  'ptp.v2.messagetype': (c) => int(h(c).messageType),
  'ptp.v2.minorversionptp': (c) => int(h(c).minorVersionPTP),
  'ptp.v2.versionptp': (c) => int(h(c).versionPTP),
  'ptp.v2.messagelength': (c) => int(h(c).messageLength),
  'ptp.v2.domainnumber': (c) => int(h(c).domainNumber),
  'ptp.v2.minorsdoid': (c) => int(h(c).minorSdoId),
  'ptp.v2.flags': (c) => int(h(c).flagField),
  'ptp.v2.flags.alternatemaster': (c) => bit(h(c).flagField, 0x0100),
  'ptp.v2.flags.twostep': (c) => bit(h(c).flagField, 0x0200),
  'ptp.v2.flags.unicast': (c) => bit(h(c).flagField, 0x0400),
  'ptp.v2.flags.specific1': (c) => bit(h(c).flagField, 0x2000),
  'ptp.v2.flags.specific2': (c) => bit(h(c).flagField, 0x4000),
  'ptp.v2.flags.security': (c) => bit(h(c).flagField, 0x8000),
  'ptp.v2.flags.li61': (c) => bit(h(c).flagField, 0x0001),
  'ptp.v2.flags.li59': (c) => bit(h(c).flagField, 0x0002),
  'ptp.v2.flags.utcreasonable': (c) => bit(h(c).flagField, 0x0004),
  'ptp.v2.flags.timescale': (c) => bit(h(c).flagField, 0x0008),
  'ptp.v2.flags.timetraceable': (c) => bit(h(c).flagField, 0x0010),
  'ptp.v2.flags.frequencytraceable': (c) => bit(h(c).flagField, 0x0020),
  'ptp.v2.flags.synchronizationUncertain': (c) => bit(h(c).flagField, 0x0040),
  'ptp.v2.correction.ns': (c) => scaledNsWhole(h(c).correctionField),
  'ptp.v2.correction.subns': (c) => scaledNsFraction(h(c).correctionField),
  'ptp.v2.messagetypespecific': (c) => int(h(c).messageTypeSpecific),
  'ptp.v2.clockidentity': (c) => clockIdentity(h(c).sourcePortIdentity.clockIdentity),
  'ptp.v2.sourceportid': (c) => int(h(c).sourcePortIdentity.portNumber),
  'ptp.v2.sequenceid': (c) => int(h(c).sequenceId),
  'ptp.v2.controlfield': (c) => int(h(c).controlField),
  'ptp.v2.logmessageperiod': (c) => int(h(c).logMessageInterval),

  // ---- Sync, Delay_Req (13.6, 13.7) ----
  'ptp.v2.sdr.origintimestamp.seconds': (c) => seconds(body(c, 'originTimestamp')),
  'ptp.v2.sdr.origintimestamp.nanoseconds': (c) => nanosSigned(body(c, 'originTimestamp')),
  // 802.1AS Sync (majorSdoId 1): the 10 octets are reserved; tshark shows them raw.
  'ptp.v2.sync.reserved': encodedOctets,

  // ---- Follow_Up (13.8) ----
  'ptp.v2.fu.preciseorigintimestamp.seconds': (c) => seconds(body(c, 'preciseOriginTimestamp')),
  'ptp.v2.fu.preciseorigintimestamp.nanoseconds': (c) => nanosUnsigned(body(c, 'preciseOriginTimestamp')),
  // The timestamp in ns, truncated to its low 32 bits (tshark shows it for its Sync/Follow_Up analysis).
  'ptp.v2.fu.preciseorigintimestamp.32bit': (c) => {
    const ts = body(c, 'preciseOriginTimestamp') as PtpTimestamp | undefined
    return ts ? int(BigInt.asUintN(32, ts.secondsField * 1_000_000_000n + BigInt(ts.nanosecondsField))) : undefined
  },

  // ---- Delay_Resp (13.9) ----
  'ptp.v2.dr.receivetimestamp.seconds': (c) => seconds(body(c, 'receiveTimestamp')),
  'ptp.v2.dr.receivetimestamp.nanoseconds': (c) => nanosSigned(body(c, 'receiveTimestamp')),
  'ptp.v2.dr.requestingsourceportidentity': portIdentityOf('requestingPortIdentity'),
  'ptp.v2.dr.requestingsourceportid': portNumberOf('requestingPortIdentity'),

  // ---- Pdelay_Req, Pdelay_Resp, Pdelay_Resp_Follow_Up (13.9-13.11) ----
  'ptp.v2.pdrq.origintimestamp.seconds': (c) => seconds(body(c, 'originTimestamp')),
  'ptp.v2.pdrq.origintimestamp.nanoseconds': (c) => nanosSigned(body(c, 'originTimestamp')),
  'ptp.v2.pdrs.requestreceipttimestamp.seconds': (c) => seconds(body(c, 'requestReceiptTimestamp')),
  'ptp.v2.pdrs.requestreceipttimestamp.nanoseconds': (c) => nanosSigned(body(c, 'requestReceiptTimestamp')),
  'ptp.v2.pdrs.requestingportidentity': portIdentityOf('requestingPortIdentity'),
  'ptp.v2.pdrs.requestingsourceportid': portNumberOf('requestingPortIdentity'),
  'ptp.v2.pdfu.responseorigintimestamp.seconds': (c) => seconds(body(c, 'responseOriginTimestamp')),
  'ptp.v2.pdfu.responseorigintimestamp.nanoseconds': (c) => nanosSigned(body(c, 'responseOriginTimestamp')),
  'ptp.v2.pdfu.requestingportidentity': portIdentityOf('requestingPortIdentity'),
  'ptp.v2.pdfu.requestingsourceportid': portNumberOf('requestingPortIdentity'),

  // ---- Announce (13.5) ----
  'ptp.v2.an.origintimestamp.seconds': (c) => seconds(body(c, 'originTimestamp')),
  'ptp.v2.an.origintimestamp.nanoseconds': (c) => nanosSigned(body(c, 'originTimestamp')),
  'ptp.v2.an.origincurrentutcoffset': (c) => int(body(c, 'currentUtcOffset')),
  'ptp.v2.an.priority1': (c) => int(body(c, 'grandmasterPriority1')),
  'ptp.v2.an.grandmasterclockclass': (c) => int(body(c, 'grandmasterClockQuality').clockClass),
  'ptp.v2.an.grandmasterclockaccuracy': (c) => int(body(c, 'grandmasterClockQuality').clockAccuracy),
  'ptp.v2.an.grandmasterclockvariance': (c) => int(body(c, 'grandmasterClockQuality').offsetScaledLogVariance),
  'ptp.v2.an.priority2': (c) => int(body(c, 'grandmasterPriority2')),
  'ptp.v2.an.grandmasterclockidentity': (c) => clockIdentity(body(c, 'grandmasterIdentity')),
  'ptp.v2.an.localstepsremoved': (c) => int(body(c, 'stepsRemoved')),
  'ptp.v2.timesource': (c) => int(body(c, 'timeSource')),

  // ---- TLVs in Announce ----
  'ptp.v2.an.tlvType': tlvField('tlvType'),
  'ptp.v2.an.lengthField': tlvField('lengthField'),
  'ptp.v2.an.oe.organizationId': tlvField('organizationId'),
  'ptp.v2.an.oe.organizationSubType': tlvField('organizationSubType'),
  'ptp.v2.an.oe.dataField': orgField('GENERIC', 'dataField'),
  'ptp.v2.an.oe.grandmasterID': orgField(['IEEE_C37_238_2011', 'IEEE_C37_238_2017'], 'grandmasterID'),
  'ptp.v2.an.oe.grandmasterTimeInaccuracy': orgField('IEEE_C37_238_2011', 'grandmasterTimeInaccuracy'),
  'ptp.v2.an.oe.networkTimeInaccuracy': orgField('IEEE_C37_238_2011', 'networkTimeInaccuracy'),
  'ptp.v2.an.oe.totalTimeInaccuracy': orgField('IEEE_C37_238_2017', 'totalTimeInaccuracy'),
  // The 2-octet reserved field at TLV octet 20 (2011: reserved; 2017: reserved2).
  'ptp.v2.an.oe.reserved': (c) => {
    const t = c.tlv as any
    if (t?.org === 'IEEE_C37_238_2011') return int(t.reserved)
    if (t?.org === 'IEEE_C37_238_2017') return c.inTlv === 20 ? int(t.reserved2) : c.inTlv === 12 ? int(t.reserved1) : undefined
    return undefined
  },
  'ptp.v2.an.atoi.keyField': tlvField('keyField'),
  'ptp.v2.an.atoi.currentOffset': tlvField('currentOffset'),
  'ptp.v2.an.atoi.jumpSeconds': tlvField('jumpSeconds'),
  // FT_BYTES in tshark: the 6 octets of the UInteger48.
  'ptp.v2.an.atoi.timeOfNextJump': (c) => {
    const t = c.tlv as any
    if (t?.kind !== 'ALTERNATE_TIME_OFFSET_INDICATOR') return undefined
    const b = new Uint8Array(6)
    for (let i = 0; i < 6; i++) b[i] = Number((t.timeOfNextJump >> BigInt(8 * (5 - i))) & 0xffn)
    return bytes(b)
  },
  'ptp.v2.an.atoi.displayName': (c) => {
    const t = c.tlv as any
    return t?.kind === 'ALTERNATE_TIME_OFFSET_INDICATOR' ? text(new TextDecoder().decode(t.displayName)) : undefined
  },
  'ptp.v2.an.atoi.displayName.length': (c) => {
    const t = c.tlv as any
    return t?.kind === 'ALTERNATE_TIME_OFFSET_INDICATOR' ? int(t.displayName.length) : undefined
  },
  'ptp.v2.an.pathsequence': (c) => {
    const t = c.tlv as any
    if (t?.kind !== 'PATH_TRACE') return undefined
    const id = t.pathSequence[(c.inTlv - 4) / 8]
    return id === undefined ? undefined : clockIdentity(id)
  },
  'ptp.v2.an.tlv.data': tlvValue,

  // ---- Signaling (13.12) and its TLVs ----
  'ptp.v2.sig.targetportidentity': portIdentityOf('targetPortIdentity'),
  'ptp.v2.sig.targetportid': portNumberOf('targetPortIdentity'),
  'ptp.v2.sig.tlv.tlvType': tlvField('tlvType'),
  'ptp.v2.sig.tlv.lengthField': tlvField('lengthField'),
  'ptp.v2.sig.tlv.data': tlvValue,
  'ptp.v2.sig.tlv.messageType': tlvField('messageType'),
  'ptp.v2.sig.tlv.logInterMessagePeriod': tlvField('logInterMessagePeriod'),
  // Derived by tshark from logInterMessagePeriod (2^n s, 1/2^n per s).
  'ptp.v2.sig.tlv.logInterMessagePeriod.period': () => NOT_COMPARED,
  'ptp.v2.sig.tlv.logInterMessagePeriod.rate': () => NOT_COMPARED,
  'ptp.v2.sig.tlv.durationField': tlvField('durationField'),
  'ptp.v2.sig.tlv.renewalInvited': (c) => {
    const t = c.tlv as any
    return t?.kind === 'GRANT_UNICAST_TRANSMISSION' ? bit(t.flags, 0x01) : undefined
  },
  'ptp.v2.sig.oe.organizationSubType': tlvField('organizationSubType'),
  'ptp.as.sig.tlvType': tlvField('tlvType'),
  'ptp.as.sig.lengthField': tlvField('lengthField'),
  'ptp.as.sig.tlv.organizationId': tlvField('organizationId'),
  'ptp.as.sig.tlv.organizationSubType': tlvField('organizationSubType'),
  'ptp.as.sig.tlv.linkdelayinterval': orgField('IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST', 'linkDelayInterval'),
  'ptp.as.sig.tlv.timesyncinterval': orgField('IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST', 'timeSyncInterval'),
  'ptp.as.sig.tlv.announceinterval': orgField('IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST', 'announceInterval'),
  'ptp.as.sig.tlv.flags': orgField(
    ['IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST', 'IEEE_802_1AS_GPTP_CAPABLE', 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL'],
    'flags',
  ),
  'ptp.as.sig.tlv.flags.rateratio': asFlag(0x02),
  'ptp.as.sig.tlv.flags.meanlinkdelay': asFlag(0x04),
  'ptp.as.sig.tlv.flags.stepreceivecapable': asFlag(0x08),
  'ptp.as.sig.tlv.gptpcapablemessageinterval': orgField(
    ['IEEE_802_1AS_GPTP_CAPABLE', 'IEEE_802_1AS_GPTP_CAPABLE_MESSAGE_INTERVAL'],
    'logGptpCapableMessageInterval',
  ),
  'ptp.as.sig.tlv.interfaceBitPeriod': orgField('ITU_T_INTERFACE_RATE', 'interfaceBitPeriod'),
  'ptp.as.sig.tlv.numberBitsBeforeTimestamp': orgField('ITU_T_INTERFACE_RATE', 'numberOfBitsBeforeTimestamp'),
  'ptp.as.sig.tlv.numberBitsAfterTimestamp': orgField('ITU_T_INTERFACE_RATE', 'numberOfBitsAfterTimestamp'),

  // ---- 802.1AS Follow_Up information TLV ----
  'ptp.as.fu.tlvType': tlvField('tlvType'),
  'ptp.as.fu.lengthField': tlvField('lengthField'),
  'ptp.as.fu.organizationId': tlvField('organizationId'),
  'ptp.as.fu.organizationSubType': tlvField('organizationSubType'),
  // tshark declares it FT_UINT32; the standard's Integer32 is compared as its 32 bits.
  'ptp.as.fu.cumulativeScaledRateOffset': (c) => {
    const t = c.tlv as any
    return t?.org === 'IEEE_802_1AS_FOLLOW_UP_INFO' ? int(BigInt.asUintN(32, BigInt(t.cumulativeScaledRateOffset))) : undefined
  },
  'ptp.as.fu.gmTimeBaseIndicator': orgField('IEEE_802_1AS_FOLLOW_UP_INFO', 'gmTimeBaseIndicator'),
  'ptp.as.fu.lastGmPhaseChange': (c) => {
    const t = c.tlv as any
    if (t?.org !== 'IEEE_802_1AS_FOLLOW_UP_INFO') return undefined
    const u = BigInt.asUintN(96, t.lastGmPhaseChange)
    const b = new Uint8Array(12)
    for (let i = 0; i < 12; i++) b[i] = Number((u >> BigInt(8 * (11 - i))) & 0xffn)
    return bytes(b)
  },
  'ptp.as.fu.scaledLastGmFreqChange': orgField('IEEE_802_1AS_FOLLOW_UP_INFO', 'scaledLastGmFreqChange'),

  // ---- Management (13.13, 15) ----
  'ptp.v2.mm.targetportidentity': portIdentityOf('targetPortIdentity'),
  'ptp.v2.mm.targetportid': portNumberOf('targetPortIdentity'),
  'ptp.v2.mm.startingboundaryhops': (c) => int(body(c, 'startingBoundaryHops')),
  'ptp.v2.mm.boundaryhops': (c) => int(body(c, 'boundaryHops')),
  'ptp.v2.mm.action': (c) => int(body(c, 'actionField')),
  'ptp.v2.mm.tlvType': tlvField('tlvType'),
  'ptp.v2.mm.lengthField': tlvField('lengthField'),
  'ptp.v2.mm.managementId': tlvField('managementId'),
  'ptp.v2.mm.managementErrorId': tlvField('managementErrorId'),
  'ptp.v2.mm.displayData': (c) => {
    const t = c.tlv as any
    return t?.kind === 'MANAGEMENT_ERROR_STATUS' && t.displayData ? text(new TextDecoder().decode(t.displayData)) : undefined
  },
  'ptp.v2.mm.displayData.length': (c) => {
    const t = c.tlv as any
    return t?.kind === 'MANAGEMENT_ERROR_STATUS' && t.displayData ? int(t.displayData.length) : undefined
  },
  // Raw dataField of a managementId tshark does not type (linuxptp's *_NP ids), and pads.
  'ptp.v2.mm.data': encodedOctets,
  'ptp.v2.mm.pad': encodedOctets,
  'ptp.v2.mm.reserved': encodedOctets,
  // DEFAULT_DATA_SET
  'ptp.v2.mm.twoStep': mgmtBit((d) => (d.name === 'DEFAULT_DATA_SET' ? d.flags : undefined), 0x01),
  // DEFAULT_DATA_SET flags: bit 0 twoStepFlag, bit 1 slaveOnly; SLAVE_ONLY: bit 0.
  'ptp.v2.mm.SlavOnly': (c) => {
    const d = mgmt(c)
    if (d?.name === 'DEFAULT_DATA_SET') return bit(d.flags, 0x02)
    if (d?.name === 'SLAVE_ONLY') return bit(d.value, 0x01)
    return undefined
  },
  'ptp.v2.mm.numberPorts': mgmtInt((d) => (d.name === 'DEFAULT_DATA_SET' ? d.numberPorts : undefined)),
  'ptp.v2.mm.priority1': mgmtInt((d) => (d.name === 'DEFAULT_DATA_SET' ? d.priority1 : d.name === 'PRIORITY1' ? d.value : undefined)),
  'ptp.v2.mm.priority2': mgmtInt((d) => (d.name === 'DEFAULT_DATA_SET' ? d.priority2 : d.name === 'PRIORITY2' ? d.value : undefined)),
  'ptp.v2.mm.clockclass': mgmtInt((d) => d.clockQuality?.clockClass),
  'ptp.v2.mm.clockaccuracy': mgmtInt((d) => d.clockQuality?.clockAccuracy),
  'ptp.v2.mm.clockvariance': mgmtInt((d) => d.clockQuality?.offsetScaledLogVariance),
  'ptp.v2.mm.clockidentity': (c) => {
    const d = mgmt(c)
    if (d?.name === 'DEFAULT_DATA_SET') return clockIdentity(d.clockIdentity)
    if (d?.name === 'PORT_DATA_SET') return clockIdentity(d.portIdentity.clockIdentity)
    return undefined
  },
  'ptp.v2.mm.domainNumber': mgmtInt((d) => (d.name === 'DEFAULT_DATA_SET' ? d.domainNumber : d.name === 'DOMAIN' ? d.value : undefined)),
  // CURRENT_DATA_SET
  'ptp.v2.mm.stepsRemoved': mgmtInt((d) => (d.name === 'CURRENT_DATA_SET' ? d.stepsRemoved : undefined)),
  'ptp.v2.mm.offset.ns': scaledMgmt('CURRENT_DATA_SET', 'offsetFromMaster', scaledNsWhole),
  'ptp.v2.mm.offset.subns': scaledMgmt('CURRENT_DATA_SET', 'offsetFromMaster', scaledNsFraction),
  'ptp.v2.mm.pathDelay.ns': scaledMgmt('CURRENT_DATA_SET', 'meanPathDelay', scaledNsWhole),
  'ptp.v2.mm.pathDelay.subns': scaledMgmt('CURRENT_DATA_SET', 'meanPathDelay', scaledNsFraction),
  // PARENT_DATA_SET
  'ptp.v2.mm.parentclockidentity': (c) => {
    const d = mgmt(c)
    return d?.name === 'PARENT_DATA_SET' ? clockIdentity(d.parentPortIdentity.clockIdentity) : undefined
  },
  'ptp.v2.mm.parentsourceportid': mgmtInt((d) => (d.name === 'PARENT_DATA_SET' ? d.parentPortIdentity.portNumber : undefined)),
  'ptp.v2.mm.parentstats': mgmtBit((d) => (d.name === 'PARENT_DATA_SET' ? d.parentStats : undefined), 0x01),
  'ptp.v2.mm.observedParentOffsetScaledLogVariance': mgmtInt((d) => d.observedParentOffsetScaledLogVariance),
  'ptp.v2.mm.observedParentClockPhaseChangeRate': mgmtInt((d) => d.observedParentClockPhaseChangeRate),
  'ptp.v2.mm.grandmasterPriority1': mgmtInt((d) => d.grandmasterPriority1),
  'ptp.v2.mm.grandmasterPriority2': mgmtInt((d) => d.grandmasterPriority2),
  'ptp.v2.mm.grandmasterclockclass': mgmtInt((d) => d.grandmasterClockQuality?.clockClass),
  'ptp.v2.mm.grandmasterclockaccuracy': mgmtInt((d) => d.grandmasterClockQuality?.clockAccuracy),
  'ptp.v2.mm.grandmasterclockvariance': mgmtInt((d) => d.grandmasterClockQuality?.offsetScaledLogVariance),
  'ptp.v2.mm.grandmasterclockidentity': (c) => {
    const d = mgmt(c)
    return d?.name === 'PARENT_DATA_SET' ? clockIdentity(d.grandmasterIdentity) : undefined
  },
  // TIME_PROPERTIES_DATA_SET
  'ptp.v2.mm.currentutcoffset': mgmtInt((d) => (d.name === 'TIME_PROPERTIES_DATA_SET' ? d.currentUtcOffset : undefined)),
  'ptp.v2.mm.li61': timeFlag(0x01),
  'ptp.v2.mm.li59': timeFlag(0x02),
  'ptp.v2.mm.CurrentUTCOffsetValid': timeFlag(0x04),
  'ptp.v2.mm.ptptimescale': timeFlag(0x08),
  'ptp.v2.mm.timeTraceable': timeFlag(0x10),
  'ptp.v2.mm.frequencyTraceable': timeFlag(0x20),
  'ptp.v2.mm.timesource': mgmtInt((d) => (d.name === 'TIME_PROPERTIES_DATA_SET' ? d.timeSource : undefined)),
  // PORT_DATA_SET
  'ptp.v2.mm.PortNumber': mgmtInt((d) => (d.name === 'PORT_DATA_SET' ? d.portIdentity.portNumber : undefined)),
  'ptp.v2.mm.portState': mgmtInt((d) => (d.name === 'PORT_DATA_SET' ? d.portState : undefined)),
  'ptp.v2.mm.logMinDelayReqInterval': mgmtInt((d) => (d.name === 'PORT_DATA_SET' ? d.logMinDelayReqInterval : undefined)),
  'ptp.v2.mm.peerMeanPathDelay.ns': scaledMgmt('PORT_DATA_SET', 'peerMeanPathDelay', scaledNsWhole),
  'ptp.v2.mm.peerMeanPathDelay.subns': scaledMgmt('PORT_DATA_SET', 'peerMeanPathDelay', scaledNsFraction),
  'ptp.v2.mm.logAnnounceInterval': mgmtInt((d) =>
    d.name === 'PORT_DATA_SET' ? d.logAnnounceInterval : d.name === 'LOG_ANNOUNCE_INTERVAL' ? d.value : undefined,
  ),
  'ptp.v2.mm.announceReceiptTimeout': mgmtInt((d) =>
    d.name === 'PORT_DATA_SET' ? d.announceReceiptTimeout : d.name === 'ANNOUNCE_RECEIPT_TIMEOUT' ? d.value : undefined,
  ),
  'ptp.v2.mm.logSyncInterval': mgmtInt((d) =>
    d.name === 'PORT_DATA_SET' ? d.logSyncInterval : d.name === 'LOG_SYNC_INTERVAL' ? d.value : undefined,
  ),
  'ptp.v2.mm.delayMechanism': mgmtInt((d) =>
    d.name === 'PORT_DATA_SET' ? d.delayMechanism : d.name === 'DELAY_MECHANISM' ? d.value : undefined,
  ),
  'ptp.v2.mm.logMinPdelayReqInterval': mgmtInt((d) =>
    d.name === 'PORT_DATA_SET' ? d.logMinPdelayReqInterval : d.name === 'LOG_MIN_PDELAY_REQ_INTERVAL' ? d.value : undefined,
  ),
  'ptp.v2.mm.versionNumber': mgmtInt((d) =>
    d.name === 'PORT_DATA_SET' ? d.versionNumber : d.name === 'VERSION_NUMBER' ? d.value : undefined,
  ),
}

/**
 * Fields tshark prints that have no counterpart in the codec's model, each
 * with the reason. (A field whose mapper returns NOT_COMPARED is listed in
 * FIELD_MAP instead.)
 */
const RAW_CLOCK_DESCRIPTION = 'the codec keeps the CLOCK_DESCRIPTION dataField as raw octets (not a typed managementId)'
const RAW_USER_DESCRIPTION = 'the codec keeps the USER_DESCRIPTION dataField as raw octets (not a typed managementId)'

export const NOT_MAPPED: Readonly<Record<string, string>> = {
  'ptp.v2.clockidentity_manuf': 'OUI vendor-name lookup on the clockIdentity, not a wire field',
  'ptp.v2.mm.clockType': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.clockType.OC': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.clockType.BC': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.clockType.p2p_TC': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.clockType.e2e_TC': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.clockType.MM': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.clockType.reserved': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.physicalLayerProtocol': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.physicalLayerProtocol.length': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.physicalAddressLength': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.physicalAddress': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.protocolAddress': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.networkProtocol': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.protocolAddress.length': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.manufacturerIdentity': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.productDescription': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.productDescription.length': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.revisionData': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.revisionData.length': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.profileIdentity': RAW_CLOCK_DESCRIPTION,
  'ptp.v2.mm.userDescription': `${RAW_USER_DESCRIPTION} (it also appears inside CLOCK_DESCRIPTION)`,
  'ptp.v2.mm.userDescription.length': RAW_USER_DESCRIPTION,
}

function tlvValue(c: FieldContext): Mapped {
  const t = c.tlv as any
  if (!t) return undefined
  if (t.kind === 'UNKNOWN') return bytes(t.value)
  if (t.kind === 'PAD') return bytes(t.pad)
  // tshark shows a TLV it does not type as raw octets; ours is typed: compare our encoding.
  return encodedOctets(c)
}

function asFlag(mask: number): Mapper {
  return (c) => {
    const t = c.tlv as any
    return t?.kind === 'ORGANIZATION_EXTENSION' && typeof t.flags === 'number' ? bit(t.flags, mask) : undefined
  }
}

function timeFlag(mask: number): Mapper {
  return mgmtBit((d) => (d.name === 'TIME_PROPERTIES_DATA_SET' ? d.flags : undefined), mask)
}

function scaledMgmt(name: string, key: string, f: (v: bigint) => Mapped): Mapper {
  return (c) => {
    const d = mgmt(c)
    return d?.name === name ? f(d[key]) : undefined
  }
}

/**
 * Link, IP and UDP fields of the frame around the PTP message (decodeFrame's
 * headers). Only these names are compared in the eth / vlan / ip / ipv6 / udp
 * layers; tshark's other fields there (resolved names, hidden aliases, stream
 * numbers) are not wire fields.
 */
type FrameMapper = (f: FrameDecode, pos: number) => Mapped

const ip4 = (f: FrameDecode) => (f.ip?.version === 4 ? f.ip : undefined)
const ip6 = (f: FrameDecode) => (f.ip?.version === 6 ? f.ip : undefined)
const maybe = (v: number | string | undefined): Mapped => (v === undefined ? undefined : typeof v === 'string' ? text(v) : int(v))
/** The VLAN tag whose 4 octets start 2 before `pos` (TCI) or 4 before (etype of the next layer). */
function vlanAt(f: FrameDecode, pos: number) {
  const tags = f.eth?.vlan ?? []
  const i = Math.floor((pos - 14) / 4)
  return tags[i]
}

/** The EtherType that follows the tag at `pos`: the next tag's TPID or the payload's type. */
function nextType(f: FrameDecode, pos: number): Mapped {
  const tags = f.eth?.vlan ?? []
  const i = Math.floor((pos - 14) / 4)
  if (!tags[i]) return undefined
  return int(i + 1 < tags.length ? (tags[i + 1]!.tpid ?? 0x8100) : f.eth!.etherType)
}

export const FRAME_FIELD_MAP: Readonly<Record<string, FrameMapper>> = {
  'eth.dst': (f) => maybe(f.eth?.dst),
  'eth.src': (f) => maybe(f.eth?.src),
  'eth.type': (f) => maybe(f.eth ? (f.eth.vlan?.length ? (f.eth.vlan[0]!.tpid ?? 0x8100) : f.eth.etherType) : undefined),
  'vlan.priority': (f, pos) => maybe(vlanAt(f, pos)?.pcp),
  'vlan.dei': (f, pos) => maybe(vlanAt(f, pos)?.dei),
  'vlan.id': (f, pos) => maybe(vlanAt(f, pos)?.vid),
  'vlan.etype': nextType,
  // An 802.1ad S-tag (TPID 0x88A8) is dissected by tshark's ieee8021ad layer.
  'ieee8021ad.priority': (f, pos) => maybe(vlanAt(f, pos)?.pcp),
  'ieee8021ad.dei': (f, pos) => maybe(vlanAt(f, pos)?.dei),
  'ieee8021ad.id': (f, pos) => maybe(vlanAt(f, pos)?.vid),
  'ieee8021ah.etype': nextType,
  // tshark also puts a hidden ip.version into the IPv6 layer.
  'ip.version': (f) => maybe(f.ip?.version),
  'ip.hdr_len': (f) => maybe(ip4(f)?.headerLength),
  'ip.dsfield.dscp': (f) => maybe(ip4(f)?.dscp),
  'ip.dsfield.ecn': (f) => maybe(ip4(f)?.ecn),
  'ip.len': (f) => maybe(ip4(f)?.totalLength),
  'ip.id': (f) => maybe(ip4(f)?.identification),
  'ip.flags': (f) => maybe(ip4(f)?.flags),
  'ip.frag_offset': (f) => maybe(ip4(f)?.fragmentOffset),
  'ip.ttl': (f) => maybe(ip4(f)?.ttl),
  'ip.proto': (f) => maybe(ip4(f)?.protocol),
  'ip.checksum': (f) => maybe(ip4(f)?.headerChecksum),
  'ip.src': (f) => maybe(ip4(f)?.src),
  'ip.dst': (f) => maybe(ip4(f)?.dst),
  'ipv6.version': (f) => maybe(ip6(f)?.version),
  'ipv6.tclass.dscp': (f) => maybe(ip6(f)?.dscp),
  'ipv6.tclass.ecn': (f) => maybe(ip6(f)?.ecn),
  'ipv6.flow': (f) => maybe(ip6(f)?.flowLabel),
  'ipv6.plen': (f) => maybe(ip6(f)?.payloadLength),
  'ipv6.nxt': (f) => maybe(ip6(f)?.nextHeader),
  'ipv6.hlim': (f) => maybe(ip6(f)?.hopLimit),
  'ipv6.src': (f) => maybe(ip6(f)?.src),
  'ipv6.dst': (f) => maybe(ip6(f)?.dst),
  'udp.srcport': (f) => maybe(f.udp?.srcPort),
  'udp.dstport': (f) => maybe(f.udp?.dstPort),
  'udp.length': (f) => maybe(f.udp?.length),
  'udp.checksum': (f) => maybe(f.udp?.checksum),
}
