/**
 * The shape of a RESOLVED profile: what `loadProfile()` returns after `extends:`
 * has been applied and the result validated against profiles/schema.json.
 *
 * Everything that is a fact of a standard carries its citation: numbers are
 * `Cited<T>`, non-numeric blocks carry `source` (the `Sourced` fields), so a
 * report can print the value, where it comes from, and whether no primary or
 * implementation source could confirm it (`unconfirmed`). Intervals are log2
 * seconds (logMessageInterval units).
 *
 * Source strings name the clause or document and end with a key of the
 * source legend of docs/profiles.md in brackets, e.g. 'IEEE 1588-2019 I.3 [I19]'.
 *
 * This file is the contract with the lab (ptp4l config generator), the suites
 * (limits) and the reports. Additions are fine; renames are not.
 */
import type { MessageTypeName } from '../codec/types.ts'

/** A value with its citation. `unconfirmed` = no primary or implementation source confirmed it. */
export interface Cited<T> {
  value: T
  source: string
  /** No source confirmed this value; verdicts relying on it carry that mark. */
  unconfirmed?: boolean
  /** How the profile treats the value (e.g. why it is used anyway). */
  note?: string
}

/** Citation fields for a non-numeric block (an enum choice, a list of names). */
export interface Sourced {
  source: string
  unconfirmed?: boolean
  note?: string
}

export type TransportName = 'l2' | 'udp4' | 'udp6'
export type DelayMechanismName = 'E2E' | 'P2P'
/** For one-step / two-step on transmit. */
export type StepRule = 'allowed' | 'required' | 'forbidden'
/** For VLAN tagging, multicast, unicast and unicast negotiation. */
export type UsageRule = 'required' | 'optional' | 'forbidden'

/** IEEE 1588 message names, spelled as in the standard: the codec's names, so a profile's TLV rules key on what decoded messages carry. */
export type MessageName = MessageTypeName

/** A numeric parameter with a default and its permitted range (inclusive). */
export interface ValueSpec {
  default: Cited<number>
  range: Cited<[number, number]>
  /** The profile fixes the value: a DUT using any other value does not conform. */
  fixed?: boolean
  /** Discrete permitted values, when the profile lists them (must lie within range). */
  allowed?: Cited<number[]>
}

/** A message interval, log2 seconds. */
export interface IntervalSpec extends ValueSpec {
  fixed: boolean
}

export type IntervalName = 'announce' | 'sync' | 'delayReq' | 'pdelayReq'

// ---------------------------------------------------------------- transport

export interface L2Mapping {
  etherType: Cited<number>
  /** Destination MAC of every message except peer delay (gPTP: the peer-delay MAC). */
  primaryMac: Cited<string>
  /** Destination MAC of Pdelay_Req / Pdelay_Resp / Pdelay_Resp_Follow_Up. */
  pdelayMac?: Cited<string>
  /** Further destinations a receiver must accept (e.g. G.8275.1: both MACs). */
  acceptedMacs?: Cited<string[]>
}

export interface UdpMapping {
  /** Multicast group of every message except peer delay (absent for unicast-only profiles). */
  primary?: Cited<string>
  /** Multicast group of peer-delay messages. */
  pdelay?: Cited<string>
  eventPort: Cited<number>
  generalPort: Cited<number>
  /** DSCP of event messages, where the profile states one (e.g. AES67: EF 46). */
  dscpEvent?: Cited<number>
  /** DSCP of general messages; default: dscpEvent. */
  dscpGeneral?: Cited<number>
  /** TTL / hop limit of primary multicast messages. */
  ttl?: Cited<number>
  /** TTL / hop limit of peer-delay messages. */
  pdelayTtl?: Cited<number>
}

export interface VlanRule extends Sourced {
  rule: UsageRule
  priority?: Cited<number>
  vid?: Cited<number>
}

export interface TransportSpec extends Sourced {
  allowed: TransportName[]
  default: TransportName
  multicast: UsageRule
  unicast: UsageRule
  unicastNegotiation: UsageRule
  /** Unicast negotiation: the durationField a requester asks for (seconds), default and range. */
  grantDuration?: ValueSpec
  l2?: L2Mapping
  udp4?: UdpMapping
  udp6?: UdpMapping
  vlan: VlanRule
}

// ---------------------------------------------------------------- identity / version

export interface SdoSpec {
  /** majorSdoId (transportSpecific in 1588-2008), header octet 0 bits 7-4. */
  majorSdoId: Cited<number>
  /** minorSdoId (reserved in 1588-2008), header octet 5. */
  minorSdoId: Cited<number>
}

export type ControlFieldConvention = 'legacy' | 'zero'

export interface VersionSpec extends Sourced {
  versionPTP: Cited<number>
  /** minorVersionPTP sent by an implementation of this profile's own edition. */
  minorVersionPTP: Cited<number>
  /** minorVersionPTP values accepted; the edition seen is reported, not failed. */
  minorVersionsAccepted: number[]
  /** Editions of the base standard a DUT may implement (e.g. '2008', '2019'). */
  editionsAccepted: string[]
  /** controlField conventions accepted on receive: legacy 1588-2008 codes or 0. */
  controlFieldAccepted: ControlFieldConvention[]
}

export interface DelayMechanismSpec extends Sourced {
  allowed: DelayMechanismName[]
  default: DelayMechanismName
}

export interface StepsSpec extends Sourced {
  oneStep: StepRule
  twoStep: StepRule
  /** Receivers must handle both one-step and two-step. */
  receiveBoth: boolean
}

// ---------------------------------------------------------------- clock and BMCA

export interface PrioritiesSpec {
  priority1: ValueSpec
  priority2: ValueSpec
  /** G.8275.x localPriority (defaultDS and portDS). */
  localPriority?: ValueSpec
}

export interface ClockClassSpec {
  default: Cited<number>
  allowed: Cited<number[]>
  /** Inclusive ranges also permitted (e.g. 1588 alternate-profile classes 68-122). */
  allowedRanges?: Cited<Array<[number, number]>>
  /**
   * What a clock configured with class `from` may advertise once it has lost its reference,
   * in order of degradation (BMCA-07); a class not listed may only advertise its own.
   */
  holdover?: Cited<Array<{ from: number; path: number[] }>>
}

export type BmcaVariant = 'default-1588' | 'g8275x' | '802.1as'

export interface BmcaSpec extends Sourced {
  variant: BmcaVariant
  /** Announce messages needed from one foreign master to qualify it. */
  foreignMasterThreshold: Cited<number>
  /** Qualification window, in announce intervals. */
  foreignMasterTimeWindow: Cited<number>
  /** Announce with stepsRemoved >= this is not used. */
  maxStepsRemoved: Cited<number>
  /** priority1 takes part in the comparison (false for G.8275.x). */
  priority1Compared: boolean
  /** Announce lacking the profile's required Announce TLVs is ignored by the BMCA (power profile). */
  ignoreAnnounceWithoutRequiredTlvs: boolean
}

/** 802.1AS / power: peer-delay and asCapable parameters. */
export interface PeerDelaySpec {
  /** Mean link delay above this makes the port not asCapable (ns). */
  neighborPropDelayThreshNs?: Cited<number>
  allowedLostResponses?: Cited<number>
  allowedFaults?: Cited<number>
  /** Ports must be asCapable to take part in synchronisation. */
  asCapableRequired: boolean
}

// ---------------------------------------------------------------- TLVs

export type TlvName =
  | 'PATH_TRACE'
  | 'ALTERNATE_TIME_OFFSET_INDICATOR'
  | 'IEEE_C37_238_2011'
  | 'IEEE_C37_238_2017'
  | 'IEEE_802_1AS_FOLLOW_UP_INFO'
  | 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST'
  | 'IEEE_802_1AS_GPTP_CAPABLE'
  | 'IEEE_802_1AS_GPTP_CAPABLE_INTERVAL'
  | 'REQUEST_UNICAST_TRANSMISSION'
  | 'GRANT_UNICAST_TRANSMISSION'
  | 'CANCEL_UNICAST_TRANSMISSION'
  | 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION'
  | 'ITU_T_INTERFACE_RATE'
  | 'L1_SYNC'
  | 'MANAGEMENT'
  | 'MANAGEMENT_ERROR_STATUS'
  | 'SMPTE_SM'

/** A TLV named by a profile, with its variant. */
export interface TlvRef extends Sourced {
  tlv: TlvName
  /** lengthField convention (C37.238: 12 per the 2011 text, 18 per linuxptp/Wireshark). */
  lengthField?: {
    /** Values accepted on receive. */
    accept: Cited<number[]>
    /** Value an emulated clock sends. */
    send: Cited<number>
  }
}

export interface TlvRules {
  required: TlvRef[]
  allowed: TlvRef[]
  forbidden: TlvRef[]
}

export type TlvSpec = Partial<Record<MessageName, TlvRules>>

export interface UnusedMessage extends Sourced {
  message: MessageName
}

// ---------------------------------------------------------------- tolerances

/** 1588-2019 9.5.8 form: mean within ±meanPct, fractionWithin of intervals within ±withinPct, no gap > maxGapFactor×. */
export interface IntervalTolerance {
  meanPct: Cited<number>
  withinPct: Cited<number>
  fractionWithin: Cited<number>
  maxGapFactor: Cited<number>
}

export type DelayReqSpacingRule = 'uniform-0-2x' | 'pct-of-nominal'

export interface DelayReqSpacing extends Sourced {
  /** uniform-0-2x: each interval uniform in (0, 2·2^logMinDelayReqInterval]; pct-of-nominal: within ±pct. */
  rule: DelayReqSpacingRule
  /** pct-of-nominal only: the allowed deviation from 2^logMinDelayReqInterval, percent. */
  pct?: Cited<number>
  /** pct-of-nominal only: fraction of intervals that must lie within ±pct. */
  fractionWithin?: Cited<number>
}

/** A DUT leaves SLAVE after announceReceiptTimeout × interval, within [N−early, N+late] intervals. */
export interface ReceiptTimeoutWindow {
  earlyIntervals: Cited<number>
  lateIntervals: Cited<number>
}

export interface TolerancesSpec {
  interval: IntervalTolerance
  delayReqSpacing?: DelayReqSpacing
  receiptTimeoutWindow: ReceiptTimeoutWindow
}

// ---------------------------------------------------------------- accuracy

export type AccuracyUnit = 'ns' | 'ppm' | 's'

export interface AccuracyLimit {
  /** What is measured, e.g. 'maxAbsTimeError', 'constantTimeError', 'meanPathDelayError'. */
  quantity: string
  unit: AccuracyUnit
  limit: Cited<number>
  /** For a mask (MTIE, TDEV): the observation intervals [shortest, longest] τ in seconds it holds over. */
  tauRangeS?: Cited<[number, number]>
  /** Where the limit applies (node class, reference point, hop count). */
  appliesTo: string
}

// ---------------------------------------------------------------- suites and lab

export interface SuitesSpec {
  /** Test IDs (catalogue IDs such as 'INT-01') or globs ('BMCA-*') that apply. */
  apply: string[]
  /** Test IDs or globs excluded even if matched by `apply`. */
  skip: string[]
  /** Per-test parameters, keyed by test ID. */
  overrides: Record<string, Record<string, unknown>>
}

export interface LabOutsideProfile {
  /** The ptp4l key whose lab value lies outside the profile. */
  key: string
  reason: string
}

export interface LabExpectedFinding {
  /** Test ID expected to fail with linuxptp 3.1.1 as DUT: a correct verdict, not a harness bug. */
  test: string
  reason: string
}

export interface LabSpec extends Sourced {
  /**
   * ptp4l [global] keys for a software DUT in the virtual lab. The lab adds the
   * interface, uds_address, time_stamping software and free_running 1 itself.
   */
  ptp4l: Record<string, string | number>
  /** Keys deliberately outside the profile; suites judge those against what the DUT advertises. */
  outsideProfile: LabOutsideProfile[]
  /** 'profile': lab intervals are in range, judge against the profile; 'advertised': judge against the DUT's logMessageInterval. */
  judgeIntervalsAgainst: 'profile' | 'advertised'
  /** The slave needs a unicast_master_table (G.8275.2). */
  needsUnicastMasterTable?: boolean
  expectedFindings: LabExpectedFinding[]
}

// ---------------------------------------------------------------- edition notes

/** A documented difference in another edition of the same standard. */
export interface EditionDifference extends Sourced {
  edition: string
  /** Dotted path of the affected field, e.g. 'peerDelay.allowedLostResponses'. */
  path: string
  value?: unknown
}

// ---------------------------------------------------------------- the profile

export interface Profile {
  id: string
  name: string
  /** e.g. 'IEEE 1588-2019 Annex I.3'. */
  standard: string
  edition: string
  description?: string
  /** 'XX-XX-XX-XX-XX-XX'; value null when no source gives it (then unconfirmed). */
  profileIdentifier: Cited<string | null>
  transport: TransportSpec
  sdo: SdoSpec
  version: VersionSpec
  delayMechanism: DelayMechanismSpec
  steps: StepsSpec
  domain: ValueSpec
  intervals: {
    announce: IntervalSpec
    sync: IntervalSpec
    delayReq?: IntervalSpec
    pdelayReq?: IntervalSpec
  }
  timeouts: {
    announceReceiptTimeout: ValueSpec
    syncReceiptTimeout?: ValueSpec
  }
  priorities: PrioritiesSpec
  clockClass: ClockClassSpec
  clockAccuracy?: { default: Cited<number> }
  offsetScaledLogVariance?: { default: Cited<number> }
  bmca: BmcaSpec
  peerDelay?: PeerDelaySpec
  tlvs: TlvSpec
  unusedMessages: UnusedMessage[]
  tolerances: TolerancesSpec
  /** Accuracy limits keyed by a stable id (e.g. 'gmTimeInaccuracy'). */
  accuracy: Record<string, AccuracyLimit>
  suites: SuitesSpec
  lab: LabSpec
  editionDifferences?: EditionDifference[]
  /** Filled by the loader: the file and the `extends` chain (child first). Ignored on input. */
  origin?: ProfileOrigin
}

export interface ProfileOrigin {
  file: string
  /** Profile ids from this one up to the root, e.g. ['power-2017', 'default-p2p']. */
  chain: string[]
  /** Files in the same order as chain. */
  files: string[]
}

/** One positioned problem in a profile file. line/col are 1-based. */
export interface ProfileDiagnostic {
  file: string
  line: number
  col: number
  /** Dotted path inside the profile, e.g. 'intervals.sync.default.value' ('' = the document). */
  path: string
  message: string
}
