/**
 * The test master: an emulated grandmaster that a DUT slave must follow (or a DUT master must
 * defeat). Sans-IO: it plans Announce and Sync on fixed grids, answers Delay_Req / Pdelay_Req,
 * and sends Follow_Up / Pdelay_Resp_Follow_Up once the TX timestamp of the event message is
 * handed back. The time it sends is its TimeBase applied to the timestamp clock, so a DUT slave
 * can be shown a known offset; `correctionShift` moves part of that time into correctionField
 * (and shifts the timestamp by the same amount) without changing what a correct slave computes.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted, Destination } from './actions.ts'
import type { ClockIdentity, ClockQuality, PortIdentity, PtpMessage, Tlv } from '../codec/types.ts'
import {
  FLAG_PTP_TIMESCALE,
  FLAG_TWO_STEP,
  FLAG_UNICAST,
  LOG_MESSAGE_INTERVAL_UNSPECIFIED,
  TimeSource,
} from '../codec/constants.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { WILDCARD_PORT_IDENTITY } from '../codec/fields.ts'
import { buildFollowUpInfoTlv } from '../codec/tlvs/follow_up_info.ts'
import { buildPathTraceTlv } from '../codec/tlvs/path_trace.ts'
import { logIntervalToNs } from '../time/log_interval.ts'
import { nsToScaled } from './delay_arithmetic.ts'
import { SendEmitter } from './emitter.ts'
import {
  buildAnnounceMessage,
  buildDelayRespMessage,
  buildFollowUpMessage,
  buildPdelayRespFollowUpMessage,
  buildPdelayRespMessage,
  buildSignalingMessage,
  buildSyncMessage,
  defaultHeaderDefaults,
  type HeaderDefaults,
  samePortIdentity,
  ts,
} from './message_factory.ts'
import { MutationPipeline, type MutationRule, type PlannedSend } from './mutations.ts'
import { TimeBase } from './time_base.ts'
import { ZERO_TIMESTAMP } from '../time/timestamp.ts'
import { CURRENT_TAI_MINUS_UTC } from '../time/utc_offset.ts'

/** What the master announces (1588-2019 13.5 body + the time-property flags). */
export interface AnnounceDataset {
  grandmasterPriority1: number
  grandmasterClockQuality: ClockQuality
  grandmasterPriority2: number
  /** Default: the master's own clockIdentity. */
  grandmasterIdentity?: ClockIdentity
  stepsRemoved: number
  timeSource: number
  currentUtcOffset: number
  /**
   * flagField of the Announce: octet-1 time properties (leap61, leap59, currentUtcOffsetValid,
   * ptpTimescale, timeTraceable, frequencyTraceable, synchronizationUncertain) and any octet-0
   * bits wanted (alternateMasterFlag, profile-specific, unicast).
   */
  flagField: number
}

/**
 * What ptp4l announces as a free-running grandmaster on CLOCK_REALTIME (default.cfg): class 248,
 * accuracy unknown, variance 0xFFFF, priorities 128, ARB timescale (linuxptp clears ptpTimescale
 * when its clock is CLOCK_REALTIME, so a slave applies no UTC offset to the timestamps).
 */
export const DEFAULT_ANNOUNCE_DATASET: Readonly<AnnounceDataset> = Object.freeze({
  grandmasterPriority1: 128,
  grandmasterClockQuality: Object.freeze({ clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }),
  grandmasterPriority2: 128,
  stepsRemoved: 0,
  timeSource: TimeSource.INTERNAL_OSCILLATOR,
  currentUtcOffset: CURRENT_TAI_MINUS_UTC,
  flagField: 0,
})

export interface CorrectionShift {
  /** Nanoseconds moved out of the timestamps into correctionField. */
  ns: bigint
  /** Which message of the Sync path carries it (a one-step Sync always carries it itself). Default 'Follow_Up'. */
  syncPath?: 'Sync' | 'Follow_Up'
  /** Shift Delay_Resp too (receiveTimestamp + ns, correctionField + ns). Default true. */
  delayResp?: boolean
}

/**
 * An emulated link longer than the real one, by timestamp arithmetic (E2E-02, P2P-02): the
 * master writes its send times earlier by `toDutNs` (Sync/Follow_Up origin, Pdelay_Resp's t3)
 * and its receive times later by `fromDutNs` (Delay_Resp's t4, Pdelay_Resp's t2), exactly as
 * if each direction took that much longer. Equal values are a fixed delay; different ones an
 * asymmetry, which a two-way slave cannot see and splits into its offset.
 */
export interface PathDelay {
  toDutNs: bigint
  fromDutNs: bigint
}

const NO_PATH_DELAY: PathDelay = { toDutNs: 0n, fromDutNs: 0n }

export interface TestMasterConfig {
  /** Name in send reasons and recorder entries, e.g. 'gm-a'. */
  name: string
  clockIdentity: ClockIdentity
  portNumber?: number
  /** Header fields other than sourcePortIdentity (domain, SDO ids, versions, controlField convention). */
  header?: Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>>
  dataset?: Partial<AnnounceDataset>
  /** TLVs appended to every Announce (C37.238, ATOI, ...). */
  announceTlvs?: Tlv[]
  /** Append a PATH_TRACE TLV holding this clock's identity (802.1AS). */
  pathTrace?: boolean
  logAnnounceInterval: number
  logSyncInterval: number
  /** logMessageInterval of multicast Delay_Resp (a linuxptp slave adopts it as its Delay_Req rate). */
  logMinDelayReqInterval?: number
  /** Default true. */
  twoStep?: boolean
  /** Add the 802.1AS Follow_Up information TLV to every Follow_Up. */
  followUpInformationTlv?: boolean
  /** Which requests the master answers. Default 'E2E'. */
  delayMechanism?: 'E2E' | 'P2P' | 'none'
  /** Answer Pdelay_Req one-step: Pdelay_Resp with the turnaround in correctionField, sent this long after the request. */
  oneStepPdelayTurnaroundNs?: bigint
  /**
   * Two-step Pdelay answers with zero timestamps and the turnaround t3 − t2 in the
   * Pdelay_Resp_Follow_Up correctionField (the option of IEEE 1588-2019 11.4.2 c) 8)).
   */
  pdelayTurnaroundInCorrection?: boolean
  /** Where messages of a type go instead of the default (a DUT that addresses them wrongly). */
  destinations?: Partial<Record<PtpMessage['type'], Destination>>
  /** Send everything unicast to this address with unicastFlag (Sync, Follow_Up, Delay_Resp: logMessageInterval 0x7F, Table 42). */
  unicastTo?: string
  /** Answer Delay_Req with a unicast Delay_Resp to its source (hybrid mode). */
  unicastDelayResp?: boolean
  timeBase?: TimeBase
  correctionShift?: CorrectionShift
  pathDelay?: PathDelay
  mutations?: MutationRule[]
  seed?: number
  sendAnnounce?: boolean
  sendSync?: boolean
  /** How long before a planned send the engine wants to be woken (coarse Node timer). Default 20 ms. */
  prepareLeadNs?: bigint
  /** First Announce/Sync this long after start (after the prepare lead). Default 0. */
  startDelayNs?: bigint
  /** Delay of the Follow_Up sent for a withheld Sync (withholdSync mutation). Default 1 ms. */
  withheldFollowUpDelayNs?: bigint
  /** Answer requests from any domain / majorSdoId (default: only our own). */
  answerForeignDomains?: boolean
  /**
   * The timestamp clock already counts TAI (a PHC disciplined to PTP time). Default false:
   * software timestamps are CLOCK_REALTIME (UTC), so a ptpTimescale master adds currentUtcOffset.
   */
  timestampClockIsTai?: boolean
}

interface PendingSync {
  sequenceId: number
  plannedAt: bigint
  /** Message type of the original (a mutation may have changed the message). */
  twoStep: boolean
}

interface PendingPdelay {
  sequenceId: number
  requester: PortIdentity
  correctionField: bigint
  destination?: Destination
  /** The request's ingress time in the master's time base. */
  t2?: bigint
}

const DEFAULT_LEAD = 20_000_000n

export class TestMaster implements Engine {
  readonly name: string
  readonly portIdentity: PortIdentity
  private header: HeaderDefaults
  private dataset: AnnounceDataset
  private announceTlvs: Tlv[]
  private readonly cfg: TestMasterConfig
  private timeBaseValue: TimeBase
  private shift: CorrectionShift | undefined
  private path: PathDelay
  private pipeline: MutationPipeline
  private readonly emitter: SendEmitter

  private announceSeq = 0
  private syncSeq = 0
  private signalingSeq = 0
  /** Current intervals: the configured ones until setIntervals (a message interval request). */
  private logAnnounce: number
  private logSync: number
  private nextAnnounceAt: bigint | undefined
  private nextSyncAt: bigint | undefined
  private announcing: boolean
  private syncing: boolean
  private answering = true
  /**
   * What unicast grants let through (all open unless a negotiation closes them): a test's own
   * silence()/resume() and the grants are two separate switches, and a message goes out only
   * when both are on, so a grant never revives a grandmaster a test silenced.
   */
  private readonly gate = { announce: true, sync: true, answers: true }
  /** Where everything goes when unicast (cfg.unicastTo, or the peer a negotiation granted). */
  private unicastAddress: string | undefined
  private readonly pendingSync = new Map<string, PendingSync>()
  private readonly pendingPdelay = new Map<string, PendingPdelay>()
  /** Count of frames planned, by type (for tests and suites). */
  readonly planned: Record<string, number> = {}

  constructor(config: TestMasterConfig) {
    this.cfg = config
    this.name = config.name
    this.portIdentity = { clockIdentity: normalizeClockIdentity(config.clockIdentity), portNumber: config.portNumber ?? 1 }
    this.header = { ...defaultHeaderDefaults(this.portIdentity), ...config.header, sourcePortIdentity: this.portIdentity }
    this.dataset = { ...DEFAULT_ANNOUNCE_DATASET, ...config.dataset }
    this.announceTlvs = config.announceTlvs ?? []
    this.timeBaseValue = config.timeBase ?? new TimeBase()
    this.shift = config.correctionShift
    this.path = config.pathDelay ?? NO_PATH_DELAY
    this.logAnnounce = config.logAnnounceInterval
    this.logSync = config.logSyncInterval
    this.pipeline = new MutationPipeline(config.mutations ?? [], config.seed ?? 1)
    this.emitter = new SendEmitter(config.name)
    this.announcing = config.sendAnnounce ?? true
    this.syncing = config.sendSync ?? true
    this.unicastAddress = config.unicastTo
  }

  // ------------------------------------------------------------ control (called between events)

  get timeBase(): TimeBase {
    return this.timeBaseValue
  }

  /** The offsetFromMaster a correct slave with a true offset of 0 must report (slave − master). */
  expectedSlaveOffsetNs(atNs: bigint): bigint {
    return atNs - this.timeBaseValue.toMaster(atNs)
  }

  get announceDataset(): Readonly<AnnounceDataset> {
    return this.dataset
  }

  setDataset(changes: Partial<AnnounceDataset>): void {
    this.dataset = { ...this.dataset, ...changes }
  }

  setAnnounceTlvs(tlvs: Tlv[]): void {
    this.announceTlvs = tlvs
  }

  setTimeBase(tb: TimeBase): void {
    this.timeBaseValue = tb
  }

  setCorrectionShift(shift: CorrectionShift | undefined): void {
    this.shift = shift
  }

  /** The emulated extra link delay from now on (undefined: none). */
  setPathDelay(p: PathDelay | undefined): void {
    this.path = p ?? NO_PATH_DELAY
  }

  get pathDelay(): Readonly<PathDelay> {
    return this.path
  }

  /** Messages the current mutation rules changed or left unsent (since setMutations). */
  get mutationsApplied(): number {
    return this.pipeline.applied
  }

  setMutations(rules: MutationRule[], seed = this.cfg.seed ?? 1): void {
    this.pipeline = new MutationPipeline(rules, seed)
  }

  /** New Announce / Sync intervals from the next send on (a master honouring a message interval request). */
  setIntervals(i: { announce?: number; sync?: number }): void {
    if (i.announce !== undefined) this.logAnnounce = i.announce
    if (i.sync !== undefined) this.logSync = i.sync
  }

  get intervals(): { announce: number; sync: number } {
    return { announce: this.logAnnounce, sync: this.logSync }
  }

  /** A Signaling message with `tlvs` from this port, sent at once (802.1AS message interval request, unicast grants, …). */
  signal(tlvs: Tlv[], target: PortIdentity = WILDCARD_PORT_IDENTITY, destination?: Destination, step?: string): EngineAction[] {
    const seq = this.signalingSeq
    this.signalingSeq = (this.signalingSeq + 1) & 0xffff
    const flagField = destination?.kind === 'unicast' || this.unicastAddress !== undefined ? FLAG_UNICAST : 0
    const msg = buildSignalingMessage(this.header, { sequenceId: seq, flagField, logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED }, target, tlvs)
    return this.emit({ message: msg, mutations: [], role: 'original' }, step ? `${step} (Signaling #${seq})` : `Signaling #${seq}`, destination)
  }

  /** Send everything unicast to this address from now on (the peer a unicast negotiation granted). */
  setUnicastTo(address: string): void {
    this.unicastAddress = address
  }

  /** The domain this master sends in (requests from others are not its business). */
  get headerDomain(): number {
    return this.header.domainNumber
  }


  /** Stop sending (a grandmaster that dies). By default everything stops, answers included. */
  silence(what: { announce?: boolean; sync?: boolean; answers?: boolean } = {}): void {
    if (what.announce ?? true) this.announcing = false
    if (what.sync ?? true) this.syncing = false
    if (what.answers ?? true) this.answering = false
  }

  /** Start sending again; the grids restart at now. */
  resume(now: bigint, what: { announce?: boolean; sync?: boolean; answers?: boolean } = {}): EngineAction[] {
    const actions: EngineAction[] = []
    const lead = this.lead()
    if ((what.announce ?? true) && !this.announcing) {
      this.announcing = true
      this.nextAnnounceAt = now + lead
      actions.push({ kind: 'timer', at: now, id: 'announce' })
    }
    if ((what.sync ?? true) && !this.syncing) {
      this.syncing = true
      this.nextSyncAt = now + lead
      actions.push({ kind: 'timer', at: now, id: 'sync' })
    }
    if (what.answers ?? true) this.answering = true
    return actions
  }

  /**
   * Open or close the unicast gates (a grant started or ended). Opening one whose stream the
   * test has on restarts its grid at now; closing one stops it at the next tick.
   */
  setGate(what: { announce?: boolean; sync?: boolean; answers?: boolean }, now: bigint): EngineAction[] {
    const actions: EngineAction[] = []
    const lead = this.lead()
    if (what.announce !== undefined && what.announce !== this.gate.announce) {
      this.gate.announce = what.announce
      if (what.announce && this.announcing) {
        this.nextAnnounceAt = now + lead
        actions.push({ kind: 'timer', at: now, id: 'announce' })
      }
    }
    if (what.sync !== undefined && what.sync !== this.gate.sync) {
      this.gate.sync = what.sync
      if (what.sync && this.syncing) {
        this.nextSyncAt = now + lead
        actions.push({ kind: 'timer', at: now, id: 'sync' })
      }
    }
    if (what.answers !== undefined) this.gate.answers = what.answers
    return actions
  }

  get isAnnouncing(): boolean {
    return this.announcing
  }

  // ------------------------------------------------------------ Engine

  start(now: bigint): EngineAction[] {
    const first = now + this.lead() + (this.cfg.startDelayNs ?? 0n)
    this.nextAnnounceAt = first
    // Sync half a millisecond after Announce, so the two never compete for the same instant.
    this.nextSyncAt = first + 500_000n
    return [
      { kind: 'timer', at: this.nextAnnounceAt - this.lead(), id: 'announce' },
      { kind: 'timer', at: this.nextSyncAt - this.lead(), id: 'sync' },
    ]
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    if (id === 'announce') return this.announceTick(now)
    if (id === 'sync') return this.syncTick(now)
    return []
  }

  onMessage(rx: ReceivedMessage, _now: bigint): EngineAction[] {
    const m = rx.message
    if (!this.answering || !this.gate.answers) return []
    if (samePortIdentity(m.header.sourcePortIdentity, this.portIdentity)) return []
    if (!this.cfg.answerForeignDomains &&
      (m.header.domainNumber !== this.header.domainNumber || m.header.majorSdoId !== this.header.majorSdoId)) return []
    const mech = this.cfg.delayMechanism ?? 'E2E'
    if (m.type === 'Delay_Req' && mech === 'E2E') return this.answerDelayReq(m, rx)
    if (m.type === 'Pdelay_Req' && mech === 'P2P') return this.answerPdelayReq(m, rx)
    return []
  }

  onTransmitted(tx: Transmitted, _now: bigint): EngineAction[] {
    const sync = this.pendingSync.get(tx.sendId)
    if (sync) {
      this.pendingSync.delete(tx.sendId)
      return this.followUp(sync, tx.txTimestampNs, tx.txTimestampNs, `Follow_Up for Sync #${sync.sequenceId}`)
    }
    const pd = this.pendingPdelay.get(tx.sendId)
    if (pd) {
      this.pendingPdelay.delete(tx.sendId)
      const t3 = this.wireTime(tx.txTimestampNs) - this.path.toDutNs
      const inCorrection = this.cfg.pdelayTurnaroundInCorrection === true && pd.t2 !== undefined
      const msg = buildPdelayRespFollowUpMessage(
        this.header,
        { sequenceId: pd.sequenceId, correctionField: pd.correctionField + (inCorrection ? nsToScaled(t3 - pd.t2!) : 0n), logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED },
        inCorrection ? ZERO_TIMESTAMP : ts(t3),
        pd.requester,
      )
      return this.emit({ message: msg, baseNs: tx.txTimestampNs, mutations: [], role: 'original' },
        `Pdelay_Resp_Follow_Up #${pd.sequenceId}`, pd.destination ?? { kind: 'pdelay' })
    }
    return []
  }

  // ------------------------------------------------------------ periodic messages

  private lead(): bigint {
    return this.cfg.prepareLeadNs ?? DEFAULT_LEAD
  }

  /** Next slot of a grid at or after `now − interval` (late slots are still sent, at once; older ones are dropped). */
  private catchUp(next: bigint, interval: bigint, now: bigint): bigint {
    if (next >= now - interval) return next
    const behind = (now - interval - next) / interval + 1n
    return next + behind * interval
  }

  private announceTick(now: bigint): EngineAction[] {
    if (!this.announcing || !this.gate.announce || this.nextAnnounceAt === undefined) return []
    const interval = logIntervalToNs(this.logAnnounce)
    if (now < this.nextAnnounceAt - this.lead()) return [{ kind: 'timer', at: this.nextAnnounceAt - this.lead(), id: 'announce' }]
    const at = this.catchUp(this.nextAnnounceAt, interval, now)
    this.nextAnnounceAt = at + interval
    const actions = this.emit({ message: this.buildAnnounce(at), at, mutations: [], role: 'original' }, 'Announce')
    actions.push({ kind: 'timer', at: this.nextAnnounceAt - this.lead(), id: 'announce' })
    return actions
  }

  buildAnnounce(at: bigint): PtpMessage {
    const d = this.dataset
    const tlvs = [...this.announceTlvs.map((t) => structuredClone(t))]
    if (this.cfg.pathTrace) tlvs.push(buildPathTraceTlv([this.portIdentity.clockIdentity]))
    return buildAnnounceMessage(
      this.header,
      {
        sequenceId: this.announceSeq++,
        flagField: d.flagField | this.unicastFlag(),
        // Table 42: Announce carries the port's interval, unicast or not.
        logMessageInterval: this.logAnnounce,
      },
      {
        originTimestamp: ts(this.wireTime(at)),
        currentUtcOffset: d.currentUtcOffset,
        grandmasterPriority1: d.grandmasterPriority1,
        grandmasterClockQuality: d.grandmasterClockQuality,
        grandmasterPriority2: d.grandmasterPriority2,
        grandmasterIdentity: normalizeClockIdentity(d.grandmasterIdentity ?? this.portIdentity.clockIdentity),
        stepsRemoved: d.stepsRemoved,
        timeSource: d.timeSource,
      },
      tlvs,
    )
  }

  private syncTick(now: bigint): EngineAction[] {
    if (!this.syncing || !this.gate.sync || this.nextSyncAt === undefined) return []
    const interval = logIntervalToNs(this.logSync)
    if (now < this.nextSyncAt - this.lead()) return [{ kind: 'timer', at: this.nextSyncAt - this.lead(), id: 'sync' }]
    const at = this.catchUp(this.nextSyncAt, interval, now)
    this.nextSyncAt = at + interval
    const actions = this.planSync(at)
    actions.push({ kind: 'timer', at: this.nextSyncAt - this.lead(), id: 'sync' })
    return actions
  }

  private twoStep(): boolean {
    return this.cfg.twoStep ?? true
  }

  private shiftNs(where: 'Sync' | 'Follow_Up'): bigint {
    if (!this.shift) return 0n
    const placement = this.twoStep() ? (this.shift.syncPath ?? 'Follow_Up') : 'Sync'
    return placement === where ? this.shift.ns : 0n
  }

  private planSync(at: bigint): EngineAction[] {
    const seq = this.syncSeq++
    const shiftAll = this.shift?.ns ?? 0n
    const twoStep = this.twoStep()
    const msg = buildSyncMessage(
      this.header,
      {
        sequenceId: seq,
        flagField: (twoStep ? FLAG_TWO_STEP : 0) | this.unicastFlag(),
        correctionField: nsToScaled(this.shiftNs('Sync')),
        logMessageInterval: this.intervalField(this.logSync),
      },
      // One-step: the planned send time is the best a software clock can do; the recorder keeps
      // the real TX timestamp next to it. Two-step: the Follow_Up carries the precise time.
      ts(this.wireTime(at) - shiftAll - this.path.toDutNs),
    )
    const plans = this.pipeline.apply({ message: msg, at, mutations: [], role: 'original' })
    const actions: EngineAction[] = []
    for (const p of plans) {
      if (p.withheld) {
        // Follow_Up without Sync: the Sync stays home, its Follow_Up goes out as if it had left at `at`.
        actions.push(...this.followUp({ sequenceId: seq, plannedAt: at, twoStep }, at, at + (this.cfg.withheldFollowUpDelayNs ?? 1_000_000n),
          `Follow_Up for withheld Sync #${seq}`, p.mutations))
        continue
      }
      const action = this.emitter.toAction(p, p.role === 'duplicate' ? `Sync #${seq} (duplicate)` : 'Sync', this.cfg.destinations?.Sync ?? this.destination())
      this.count('Sync')
      if (twoStep && p.role === 'original') this.pendingSync.set(action.sendId, { sequenceId: seq, plannedAt: at, twoStep })
      actions.push(action)
    }
    return actions
  }

  private followUp(sync: PendingSync, originNs: bigint, baseNs: bigint, step: string, inherited: string[] = []): EngineAction[] {
    const shiftAll = this.shift?.ns ?? 0n
    const tlvs: Tlv[] = []
    if (this.cfg.followUpInformationTlv) {
      tlvs.push(buildFollowUpInfoTlv({ cumulativeScaledRateOffset: this.timeBaseValue.cumulativeScaledRateOffset() }))
    }
    const msg = buildFollowUpMessage(
      this.header,
      {
        sequenceId: sync.sequenceId,
        flagField: this.unicastFlag(),
        correctionField: nsToScaled(this.shiftNs('Follow_Up')),
        logMessageInterval: this.intervalField(this.logSync),
      },
      ts(this.wireTime(originNs) - shiftAll - this.path.toDutNs),
      tlvs,
    )
    const plan: PlannedSend = { message: msg, baseNs, mutations: [...inherited], role: 'original' }
    if (baseNs !== originNs) plan.at = baseNs
    return this.emit(plan, step)
  }

  // ------------------------------------------------------------ answers

  private answerDelayReq(req: Extract<PtpMessage, { type: 'Delay_Req' }>, rx: ReceivedMessage): EngineAction[] {
    const shift = this.shift && (this.shift.delayResp ?? true) ? this.shift.ns : 0n
    const t4 = this.wireTime(rx.rxTimestampNs) + this.path.fromDutNs
    const unicast = this.cfg.unicastDelayResp === true || this.unicastAddress !== undefined
    const msg = buildDelayRespMessage(
      this.header,
      {
        sequenceId: req.header.sequenceId,
        flagField: unicast ? FLAG_UNICAST : 0,
        // 1588-2019 11.3.2 c): the Delay_Req's correctionField comes back in the Delay_Resp.
        correctionField: req.header.correctionField + nsToScaled(shift),
        logMessageInterval: unicast ? LOG_MESSAGE_INTERVAL_UNSPECIFIED : (this.cfg.logMinDelayReqInterval ?? 0),
      },
      // The slave subtracts the Delay_Resp correction from receiveTimestamp: add the shift here.
      ts(t4 + shift),
      req.header.sourcePortIdentity,
    )
    let dest: Destination | undefined
    if (this.unicastAddress !== undefined) dest = { kind: 'unicast', address: this.unicastAddress }
    else if (this.cfg.unicastDelayResp && rx.source) dest = { kind: 'unicast', address: rx.source }
    return this.emit({ message: msg, baseNs: rx.rxTimestampNs, mutations: [], role: 'original' },
      `Delay_Resp to ${req.header.sourcePortIdentity.clockIdentity} #${req.header.sequenceId}`, dest)
  }

  private answerPdelayReq(req: Extract<PtpMessage, { type: 'Pdelay_Req' }>, rx: ReceivedMessage): EngineAction[] {
    const t2 = this.wireTime(rx.rxTimestampNs) + this.path.fromDutNs
    const step = `Pdelay_Resp to ${req.header.sourcePortIdentity.clockIdentity} #${req.header.sequenceId}`
    const dest: Destination = { kind: 'pdelay' }
    if (this.cfg.oneStepPdelayTurnaroundNs !== undefined) {
      const at = rx.rxTimestampNs + this.cfg.oneStepPdelayTurnaroundNs
      const turnaround = this.wireTime(at) - this.path.toDutNs - t2
      const msg = buildPdelayRespMessage(
        this.header,
        {
          sequenceId: req.header.sequenceId,
          correctionField: req.header.correctionField + nsToScaled(turnaround),
          logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED,
        },
        ZERO_TIMESTAMP,
        req.header.sourcePortIdentity,
      )
      return this.emit({ message: msg, at, mutations: [], role: 'original' }, step, dest)
    }
    const msg = buildPdelayRespMessage(
      this.header,
      { sequenceId: req.header.sequenceId, flagField: FLAG_TWO_STEP, logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED },
      this.cfg.pdelayTurnaroundInCorrection ? ZERO_TIMESTAMP : ts(t2),
      req.header.sourcePortIdentity,
    )
    const plans = this.pipeline.apply({ message: msg, baseNs: rx.rxTimestampNs, mutations: [], role: 'original' })
    const actions: EngineAction[] = []
    for (const p of plans) {
      const a = this.emitter.toAction(p, step, dest)
      this.count(p.message.type)
      if (p.role === 'original') {
        this.pendingPdelay.set(a.sendId, {
          sequenceId: req.header.sequenceId,
          requester: req.header.sourcePortIdentity,
          correctionField: req.header.correctionField,
          destination: dest,
          t2,
        })
      }
      actions.push(a)
    }
    return actions
  }

  // ------------------------------------------------------------ helpers

  /**
   * The time written into a message for timestamp-clock time t. With ptpTimescale set in the
   * Announce flags the master claims the PTP (TAI) timescale; the timestamp clock is UTC
   * (CLOCK_REALTIME), so currentUtcOffset seconds are added, as a real grandmaster's TAI is
   * ahead of UTC. A slave that applies currentUtcOffset (1588-2019 7.2.3) then sees the time base.
   */
  wireTime(t: bigint): bigint {
    return this.timeBaseValue.toMaster(t) + this.epochOffsetNs()
  }

  private epochOffsetNs(): bigint {
    if (this.cfg.timestampClockIsTai || (this.dataset.flagField & FLAG_PTP_TIMESCALE) === 0) return 0n
    return BigInt(this.dataset.currentUtcOffset) * 1_000_000_000n
  }

  private unicastFlag(): number {
    return this.unicastAddress !== undefined ? FLAG_UNICAST : 0
  }

  private intervalField(log: number): number {
    return this.unicastAddress !== undefined ? LOG_MESSAGE_INTERVAL_UNSPECIFIED : log
  }

  private destination(): Destination | undefined {
    return this.unicastAddress !== undefined ? { kind: 'unicast', address: this.unicastAddress } : undefined
  }

  private count(type: string): void {
    this.planned[type] = (this.planned[type] ?? 0) + 1
  }

  /** Runs a plan through the mutations and turns the results into send actions. */
  private emit(plan: PlannedSend, step: string, destination?: Destination): EngineAction[] {
    const dest = this.cfg.destinations?.[plan.message.type] ?? destination ?? this.destination()
    return this.pipeline.apply(plan).map((p) => {
      this.count(p.message.type)
      return this.emitter.toAction(p, p.role === 'duplicate' ? `${step} (duplicate)` : step, dest)
    })
  }
}
