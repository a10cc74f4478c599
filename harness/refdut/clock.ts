/**
 * ReferenceClock: the harness's own engines as an ordinary clock with one port, so
 * `ptp-conform selftest` has a DUT whose behaviour it knows and can break on purpose.
 * Sans-IO like every engine: the lab process (main.ts) and the unit tests drive it.
 *
 * It composes the existing engines instead of re-implementing them:
 * - `master` (TestMaster): Announce (profile TLVs), Sync/Follow_Up, Delay_Resp — resumed
 *   only while the port is MASTER;
 * - `peer` (TestMaster, P2P only): answers Pdelay_Req in every state (peer delay is
 *   measured independently of the port state, 1588-2019 11.4.1);
 * - `slave` (TestSlave, manual master selection): Delay_Req with the profile's spacing rule
 *   or Pdelay_Req, offsetFromMaster and meanPathDelay from t1..t4 with correctionFields.
 *   It never adjusts any clock.
 * The BMCA (foreign-master qualification, the profile variant's data-set comparison) and
 * the receipt timeouts are this file's. Faults (faults.ts) only turn the knobs of
 * `ReferenceBehaviour`; with none set the clock is conformant.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted, Destination } from '../engines/actions.ts'
import type { AnnounceMessage, ClockIdentity, ManagementMessage, PortIdentity, PtpMessage, SignalingMessage, Tlv } from '../codec/types.ts'
import { managementIdName } from '../codec/management/index.ts'
import { SendEmitter } from '../engines/emitter.ts'
import type { HeaderDefaults } from '../engines/message_factory.ts'
import { addressedTo, answerManagement, type ManagementErrorFault, type ManagementSetFault, settableRequest } from './management.ts'
import { PTP_VERSION } from '../codec/constants.ts'
import { malformation, tlvOverrun } from '../codec/findings/malformed.ts'
import { tlvName } from '../codec/tlvs/index.ts'
import type { Profile } from '../profiles/types.ts'
import type { DutSettings } from '../dut/settings.ts'
import type { DutState, PortStateName } from '../dut/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { TestMaster } from '../engines/test_master.ts'
import { type PdelayExchange, TestSlave } from '../engines/test_slave.ts'
import { testMasterConfigFromProfile, testSlaveConfigFromProfile, profileHeader } from '../engines/from_profile.ts'
import type { MutationRule } from '../engines/mutations.ts'
import { samePortIdentity } from '../engines/message_factory.ts'
import { TimeBase } from '../engines/time_base.ts'
import { ForeignMasterTable, DEFAULT_QUALIFICATION, type QualificationRule } from '../bmca/foreign_master.ts'
import { comparatorFor, type Comparator, A_BETTER, B_BETTER } from '../bmca/compare.ts'
import { localDataset, type BmcaDataset } from '../bmca/dataset.ts'
import { announceUsable } from '../bmca/announce_filter.ts'
import { logIntervalToNs } from '../time/log_interval.ts'
import { medianNs } from '../stats/robust.ts'
import { buildPathTraceTlv } from '../codec/tlvs/path_trace.ts'
import { INTERVAL_INITIAL, INTERVAL_NO_CHANGE, INTERVAL_STOP } from '../codec/tlvs/message_interval_request.ts'
import { type GrantorConfig, GrantTable, profileGrantor } from '../engines/unicast/grant_table.ts'
import { closeService, GRANT_EXPIRY, serveOutcome } from '../engines/unicast/grantor.ts'
import { NegotiatingSlave, type RequesterConfig } from '../engines/unicast/requester.ts'
import { type NegotiationTlv, negotiationRequired, negotiationTlvs, requestDurationS, serviceRequests, serviceOf, type UnicastService } from '../engines/unicast/services.ts'


/**
 * How far the reference DUT's clock may sit from the lab's: it is a software clock in a Node
 * process, timestamped by the kernel, so it keeps time to tens of µs (measured in selftest
 * under gptp: median |TE| 10.8 µs, max 34.5 µs over 21 s). A time-error limit below this is
 * beyond it, so selftest cannot show it passing such a limit, only failing a fault.
 */
export const REFERENCE_CLOCK_TIME_ERROR_NS = 100_000n

/** Delay exchanges the clock's path / link delay is the median of (linuxptp delay_filter_length default). */
const DELAY_FILTER_LENGTH = 10

export type ReferenceRole = 'master' | 'slave' | 'auto'

/** What a fault may change. Every knob absent = the conformant clock. */
export interface ReferenceBehaviour {
  /** Applied to what the port sends as master (Announce, Sync, Follow_Up, Delay_Resp). */
  masterMutations?: MutationRule[]
  /** Applied to the peer-delay responder (Pdelay_Resp, Pdelay_Resp_Follow_Up). */
  peerMutations?: MutationRule[]
  /** Applied to Delay_Req / Pdelay_Req. */
  requestMutations?: MutationRule[]
  /** Sync/Delay_Req are sent at 2^(configured + delta) s; the advertised interval stays the configured one. */
  syncRateLogDelta?: number
  delayReqRateLogDelta?: number
  /** Header fields of everything sent and expected (a clock configured for another domain / SDO). */
  header?: { domainNumber?: number; majorSdoId?: number }
  /** Where message types go instead of the profile's address. */
  destinations?: Partial<Record<PtpMessage['type'], Destination>>
  /** Intervals added to the announce receipt timeout (negative = early). */
  receiptTimeoutDeltaIntervals?: number
  /** Intervals added to the sync receipt timeout (negative = early), where the profile has one (INT-04). */
  syncReceiptTimeoutDeltaIntervals?: number
  /** The sync receipt timeout never fires: a master whose Sync stopped is kept while it announces (INT-04). */
  ignoreSyncReceiptTimeout?: boolean
  /** The BMCA compares clockClass before priority1, or runs IEEE 1588's comparison whatever the profile's variant. */
  comparison?: 'clockClass-first' | 'default-1588'
  qualification?: QualificationRule
  /** A slave-only clock that still sends Sync (and Follow_Up). */
  slaveSendsSync?: boolean
  /** Announce TLVs left out, by name (tlvName: 'IEEE_C37_238_2011', 'ALTERNATE_TIME_OFFSET_INDICATOR', ...). */
  omitAnnounceTlvs?: string[]
  followUpInformationTlv?: boolean
  /** PATH_TRACE: 'omit' or 'foreign' (holds another clock's identity instead of ours). */
  pathTrace?: 'omit' | 'foreign'
  /** The path delay measured first is kept for good (a DUT that measures its link once): reported and used for the offset (E2E-02, P2P-02). */
  pathDelayFrozen?: boolean
  /** How offsetFromMaster is reported (state(), management). */
  reportedOffset?: 'inverted-sign' | 'ignores-correction'
  /** The clock's time runs this far from the timestamp clock (time error as a master). */
  timeBaseOffsetNs?: bigint
  /** Management answers differ from what goes on the wire (MGT). */
  managementDisagrees?: boolean
  /** Messages another domain, SDO or PTP version are used instead of ignored (ROB-04). */
  acceptForeign?: ReadonlyArray<'domain' | 'sdo' | 'version'>
  /** Announce with stepsRemoved ≥ 255 is used (BMCA-05). */
  acceptStepsRemoved255?: boolean
  /** An Announce without the profile's required TLVs is used where the profile makes the BMCA ignore it (BMCA-10). */
  acceptAnnounceWithoutRequiredTlvs?: boolean
  /** Messages carrying this clock's own clockIdentity as sender are used (BMCA-05). */
  acceptOwnIdentity?: boolean
  /** The foreign-master table holds this many records and, full, overwrites its oldest, the parent's too (ROB-06). */
  foreignTableCapacity?: number
  /** A message whose length fields do not describe its octets is used instead of dropped (ROB-02). */
  acceptsMalformed?: boolean
  /** A fragile parser: a TLV whose lengthField runs past the message kills the process (ROB-02; the fuzzing target). */
  crashesOnTlvOverrun?: boolean
  /** The Delay_Req interval is taken from Delay_Resp, also 0x7F and other values above 22 (ROB-01). */
  adoptsLongDelayRespInterval?: boolean
  /** A Follow_Up is paired with the latest two-step Sync, whatever its sequenceId (ROB-03). */
  pairsFollowUpWithLatestSync?: boolean
  /** A Sync sample whose offset jumps by more than this from the last is dropped, for good (ROB-05). */
  rejectsOffsetJumpsNs?: bigint
  /** A message carrying a TLV the clock does not know is dropped whole instead of the TLV being skipped (TLV-GEN-01). */
  dropsUnknownTlv?: boolean
  /** A Follow_Up arriving later than this after its Sync is dropped (a too-short Follow_Up deadline; INT-05). */
  followUpDeadlineNs?: bigint
  /** Management SET of PRIORITY1/PRIORITY2 answered but not applied, or not answered (MGT-02). */
  managementSet?: ManagementSetFault
  /** Management refusals answered wrongly or not at all (MGT-03). */
  managementErrors?: ManagementErrorFault
  /** Role master does not make the port masterOnly: it follows a better master like an ordinary clock (BMCA-06). */
  masterOnlyIgnored?: boolean
  /** Added to allowedLostResponses (−8: asCapable lost after far fewer lost responses; P2P-05). */
  allowedLostResponsesDelta?: number
  /** asCapable once one Pdelay exchange completed, before neighborRateRatio can be valid (P2P-06). */
  asCapableBeforeRateRatio?: boolean
  /** A Pdelay_Resp with a wrong requestingPortIdentity or sequenceId is taken as the answer (P2P-03). */
  acceptsInvalidPdelayResponses?: boolean
  /** A Pdelay_Resp arriving after the next Pdelay_Req still completes its (abandoned) exchange (P2P-03). */
  acceptsLatePdelayResponses?: boolean
  /** A Pdelay_Req answered by more than one responder counts as answered, not lost (P2P-03). */
  ignoresMultiplePdelayResponses?: boolean
  /** asCapable ignores neighborPropDelayThresh: a master port sends Sync over any link delay (P2P-04). */
  ignoresNeighborPropDelayThresh?: boolean
  /** A message interval request (802.1AS Signaling) is ignored: the intervals stay as configured (INT-06). */
  ignoresIntervalRequest?: boolean
  /** After losing its parent it advertises this class as its own: the lost grandmaster's, or a fixed one (BMCA-07). */
  clockClassAfterLoss?: 'lost-parent' | number
  /** The 802.1Q tag it sends with instead of the profile's ('none': untagged) (MF-06). */
  sentVlan?: { pcp: number; vid: number } | 'none'
  /** UDP: the DSCP its sockets send with instead of the configured ones (MF-06). */
  sentDscp?: { event?: number; general?: number }
  /** Unicast profiles: what the port grants (decisions, renewal, acknowledgement, honouring a cancel) (INT-07, TLV-TEL-01). */
  grantor?: GrantorConfig
  /** Unicast profiles: how the port asks for service (renewal, acknowledgement, periods) (INT-07). */
  requester?: Partial<RequesterConfig>
  /** Sends nothing at all (a dead port). */
  silent?: boolean
}

export interface ReferenceClockConfig {
  name: string
  clockIdentity: ClockIdentity
  profile: Profile
  /** What the DUT is configured to do: the one source of domain, intervals, timeouts, priorities. */
  settings: DutSettings
  role: ReferenceRole
  behaviour: ReferenceBehaviour
  seed?: number
  prepareLeadNs?: bigint
  /** Unicast profiles: the masters a slave port asks for service (the harness's address in the lab). */
  unicastMasters?: string[]
}

/** The Announce of the current parent, as the port knows it. */
interface Parent {
  port: PortIdentity
  announce: AnnounceMessage
  dataset: BmcaDataset
}

/** 1588-2019 9.3.4 with the fault: clockClass compared before priority1. */
function clockClassFirst(base: Comparator): Comparator {
  return (a, b) => {
    if (a && b && a.grandmasterIdentity !== b.grandmasterIdentity && a.clockQuality.clockClass !== b.clockQuality.clockClass) {
      return { result: a.clockQuality.clockClass < b.clockQuality.clockClass ? A_BETTER : B_BETTER, decidedBy: 'clockClass' }
    }
    return base(a, b)
  }
}

/** What the crashesOnTlvOverrun fault throws: the process running the clock exits on it, as a fragile parser would crash. */
export class ParserCrash extends Error {
  override name = 'ParserCrash'
}

export class ReferenceClock implements Engine {
  readonly name: string
  readonly portIdentity: PortIdentity
  readonly master: TestMaster
  readonly peer: TestMaster | undefined
  readonly slave: TestSlave
  /** Unicast profiles: the grants this port gives (as master) … */
  readonly grants: GrantTable | undefined
  /** … and the negotiation of its slave side with the first unicast master (roles slave and auto). */
  readonly requester: NegotiatingSlave | undefined
  private readonly cfg: ReferenceClockConfig
  private readonly b: ReferenceBehaviour
  private readonly compare: Comparator
  private readonly foreign: ForeignMasterTable
  private readonly domainNumber: number
  private readonly majorSdoId: number
  private readonly header: Omit<HeaderDefaults, 'sourcePortIdentity'>
  private readonly mgmt: SendEmitter
  private readonly owners = new Map<string, 'm' | 'p' | 's'>()
  /** Sync arrival times by sequenceId (the Follow_Up deadline fault only). */
  private readonly syncArrivals = new Map<number, bigint>()
  /** The intervals a message interval request's 126 returns to. */
  private readonly initialIntervals: { announce: number; sync: number }
  /** 802.1AS asCapable (always true where the profile does not require it). */
  private asCapable: boolean
  /** Consecutive Pdelay_Req without a completed exchange, and what the count is based on. */
  private lostResponses = 0
  private pdelayRequests = 0
  private lastAnsweredSeq: number | undefined
  /** Announce / Sync stopped by a message interval request (127). */
  private readonly stoppedByRequest = { announce: false, sync: false }
  /** The first path delay measured (the pathDelayFrozen fault only). */
  private frozenDelay: bigint | undefined
  private portState: PortStateName = 'LISTENING'
  private parentValue: Parent | undefined
  /** The clockClass of the parent lost to a receipt timeout (the clockClassAfterLoss fault uses it). */
  private lostParentClass: number | undefined
  /** Every state the port took, with the timestamp-clock time (for tests and the control socket). */
  readonly transitions: Array<{ atNs: bigint; state: PortStateName; parent?: PortIdentity }> = []

  constructor(cfg: ReferenceClockConfig) {
    this.cfg = cfg
    this.b = cfg.behaviour
    this.name = cfg.name
    const s = cfg.settings
    const p = cfg.profile
    this.portIdentity = { clockIdentity: normalizeClockIdentity(cfg.clockIdentity), portNumber: 1 }
    const header = { ...profileHeader(p), domainNumber: s.domainNumber.value, ...this.b.header }
    this.header = header
    this.mgmt = new SendEmitter('g')
    this.domainNumber = header.domainNumber
    this.majorSdoId = header.majorSdoId
    const intervals = { announce: s.intervals.announce.value, sync: s.intervals.sync.value, delayReq: s.intervals.delayReq.value, pdelayReq: s.intervals.pdelayReq.value }
    const silentRule: MutationRule[] = this.b.silent ? [{ id: 'silent', messageTypes: 'any', mutation: { kind: 'skip' } }] : []
    const lead = cfg.prepareLeadNs !== undefined ? { prepareLeadNs: cfg.prepareLeadNs } : {}
    const masterCfg = testMasterConfigFromProfile(p, {
      name: 'm',
      clockIdentity: this.portIdentity.clockIdentity,
      intervals,
      dataset: {
        grandmasterPriority1: s.priority1.value,
        grandmasterPriority2: s.priority2.value,
        grandmasterClockQuality: {
          clockClass: cfg.role === 'slave' ? 255 : s.clockClass.value,
          clockAccuracy: p.clockAccuracy?.default.value ?? 0xfe,
          offsetScaledLogVariance: p.offsetScaledLogVariance?.default.value ?? 0xffff,
        },
      },
    }, {
      header,
      delayMechanism: s.delayMechanism === 'E2E' ? 'E2E' : 'none',
      logSyncInterval: intervals.sync + (this.b.syncRateLogDelta ?? 0),
      sendAnnounce: false,
      sendSync: false,
      timeBase: new TimeBase({ offsetNs: this.b.timeBaseOffsetNs ?? 0n }),
      seed: cfg.seed ?? 1,
      ...lead,
    })
    masterCfg.announceTlvs = (masterCfg.announceTlvs ?? []).filter((t) => !(this.b.omitAnnounceTlvs ?? []).includes(tlvName(t)))
    if (this.b.pathTrace) {
      masterCfg.pathTrace = false
      if (this.b.pathTrace === 'foreign') masterCfg.announceTlvs.push(foreignPathTrace())
    }
    if (this.b.followUpInformationTlv !== undefined) masterCfg.followUpInformationTlv = this.b.followUpInformationTlv
    if (this.b.destinations) masterCfg.destinations = this.b.destinations
    // A Sync sent faster than configured still advertises the configured interval.
    const advertised: MutationRule[] = this.b.syncRateLogDelta
      ? [{ id: 'advertised-sync-interval', messageTypes: ['Sync', 'Follow_Up'], mutation: { kind: 'logMessageInterval', value: intervals.sync } }]
      : []
    masterCfg.mutations = [...advertised, ...(this.b.masterMutations ?? []), ...silentRule]
    this.master = new TestMaster(masterCfg)
    this.initialIntervals = this.master.intervals
    this.asCapable = !cfg.profile.peerDelay?.asCapableRequired
    this.master.silence()

    if (s.delayMechanism === 'P2P') {
      this.peer = new TestMaster({
        name: 'p',
        clockIdentity: this.portIdentity.clockIdentity,
        header,
        logAnnounceInterval: intervals.announce,
        logSyncInterval: intervals.sync,
        delayMechanism: 'P2P',
        sendAnnounce: false,
        sendSync: false,
        timeBase: new TimeBase({ offsetNs: this.b.timeBaseOffsetNs ?? 0n }),
        mutations: [...(this.b.peerMutations ?? []), ...silentRule],
        ...lead,
      })
    }
    const gptp = p.bmca.variant === '802.1as'
    this.slave = new TestSlave(testSlaveConfigFromProfile(p, { name: 's', clockIdentity: this.portIdentity.clockIdentity, intervals }, {
      header,
      delayMechanism: s.delayMechanism,
      logMinDelayReqInterval: intervals.delayReq + (this.b.delayReqRateLogDelta ?? 0),
      selectMaster: 'manual',
      pdelayReqLogMessageInterval: gptp ? 'current' : 'unspecified',
      mutations: [...(this.b.requestMutations ?? []), ...silentRule],
      seed: cfg.seed ?? 1,
      maxSamples: 1000,
      ...(this.b.acceptsInvalidPdelayResponses ? { acceptAnyPdelayResponse: true } : {}),
      ...(this.b.adoptsLongDelayRespInterval ? { adoptDelayRespInterval: 'no-upper-bound' as const } : {}),
      ...(this.b.pairsFollowUpWithLatestSync ? { pairFollowUpWithLatestSync: true } : {}),
      ...(this.b.rejectsOffsetJumpsNs !== undefined ? { rejectOffsetJumpsNs: this.b.rejectsOffsetJumpsNs } : {}),
      // An 802.1AS requester awaits its latest Pdelay_Req only: a later answer is a lost one.
      onlyLatestPdelay: !this.b.acceptsLatePdelayResponses,
      ...lead,
    }))

    if (negotiationRequired(p)) {
      this.grants = cfg.role === 'slave' ? undefined : new GrantTable({ ...profileGrantor(p), ...this.b.grantor })
      const masterAddress = cfg.unicastMasters?.[0]
      if (cfg.role !== 'master' && masterAddress) {
        this.requester = new NegotiatingSlave(this.slave, {
          masterAddress,
          services: serviceRequests(intervals, s.delayMechanism),
          durationS: requestDurationS(s, p),
          // linuxptp renews at three quarters of a grant (unicast_client_set_renewal).
          renewAtFraction: 0.75,
          ...this.b.requester,
        })
      }
    }

    const base = comparatorFor(this.b.comparison === 'default-1588' ? 'default-1588' : s.bmcaVariant)
    this.compare = this.b.comparison === 'clockClass-first' ? clockClassFirst(base) : base
    this.foreign = new ForeignMasterTable(this.portIdentity, this.b.qualification ?? DEFAULT_QUALIFICATION, undefined, this.b.foreignTableCapacity)
  }

  // ------------------------------------------------------------ what the port is

  get state(): PortStateName {
    return this.portState
  }

  get parent(): Readonly<Parent> | undefined {
    return this.parentValue
  }

  /** D0: this clock's own data set (a slave-only clock announces clockClass 255). */
  ownDataset(): BmcaDataset {
    const d = this.master.announceDataset
    return localDataset({
      clockIdentity: this.portIdentity.clockIdentity,
      priority1: d.grandmasterPriority1,
      clockQuality: d.grandmasterClockQuality,
      priority2: d.grandmasterPriority2,
      slaveOnly: this.cfg.role === 'slave',
    })
  }

  /** offsetFromMaster as the clock reports it (faults included), integer ns. */
  reportedOffsetNs(): bigint | undefined {
    const sample = this.slave.latestSync
    if (!this.parentValue || !sample || sample.offsetFromMaster === undefined) return undefined
    let off = sample.offsetFromMaster
    // The sample subtracted the current delay; a frozen-delay clock subtracts its first one instead.
    const used = this.delayScaled()
    if (sample.meanPathDelay !== undefined && used !== undefined) off += sample.meanPathDelay - used
    if (this.b.reportedOffset === 'ignores-correction') off += sample.cSync + sample.cFollowUp
    if (this.b.reportedOffset === 'inverted-sign') off = -off
    return off >> 16n
  }

  meanPathDelayNs(): bigint | undefined {
    const d = this.delayScaled()
    return d === undefined ? undefined : d >> 16n
  }

  /**
   * The path delay the clock uses and reports (scaled ns): the median of the last
   * DELAY_FILTER_LENGTH exchanges, as ptp4l's default delay filter (moving_median, 10), so one
   * exchange that comes out wrong (seen under load: a link delay equal to the responder's 2 ms
   * turnaround, cause not found) moves neither the offset nor the reported delay;
   * with pathDelayFrozen, the first one.
   */
  private delayScaled(): bigint | undefined {
    const d = this.filteredDelay()
    if (!this.b.pathDelayFrozen) return d
    this.frozenDelay ??= d
    return this.frozenDelay
  }

  private filteredDelay(): bigint | undefined {
    const recent = this.cfg.settings.delayMechanism === 'P2P'
      ? this.slave.pdelayExchanges.slice(-DELAY_FILTER_LENGTH).map((x) => x.meanLinkDelay)
      : this.slave.delayExchanges.slice(-DELAY_FILTER_LENGTH).map((x) => x.meanPathDelay)
    return recent.length ? medianNs(recent) : this.slave.meanPathDelay
  }

  dutState(readAt: number): DutState {
    const s = this.cfg.settings
    const own = this.ownDataset()
    const parent = this.parentValue
    const state: DutState = {
      source: 'management-uds',
      readAt,
      clockIdentity: this.portIdentity.clockIdentity,
      domainNumber: this.domainNumber,
      priority1: own.priority1,
      priority2: own.priority2,
      clockQuality: { ...own.clockQuality },
      slaveOnly: this.cfg.role === 'slave',
      ports: [{
        portNumber: 1,
        portIdentity: { ...this.portIdentity },
        portState: this.portState,
        delayMechanism: s.delayMechanism,
        logAnnounceInterval: s.intervals.announce.value,
        logSyncInterval: s.intervals.sync.value,
        logMinDelayReqInterval: s.intervals.delayReq.value,
        logMinPdelayReqInterval: s.intervals.pdelayReq.value,
        announceReceiptTimeout: s.announceReceiptTimeout.value,
        ...(s.delayMechanism === 'P2P' && this.meanPathDelayNs() !== undefined ? { peerMeanPathDelayNs: this.meanPathDelayNs()! } : {}),
      }],
      parentPortIdentity: parent ? { ...parent.port } : { clockIdentity: this.portIdentity.clockIdentity, portNumber: 0 },
      grandmasterIdentity: parent ? parent.dataset.grandmasterIdentity : this.portIdentity.clockIdentity,
      grandmasterPriority1: parent ? parent.dataset.priority1 : own.priority1,
      grandmasterPriority2: parent ? parent.dataset.priority2 : own.priority2,
      grandmasterClockQuality: parent ? { ...parent.dataset.clockQuality } : { ...own.clockQuality },
      stepsRemoved: parent ? parent.dataset.stepsRemoved + 1 : 0,
    }
    const off = this.reportedOffsetNs()
    if (off !== undefined) state.offsetFromMasterNs = off
    if (parent && s.delayMechanism === 'E2E') {
      const d = this.meanPathDelayNs()
      if (d !== undefined) state.meanPathDelayNs = d
    }
    return state
  }

  // ------------------------------------------------------------ Engine

  start(now: bigint): EngineAction[] {
    const out: EngineAction[] = []
    this.enter('LISTENING', now)
    // Unicast: nothing is served before a grant opens its gate.
    if (this.grants) this.master.setGate({ announce: false, sync: false, answers: false }, now)
    out.push(...this.wrap('m', this.master.start(now)))
    if (this.peer) out.push(...this.wrap('p', this.peer.start(now)))
    out.push(...this.wrap('s', this.sSide.start(now)))
    out.push(this.receiptTimer(now))
    if (this.cfg.role === 'slave' && this.b.slaveSendsSync) out.push(...this.wrap('m', this.master.resume(now, { announce: false, sync: true, answers: false })))
    return out
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    if (id === 'announce-receipt') return this.receiptTimeout(now)
    if (id === 'sync-receipt') return this.parentValue ? this.receiptTimeout(now) : []
    if (id.startsWith(GRANT_EXPIRY)) return this.grantExpired(id.slice(GRANT_EXPIRY.length) as UnicastService, now)
    const slash = id.indexOf('/')
    const who = id.slice(0, slash)
    const inner = id.slice(slash + 1)
    if (who === 'm') return this.wrap('m', this.master.onTimer(inner, now))
    if (who === 'p' && this.peer) return this.wrap('p', this.peer.onTimer(inner, now))
    if (who === 's') {
      const actions = this.sSide.onTimer(inner, now)
      if (actions.some((a) => a.kind === 'send' && a.message.type === 'Pdelay_Req')) this.countLostResponse()
      return [...this.wrap('s', actions), ...this.gateAsCapable(now)]
    }
    return []
  }

  /**
   * Before each new Pdelay_Req: was the previous one answered (a new exchange completed since)?
   * Consecutive unanswered requests count as lost responses (802.1AS-2020 11.2.19 lostResponses),
   * and so does one answered by more than one responder: a second Pdelay_Resp sends the
   * requester's state machine to RESET (802.1AS-2020 Figure 11-9), where lostResponses counts.
   */
  private countLostResponse(): void {
    const latest = this.slave.pdelayExchanges.at(-1)?.sequenceId
    const multiple = latest !== undefined && !this.b.ignoresMultiplePdelayResponses && this.slave.multipleResponses.at(-1) === latest
    if (this.pdelayRequests > 0 && (latest === this.lastAnsweredSeq || multiple)) this.lostResponses++
    else this.lostResponses = 0
    this.lastAnsweredSeq = latest
    this.pdelayRequests++
  }

  onMessage(rx: ReceivedMessage, now: bigint): EngineAction[] {
    const m = rx.message
    const overrun = this.b.crashesOnTlvOverrun ? tlvOverrun(rx.findings ?? []) : undefined
    if (overrun) throw new ParserCrash(`${m.type} from ${m.header.sourcePortIdentity.clockIdentity}: ${overrun.message}`)
    // Length fields that do not describe the octets: where the fields lie is unknown (13.3.2.5, 14.1.2).
    if (malformation(rx.findings ?? []) && !this.b.acceptsMalformed) return []
    // Another domain, SDO or protocol version is another PTP network (1588-2019 7.1, 7.5.3, 13.3.2.4).
    const accept = this.b.acceptForeign ?? []
    if (m.header.domainNumber !== this.domainNumber && !accept.includes('domain')) return []
    if (m.header.majorSdoId !== this.majorSdoId && !accept.includes('sdo')) return []
    if (m.header.versionPTP !== PTP_VERSION && !accept.includes('version')) return []
    if (normalizeClockIdentity(m.header.sourcePortIdentity.clockIdentity) === this.portIdentity.clockIdentity && !this.b.acceptOwnIdentity) return []
    if (this.b.dropsUnknownTlv && m.tlvs.some((t) => t.kind === 'UNKNOWN' || (t.kind === 'ORGANIZATION_EXTENSION' && t.org === 'GENERIC'))) return []
    const out: EngineAction[] = []
    if (m.type === 'Management') return this.answerManagement(m, now)
    if (m.type === 'Signaling') return negotiationTlvs(m).length ? this.onNegotiation(rx, m, now) : this.onSignaling(m, now)
    if (m.type === 'Announce') out.push(...this.onAnnounce(m, rx.rxTimestampNs, now))
    out.push(...this.wrap('m', this.master.onMessage(rx, now)))
    if (this.peer) out.push(...this.wrap('p', this.peer.onMessage(rx, now)))
    if (!this.pastFollowUpDeadline(m, rx.rxTimestampNs)) out.push(...this.wrap('s', this.sSide.onMessage(rx, now)))
    if (m.type === 'Sync' && this.parentValue && samePortIdentity(m.header.sourcePortIdentity, this.parentValue.port) && this.cfg.settings.syncReceiptTimeout && !this.b.ignoreSyncReceiptTimeout) {
      const n = BigInt(this.cfg.settings.syncReceiptTimeout.value + (this.b.syncReceiptTimeoutDeltaIntervals ?? 0))
      out.push({ kind: 'timer', at: now + n * logIntervalToNs(this.cfg.settings.intervals.sync.value), id: 'sync-receipt' })
    }
    this.calibrate(now)
    out.push(...this.gateAsCapable(now))
    return out
  }

  /** The peer-delay exchanges measured (the latest 1000), for the process's diagnostics. */
  get pdelayExchanges(): readonly PdelayExchange[] {
    return this.slave.pdelayExchanges
  }

  /** neighborRateRatio is measured once two exchanges with the same responder completed (802.1AS-2020 11.2.19.3.3). */
  private rateRatioValid(): boolean {
    const [a, b] = this.slave.pdelayExchanges.slice(-2)
    return a !== undefined && b !== undefined && samePortIdentity(a.responder, b.responder)
  }

  /**
   * 802.1AS asCapable, as far as a master port shows it: FALSE until a peer delay and the
   * neighborRateRatio are measured,
   * whenever the mean link delay exceeds the configured neighborPropDelayThresh and while more
   * than allowedLostResponses consecutive Pdelay responses are lost; a port that is
   * not asCapable sends no Announce or Sync (802.1AS-2020 11.2.2, 10.2). Applies where the
   * profile requires asCapable. The slave side is not gated (the reference clock still follows a
   * master it hears).
   */
  private gateAsCapable(now: bigint): EngineAction[] {
    if (!this.cfg.profile.peerDelay?.asCapableRequired) return []
    const thresh = this.cfg.settings.neighborPropDelayThreshNs?.value
    // The mean link delay as 802.1AS leaves it to the implementation to average: the filtered one
    // the clock uses (delayScaled). With a median of 5, one INT-06 run under load lost asCapable
    // for 4 s while the partner's turnarounds were 4–6 ms.
    const d = this.meanPathDelayNs()
    const allowed = (this.cfg.settings.allowedLostResponses?.value ?? Number.POSITIVE_INFINITY) + (this.b.allowedLostResponsesDelta ?? 0)
    const capable = d !== undefined && (this.b.asCapableBeforeRateRatio || this.rateRatioValid()) && (this.b.ignoresNeighborPropDelayThresh || thresh === undefined || d <= BigInt(thresh)) && this.lostResponses <= allowed
    if (capable === this.asCapable) return []
    this.asCapable = capable
    if (!capable) {
      this.master.silence({ announce: true, sync: true, answers: false })
      return []
    }
    return this.resumeMaster(now, false)
  }

  /** The Follow_Up deadline fault: remembers Sync arrivals, says whether a Follow_Up came too late. */
  private pastFollowUpDeadline(m: PtpMessage, rxNs: bigint): boolean {
    const deadline = this.b.followUpDeadlineNs
    if (deadline === undefined) return false
    if (m.type === 'Sync') {
      this.syncArrivals.set(m.header.sequenceId, rxNs)
      if (this.syncArrivals.size > 16) this.syncArrivals.delete(this.syncArrivals.keys().next().value!)
      return false
    }
    if (m.type !== 'Follow_Up') return false
    const sync = this.syncArrivals.get(m.header.sequenceId)
    return sync !== undefined && rxNs - sync > deadline
  }

  onTransmitted(tx: Transmitted, now: bigint): EngineAction[] {
    const who = this.owners.get(tx.sendId)
    if (!who) return []
    this.owners.delete(tx.sendId)
    let out: EngineAction[]
    if (who === 'm') out = this.wrap('m', this.master.onTransmitted(tx, now))
    else if (who === 'p' && this.peer) out = this.wrap('p', this.peer.onTransmitted(tx, now))
    else out = this.wrap('s', this.sSide.onTransmitted(tx, now))
    this.calibrate(now)
    out.push(...this.gateAsCapable(now))
    return out
  }

  // ------------------------------------------------------------ management

  private answerManagement(req: ManagementMessage, now: bigint): EngineAction[] {
    if (this.b.silent) return []
    const d = this.master.announceDataset
    const answer = answerManagement(req, {
      portIdentity: this.portIdentity,
      header: this.header,
      state: this.dutState(Number(now / 1_000_000n)),
      timeProperties: { currentUtcOffset: d.currentUtcOffset, flagField: d.flagField, timeSource: d.timeSource },
      twoStep: this.cfg.profile.steps.twoStep !== 'forbidden',
      disagree: this.b.managementDisagrees === true,
      ...(this.b.managementErrors ? { errors: this.b.managementErrors } : {}),
      ...(this.b.managementSet ? { setFault: this.b.managementSet } : {}),
    })
    const set = settableRequest(req)
    // Applied where it was answered: its Announce carries the new value from the next one on.
    if (set && answer && !this.b.managementSet) this.master.setDataset(set.name === 'PRIORITY1' ? { grandmasterPriority1: set.value } : { grandmasterPriority2: set.value })
    if (!answer) return []
    const tlv = answer.tlvs[0]
    const what = tlv && 'managementId' in tlv ? managementIdName(tlv.managementId) : 'Management'
    return [{ kind: 'send', sendId: this.mgmt.nextId(), message: answer, event: false, reason: { source: this.name, step: `RESPONSE ${what} #${req.header.sequenceId}`, mutations: [] } }]
  }

  // ------------------------------------------------------------ BMCA

  /** The power profile's BMCA uses only Announce messages carrying its TLVs (C37.238-2011 5.12.2). */
  private get requiredAnnounceTlvs(): ((t: Tlv) => boolean)[] {
    const p = this.cfg.profile
    if (!p.bmca.ignoreAnnounceWithoutRequiredTlvs || this.b.acceptAnnounceWithoutRequiredTlvs) return []
    return (p.tlvs.Announce?.required ?? []).map((r) => (t: Tlv) => tlvName(t) === r.tlv)
  }

  private onAnnounce(a: AnnounceMessage, rxNs: bigint, now: bigint): EngineAction[] {
    const gptp = this.cfg.profile.bmca.variant === '802.1as'
    const accept = this.b.acceptForeign ?? []
    const usable = announceUsable(a, {
      // The faults that let foreign or looped Announces through take them as the filter's own values.
      ownClockIdentity: this.b.acceptOwnIdentity ? 'ffffff.ffff.ffffff' : this.portIdentity.clockIdentity,
      domainNumber: accept.includes('domain') ? a.header.domainNumber : this.domainNumber,
      majorSdoId: accept.includes('sdo') ? a.header.majorSdoId : this.majorSdoId,
      ...(this.b.acceptStepsRemoved255 ? { maxStepsRemoved: 0x10000 } : {}),
      pathTraceLoopCheck: gptp,
      requiredTlvs: this.requiredAnnounceTlvs,
    })
    if (!usable.usable || this.masterOnly) return []
    this.foreign.add(a, rxNs)
    const out: EngineAction[] = []
    const fromParent = this.parentValue && samePortIdentity(a.header.sourcePortIdentity, this.parentValue.port)
    if (fromParent) {
      this.parentValue!.announce = a
      this.parentValue!.dataset = this.foreign.get(a.header.sourcePortIdentity)!.dataset
      out.push(this.receiptTimer(now))
    }
    out.push(...this.decide(now, false))
    return out
  }

  /**
   * The state decision for one ordinary-clock port (1588-2019 9.3.3: S1 when Erbest is better
   * than D0, else M1/M2). A master decision waits for the announce receipt timeout while
   * LISTENING; a slave-only clock never takes a master state.
   */
  private decide(now: bigint, timedOut: boolean): EngineAction[] {
    const best = this.foreign.best(now, this.compare)
    const own = this.ownDataset()
    const parent = this.parentValue
    // The parent's record can lapse from the 4-interval qualification window before its
    // announce receipt timeout; until that timeout it stays the parent unless a better master qualified.
    // The parent's record stays in the table while it is the parent; only a table of fixed
    // capacity (foreignTableCapacity, the fault) evicts it, and then the parent is forgotten.
    if (parent && this.foreign.get(parent.port) && this.compare(parent.dataset, own).result > 0 && (!best || this.compare(best.dataset, parent.dataset).result <= 0)) return []
    if (best && this.compare(best.dataset, own).result > 0) {
      if (this.parentValue && samePortIdentity(this.parentValue.port, best.sender)) return []
      return this.follow(best.sender, best.latest, best.dataset, now)
    }
    if (this.cfg.role === 'slave' || this.notGrandmasterCapable()) return this.unfollow('LISTENING', now)
    if (this.portState === 'MASTER') return []
    if (this.portState === 'LISTENING' && !timedOut) return []
    return this.becomeMaster(now)
  }

  /** Role master: the port never becomes SLAVE and ignores Announce (linuxptp masterOnly, G.8275.1 notSlave). */
  private get masterOnly(): boolean {
    return this.cfg.role === 'master' && !this.b.masterOnlyIgnored
  }

  /** 802.1AS-2020 8.6.2.1: priority1 255 marks a time-aware system that is not grandmaster-capable; it never sources time. */
  private notGrandmasterCapable(): boolean {
    return this.cfg.profile.bmca.variant === '802.1as' && this.cfg.settings.priority1.value === 255
  }

  private receiptTimeout(now: bigint): EngineAction[] {
    if (this.masterOnly) return this.portState === 'MASTER' ? [] : this.becomeMaster(now)
    if (this.parentValue) {
      this.lostParentClass = this.parentValue.dataset.clockQuality.clockClass
      this.foreign.clear(this.parentValue.port)
      const out = this.unfollow('LISTENING', now)
      return [...out, ...this.decide(now, true), ...(this.portState === 'LISTENING' ? [this.receiptTimer(now)] : [])]
    }
    if (this.portState === 'LISTENING') {
      const out = this.decide(now, true)
      return this.portState === 'LISTENING' ? [...out, this.receiptTimer(now)] : out
    }
    return []
  }

  /** announceReceiptTimeout × interval plus a quarter interval (inside linuxptp's (N, N+1] spread). */
  private receiptTimer(now: bigint): EngineAction {
    const interval = logIntervalToNs(this.cfg.settings.intervals.announce.value)
    const n = BigInt(this.cfg.settings.announceReceiptTimeout.value + (this.b.receiptTimeoutDeltaIntervals ?? 0))
    const at = now + (n > 0n ? n : 0n) * interval + interval / 4n
    return { kind: 'timer', at, id: 'announce-receipt' }
  }

  private follow(port: PortIdentity, announce: AnnounceMessage, dataset: BmcaDataset, now: bigint): EngineAction[] {
    const out: EngineAction[] = []
    if (this.portState === 'MASTER') this.stopMaster()
    this.parentValue = { port: { ...port }, announce, dataset }
    this.slave.setMaster(port)
    this.enter('UNCALIBRATED', now)
    out.push(this.receiptTimer(now))
    return out
  }

  private unfollow(state: PortStateName, now: bigint): EngineAction[] {
    if (this.parentValue) this.slave.setMaster(undefined)
    this.parentValue = undefined
    if (this.portState !== state) this.enter(state, now)
    return []
  }

  private becomeMaster(now: bigint): EngineAction[] {
    this.unfollow('MASTER', now)
    const fault = this.b.clockClassAfterLoss
    if (fault !== undefined && this.lostParentClass !== undefined) {
      const clockClass = fault === 'lost-parent' ? this.lostParentClass : fault
      this.master.setDataset({ grandmasterClockQuality: { ...this.master.announceDataset.grandmasterClockQuality, clockClass } })
    }
    return this.resumeMaster(now, true)
  }

  /**
   * A MASTER port sends Announce and Sync unless asCapable is FALSE (where the profile needs it)
   * or an interval request stopped them (127); resume() leaves what already runs alone. The one
   * place that decides it: becoming master, asCapable coming back, a request lifting a stop.
   */
  private resumeMaster(now: bigint, answers: boolean): EngineAction[] {
    if (this.portState !== 'MASTER') return []
    const s = this.stoppedByRequest
    return this.wrap('m', this.master.resume(now, { announce: this.asCapable && !s.announce, sync: this.asCapable && !s.sync, answers }))
  }

  /** The slave side's engine: the negotiating requester around the slave under a unicast profile. */
  private get sSide(): Engine {
    return this.requester ?? this.slave
  }

  /**
   * Unicast negotiation (1588-2019 16.1). REQUEST and ACKNOWLEDGE_CANCEL go to the grant table,
   * GRANT to the requester; a CANCEL to whichever side holds the sender: the table when it
   * granted that peer the service, the requester otherwise.
   */
  private onNegotiation(rx: ReceivedMessage, m: SignalingMessage, now: bigint): EngineAction[] {
    if (this.b.silent || !addressedTo(m, this.portIdentity)) return []
    const tlvs = negotiationTlvs(m)
    const sender = m.header.sourcePortIdentity
    const grantedTo = (t: NegotiationTlv) => [...(this.grants?.grants.values() ?? [])].some((g) => g.service === serviceOf(t.messageType) && samePortIdentity(g.grantee, sender))
    const forTable = tlvs.filter((t) => t.kind === 'REQUEST_UNICAST_TRANSMISSION' || t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION' || (t.kind === 'CANCEL_UNICAST_TRANSMISSION' && grantedTo(t)))
    const forRequester = tlvs.filter((t) => !forTable.includes(t))
    const out: EngineAction[] = []
    if (forRequester.length && this.requester) out.push(...this.wrap('s', this.requester.onMessage({ ...rx, message: { ...m, tlvs: forRequester } }, now)))
    if (!forTable.length || !this.grants || rx.source === undefined) return out
    const outcome = this.grants.handle(forTable, sender, rx.source, rx.rxTimestampNs)
    // The grants open and close the master's gates; MASTER or not stays the port state's to decide.
    out.push(...this.wrap('m', serveOutcome(this.master, outcome, sender, rx.source, now, { keepConfiguredRates: this.grants.config.keepConfiguredRates, syncLogDelta: this.b.syncRateLogDelta ?? 0 })))
    return out
  }

  private grantExpired(svc: UnicastService, now: bigint): EngineAction[] {
    if (this.grants?.expire(svc, now)) closeService(this.master, svc, now)
    return []
  }

  /**
   * 802.1AS-2020 10.6.4.3 message interval request, as a master port honours it: per interval,
   * −128 keeps the current one, 126 returns to the initial (configured) one, 127 stops sending,
   * any other value is the new log2 interval. linkDelayInterval is not applied (the reference
   * clock's Pdelay_Req rate stays the configured one).
   */
  private onSignaling(m: SignalingMessage, now: bigint): EngineAction[] {
    if (this.b.ignoresIntervalRequest || !addressedTo(m, this.portIdentity)) return []
    for (const tlv of m.tlvs) {
      if (tlv.kind !== 'ORGANIZATION_EXTENSION' || tlv.org !== 'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST') continue
      for (const [which, req] of [['announce', tlv.announceInterval], ['sync', tlv.timeSyncInterval]] as const) {
        if (req === INTERVAL_NO_CHANGE) continue
        if (req === INTERVAL_STOP) {
          this.stoppedByRequest[which] = true
          this.master.silence({ announce: which === 'announce', sync: which === 'sync', answers: false })
          continue
        }
        this.master.setIntervals({ [which]: req === INTERVAL_INITIAL ? this.initialIntervals[which] : req })
        this.stoppedByRequest[which] = false
      }
    }
    return this.resumeMaster(now, false)
  }

  private stopMaster(): void {
    this.master.silence()
  }

  /** UNCALIBRATED → SLAVE once the first offsetFromMaster is known (this clock never steers). */
  private calibrate(now: bigint): void {
    if (this.portState === 'UNCALIBRATED' && this.reportedOffsetNs() !== undefined) this.enter('SLAVE', now)
  }

  private enter(state: PortStateName, now: bigint): void {
    this.portState = state
    const t: { atNs: bigint; state: PortStateName; parent?: PortIdentity } = { atNs: now, state }
    if (this.parentValue) t.parent = { ...this.parentValue.port }
    this.transitions.push(t)
    if (this.transitions.length > 1000) this.transitions.shift()
  }

  private wrap(who: 'm' | 'p' | 's', actions: EngineAction[]): EngineAction[] {
    return actions.map((a) => {
      if (a.kind === 'timer') return { ...a, id: `${who}/${a.id}` }
      this.owners.set(a.sendId, who)
      return a
    })
  }
}

/** A PATH_TRACE naming a clock that is not this one. */
function foreignPathTrace(): Tlv {
  return buildPathTraceTlv(['deadbe.ef00.000001'])
}

