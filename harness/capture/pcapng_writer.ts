/**
 * pcapng writer: one Section Header Block, one Interface Description Block per
 * interface (each with its own link type and if_tsresol), then an Enhanced
 * Packet Block per packet with optional opt_comment options. Output goes
 * through an internal buffer to a sink, so a file of any size is written with
 * constant memory. Timestamps are bigint ns; with the default resolution
 * (if_tsresol 9) they are stored exactly.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { BlockType, BYTE_ORDER_MAGIC, Option, pad4 } from './pcapng_format.ts'

export interface PcapngInterfaceSpec {
  /** LINKTYPE_* value (LinkType.ETHERNET for Ethernet frames). */
  linkType: number
  name?: string
  description?: string
  /** 0 = no limit. */
  snapLength?: number
  /** Decimal exponent of the timestamp unit (10^-n s), 0..9. Default 9 (ns). */
  timestampExponent?: number
}

export interface PcapngPacketSpec {
  interfaceId: number
  /** ns since the epoch; truncated to the interface's resolution. */
  timestampNs: bigint
  data: Uint8Array
  /** Length on the wire; defaults to data.length. */
  originalLength?: number
  /** Written as one opt_comment each. */
  comment?: string | readonly string[]
}

export interface PcapngWriterOptions {
  /** Byte order of the section; default little-endian (the usual one). */
  littleEndian?: boolean
  /** shb_userappl; default "ptp-conform". */
  userApplication?: string
  /** Section comment(s). */
  comment?: string | readonly string[]
}

const utf8 = new TextEncoder()
const BUFFER_SIZE = 1 << 20

export class PcapngWriter {
  private buf = new Uint8Array(BUFFER_SIZE)
  private view = new DataView(this.buf.buffer)
  private used = 0
  private readonly le: boolean
  private readonly interfaceDivisors: bigint[] = []
  private closed = false

  constructor(
    private readonly sink: (chunk: Uint8Array) => void,
    options: PcapngWriterOptions = {},
  ) {
    this.le = options.littleEndian ?? true
    const opts: [number, Uint8Array][] = []
    for (const c of list(options.comment)) opts.push([Option.COMMENT, utf8.encode(c)])
    opts.push([Option.SHB_USERAPPL, utf8.encode(options.userApplication ?? 'ptp-conform')])
    this.block(BlockType.SECTION_HEADER, 16, opts, (v, p) => {
      v.setUint32(p, BYTE_ORDER_MAGIC, this.le)
      v.setUint16(p + 4, 1, this.le)
      v.setUint16(p + 6, 0, this.le)
      // Section length -1: not specified, so the file can be written in one pass.
      v.setBigInt64(p + 8, -1n, this.le)
    })
  }

  /** Writes a file incrementally (fs.writeSync); call close() at the end. */
  static toFile(path: string, options?: PcapngWriterOptions): PcapngWriter {
    const fd = openSync(path, 'w')
    const w = new PcapngWriter((chunk) => {
      let off = 0
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off)
    }, options)
    w.onClose = () => closeSync(fd)
    return w
  }

  private onClose: (() => void) | undefined

  /** Adds an interface and returns its interface ID (0, 1, 2... in order). */
  addInterface(spec: PcapngInterfaceSpec): number {
    const exponent = spec.timestampExponent ?? 9
    if (!Number.isInteger(exponent) || exponent < 0 || exponent > 9) {
      throw new RangeError(`timestampExponent must be an integer 0..9, got ${exponent}`)
    }
    const opts: [number, Uint8Array][] = []
    if (spec.name !== undefined) opts.push([Option.IF_NAME, utf8.encode(spec.name)])
    if (spec.description !== undefined) opts.push([Option.IF_DESCRIPTION, utf8.encode(spec.description)])
    opts.push([Option.IF_TSRESOL, Uint8Array.of(exponent)])
    this.block(BlockType.INTERFACE_DESCRIPTION, 8, opts, (v, p) => {
      v.setUint16(p, spec.linkType, this.le)
      v.setUint16(p + 2, 0, this.le)
      v.setUint32(p + 4, spec.snapLength ?? 0, this.le)
    })
    this.interfaceDivisors.push(10n ** BigInt(9 - exponent))
    return this.interfaceDivisors.length - 1
  }

  writePacket(packet: PcapngPacketSpec): void {
    const divisor = this.interfaceDivisors[packet.interfaceId]
    if (divisor === undefined) throw new RangeError(`unknown interface ${packet.interfaceId}`)
    if (packet.timestampNs < 0n) throw new RangeError(`negative timestamp ${packet.timestampNs}`)
    const units = divisor === 1n ? packet.timestampNs : packet.timestampNs / divisor
    if (units >= 1n << 64n) throw new RangeError(`timestamp ${packet.timestampNs} ns does not fit 64 bits`)
    const data = packet.data
    const original = packet.originalLength ?? data.length
    const comments = list(packet.comment)
    const opts: [number, Uint8Array][] = comments.map((c) => [Option.COMMENT, utf8.encode(c)])
    const high = Number(units >> 32n)
    const low = Number(units & 0xffffffffn)
    this.block(BlockType.ENHANCED_PACKET, 20 + pad4(data.length), opts, (v, p, bytes) => {
      v.setUint32(p, packet.interfaceId, this.le)
      v.setUint32(p + 4, high, this.le)
      v.setUint32(p + 8, low, this.le)
      v.setUint32(p + 12, data.length, this.le)
      v.setUint32(p + 16, original, this.le)
      bytes.set(data, p + 20)
      bytes.fill(0, p + 20 + data.length, p + 20 + pad4(data.length))
    })
  }

  /** Hands everything buffered to the sink. */
  flush(): void {
    if (this.used > 0) {
      this.sink(this.buf.slice(0, this.used))
      this.used = 0
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.flush()
    this.onClose?.()
  }

  /** Appends one block: header, fixed body written by `body`, options, opt_endofopt, trailer. */
  private block(
    type: number,
    bodyLength: number,
    options: [number, Uint8Array][],
    body: (v: DataView, p: number, bytes: Uint8Array) => void,
  ): void {
    if (this.closed) throw new Error('pcapng writer is closed')
    let optLength = 0
    for (const [, value] of options) {
      if (value.length > 0xffff) throw new RangeError(`option value of ${value.length} octets exceeds 65535`)
      optLength += 4 + pad4(value.length)
    }
    if (options.length > 0) optLength += 4
    const total = 12 + bodyLength + optLength
    if (this.used + total > this.buf.length) {
      this.flush()
      if (total > this.buf.length) {
        this.buf = new Uint8Array(total)
        this.view = new DataView(this.buf.buffer)
      }
    }
    const v = this.view
    const b = this.buf
    let p = this.used
    v.setUint32(p, type, this.le)
    v.setUint32(p + 4, total, this.le)
    body(v, p + 8, b)
    p += 8 + bodyLength
    for (const [code, value] of options) {
      v.setUint16(p, code, this.le)
      v.setUint16(p + 2, value.length, this.le)
      b.set(value, p + 4)
      b.fill(0, p + 4 + value.length, p + 4 + pad4(value.length))
      p += 4 + pad4(value.length)
    }
    if (options.length > 0) {
      v.setUint32(p, 0, this.le)
      p += 4
    }
    v.setUint32(p, total, this.le)
    this.used = p + 4
  }
}

function list(x: string | readonly string[] | undefined): readonly string[] {
  return x === undefined ? [] : typeof x === 'string' ? [x] : x
}

/** Encodes a whole pcapng file in memory (tests, small captures). */
export function encodePcapng(
  interfaces: readonly PcapngInterfaceSpec[],
  packets: Iterable<PcapngPacketSpec>,
  options?: PcapngWriterOptions,
): Uint8Array {
  const chunks: Uint8Array[] = []
  const w = new PcapngWriter((c) => chunks.push(c), options)
  for (const i of interfaces) w.addInterface(i)
  for (const p of packets) w.writePacket(p)
  w.close()
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.length
  }
  return out
}

/** Writes a whole pcapng file, streaming the packets. */
export function writePcapngFile(
  path: string,
  interfaces: readonly PcapngInterfaceSpec[],
  packets: Iterable<PcapngPacketSpec>,
  options?: PcapngWriterOptions,
): void {
  const w = PcapngWriter.toFile(path, options)
  try {
    for (const i of interfaces) w.addInterface(i)
    for (const p of packets) w.writePacket(p)
  } finally {
    w.close()
  }
}
