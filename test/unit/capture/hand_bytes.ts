/**
 * Byte builders for capture tests, written independently of harness/capture's
 * writer so that the readers are checked against the file formats themselves
 * (pcapng: IETF draft-ietf-opsawg-pcapng; pcap: draft-ietf-opsawg-pcap).
 */
export class Bytes {
  private parts: number[] = []
  constructor(private readonly little: boolean) {}

  u8(v: number): this {
    this.parts.push(v & 0xff)
    return this
  }
  u16(v: number): this {
    const b = [(v >>> 8) & 0xff, v & 0xff]
    this.parts.push(...(this.little ? b.reverse() : b))
    return this
  }
  u32(v: number): this {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]
    this.parts.push(...(this.little ? b.reverse() : b))
    return this
  }
  i64(v: bigint): this {
    const u = BigInt.asUintN(64, v)
    const hi = Number(u >> 32n)
    const lo = Number(u & 0xffffffffn)
    return this.little ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo)
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]!)
    return this
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0)
    return this
  }
  get length(): number {
    return this.parts.length
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

export interface HandOption {
  code: number
  value: Uint8Array
}

export function textOption(code: number, text: string): HandOption {
  return { code, value: new TextEncoder().encode(text) }
}

/** A pcapng block: type, total length, body, options + opt_endofopt, trailing length. */
export function block(little: boolean, type: number, body: Uint8Array, options: HandOption[] = []): Uint8Array {
  const inner = new Bytes(little).raw(body).pad4()
  for (const o of options) inner.u16(o.code).u16(o.value.length).raw(o.value).pad4()
  if (options.length) inner.u16(0).u16(0)
  const total = 12 + inner.length
  return new Bytes(little).u32(type).u32(total).raw(inner.bytes()).u32(total).bytes()
}

export function shb(little: boolean, options: HandOption[] = []): Uint8Array {
  const body = new Bytes(little).u32(0x1a2b3c4d).u16(1).u16(0).i64(-1n).bytes()
  return block(little, 0x0a0d0d0a, body, options)
}

export function idb(little: boolean, linkType: number, snapLength: number, options: HandOption[] = []): Uint8Array {
  return block(little, 1, new Bytes(little).u16(linkType).u16(0).u32(snapLength).bytes(), options)
}

export function epb(
  little: boolean,
  interfaceId: number,
  units: bigint,
  data: Uint8Array,
  options: HandOption[] = [],
  originalLength = data.length,
): Uint8Array {
  const body = new Bytes(little)
    .u32(interfaceId)
    .u32(Number(units >> 32n))
    .u32(Number(units & 0xffffffffn))
    .u32(data.length)
    .u32(originalLength)
    .raw(data)
    .bytes()
  return block(little, 6, body, options)
}

export function spb(little: boolean, data: Uint8Array, originalLength = data.length): Uint8Array {
  return block(little, 3, new Bytes(little).u32(originalLength).raw(data).bytes())
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

/** Classic pcap file: 24-octet header then 16-octet record headers. */
export function pcapFile(
  little: boolean,
  nanosecond: boolean,
  linkType: number,
  records: { sec: number; frac: number; data: Uint8Array; originalLength?: number }[],
): Uint8Array {
  const b = new Bytes(little)
    .u32(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(65535)
    .u32(linkType)
  for (const r of records) b.u32(r.sec).u32(r.frac).u32(r.data.length).u32(r.originalLength ?? r.data.length).raw(r.data)
  return b.bytes()
}

export function frameOf(n: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (n * 31 + i) & 0xff)
}
