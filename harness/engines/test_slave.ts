/**
 * The test slave: an emulated ordinary clock that measures a DUT master. Sans-IO: it follows
 * one master (given, or chosen by the default BMCA from the Announces it hears), sends
 * Delay_Req (E2E) or Pdelay_Req (P2P) at the configured rate with the configured
 * randomisation, and computes offsetFromMaster, meanPathDelay, meanLinkDelay and
 * neighborRateRatio with the equations of IEEE 1588-2019 11.3 / 11.4 (delay_arithmetic.ts),
 * correctionFields included. It never steers anything: it only measures.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted, Destination } from './actions.ts'
import type { ClockIdentity, PortIdentity, PtpMessage, Tlv } from '../codec/types.ts'
import { FLAG_PTP_TIMESCALE, FLAG_TWO_STEP, FLAG_UNICAST, LOG_MESSAGE_INTERVAL_UNSPECIFIED } from '../codec/constants.ts'
import { WILDCARD_PORT_IDENTITY } from '../codec/fields.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { timestampToNs } from '../time/timestamp.ts'
import { ForeignMasterTable, DEFAULT_QUALIFICATION } from '../bmca/foreign_master.ts'
import { compareDefault } from '../bmca/compare.ts'
import {
  e2eExchangeOffset,
  e2eMeanPathDelay,
  e2eOffsetFromMaster,
  neighborRateRatio,
  p2pMeanLinkDelay,
  type E2eTimestamps,
  type PdelayTimestamps,
  type RateRatio,
  type ScaledNs,
  UNITY_RATE_RATIO,
  nsToScaled,
} from './delay_arithmetic.ts'
import { SendEmitter } from './emitter.ts'
import {
  buildDelayReqMessage,
  buildPdelayReqMessage,
  buildSignalingMessage,
  defaultHeaderDefaults,
  type HeaderDefaults,
  portIdentityKey,
  samePortIdentity,
  ts,
} from './message_factory.ts'
import { MutationPipeline, type MutationRule, type PlannedSend } from './mutations.ts'
import { SeededRandom } from './random.ts'
import { nextRequestInterval, type RequestSpacing } from './request_spacing.ts'
import { logIntervalToNs } from '../time/log_interval.ts'

export interface TestSlaveConfig {
  name: string
  clockIdentity: ClockIdentity
  portNumber?: number
  header?: Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>>
  delayMechanism: 'E2E' | 'P2P'
  /** Delay_Req rate (log2 s). Default 0. */
  logMinDelayReqInterval?: number
  /** Pdelay_Req rate (log2 s). Default 0. */
  logMinPdelayReqInterval?: number
  /** Default: uniform (0, 2T] for Delay_Req, fixed for Pdelay_Req. */
  spacing?: RequestSpacing
  /**
   * Take the Delay_Req rate from multicast Delay_Resp.logMessageInterval: true as linuxptp does
   * (values in −10..22 only); 'no-upper-bound' also takes 0x7F and other long ones (a faulty DUT that then stops requesting).
   */
  adoptDelayRespInterval?: boolean | 'no-upper-bound'
  /** A faulty DUT: a Follow_Up is paired with the latest two-step Sync received, whatever its sequenceId. */
  pairFollowUpWithLatestSync?: boolean
  /** A faulty DUT: a Sync sample whose offset differs from the last one by more than this is dropped (an outlier filter that never gives in). */
  rejectOffsetJumpsNs?: bigint
  /** Follow only this master port. Default: the best qualified Announce sender, else the first Sync sender. */
  master?: PortIdentity
  /**
   * 'manual': follow only the master given by setMaster() (a clock whose own BMCA decides,
   * e.g. the reference DUT); nothing is followed until then. Default 'auto' (as above).
   */
  selectMaster?: 'auto' | 'manual'
  /**
   * logMessageInterval of Pdelay_Req: 'unspecified' 0x7F (1588-2019 Table 42, default) or
   * 'current' (the current Pdelay_Req interval, 802.1AS-2020 11.4.5).
   */
  pdelayReqLogMessageInterval?: 'unspecified' | 'current'
  /** Send Delay_Req only after a Sync from the master arrived (default true). */
  requireSyncBeforeDelayReq?: boolean
  /** Send requests unicast to this address. */
  unicastTo?: string
  mutations?: MutationRule[]
  seed?: number
  prepareLeadNs?: bigint
  /** First request this long after start (default: one drawn interval). */
  firstRequestAfterNs?: bigint
  /** Keep at most this many samples of each kind (oldest dropped). Default 100 000. */
  maxSamples?: number
  /**
   * The timestamp clock counts TAI. Default false: software timestamps are CLOCK_REALTIME (UTC),
   * so against a master announcing ptpTimescale, currentUtcOffset is added to offsetFromMaster
   * (1588-2019 7.2.3: PTP time = UTC + currentUtcOffset).
   */
  timestampClockIsTai?: boolean
  /**
   * A faulty requester (a reference-DUT fault, P2P-03): takes a Pdelay_Resp and its Follow_Up
   * whatever their requestingPortIdentity, and one with an unknown sequenceId as the answer to
   * its latest Pdelay_Req. Default false: both must match the request (1588-2019 11.4.2,
   * 802.1AS-2020 11.2.19).
   */
  acceptAnyPdelayResponse?: boolean
  /**
   * Await answers to the latest Pdelay_Req only, as an 802.1AS requester does (2020 Figure 11-9:
   * a new request abandons the previous one), so a response later than the next request is not
   * an answer. Default false: the harness's own requester takes a late answer and measures it.
   */
  onlyLatestPdelay?: boolean
}

/** One Sync (with its Follow_Up when two-step) from the master. */
export interface SyncSample {
  sequenceId: number
  master: PortIdentity
  t1: bigint
  t2: bigint
  cSync: ScaledNs
  cFollowUp: ScaledNs
  twoStep: boolean
  /** offsetFromMaster with the latest mean path / link delay (undefined before the first delay measurement). */
  offsetFromMaster?: ScaledNs
  meanPathDelay?: ScaledNs
}

/** One complete delay request-response exchange (the equations' inputs) with the Sync it was computed against. */
export interface DelayExchange extends E2eTimestamps {
  syncSequenceId: number
  delayReqSequenceId: number
  meanPathDelay: ScaledNs
  /** offsetFromMaster of this exchange alone: [(t2 − t1 − c) − (t4 − t3 − cDelayResp)] / 2. */
  offsetFromMaster: ScaledNs
}

/** One complete peer-delay exchange. */
export interface PdelayExchange extends PdelayTimestamps {
  sequenceId: number
  responder: PortIdentity
  twoStep: boolean
  /** neighborRateRatio from the previous exchange with this responder (unity for the first). */
  neighborRateRatio: RateRatio
  meanLinkDelay: ScaledNs
}

interface PendingSync {
  t2?: bigint
  cSync?: bigint
  twoStep?: boolean
  t1?: bigint
  cFollowUp?: bigint
  master: PortIdentity
}

interface PendingPdelay {
  t1?: bigint
  t2?: bigint
  t4?: bigint
  cResp?: bigint
  responder?: PortIdentity
  twoStep?: boolean
  responses: number
}

const DEFAULT_LEAD = 20_000_000n

export class TestSlave implements Engine {
  readonly name: string
  readonly portIdentity: PortIdentity
  private readonly header: HeaderDefaults
  private readonly cfg: TestSlaveConfig
  private readonly emitter: SendEmitter
  private readonly rng: SeededRandom
  private pipeline: MutationPipeline
  private readonly foreign: ForeignMasterTable

  private masterPort: PortIdentity | undefined
  private logDelayReq: number
  private delayReqSeq = 0
  private pdelayReqSeq = 0
  private nextRequestAt: bigint | undefined
  private running = false
  /** false: the request timer runs but sends nothing (a unicast slave without a Delay_Resp grant). */
  private requesting = true
  private signalingSeq = 0
  /** Where requests and Signaling go when unicast (cfg.unicastTo, or the master a negotiation found). */
  private unicastAddress: string | undefined
  private readonly syncs = new Map<number, PendingSync>()
  private lastSync: SyncSample | undefined
  /** The latest two-step Sync received (pairFollowUpWithLatestSync). */
  private latestTwoStep: { seq: number; master: PortIdentity; t2: bigint; cSync: bigint } | undefined
  private readonly delayReqs = new Map<number, { t3?: bigint; sync?: SyncSample; t4?: bigint; cDelayResp?: bigint }>()
  private readonly sentIds = new Map<string, { kind: 'Delay_Req' | 'Pdelay_Req'; sequenceId: number }>()
  private readonly pdelays = new Map<number, PendingPdelay>()
  private readonly lastPdelayBy = new Map<string, PdelayExchange>()
  /** Timescale of each Announce sender (from its latest Announce). */
  private readonly timeProperties = new Map<string, { ptpTimescale: boolean; currentUtcOffset: number }>()
  private meanDelay: ScaledNs | undefined
  private rateRatio: RateRatio = UNITY_RATE_RATIO

  readonly syncSamples: SyncSample[] = []
  readonly delayExchanges: DelayExchange[] = []
  readonly pdelayExchanges: PdelayExchange[] = []
  /** Pdelay_Req sequenceIds that drew more than one Pdelay_Resp (802.1AS: multiple responders); the latest 64. */
  readonly multipleResponses: number[] = []

  constructor(config: TestSlaveConfig) {
    this.cfg = config
    this.name = config.name
    this.portIdentity = { clockIdentity: normalizeClockIdentity(config.clockIdentity), portNumber: config.portNumber ?? 1 }
    this.header = { ...defaultHeaderDefaults(this.portIdentity), ...config.header, sourcePortIdentity: this.portIdentity }
    this.emitter = new SendEmitter(config.name)
    this.rng = new SeededRandom(config.seed ?? 1)
    this.pipeline = new MutationPipeline(config.mutations ?? [], config.seed ?? 1)
    this.foreign = new ForeignMasterTable(this.portIdentity, DEFAULT_QUALIFICATION)
    this.masterPort = config.master
    this.logDelayReq = config.logMinDelayReqInterval ?? 0
    this.unicastAddress = config.unicastTo
  }

  // ------------------------------------------------------------ results

  /** The master being followed. */
  get master(): PortIdentity | undefined {
    return this.masterPort
  }

  /** Latest mean path delay (E2E) or mean link delay (P2P), scaled ns. */
  get meanPathDelay(): ScaledNs | undefined {
    return this.meanDelay
  }

  get neighborRateRatio(): RateRatio {
    return this.rateRatio
  }

  get currentLogMinDelayReqInterval(): number {
    return this.logDelayReq
  }

  setMutations(rules: MutationRule[], seed = this.cfg.seed ?? 1): void {
    this.pipeline = new MutationPipeline(rules, seed)
  }

  stop(): void {
    this.running = false
  }

  /** Send delay requests (true) or hold them (false) from now on; the schedule keeps running. */
  setRequesting(on: boolean): void {
    this.requesting = on
  }

  /** A new Delay_Req rate from the next request on (a unicast grant's logInterMessagePeriod). */
  setDelayReqInterval(log: number): void {
    this.logDelayReq = log
  }

  /** Send requests and Signaling unicast to this address from now on. */
  setUnicastTo(address: string): void {
    this.unicastAddress = address
  }

  /** A Signaling message with `tlvs` from this port, sent at once (unicast requests, acknowledgements). */
  signal(tlvs: Tlv[], target: PortIdentity = WILDCARD_PORT_IDENTITY, step?: string): EngineAction[] {
    const seq = this.signalingSeq
    this.signalingSeq = (this.signalingSeq + 1) & 0xffff
    const flagField = this.unicastAddress !== undefined ? FLAG_UNICAST : 0
    const msg = buildSignalingMessage(this.header, { sequenceId: seq, flagField, logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED }, target, tlvs)
    const dest: Destination | undefined = this.unicastAddress !== undefined ? { kind: 'unicast', address: this.unicastAddress } : undefined
    return this.pipeline.apply({ message: msg, mutations: [], role: 'original' })
      .map((p) => this.emitter.toAction(p, step ? `${step} (Signaling #${seq})` : `Signaling #${seq}`, dest))
  }

  /**
   * Follow this master port from now on (undefined: none). Samples already taken stay; the
   * pending Syncs and the latest Sync of the previous master are forgotten.
   */
  setMaster(master: PortIdentity | undefined): void {
    if (master && this.masterPort && samePortIdentity(master, this.masterPort)) return
    this.masterPort = master ? { ...master } : undefined
    this.syncs.clear()
    this.lastSync = undefined
  }

  /** The latest complete Sync sample of the current master (undefined after setMaster). */
  get latestSync(): SyncSample | undefined {
    return this.lastSync
  }

  // ------------------------------------------------------------ Engine

  start(now: bigint): EngineAction[] {
    this.running = true
    const first = now + (this.cfg.firstRequestAfterNs ?? this.drawInterval())
    this.nextRequestAt = first
    return [{ kind: 'timer', at: first - this.lead(), id: 'request' }]
  }

  onTimer(id: string, now: bigint): EngineAction[] {
    if (id !== 'request' || !this.running || this.nextRequestAt === undefined) return []
    if (now < this.nextRequestAt - this.lead()) return [{ kind: 'timer', at: this.nextRequestAt - this.lead(), id: 'request' }]
    let at = this.nextRequestAt
    // A wake-up more than one nominal interval late: restart the schedule from now.
    if (at < now - this.nominalInterval()) at = now
    this.nextRequestAt = at + this.drawInterval()
    const actions = this.cfg.delayMechanism === 'E2E' ? this.planDelayReq(at) : this.planPdelayReq(at)
    actions.push({ kind: 'timer', at: this.nextRequestAt - this.lead(), id: 'request' })
    return actions
  }

  onMessage(rx: ReceivedMessage, _now: bigint): EngineAction[] {
    const m = rx.message
    if (m.header.domainNumber !== this.header.domainNumber || m.header.majorSdoId !== this.header.majorSdoId) return []
    if (samePortIdentity(m.header.sourcePortIdentity, this.portIdentity)) return []
    switch (m.type) {
      case 'Announce':
        this.onAnnounce(m, rx.rxTimestampNs)
        return []
      case 'Sync':
        this.onSync(m, rx.rxTimestampNs)
        return []
      case 'Follow_Up':
        this.onFollowUp(m)
        return []
      case 'Delay_Resp':
        this.onDelayResp(m)
        return []
      case 'Pdelay_Resp':
        this.onPdelayResp(m, rx.rxTimestampNs)
        return []
      case 'Pdelay_Resp_Follow_Up':
        this.onPdelayRespFollowUp(m)
        return []
      default:
        return []
    }
  }

  onTransmitted(tx: Transmitted, _now: bigint): EngineAction[] {
    const sent = this.sentIds.get(tx.sendId)
    if (!sent) return []
    this.sentIds.delete(tx.sendId)
    if (sent.kind === 'Delay_Req') {
      const r = this.delayReqs.get(sent.sequenceId)
      if (r) {
        r.t3 = tx.txTimestampNs
        this.completeDelay(sent.sequenceId)
      }
    } else {
      const p = this.pdelays.get(sent.sequenceId)
      if (p) {
        p.t1 = tx.txTimestampNs
        this.completePdelay(sent.sequenceId)
      }
    }
    return []
  }

  // ------------------------------------------------------------ master selection

  private onAnnounce(a: Extract<PtpMessage, { type: 'Announce' }>, rxNs: bigint): void {
    this.timeProperties.set(portIdentityKey(a.header.sourcePortIdentity), {
      ptpTimescale: (a.header.flagField & FLAG_PTP_TIMESCALE) !== 0,
      currentUtcOffset: a.currentUtcOffset,
    })
    if (this.cfg.master || this.cfg.selectMaster === 'manual') return
    this.foreign.add(a, rxNs)
    const best = this.foreign.best(rxNs, compareDefault)
    if (best && (!this.masterPort || !samePortIdentity(best.sender, this.masterPort))) {
      this.masterPort = best.sender
      this.syncs.clear()
      this.lastSync = undefined
    }
  }

  private fromMaster(m: PtpMessage): boolean {
    if (!this.masterPort) {
      // No Announce qualified yet and no master configured: the first Sync sender is the master.
      if (m.type !== 'Sync' || this.cfg.master || this.cfg.selectMaster === 'manual' || this.foreign.size > 0) return false
      this.masterPort = { ...m.header.sourcePortIdentity }
    }
    return samePortIdentity(m.header.sourcePortIdentity, this.masterPort)
  }

  // ------------------------------------------------------------ Sync / Follow_Up

  private onSync(m: Extract<PtpMessage, { type: 'Sync' }>, rxNs: bigint): void {
    if (!this.fromMaster(m)) return
    const twoStep = (m.header.flagField & FLAG_TWO_STEP) !== 0
    const seq = m.header.sequenceId
    const p = this.syncs.get(seq) ?? { master: m.header.sourcePortIdentity }
    p.t2 = rxNs
    p.cSync = m.header.correctionField
    p.twoStep = twoStep
    if (twoStep && this.cfg.pairFollowUpWithLatestSync) this.latestTwoStep = { seq, master: m.header.sourcePortIdentity, t2: rxNs, cSync: m.header.correctionField }
    if (!twoStep) {
      p.t1 = timestampToNs(m.originTimestamp)
      p.cFollowUp = 0n
    }
    this.syncs.set(seq, p)
    this.completeSync(seq)
  }

  private onFollowUp(m: Extract<PtpMessage, { type: 'Follow_Up' }>): void {
    if (!this.masterPort || !samePortIdentity(m.header.sourcePortIdentity, this.masterPort)) return
    const latest = this.latestTwoStep
    if (latest) {
      this.syncs.set(latest.seq, { master: latest.master, t2: latest.t2, cSync: latest.cSync, twoStep: true, t1: timestampToNs(m.preciseOriginTimestamp), cFollowUp: m.header.correctionField })
      this.completeSync(latest.seq)
      return
    }
    const seq = m.header.sequenceId
    const p = this.syncs.get(seq) ?? { master: m.header.sourcePortIdentity }
    if (p.twoStep === false) return
    p.t1 = timestampToNs(m.preciseOriginTimestamp)
    p.cFollowUp = m.header.correctionField
    this.syncs.set(seq, p)
    this.completeSync(seq)
  }

  private completeSync(seq: number): void {
    const p = this.syncs.get(seq)
    if (!p || p.t1 === undefined || p.t2 === undefined || p.cSync === undefined || p.cFollowUp === undefined) return
    this.syncs.delete(seq)
    // Forget Syncs whose Follow_Up never came (keep the map small).
    if (this.syncs.size > 64) for (const k of [...this.syncs.keys()].slice(0, this.syncs.size - 64)) this.syncs.delete(k)
    const s: SyncSample = {
      sequenceId: seq,
      master: p.master,
      t1: p.t1,
      t2: p.t2,
      cSync: p.cSync,
      cFollowUp: p.cFollowUp,
      twoStep: p.twoStep ?? false,
    }
    if (this.meanDelay !== undefined) {
      s.meanPathDelay = this.meanDelay
      s.offsetFromMaster = e2eOffsetFromMaster(s, this.meanDelay) + this.timescaleCorrection(p.master)
      const last = this.lastSync?.offsetFromMaster
      // offsetFromMaster is scaled ns, as correctionField.
      const jump = this.cfg.rejectOffsetJumpsNs === undefined ? undefined : nsToScaled(this.cfg.rejectOffsetJumpsNs)
      if (jump !== undefined && last !== undefined && (s.offsetFromMaster - last > jump || last - s.offsetFromMaster > jump)) return
    }
    this.lastSync = s
    this.push(this.syncSamples, s)
  }

  // ------------------------------------------------------------ Delay_Req / Delay_Resp

  private planDelayReq(at: bigint): EngineAction[] {
    if (!this.requesting) return []
    if ((this.cfg.requireSyncBeforeDelayReq ?? true) && !this.lastSync) return []
    const seq = this.delayReqSeq
    this.delayReqSeq = (this.delayReqSeq + 1) & 0xffff
    const msg = buildDelayReqMessage(this.header, { sequenceId: seq, flagField: this.unicastAddress !== undefined ? FLAG_UNICAST : 0, logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED }, ts(at))
    this.delayReqs.set(seq, { sync: this.lastSync })
    if (this.delayReqs.size > 64) this.delayReqs.delete(this.delayReqs.keys().next().value!)
    return this.emit({ message: msg, at, mutations: [], role: 'original' }, 'Delay_Req', 'Delay_Req', seq)
  }

  private onDelayResp(m: Extract<PtpMessage, { type: 'Delay_Resp' }>): void {
    if (!samePortIdentity(m.requestingPortIdentity, this.portIdentity)) return
    if (!this.masterPort || !samePortIdentity(m.header.sourcePortIdentity, this.masterPort)) return
    const req = this.delayReqs.get(m.header.sequenceId)
    if (!req || req.t4 !== undefined) return
    if (this.cfg.adoptDelayRespInterval) {
      const log = m.header.logMessageInterval
      // linuxptp port.c: ignore values outside -10..22 and 0x7F.
      if (log >= -10 && (log <= 22 || this.cfg.adoptDelayRespInterval === 'no-upper-bound')) this.logDelayReq = log
    }
    req.t4 = timestampToNs(m.receiveTimestamp)
    req.cDelayResp = m.header.correctionField
    // The Delay_Resp may overtake the TX timestamp of its Delay_Req: complete when both are in.
    this.completeDelay(m.header.sequenceId)
  }

  private completeDelay(seq: number): void {
    const req = this.delayReqs.get(seq)
    if (!req || req.t3 === undefined || req.t4 === undefined || req.cDelayResp === undefined) return
    this.delayReqs.delete(seq)
    // 1588-2019 11.3.2: t1, t2 of the latest Sync (the one current when the Delay_Req left, or newer).
    const sync = this.lastSync ?? req.sync
    if (!sync) return
    const x = {
      t1: sync.t1,
      t2: sync.t2,
      t3: req.t3,
      t4: req.t4,
      cSync: sync.cSync,
      cFollowUp: sync.cFollowUp,
      cDelayResp: req.cDelayResp,
    }
    const meanPathDelay = e2eMeanPathDelay(x)
    this.meanDelay = meanPathDelay
    this.push(this.delayExchanges, {
      ...x,
      syncSequenceId: sync.sequenceId,
      delayReqSequenceId: seq,
      meanPathDelay,
      offsetFromMaster: e2eExchangeOffset(x) + this.timescaleCorrection(sync.master),
    })
  }

  // ------------------------------------------------------------ peer delay

  private planPdelayReq(at: bigint): EngineAction[] {
    const seq = this.pdelayReqSeq
    this.pdelayReqSeq = (this.pdelayReqSeq + 1) & 0xffff
    const logMessageInterval = this.cfg.pdelayReqLogMessageInterval === 'current' ? (this.cfg.logMinPdelayReqInterval ?? 0) : LOG_MESSAGE_INTERVAL_UNSPECIFIED
    const msg = buildPdelayReqMessage(this.header, { sequenceId: seq, logMessageInterval }, ts(at))
    if (this.cfg.onlyLatestPdelay) {
      this.pdelays.clear()
      this.pdelayT3.clear()
    }
    this.pdelays.set(seq, { responses: 0 })
    if (this.pdelays.size > 64) this.pdelays.delete(this.pdelays.keys().next().value!)
    return this.emit({ message: msg, at, mutations: [], role: 'original' }, 'Pdelay_Req', 'Pdelay_Req', seq, { kind: 'pdelay' })
  }

  /** The request a response answers: its own sequenceId, or for a faulty requester any (its latest). */
  private pdelayFor(requesting: PortIdentity, sequenceId: number): number | undefined {
    if (!this.cfg.acceptAnyPdelayResponse) return samePortIdentity(requesting, this.portIdentity) && this.pdelays.has(sequenceId) ? sequenceId : undefined
    return this.pdelays.has(sequenceId) ? sequenceId : [...this.pdelays.keys()].at(-1)
  }

  private onPdelayResp(m: Extract<PtpMessage, { type: 'Pdelay_Resp' }>, rxNs: bigint): void {
    const seq = this.pdelayFor(m.requestingPortIdentity, m.header.sequenceId)
    const p = seq === undefined ? undefined : this.pdelays.get(seq)
    if (!p || seq === undefined) return
    p.responses++
    if (p.responses > 1) {
      this.multipleResponses.push(seq)
      if (this.multipleResponses.length > 64) this.multipleResponses.shift()
      return
    }
    p.t4 = rxNs
    p.t2 = timestampToNs(m.requestReceiptTimestamp)
    p.cResp = m.header.correctionField
    p.responder = { ...m.header.sourcePortIdentity }
    p.twoStep = (m.header.flagField & FLAG_TWO_STEP) !== 0
    if (!p.twoStep) this.completePdelay(seq, 0n, 0n)
  }

  private onPdelayRespFollowUp(m: Extract<PtpMessage, { type: 'Pdelay_Resp_Follow_Up' }>): void {
    const seq = this.pdelayFor(m.requestingPortIdentity, m.header.sequenceId)
    const p = seq === undefined ? undefined : this.pdelays.get(seq)
    if (!p || seq === undefined || !p.responder || !samePortIdentity(p.responder, m.header.sourcePortIdentity) || !p.twoStep) return
    this.completePdelay(seq, timestampToNs(m.responseOriginTimestamp), m.header.correctionField)
  }

  private readonly pdelayT3 = new Map<number, { t3: bigint; cFollowUp: bigint }>()

  /** Completes an exchange once t1 (TX timestamp) and the response(s) are all known. */
  private completePdelay(seq: number, t3?: bigint, cFollowUp?: bigint): void {
    if (t3 !== undefined && cFollowUp !== undefined) this.pdelayT3.set(seq, { t3, cFollowUp })
    const p = this.pdelays.get(seq)
    const late = this.pdelayT3.get(seq)
    if (!p || p.t1 === undefined || p.t4 === undefined || p.t2 === undefined || p.cResp === undefined || !p.responder || !late) return
    this.pdelays.delete(seq)
    this.pdelayT3.delete(seq)
    const x: PdelayTimestamps = { t1: p.t1, t2: p.t2, t3: late.t3, t4: p.t4, cPdelayResp: p.cResp, cPdelayRespFollowUp: late.cFollowUp }
    const k = portIdentityKey(p.responder)
    const prev = this.lastPdelayBy.get(k)
    const nrr = prev ? (neighborRateRatio(prev, x) ?? prev.neighborRateRatio) : UNITY_RATE_RATIO
    const meanLinkDelay = p2pMeanLinkDelay(x, nrr)
    const ex: PdelayExchange = { ...x, sequenceId: seq, responder: p.responder, twoStep: p.twoStep ?? false, neighborRateRatio: nrr, meanLinkDelay }
    this.lastPdelayBy.set(k, ex)
    this.rateRatio = nrr
    this.meanDelay = meanLinkDelay
    this.push(this.pdelayExchanges, ex)
  }

  // ------------------------------------------------------------ helpers

  /** Scaled ns added to offsetFromMaster: currentUtcOffset against a PTP-timescale master when our clock is UTC. */
  private timescaleCorrection(master: PortIdentity): bigint {
    if (this.cfg.timestampClockIsTai) return 0n
    const tp = this.timeProperties.get(portIdentityKey(master))
    if (!tp?.ptpTimescale) return 0n
    return nsToScaled(BigInt(tp.currentUtcOffset) * 1_000_000_000n)
  }

  private lead(): bigint {
    return this.cfg.prepareLeadNs ?? DEFAULT_LEAD
  }

  private logRequestInterval(): number {
    return this.cfg.delayMechanism === 'E2E' ? this.logDelayReq : (this.cfg.logMinPdelayReqInterval ?? 0)
  }

  private nominalInterval(): bigint {
    return logIntervalToNs(this.logRequestInterval())
  }

  private drawInterval(): bigint {
    const spacing = this.cfg.spacing ?? (this.cfg.delayMechanism === 'E2E' ? { rule: 'uniform-0-2x' } : { rule: 'fixed' })
    return nextRequestInterval(spacing, this.logRequestInterval(), this.rng)
  }

  private push<T>(list: T[], item: T): void {
    list.push(item)
    const max = this.cfg.maxSamples ?? 100_000
    if (list.length > max) list.splice(0, list.length - max)
  }

  private emit(plan: PlannedSend, step: string, kind: 'Delay_Req' | 'Pdelay_Req', seq: number, dest?: Destination): EngineAction[] {
    const destination: Destination | undefined = this.unicastAddress !== undefined ? { kind: 'unicast', address: this.unicastAddress } : dest
    return this.pipeline.apply(plan).map((p) => {
      const a = this.emitter.toAction(p, p.role === 'duplicate' ? `${step} (duplicate)` : step, destination)
      if (p.role === 'original') this.sentIds.set(a.sendId, { kind, sequenceId: seq })
      return a
    })
  }
}
