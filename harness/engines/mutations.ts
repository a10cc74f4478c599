/**
 * The mutation catalogue: ways an emulated clock departs from the standard on purpose, so a
 * suite can check that the DUT ignores, tolerates or flags them.
 *
 * A mutation is data (MutationSpec), applied to one planned send by a pure function. A rule
 * (MutationRule) says which of an engine's outgoing messages it applies to. Everything random
 * is decided by `unitHash(seed, rule, messageType, sequenceId, occurrence)`, so the same
 * seed mutates the same messages in every run, whatever other traffic does.
 *
 * Each mutation changes exactly what it claims and says so in `describeMutation`, which
 * becomes the recorder's "why" and the pcapng comment (e.g. `Follow_Up late +200 ms`).
 */
import type { EncodeOptions, MessageTypeName, PtpMessage, Tlv } from '../codec/types.ts'
import type { FrameEdit } from './actions.ts'
import { applyOverrides, describeOverrides, type MessageOverrides } from './overrides.ts'
import { unitHash } from './random.ts'
import { nsToTimestamp, timestampToNs } from '../time/timestamp.ts'
import { formatDuration } from '../time/format.ts'

/** Header/body fields that are reserved in 1588-2019 and must be sent as zero. */
export type ReservedField =
  /** flagField bits 0.3, 0.4, 0.7 and 1.7 (Table 37): mask 0x9880. */
  | 'flagField'
  /** Octets 16-19 (messageTypeSpecific; reserved in 1588-2008 and for most types in 2019). */
  | 'messageTypeSpecific'
  /** Announce octet 46. */
  | 'announceReserved'
  /** Pdelay_Req octets 44-53. */
  | 'pdelayReqReserved'
  /** Management octet 46 high nibble and octet 47. */
  | 'managementReserved'

export const RESERVED_FLAG_BITS = 0x9880

export type MutationSpec =
  /** Do not send the message. */
  | { kind: 'skip' }
  /** Send it `copies` more times (default 1), each spacingNs after the previous (default 0). */
  | { kind: 'duplicate'; copies?: number; spacingNs?: bigint }
  /** sequenceId + delta (default +1), or the given value. */
  | { kind: 'sequenceId'; delta?: number; value?: number }
  | { kind: 'domainNumber'; value: number }
  /** versionPTP nibble (and optionally minorVersionPTP). */
  | { kind: 'versionPTP'; value: number; minorVersionPTP?: number }
  | { kind: 'majorSdoId'; value: number }
  /** messageLength field = true length + delta; the frame itself is unchanged. */
  | { kind: 'messageLength'; delta: number }
  /** The frame is cut short by `octets` (messageLength still claims the full length). */
  | { kind: 'truncate'; octets: number }
  /** lengthField of TLV #tlvIndex (default 0; 'last': the last one, e.g. one just appended) = true value + delta; the TLV octets are unchanged. */
  | { kind: 'tlvLength'; tlvIndex?: number | 'last'; delta: number }
  /** Set reserved bits (value: the bits to set; default all reserved bits of that field). */
  | { kind: 'reservedBits'; field: ReservedField; value?: number }
  /** logMessageInterval = value (0x7F = 127, extremes -128 / 126 ...). */
  | { kind: 'logMessageInterval'; value: number }
  /** Send `ns` later than planned (a Follow_Up late by d). */
  | { kind: 'delay'; ns: bigint }
  /** On a two-step Sync: do not send the Sync, but still send its Follow_Up. */
  | { kind: 'withholdSync' }
  /** Add ns to the message's timestamp field (originTimestamp, preciseOriginTimestamp, receiveTimestamp, ...). */
  | { kind: 'timestampJump'; ns: bigint }
  /** correctionField + delta (scaled ns). */
  | { kind: 'correctionField'; deltaScaled: bigint }
  /** flagField |= set, &= ~clear. */
  | { kind: 'flags'; set?: number; clear?: number }
  /** Any fields (applyOverrides). */
  | { kind: 'fields'; overrides: MessageOverrides }
  /** Append TLVs after the message's own (messageLength follows). */
  | { kind: 'appendTlvs'; tlvs: readonly Tlv[] }

export type Selector =
  | { kind: 'all' }
  /** Every n-th matching message, starting with the (phase+1)-th (phase default 0: 1st, n+1-th, ...). */
  | { kind: 'every'; n: number; phase?: number }
  | { kind: 'sequenceIds'; ids: readonly number[] }
  /** Each matching message with probability p, decided by the seeded hash. */
  | { kind: 'probability'; p: number }
  /** The first n matching messages. */
  | { kind: 'first'; n: number }
  /** Matching messages after the first `skip` ones (e.g. a timestamp jump from the 10th Sync on). */
  | { kind: 'after'; skip: number }
  /** sequenceId in [from, to] (inclusive; either side open). */
  | { kind: 'sequenceRange'; from?: number; to?: number }
  /** Planned send time (timestamp clock) in [fromNs, toNs). */
  | { kind: 'window'; fromNs?: bigint; toNs?: bigint }

export interface MutationRule {
  /** Shown in descriptions when set; otherwise the rule's index. */
  id?: string
  messageTypes: readonly MessageTypeName[] | 'any'
  select?: Selector
  mutation: MutationSpec
}

/** One message on its way out, before and after mutation. */
export interface PlannedSend {
  message: PtpMessage
  /** Timestamp-clock send time; undefined = immediately (or baseNs + a delay). */
  at?: bigint
  /** Reference time for a relative delay when `at` is undefined (e.g. the Sync's TX time for its Follow_Up). */
  baseNs?: bigint
  encode?: EncodeOptions
  frameEdit?: FrameEdit
  /** Descriptions of the mutations applied so far. */
  mutations: string[]
  /** 'duplicate' for copies made by the duplicate mutation (they get no Follow_Up of their own). */
  role: 'original' | 'duplicate'
  /** Set by withholdSync: the Sync is not sent, its Follow_Up is. */
  withheld?: boolean
}

// ---------------------------------------------------------------- descriptions

function hex(v: number, digits = 2): string {
  return `0x${v.toString(16).toUpperCase().padStart(digits, '0')}`
}

/** What the mutation does to one message, without the message name. */
export function describeMutation(m: MutationSpec): string {
  switch (m.kind) {
    case 'skip': return 'skipped'
    case 'duplicate': return `duplicated ×${(m.copies ?? 1) + 1}${m.spacingNs ? ` ${formatDuration(m.spacingNs, false)} apart` : ''}`
    case 'sequenceId': return m.value !== undefined ? `wrong sequenceId ${m.value}` : `wrong sequenceId ${(m.delta ?? 1) >= 0 ? '+' : ''}${m.delta ?? 1}`
    case 'domainNumber': return `wrong domainNumber ${m.value}`
    case 'versionPTP': return `wrong versionPTP ${m.value}${m.minorVersionPTP !== undefined ? `.${m.minorVersionPTP}` : ''}`
    case 'majorSdoId': return `wrong majorSdoId ${hex(m.value, 1)}`
    case 'messageLength': return `messageLength ${m.delta >= 0 ? '+' : ''}${m.delta} (${m.delta < 0 ? 'too short' : 'too long'})`
    case 'truncate': return `frame truncated by ${m.octets} octets`
    case 'tlvLength': return `TLV[${m.tlvIndex ?? 0}] lengthField ${m.delta >= 0 ? '+' : ''}${m.delta}`
    case 'reservedBits': return `reserved bits set in ${m.field}${m.value !== undefined ? ` (${hex(m.value)})` : ''}`
    case 'logMessageInterval': return `logMessageInterval ${m.value === 127 ? '0x7F' : m.value}`
    case 'delay': return `late ${formatDuration(m.ns)}`
    case 'withholdSync': return 'withheld (Follow_Up without Sync)'
    case 'timestampJump': return `timestamp jump ${formatDuration(m.ns)}`
    case 'correctionField': return `correctionField ${m.deltaScaled >= 0n ? '+' : ''}${m.deltaScaled} (scaled ns)`
    case 'flags': return `flagField${m.set ? ` set ${hex(m.set, 4)}` : ''}${m.clear ? ` clear ${hex(m.clear, 4)}` : ''}`
    case 'fields': return `fields ${describeOverrides(m.overrides)}`
    case 'appendTlvs': return `TLVs appended: ${m.tlvs.map(describeTlv).join(', ')}`
  }
}

// ---------------------------------------------------------------- single mutations

/** The main timestamp field of a message (the one a timestamp jump moves). */
export function timestampFieldOf(m: PtpMessage): 'originTimestamp' | 'preciseOriginTimestamp' | 'receiveTimestamp' | 'requestReceiptTimestamp' | 'responseOriginTimestamp' | undefined {
  switch (m.type) {
    case 'Sync':
    case 'Delay_Req':
    case 'Pdelay_Req':
    case 'Announce': return 'originTimestamp'
    case 'Follow_Up': return 'preciseOriginTimestamp'
    case 'Delay_Resp': return 'receiveTimestamp'
    case 'Pdelay_Resp': return 'requestReceiptTimestamp'
    case 'Pdelay_Resp_Follow_Up': return 'responseOriginTimestamp'
    default: return undefined
  }
}

function withDescription(plan: PlannedSend, text: string): PlannedSend {
  return { ...plan, mutations: [...plan.mutations, `${plan.message.type} ${text}`] }
}

/**
 * Applies one mutation to one planned send. Returns the sends that result: [] when skipped,
 * several when duplicated. The input is not modified.
 */
export function applyMutation(plan: PlannedSend, m: MutationSpec): PlannedSend[] {
  const msg = structuredClone(plan.message)
  const h = msg.header
  const out = (p: Partial<PlannedSend> = {}): PlannedSend[] => [withDescription({ ...plan, message: msg, ...p }, describeMutation(m))]
  switch (m.kind) {
    case 'skip':
      return []
    case 'duplicate': {
      const copies = m.copies ?? 1
      const spacing = m.spacingNs ?? 0n
      const first = withDescription(plan, describeMutation(m))
      const result: PlannedSend[] = [first]
      for (let i = 1; i <= copies; i++) {
        const shift = spacing * BigInt(i)
        const copy: PlannedSend = {
          ...first,
          message: structuredClone(plan.message),
          role: 'duplicate',
          mutations: [...plan.mutations, `${plan.message.type} duplicate ${i} of ${copies}`],
        }
        if (shift > 0n) {
          if (plan.at !== undefined) copy.at = plan.at + shift
          else copy.at = (plan.baseNs ?? 0n) + shift
        }
        result.push(copy)
      }
      return result
    }
    case 'sequenceId':
      h.sequenceId = (m.value ?? h.sequenceId + (m.delta ?? 1)) & 0xffff
      return out()
    case 'domainNumber':
      h.domainNumber = m.value & 0xff
      return out()
    case 'versionPTP':
      h.versionPTP = m.value & 0xf
      if (m.minorVersionPTP !== undefined) h.minorVersionPTP = m.minorVersionPTP & 0xf
      return out()
    case 'majorSdoId':
      h.majorSdoId = m.value & 0xf
      return out()
    case 'messageLength':
      return out({ frameEdit: { ...plan.frameEdit, messageLengthDelta: (plan.frameEdit?.messageLengthDelta ?? 0) + m.delta } })
    case 'truncate':
      return out({ frameEdit: { ...plan.frameEdit, truncateBy: (plan.frameEdit?.truncateBy ?? 0) + m.octets } })
    case 'tlvLength': {
      const i = m.tlvIndex === 'last' ? msg.tlvs.length - 1 : (m.tlvIndex ?? 0)
      const t = msg.tlvs[i]
      if (!t) throw new RangeError(`${msg.type} has no TLV #${i} to give a wrong lengthField`)
      t.lengthField = (t.lengthField + m.delta) & 0xffff
      return out({ encode: { ...plan.encode, keepTlvLengths: true } })
    }
    case 'reservedBits':
      applyReserved(msg, m.field, m.value)
      return out()
    case 'logMessageInterval':
      h.logMessageInterval = m.value
      return out()
    case 'delay': {
      const base = plan.at ?? plan.baseNs
      if (base === undefined) throw new RangeError(`cannot delay ${msg.type}: it has neither a send time nor a base time`)
      return out({ at: base + m.ns })
    }
    case 'withholdSync':
      if (msg.type !== 'Sync') throw new RangeError(`withholdSync applies to Sync, not ${msg.type}`)
      return out({ withheld: true })
    case 'timestampJump': {
      const f = timestampFieldOf(msg)
      if (!f) throw new RangeError(`${msg.type} has no timestamp to jump`)
      const rec = msg as unknown as Record<string, { secondsField: bigint; nanosecondsField: number }>
      const now = timestampToNs(rec[f]!)
      const moved = now + m.ns
      rec[f] = nsToTimestamp(moved < 0n ? 0n : moved)
      return out()
    }
    case 'correctionField':
      h.correctionField += m.deltaScaled
      return out()
    case 'flags':
      h.flagField = (h.flagField | (m.set ?? 0)) & ~(m.clear ?? 0) & 0xffff
      return out()
    case 'fields':
      return [withDescription({ ...plan, message: applyOverrides(plan.message, m.overrides) }, describeMutation(m))]
    case 'appendTlvs':
      msg.tlvs.push(...m.tlvs.map((t) => structuredClone(t)))
      return out()
  }
}

function applyReserved(msg: PtpMessage, field: ReservedField, value: number | undefined): void {
  switch (field) {
    case 'flagField':
      msg.header.flagField |= (value ?? RESERVED_FLAG_BITS) & RESERVED_FLAG_BITS
      return
    case 'messageTypeSpecific':
      msg.header.messageTypeSpecific = (value ?? 0x5a5a5a5a) >>> 0
      return
    case 'announceReserved':
      if (msg.type !== 'Announce') throw new RangeError(`announceReserved applies to Announce, not ${msg.type}`)
      msg.reserved = (value ?? 0xff) & 0xff
      return
    case 'pdelayReqReserved':
      if (msg.type !== 'Pdelay_Req') throw new RangeError(`pdelayReqReserved applies to Pdelay_Req, not ${msg.type}`)
      msg.reserved = new Uint8Array(10).fill((value ?? 0xa5) & 0xff)
      return
    case 'managementReserved':
      if (msg.type !== 'Management') throw new RangeError(`managementReserved applies to Management, not ${msg.type}`)
      msg.actionReserved = ((value ?? 0xf) & 0xf)
      msg.reserved = (value ?? 0xff) & 0xff
      return
  }
}

// ---------------------------------------------------------------- rules

/** Applies rules to an engine's outgoing messages; keeps per-rule counters. */
export class MutationPipeline {
  /** Matches so far per rule and message type ('every', 'first', 'after' count per type). */
  private readonly counters = new Map<string, number>()
  /** Messages a rule changed (or left unsent) so far: what a test says it did. */
  applied = 0

  constructor(
    readonly rules: readonly MutationRule[],
    readonly seed: number,
  ) {}

  /** Plans that result from `plan` after every matching rule, in rule order. */
  apply(plan: PlannedSend): PlannedSend[] {
    let plans = [plan]
    this.rules.forEach((rule, i) => {
      const next: PlannedSend[] = []
      for (const p of plans) {
        // Duplicates are copies of a decision already taken: only the original is counted and selected.
        if (p.role === 'duplicate' || !this.matches(rule, i, p)) {
          next.push(p)
          continue
        }
        this.applied++
        next.push(...applyMutation(p, rule.mutation))
      }
      plans = next
    })
    return plans
  }

  private matches(rule: MutationRule, index: number, plan: PlannedSend): boolean {
    const type = plan.message.type
    if (rule.messageTypes !== 'any' && !rule.messageTypes.includes(type)) return false
    const key = `${index}|${type}`
    const occurrence = this.counters.get(key) ?? 0
    this.counters.set(key, occurrence + 1)
    const sel = rule.select ?? { kind: 'all' }
    const seq = plan.message.header.sequenceId
    switch (sel.kind) {
      case 'all': return true
      case 'every': return sel.n > 0 && (occurrence - (sel.phase ?? 0)) % sel.n === 0 && occurrence >= (sel.phase ?? 0)
      case 'sequenceIds': return sel.ids.includes(seq)
      case 'probability': return unitHash(this.seed, rule.id ?? index, type, seq, occurrence) < sel.p
      case 'first': return occurrence < sel.n
      case 'after': return occurrence >= sel.skip
      case 'sequenceRange': return (sel.from === undefined || seq >= sel.from) && (sel.to === undefined || seq <= sel.to)
      case 'window': {
        const t = plan.at ?? plan.baseNs
        if (t === undefined) return false
        return (sel.fromNs === undefined || t >= sel.fromNs) && (sel.toNs === undefined || t < sel.toNs)
      }
    }
  }
}

// ---------------------------------------------------------------- shorthands for suites

export const mutate = {
  skip: (types: MessageTypeName[], select?: Selector): MutationRule => ({ messageTypes: types, select, mutation: { kind: 'skip' } }),
  duplicate: (types: MessageTypeName[], select?: Selector): MutationRule => ({ messageTypes: types, select, mutation: { kind: 'duplicate' } }),
  followUpLate: (ns: bigint, select?: Selector): MutationRule => ({ messageTypes: ['Follow_Up'], select, mutation: { kind: 'delay', ns } }),
  followUpMissing: (select?: Selector): MutationRule => ({ messageTypes: ['Follow_Up'], select, mutation: { kind: 'skip' } }),
  followUpWithoutSync: (select?: Selector): MutationRule => ({ messageTypes: ['Sync'], select, mutation: { kind: 'withholdSync' } }),
  /** Drop `percent` % of Follow_Ups, chosen by the seeded hash. */
  dropFollowUps: (percent: number): MutationRule => ({
    id: `drop-${percent}%-Follow_Up`,
    messageTypes: ['Follow_Up'],
    select: { kind: 'probability', p: percent / 100 },
    mutation: { kind: 'skip' },
  }),
  /** A step of `ns` in the master's Sync/Follow_Up timestamps from the (skip+1)-th Sync on. */
  timestampJump: (ns: bigint, skip: number, types: MessageTypeName[] = ['Sync', 'Follow_Up']): MutationRule => ({
    messageTypes: types,
    select: { kind: 'after', skip },
    mutation: { kind: 'timestampJump', ns },
  }),
}

/** "tlvType 0x1fff (6 octets)", "ORGANIZATION_EXTENSION ac-de-48/000001": a TLV as a reader of a mutation wants it. */
function describeTlv(t: Tlv): string {
  const hex6 = (n: number) => n.toString(16).padStart(6, '0').replace(/(..)(..)(..)/, '$1-$2-$3')
  if (t.kind === 'ORGANIZATION_EXTENSION') return `ORGANIZATION_EXTENSION ${hex6(t.organizationId)}/${t.organizationSubType.toString(16).padStart(6, '0')}`
  if (t.kind === 'UNKNOWN') return `tlvType 0x${t.tlvType.toString(16).padStart(4, '0')} (${t.value.length} octets)`
  return t.kind
}
