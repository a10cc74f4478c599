/**
 * Field-by-field comparison of one frame: tshark's PDML against the codec's
 * decode. Every PTP field tshark prints is looked up in FIELD_MAP; the codec's
 * value is reduced to the same form and compared. Disagreements carry the
 * tshark field name, the offset and both values.
 */
import { BODY_LENGTH, tlvEncodedSize, type FrameDecode, type PtpMessage, type Tlv } from '../../../harness/codec/index.ts'
import { FIELD_MAP, FRAME_FIELD_MAP, NOT_MAPPED, type FieldContext } from './field_map.ts'
import { walk, type PdmlField, type PdmlPacket } from './pdml.ts'
import { describe, NOT_COMPARED, theirs } from './values.ts'

export interface OurFrame {
  /** frame.number (1-based) the decode belongs to. */
  number: number
  message: PtpMessage
  /** Offset of the PTP message in the frame (after Ethernet / VLAN / IP / UDP headers). */
  ptpOffset: number
  /** encodeMessage(message). */
  encoded: Uint8Array
  /** decodeFrame's result, when the link / IP / UDP headers are to be compared too. */
  frame?: FrameDecode
}

export interface Disagreement {
  frame: number
  field: string
  /** Offset of the field from the start of the PTP message. */
  offset: number
  ours: string
  theirs: string
}

export class Comparison {
  /** Field values compared and found equal or not, by tshark field name. */
  readonly comparedByField = new Map<string, number>()
  readonly disagreements: Disagreement[] = []
  /** Mapped fields tshark printed whose values are derived and deliberately not compared. */
  readonly seenNotCompared = new Set<string>()
  /** PTP fields tshark printed that FIELD_MAP does not know (and NOT_MAPPED does not excuse). */
  readonly unmapped = new Map<string, number>()
  /** tshark expert-info messages seen inside PTP (malformed, warnings), with frame numbers. */
  readonly expert: { frame: number; message: string }[] = []
  frames = 0

  get compared(): number {
    let n = 0
    for (const v of this.comparedByField.values()) n += v
    return n
  }

  /** Human-readable summary of what went wrong, for an assertion message. */
  report(limit = 40): string {
    const lines: string[] = []
    for (const d of this.disagreements.slice(0, limit)) {
      lines.push(`frame ${d.frame} ${d.field} @${d.offset}: ours ${d.ours}, tshark ${d.theirs}`)
    }
    if (this.disagreements.length > limit) lines.push(`... and ${this.disagreements.length - limit} more`)
    for (const [name, n] of this.unmapped) lines.push(`unmapped tshark field ${name} (${n}x)`)
    for (const e of this.expert.slice(0, limit)) lines.push(`frame ${e.frame} tshark expert: ${e.message}`)
    return lines.join('\n')
  }
}

/** Where each TLV starts (from the start of the message), by the octets the codec encodes for it. */
function tlvStarts(m: PtpMessage): number[] {
  const starts: number[] = []
  let off = BODY_LENGTH[m.type]
  for (const t of m.tlvs) {
    starts.push(off)
    off += tlvEncodedSize(t)
  }
  return starts
}

function ptpProto(pkt: PdmlPacket) {
  return pkt.protos.find((p) => p.name === 'ptp')
}

const FRAME_PROTOS = new Set(['eth', 'vlan', 'ieee8021ad', 'ip', 'ipv6', 'udp'])

export function compareFrame(pkt: PdmlPacket, ours: OurFrame, acc: Comparison): void {
  acc.frames++
  if (ours.frame) compareFraming(pkt, ours, ours.frame, acc)
  const proto = ptpProto(pkt)
  if (!proto) {
    acc.disagreements.push({ frame: ours.number, field: '(ptp)', offset: 0, ours: 'PTP message', theirs: 'no PTP layer' })
    return
  }
  if (proto.pos !== ours.ptpOffset) {
    acc.disagreements.push({
      frame: ours.number,
      field: '(ptp offset in frame)',
      offset: 0,
      ours: String(ours.ptpOffset),
      theirs: String(proto.pos),
    })
    return
  }
  const starts = tlvStarts(ours.message)
  const visit = (fields: readonly PdmlField[], parent: PdmlField | undefined) => {
    for (const f of fields) {
      if (f.name === '_ws.expert' || f.name.startsWith('_ws.expert.')) continue
      if (f.name === '_ws.malformed' || f.name.startsWith('ptp.v2.msg_len')) {
        acc.expert.push({ frame: ours.number, message: f.showname || f.show || f.name })
        continue
      }
      if (f.name !== '') {
        // tshark 4.0's PDML gives the length octet of a PTPText (displayName.length,
        // displayData.length) a position past the message; the parent item's is right.
        const inside = f.pos >= ours.ptpOffset && f.pos < ours.ptpOffset + ours.encoded.length
        compareField(f, inside || !parent ? f.pos : parent.pos, ours, starts, acc)
      }
      visit(f.children, f)
    }
  }
  visit(proto.fields, undefined)
  // Expert infos hang off the field they concern; collect their messages.
  for (const f of walk(proto.fields)) {
    if (f.name === '_ws.expert.message') acc.expert.push({ frame: ours.number, message: f.show })
  }
}

function compareField(f: PdmlField, pos: number, ours: OurFrame, starts: number[], acc: Comparison): void {
  const mapper = FIELD_MAP[f.name]
  if (!mapper) {
    if (!(f.name in NOT_MAPPED)) acc.unmapped.set(f.name, (acc.unmapped.get(f.name) ?? 0) + 1)
    return
  }
  const offset = pos - ours.ptpOffset
  let tlv: Tlv | undefined
  let inTlv = -1
  const tlvs = ours.message.tlvs
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!
    if (offset >= s && offset < s + tlvEncodedSize(tlvs[i]!)) {
      tlv = tlvs[i]
      inTlv = offset - s
      break
    }
  }
  const ctx: FieldContext = { message: ours.message, encoded: ours.encoded, offset, size: f.size, tlv, inTlv }
  const mine = mapper(ctx)
  if (mine === NOT_COMPARED) {
    acc.seenNotCompared.add(f.name)
    return
  }
  acc.comparedByField.set(f.name, (acc.comparedByField.get(f.name) ?? 0) + 1)
  if (mine === undefined) {
    acc.disagreements.push({
      frame: ours.number,
      field: f.name,
      offset,
      ours: `(no such field${tlv ? ` in our ${tlv.kind}${'org' in tlv ? `/${tlv.org}` : ''} TLV` : ''})`,
      theirs: f.show,
    })
    return
  }
  const t = theirs(mine, f.show, f.value)
  if (!t.equal) acc.disagreements.push({ frame: ours.number, field: f.name, offset, ours: describe(mine), theirs: t.shown })
}

function compareFraming(pkt: PdmlPacket, ours: OurFrame, frame: FrameDecode, acc: Comparison): void {
  for (const proto of pkt.protos) {
    if (!FRAME_PROTOS.has(proto.name)) continue
    for (const f of walk(proto.fields)) {
      const mapper = FRAME_FIELD_MAP[f.name]
      if (!mapper) continue
      const mine = mapper(frame, f.pos)
      if (mine === NOT_COMPARED) continue
      acc.comparedByField.set(f.name, (acc.comparedByField.get(f.name) ?? 0) + 1)
      if (mine === undefined) {
        acc.disagreements.push({ frame: ours.number, field: f.name, offset: f.pos - ours.ptpOffset, ours: '(not decoded)', theirs: f.show })
        continue
      }
      const t = theirs(mine, f.show, f.value)
      if (!t.equal) acc.disagreements.push({ frame: ours.number, field: f.name, offset: f.pos - ours.ptpOffset, ours: describe(mine), theirs: t.shown })
    }
  }
}
