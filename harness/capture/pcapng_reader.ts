/**
 * Streaming pcapng reader.
 *
 * Reads Section Header, Interface Description, Enhanced Packet, Simple Packet
 * and the obsolete Packet Block, in either byte order (each section declares
 * its own); every other block type is counted and skipped. Each block's length
 * is checked against the file and against its trailing copy before any field
 * inside it is read, so a truncated or garbage file ends in a CaptureError
 * naming the offset, after all readable packets have been yielded.
 */
import type { ByteSource } from './byte_source.ts'
import { CaptureError } from './errors.ts'
import { CapturePacket, type CaptureInterface, type CaptureReader } from './packet.ts'
import { BlockType, BYTE_ORDER_MAGIC, MAX_BLOCK_LENGTH, Option, pad4 } from './pcapng_format.ts'
import { pcapngTimestampToNs } from './timestamp_scale.ts'

/** What a Section Header Block said about its section. */
export interface PcapngSection {
  readonly index: number
  readonly fileOffset: number
  readonly littleEndian: boolean
  readonly majorVersion: number
  readonly minorVersion: number
  readonly hardware: string | undefined
  readonly os: string | undefined
  readonly userApplication: string | undefined
  readonly comments: readonly string[]
}

interface RawOption {
  code: number
  start: number
  length: number
}

const utf8 = new TextDecoder('utf-8')

export class PcapngReader implements CaptureReader {
  readonly format = 'pcapng' as const
  readonly interfaces: CaptureInterface[] = []
  readonly sections: PcapngSection[] = []
  skippedBlocks = 0
  private started = false
  /** Interfaces of the current section, by interface ID. */
  private sectionInterfaces: CaptureInterface[] = []
  private little = true

  constructor(private readonly src: ByteSource) {}

  [Symbol.iterator](): IterableIterator<CapturePacket> {
    return this.packets()
  }

  close(): void {
    this.src.close()
  }

  *packets(): IterableIterator<CapturePacket> {
    if (this.started) throw new Error('a PcapngReader can be iterated only once')
    this.started = true
    const src = this.src
    let index = 0
    try {
      while (true) {
        const head = src.require(12)
        if (head === 0) return
        const blockOffset = src.base + src.pos
        if (head < 12) throw new CaptureError(`truncated block header (${head} of 12 octets)`, blockOffset)
        let type = src.view.getUint32(src.pos, this.little)
        if (type === BlockType.SECTION_HEADER) {
          // The byte order of the section is only known from the magic inside the SHB.
          const magicLe = src.view.getUint32(src.pos + 8, true)
          if (magicLe === BYTE_ORDER_MAGIC) this.little = true
          else if (magicLe === 0x4d3c2b1a) this.little = false
          else
            throw new CaptureError(
              `Section Header Block with bad byte-order magic 0x${magicLe.toString(16).padStart(8, '0')}`,
              blockOffset,
            )
        } else if (this.sections.length === 0) {
          throw new CaptureError('not a pcapng file: first block is not a Section Header Block', blockOffset)
        }
        type = src.view.getUint32(src.pos, this.little)
        const length = src.view.getUint32(src.pos + 4, this.little)
        if (length < 12 || length % 4 !== 0) {
          throw new CaptureError(`block type 0x${type.toString(16)} has invalid total length ${length}`, blockOffset)
        }
        if (length > MAX_BLOCK_LENGTH) {
          throw new CaptureError(`block length ${length} exceeds the ${MAX_BLOCK_LENGTH}-octet limit`, blockOffset)
        }
        const have = src.require(length)
        if (have < length) {
          throw new CaptureError(`truncated block: ${length} octets declared, ${have} present`, blockOffset)
        }
        const p = src.pos
        const trailer = src.view.getUint32(p + length - 4, this.little)
        if (trailer !== length) {
          throw new CaptureError(`block total length ${length} does not match its trailing copy ${trailer}`, blockOffset)
        }
        src.pos += length
        switch (type) {
          case BlockType.ENHANCED_PACKET:
            yield this.enhancedPacket(p, length, blockOffset, index++)
            break
          case BlockType.SIMPLE_PACKET:
            yield this.simplePacket(p, length, blockOffset, index++)
            break
          case BlockType.PACKET:
            yield this.obsoletePacket(p, length, blockOffset, index++)
            break
          case BlockType.INTERFACE_DESCRIPTION:
            this.interfaceDescription(p, length, blockOffset)
            break
          case BlockType.SECTION_HEADER:
            this.sectionHeader(p, length, blockOffset)
            break
          default:
            this.skippedBlocks++
        }
      }
    } finally {
      this.src.close()
    }
  }

  private sectionHeader(p: number, length: number, blockOffset: number): void {
    if (length < 28) throw new CaptureError(`Section Header Block too short (${length} octets)`, blockOffset)
    const v = this.src.view
    const majorVersion = v.getUint16(p + 12, this.little)
    const minorVersion = v.getUint16(p + 14, this.little)
    if (majorVersion !== 1) {
      throw new CaptureError(`unsupported pcapng major version ${majorVersion}`, blockOffset)
    }
    let hardware: string | undefined
    let os: string | undefined
    let userApplication: string | undefined
    const comments: string[] = []
    for (const o of this.options(p + 24, p + length - 4, blockOffset)) {
      if (o.code === Option.COMMENT) comments.push(this.text(o))
      else if (o.code === Option.SHB_HARDWARE) hardware = this.text(o)
      else if (o.code === Option.SHB_OS) os = this.text(o)
      else if (o.code === Option.SHB_USERAPPL) userApplication = this.text(o)
    }
    this.sections.push({
      index: this.sections.length,
      fileOffset: blockOffset,
      littleEndian: this.little,
      majorVersion,
      minorVersion,
      hardware,
      os,
      userApplication,
      comments,
    })
    // Interface IDs are numbered per section.
    this.sectionInterfaces = []
  }

  private interfaceDescription(p: number, length: number, blockOffset: number): void {
    if (length < 20) throw new CaptureError(`Interface Description Block too short (${length} octets)`, blockOffset)
    const v = this.src.view
    const linkType = v.getUint16(p + 8, this.little)
    const snapLength = v.getUint32(p + 12, this.little)
    let name: string | undefined
    let description: string | undefined
    // Without if_tsresol the resolution is microseconds (pcapng spec).
    let base: 2 | 10 = 10
    let exponent = 6
    let offsetSeconds = 0n
    for (const o of this.options(p + 16, p + length - 4, blockOffset)) {
      if (o.code === Option.IF_NAME) name = this.text(o)
      else if (o.code === Option.IF_DESCRIPTION) description = this.text(o)
      else if (o.code === Option.IF_TSRESOL && o.length >= 1) {
        const r = this.src.buf[o.start]!
        base = r & 0x80 ? 2 : 10
        exponent = r & 0x7f
      } else if (o.code === Option.IF_TSOFFSET && o.length >= 8) {
        offsetSeconds = v.getBigInt64(o.start, this.little)
      }
    }
    const iface: CaptureInterface = {
      index: this.interfaces.length,
      section: this.sections.length - 1,
      interfaceId: this.sectionInterfaces.length,
      linkType,
      snapLength,
      name,
      description,
      resolution: { base, exponent },
      timestampOffsetSeconds: offsetSeconds,
      timestampToNs: pcapngTimestampToNs(base, exponent, offsetSeconds),
    }
    this.interfaces.push(iface)
    this.sectionInterfaces.push(iface)
  }

  private iface(id: number, blockOffset: number, what: string): CaptureInterface {
    const iface = this.sectionInterfaces[id]
    if (!iface) {
      throw new CaptureError(
        `${what} refers to interface ${id}, but the section describes ${this.sectionInterfaces.length}`,
        blockOffset,
      )
    }
    return iface
  }

  private enhancedPacket(p: number, length: number, blockOffset: number, index: number): CapturePacket {
    if (length < 32) throw new CaptureError(`Enhanced Packet Block too short (${length} octets)`, blockOffset)
    const v = this.src.view
    const le = this.little
    const iface = this.iface(v.getUint32(p + 8, le), blockOffset, 'Enhanced Packet Block')
    const captured = v.getUint32(p + 20, le)
    const original = v.getUint32(p + 24, le)
    const dataEnd = p + 28 + pad4(captured)
    if (dataEnd > p + length - 4) {
      throw new CaptureError(
        `Enhanced Packet Block captured length ${captured} exceeds its block length ${length}`,
        blockOffset,
      )
    }
    const comments = dataEnd < p + length - 4 ? this.comments(dataEnd, p + length - 4, blockOffset) : CapturePacket.noComments
    return new CapturePacket(
      index,
      blockOffset,
      iface,
      original,
      comments,
      this.src.buf,
      p + 28,
      captured,
      v.getUint32(p + 12, le),
      v.getUint32(p + 16, le),
      true,
    )
  }

  private simplePacket(p: number, length: number, blockOffset: number, index: number): CapturePacket {
    if (length < 16) throw new CaptureError(`Simple Packet Block too short (${length} octets)`, blockOffset)
    const iface = this.iface(0, blockOffset, 'Simple Packet Block')
    const original = this.src.view.getUint32(p + 8, this.little)
    // The SPB has no captured-length field: it is the original length, cut to the snap length and the block.
    let captured = Math.min(original, length - 16)
    if (iface.snapLength !== 0) captured = Math.min(captured, iface.snapLength)
    return new CapturePacket(index, blockOffset, iface, original, CapturePacket.noComments, this.src.buf, p + 12, captured, 0, 0, false)
  }

  private obsoletePacket(p: number, length: number, blockOffset: number, index: number): CapturePacket {
    if (length < 32) throw new CaptureError(`Packet Block too short (${length} octets)`, blockOffset)
    const v = this.src.view
    const le = this.little
    const iface = this.iface(v.getUint16(p + 8, le), blockOffset, 'Packet Block')
    const captured = v.getUint32(p + 20, le)
    const original = v.getUint32(p + 24, le)
    const dataEnd = p + 28 + pad4(captured)
    if (dataEnd > p + length - 4) {
      throw new CaptureError(`Packet Block captured length ${captured} exceeds its block length ${length}`, blockOffset)
    }
    const comments = dataEnd < p + length - 4 ? this.comments(dataEnd, p + length - 4, blockOffset) : CapturePacket.noComments
    return new CapturePacket(index, blockOffset, iface, original, comments, this.src.buf, p + 28, captured, v.getUint32(p + 12, le), v.getUint32(p + 16, le), true)
  }

  private comments(start: number, end: number, blockOffset: number): readonly string[] {
    let out: string[] | undefined
    for (const o of this.options(start, end, blockOffset)) {
      if (o.code === Option.COMMENT) (out ??= []).push(this.text(o))
    }
    return out ?? CapturePacket.noComments
  }

  /** Options between start and end (both positions in the current chunk); stops at opt_endofopt. */
  private options(start: number, end: number, blockOffset: number): RawOption[] {
    const out: RawOption[] = []
    const v = this.src.view
    let q = start
    while (q + 4 <= end) {
      const code = v.getUint16(q, this.little)
      const length = v.getUint16(q + 2, this.little)
      if (code === Option.END) break
      if (q + 4 + length > end) {
        throw new CaptureError(
          `option ${code} of length ${length} at file offset ${this.src.base + q} runs past the end of its block`,
          blockOffset,
        )
      }
      out.push({ code, start: q + 4, length })
      q += 4 + pad4(length)
    }
    return out
  }

  private text(o: RawOption): string {
    // Some writers include a terminating NUL; it is not part of the text.
    let end = o.start + o.length
    while (end > o.start && this.src.buf[end - 1] === 0) end--
    return utf8.decode(this.src.buf.subarray(o.start, end))
  }
}
