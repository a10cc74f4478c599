/**
 * Sequential access to the bytes of a capture, from memory or from a file read
 * in chunks. Readers look at `buf[pos, end)` directly (through `view` for
 * multi-octet fields) and call `require(n)` before touching n octets, so a file
 * is read with one read(2) per chunk and no per-packet copies.
 *
 * A refill allocates a fresh chunk instead of overwriting the old one: packets
 * already handed out keep pointing at valid bytes.
 */
import { closeSync, openSync, readSync } from 'node:fs'

export interface ByteSource {
  /** Current chunk. */
  buf: Uint8Array
  /** DataView over the whole of `buf`. */
  view: DataView
  /** Read position in `buf`. */
  pos: number
  /** End of valid data in `buf`. */
  end: number
  /** File offset of `buf[0]`. */
  base: number
  /** Makes up to n octets available at `pos`; returns how many are (fewer only at end of input). */
  require(n: number): number
  close(): void
}

export class MemorySource implements ByteSource {
  buf: Uint8Array
  view: DataView
  pos = 0
  end: number
  base = 0

  constructor(bytes: Uint8Array) {
    this.buf = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.end = bytes.byteLength
  }

  require(n: number): number {
    return Math.min(n, this.end - this.pos)
  }

  close(): void {}
}

/*
 * Small on purpose. A chunk lives as long as packets point into it; a 64 KiB chunk (a few
 * hundred packets) is garbage by the next young-generation GC and its memory is recycled by
 * malloc, while multi-megabyte chunks outlive young GCs, pile up as external memory and force
 * a full mark-compact every few dozen megabytes read (about 15 % of the time of a
 * read-and-decode loop over a 1-million-packet file).
 */
const DEFAULT_CHUNK = 64 << 10

export class FileSource implements ByteSource {
  buf: Uint8Array = new Uint8Array(0)
  view: DataView = new DataView(this.buf.buffer)
  pos = 0
  end = 0
  base = 0
  private fd: number | undefined
  private filePos = 0
  private eof = false

  constructor(
    path: string,
    private readonly chunkSize = DEFAULT_CHUNK,
  ) {
    this.fd = openSync(path, 'r')
  }

  require(n: number): number {
    const have = this.end - this.pos
    if (have >= n || this.eof) return Math.min(n, have)
    // Not zero-filled: every octet handed out below `end` is overwritten by the copy or the read.
    const raw = Buffer.allocUnsafeSlow(Math.max(this.chunkSize, n))
    const next = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
    next.set(this.buf.subarray(this.pos, this.end), 0)
    let filled = have
    while (filled < next.length) {
      if (this.fd === undefined) break
      const got = readSync(this.fd, next, filled, next.length - filled, this.filePos)
      if (got === 0) {
        this.eof = true
        break
      }
      filled += got
      this.filePos += got
    }
    this.base += this.pos
    this.buf = next
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength)
    this.pos = 0
    this.end = filled
    return Math.min(n, filled)
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd)
      this.fd = undefined
    }
    this.eof = true
  }
}
