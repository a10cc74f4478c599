/**
 * Parser for tshark's PDML output (`tshark -T pdml`). PDML gives every field
 * its frame offset (pos) and size next to the displayed value, which is what
 * lets the oracle match a tshark field to the codec's field at the same octets
 * even when a message carries several TLVs of the same type.
 *
 * tshark writes one element per line with XML-escaped attribute values, so a
 * line parser is exact and streams: a capture of any size is parsed packet by
 * packet without holding the XML in memory.
 */

export interface PdmlField {
  /** Filter name (`ptp.v2.sequenceid`); '' for text-only tree items. */
  name: string
  showname: string
  /** tshark's displayed value (decimal, 0x-hex, text, or colon-separated bytes). */
  show: string
  /** Raw value: hex of the octets, or the masked value for bit fields. */
  value: string
  /** Octet offset in the frame. */
  pos: number
  size: number
  children: PdmlField[]
}

export interface PdmlProto {
  name: string
  pos: number
  size: number
  fields: PdmlField[]
}

export interface PdmlPacket {
  /** frame.number: 1-based. */
  number: number
  protos: PdmlProto[]
}

const ATTR = /([a-z_]+)="([^"]*)"/g

function unescape(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|quot|apos|lt|gt|amp);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
    return ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' } as Record<string, string>)[e]!
  })
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of s.matchAll(ATTR)) out[m[1]!] = unescape(m[2]!)
  return out
}

/** Feeds lines of PDML, emits complete packets. */
export class PdmlParser {
  private packet: PdmlPacket | undefined
  private proto: PdmlProto | undefined
  private stack: PdmlField[] = []

  constructor(private readonly onPacket: (p: PdmlPacket) => void) {}

  line(raw: string): void {
    const line = raw.trim()
    if (line === '<packet>') {
      this.packet = { number: 0, protos: [] }
      return
    }
    if (line === '</packet>') {
      if (this.packet) this.onPacket(this.packet)
      this.packet = undefined
      return
    }
    if (!this.packet) return
    if (line.startsWith('<proto ')) {
      const a = attributes(line)
      this.proto = { name: a.name ?? '', pos: Number(a.pos ?? 0), size: Number(a.size ?? 0), fields: [] }
      this.packet.protos.push(this.proto)
      this.stack = []
      if (line.endsWith('/>')) this.proto = undefined
      return
    }
    if (line === '</proto>') {
      this.proto = undefined
      return
    }
    if (line.startsWith('<field ')) {
      const a = attributes(line)
      const f: PdmlField = {
        name: a.name ?? '',
        showname: a.showname ?? '',
        show: a.show ?? '',
        value: a.value ?? '',
        pos: Number(a.pos ?? 0),
        size: Number(a.size ?? 0),
        children: [],
      }
      if (this.proto?.name === 'geninfo' && f.name === 'num') this.packet.number = Number(f.show)
      const parent = this.stack[this.stack.length - 1]
      if (parent) parent.children.push(f)
      else this.proto?.fields.push(f)
      if (!line.endsWith('/>')) this.stack.push(f)
      return
    }
    if (line === '</field>') this.stack.pop()
  }
}

/** All fields of a tree, depth first, in the order tshark printed them. */
export function* walk(fields: readonly PdmlField[]): Generator<PdmlField> {
  for (const f of fields) {
    yield f
    yield* walk(f.children)
  }
}
