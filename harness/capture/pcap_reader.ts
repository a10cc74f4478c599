/**
 * Streaming reader for classic libpcap files: magic 0xa1b2c3d4 (µs timestamps)
 * or 0xa1b23c4d (ns timestamps), written in either byte order. The whole file
 * is one interface whose link type comes from the file header.
 */
import type { ByteSource } from './byte_source.ts'
import { CaptureError } from './errors.ts'
import { CapturePacket, type CaptureInterface, type CaptureReader } from './packet.ts'
import { pcapTimestampToNs } from './timestamp_scale.ts'

export const PCAP_MAGIC_US = 0xa1b2c3d4
export const PCAP_MAGIC_NS = 0xa1b23c4d

/** libpcap refuses records larger than this unless the snap length is larger still. */
const MAX_RECORD = 262144

export class PcapReader implements CaptureReader {
  readonly format = 'pcap' as const
  readonly interfaces: CaptureInterface[] = []
  readonly skippedBlocks = 0
  littleEndian = true
  nanosecond = false
  majorVersion = 0
  minorVersion = 0
  private started = false

  constructor(private readonly src: ByteSource) {
    const have = src.require(24)
    if (have < 4) throw new CaptureError(`file too short for a pcap header (${have} octets)`, 0)
    const magicLe = src.view.getUint32(src.pos, true)
    const magicBe = src.view.getUint32(src.pos, false)
    if (magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS) this.littleEndian = true
    else if (magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS) this.littleEndian = false
    else throw new CaptureError(`not a pcap file (magic 0x${magicBe.toString(16).padStart(8, '0')})`, 0)
    if (have < 24) throw new CaptureError(`truncated pcap file header (${have} of 24 octets)`, 0)
    const le = this.littleEndian
    const v = src.view
    const p = src.pos
    this.nanosecond = v.getUint32(p, le) === PCAP_MAGIC_NS
    this.majorVersion = v.getUint16(p + 4, le)
    this.minorVersion = v.getUint16(p + 6, le)
    if (this.majorVersion !== 2) throw new CaptureError(`unsupported pcap version ${this.majorVersion}.${this.minorVersion}`, 0)
    const snapLength = v.getUint32(p + 16, le)
    // The upper bits of the link-type word carry FCS information, not the type.
    const linkType = v.getUint32(p + 20, le) & 0xffff
    this.interfaces.push({
      index: 0,
      section: 0,
      interfaceId: 0,
      linkType,
      snapLength,
      name: undefined,
      description: undefined,
      resolution: { base: 10, exponent: this.nanosecond ? 9 : 6 },
      timestampOffsetSeconds: 0n,
      timestampToNs: pcapTimestampToNs(this.nanosecond),
    })
    src.pos += 24
  }

  [Symbol.iterator](): IterableIterator<CapturePacket> {
    return this.packets()
  }

  close(): void {
    this.src.close()
  }

  *packets(): IterableIterator<CapturePacket> {
    if (this.started) throw new Error('a PcapReader can be iterated only once')
    this.started = true
    const src = this.src
    const iface = this.interfaces[0]!
    const le = this.littleEndian
    const limit = Math.max(MAX_RECORD, iface.snapLength)
    let index = 0
    try {
      while (true) {
        const head = src.require(16)
        if (head === 0) return
        const recordOffset = src.base + src.pos
        if (head < 16) throw new CaptureError(`truncated record header (${head} of 16 octets)`, recordOffset)
        const v = src.view
        const sec = v.getUint32(src.pos, le)
        const frac = v.getUint32(src.pos + 4, le)
        const captured = v.getUint32(src.pos + 8, le)
        const original = v.getUint32(src.pos + 12, le)
        if (captured > limit) {
          throw new CaptureError(`record captured length ${captured} exceeds the limit ${limit}`, recordOffset)
        }
        const have = src.require(16 + captured)
        if (have < 16 + captured) {
          throw new CaptureError(`truncated record: ${captured} octets declared, ${have - 16} present`, recordOffset)
        }
        const p = src.pos
        src.pos += 16 + captured
        yield new CapturePacket(index++, recordOffset, iface, original, CapturePacket.noComments, src.buf, p + 16, captured, sec, frac, true)
      }
    } finally {
      src.close()
    }
  }
}
