/**
 * Foreign-master qualification (IEEE 1588-2019 9.3.2.5, 9.5.3): an Announce sender takes part
 * in the BMCA only after FOREIGN_MASTER_THRESHOLD (2) Announce messages within
 * FOREIGN_MASTER_TIME_WINDOW (4) announce intervals.
 *
 * Mirrors linuxptp port.c (add_foreign_master, fc_prune, msg_current):
 * - the first Announce of a new sender creates its record but is not counted (9.5.3 b)),
 *   so a new master qualifies with its third Announce;
 * - at most `threshold` messages are kept, and a message stays current for
 *   window × 2^logMessageInterval of that message (the sender's advertised interval; the
 *   1588 text uses the receiving port's portDS.logAnnounceInterval: `windowBasis: 'receiver'`).
 */
import type { AnnounceMessage, PortIdentity } from '../codec/types.ts'
import { datasetFromAnnounce, type BmcaDataset } from './dataset.ts'
import type { Comparator } from './compare.ts'
import { logIntervalToNs } from '../time/log_interval.ts'

export interface QualificationRule {
  /** FOREIGN_MASTER_THRESHOLD. */
  threshold: number
  /** FOREIGN_MASTER_TIME_WINDOW, in announce intervals. */
  windowIntervals: number
  /** Whose announce interval sizes the window. Default 'sender' (linuxptp). */
  windowBasis?: 'sender' | 'receiver'
  /** portDS.logAnnounceInterval of the receiving port (needed for windowBasis 'receiver'). */
  receiverLogAnnounceInterval?: number
  /** Count the very first Announce of a new sender. Default false (9.5.3 b), linuxptp). */
  countFirstMessage?: boolean
}

export const DEFAULT_QUALIFICATION: Readonly<QualificationRule> = Object.freeze({ threshold: 2, windowIntervals: 4 })

export interface ForeignMaster {
  sender: PortIdentity
  /** Latest Announce (the one the BMCA uses). */
  latest: AnnounceMessage
  dataset: BmcaDataset
  /** Arrival times of the counted messages, newest first, with each message's window. */
  messages: Array<{ rxNs: bigint; windowNs: bigint }>
}

function logToNs(log: number): bigint | undefined {
  // linuxptp msg_current: < -63 means 0, > 31 means forever.
  if (log < -63) return 0n
  if (log > 31) return undefined
  return logIntervalToNs(log)
}

function key(p: PortIdentity): string {
  return `${p.clockIdentity.toLowerCase()}-${p.portNumber}`
}

export class ForeignMasterTable {
  private readonly entries = new Map<string, ForeignMaster>()
  /** Insertion order, newest first (linuxptp LIST_INSERT_HEAD; it decides who gets cleared). */
  private order: string[] = []

  constructor(
    readonly receiver: PortIdentity,
    readonly rule: QualificationRule = DEFAULT_QUALIFICATION,
    readonly localPriority?: number,
    /** A table of this many records that, full, overwrites its oldest one, the parent's too (ptpd's max_foreign_records; a faulty DUT). */
    readonly capacity?: number,
  ) {}

  private windowOf(a: AnnounceMessage): bigint {
    const basis = this.rule.windowBasis ?? 'sender'
    const log = basis === 'sender' ? a.header.logMessageInterval : (this.rule.receiverLogAnnounceInterval ?? a.header.logMessageInterval)
    const interval = logToNs(log)
    if (interval === undefined) return 1n << 62n
    return interval * BigInt(this.rule.windowIntervals)
  }

  /**
   * Records an Announce received at rxNs. Returns whether the sender is new and whether this
   * message made it reach the threshold.
   */
  add(a: AnnounceMessage, rxNs: bigint): { isNew: boolean; brokeThreshold: boolean } {
    const k = key(a.header.sourcePortIdentity)
    let fm = this.entries.get(k)
    const dataset = datasetFromAnnounce(a, this.receiver, this.localPriority)
    if (!fm) {
      fm = { sender: dataset.sender, latest: a, dataset, messages: [] }
      this.entries.set(k, fm)
      this.order.unshift(k)
      if (this.capacity !== undefined && this.order.length > this.capacity) this.entries.delete(this.order.pop()!)
      if (!this.rule.countFirstMessage) return { isNew: true, brokeThreshold: false }
    }
    this.prune(fm, rxNs)
    const brokeThreshold = fm.messages.length === this.rule.threshold - 1
    fm.messages.unshift({ rxNs, windowNs: this.windowOf(a) })
    fm.latest = a
    fm.dataset = dataset
    this.prune(fm, rxNs)
    return { isNew: false, brokeThreshold }
  }

  private prune(fm: ForeignMaster, now: bigint): void {
    while (fm.messages.length > this.rule.threshold) fm.messages.pop()
    while (fm.messages.length > 0) {
      const oldest = fm.messages[fm.messages.length - 1]!
      if (now - oldest.rxNs < oldest.windowNs) break
      fm.messages.pop()
    }
  }

  /** Forget the counted messages of one sender (linuxptp fc_clear, e.g. on announce receipt timeout). */
  clear(sender: PortIdentity): void {
    const fm = this.entries.get(key(sender))
    if (fm) fm.messages = []
  }

  isQualified(sender: PortIdentity, now: bigint): boolean {
    const fm = this.entries.get(key(sender))
    if (!fm) return false
    this.prune(fm, now)
    return fm.messages.length >= this.rule.threshold
  }

  /** Qualified foreign masters at `now`, in insertion order (newest first). */
  qualified(now: bigint): ForeignMaster[] {
    const out: ForeignMaster[] = []
    for (const k of this.order) {
      const fm = this.entries.get(k)!
      this.prune(fm, now)
      if (fm.messages.length >= this.rule.threshold) out.push(fm)
    }
    return out
  }

  /**
   * Erbest: the best qualified foreign master (linuxptp port_compute_best). With
   * `clearLosers` the records of qualified masters found worse than the best so far are
   * cleared, as linuxptp does; a standard implementation keeps them (the default).
   */
  best(now: bigint, compare: Comparator, clearLosers = false): ForeignMaster | undefined {
    let best: ForeignMaster | undefined
    for (const fm of this.qualified(now)) {
      if (!best) best = fm
      else if (compare(fm.dataset, best.dataset).result > 0) best = fm
      else if (clearLosers) fm.messages = []
    }
    return best
  }

  get size(): number {
    return this.entries.size
  }

  get(sender: PortIdentity): ForeignMaster | undefined {
    return this.entries.get(key(sender))
  }
}
