/**
 * Opening a capture without knowing its format: the first four octets tell
 * pcapng (Section Header Block type) from classic pcap (either magic, either
 * byte order).
 */
import { statSync } from 'node:fs'
import { FileSource, MemorySource, type ByteSource } from './byte_source.ts'
import { CaptureError } from './errors.ts'
import type { CaptureReader } from './packet.ts'
import { PcapReader, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap_reader.ts'
import { BlockType } from './pcapng_format.ts'
import { PcapngReader } from './pcapng_reader.ts'

function fromSource(src: ByteSource): CaptureReader {
  try {
    const have = src.require(4)
    if (have === 0) throw new CaptureError('empty file', 0)
    if (have < 4) throw new CaptureError(`file too short for a capture header (${have} octets)`, 0)
    const be = src.view.getUint32(src.pos, false)
    const le = src.view.getUint32(src.pos, true)
    if (be === BlockType.SECTION_HEADER) return new PcapngReader(src)
    if ([PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le)) return new PcapReader(src)
    throw new CaptureError(`not a pcap or pcapng file (first octets 0x${be.toString(16).padStart(8, '0')})`, 0)
  } catch (err) {
    src.close()
    throw err
  }
}

/**
 * Opens a pcap or pcapng file for streaming. Throws CaptureError when the file
 * is not a capture, and the usual Node error (ENOENT, EACCES, EISDIR) when it
 * cannot be opened.
 */
export function openCapture(path: string): CaptureReader {
  // Refuse directories up front: read(2) on one fails with EISDIR only later.
  if (statSync(path).isDirectory()) {
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: 'EISDIR' })
  }
  return fromSource(new FileSource(path))
}

/** The same over bytes already in memory. */
export function readCapture(bytes: Uint8Array): CaptureReader {
  return fromSource(new MemorySource(bytes))
}
