/**
 * The PTP frames of one or more capture files as a stream, each as the live harness records
 * what it receives (direction 'in', the capture's timestamps, addressing, the codec's
 * findings), with its frame number as Wireshark shows it. Nothing is kept: `analyze` holds
 * only the window it is judging, so a capture of any size is read in bounded memory. Several
 * files are merged by timestamp (each in its own order). Reading a file stops at its first
 * damage, which the statistics say; frames that are not PTP are counted, not yielded.
 */
import { CaptureError, openCapture, type CaptureReader } from '../capture/index.ts'
import { decodeFrame, linkTypeFromPcap, type FrameDecodeOptions } from '../codec/framing/frame.ts'
import type { FrameAddressing, RecordedTransport } from '../recorder/frame.ts'
import type { RecordInput } from '../recorder/recorder.ts'

export interface CaptureStats {
  frames: number
  /** PTP frames among them (what the stream yields). */
  ptp: number
  notPtp: number
  unsupportedLink: number
  /** Coarsest timestamp resolution of the interfaces that carried PTP, ns. */
  resolutionNs: bigint
  firstNs?: bigint
  lastNs?: bigint
  /** Where reading stopped on a damaged file. */
  damage?: { file: string; afterFrame: number; message: string }
}

export interface CapturedFrame {
  /** As the live port records a frame; `captureFrame` is its 1-based number in its file, as Wireshark shows it. */
  input: RecordInput & { captureFrame: number }
  /** Which of the files (index into the list given). */
  file: number
}

export interface StreamOptions {
  decode?: FrameDecodeOptions
  onProgress?: (file: string, frames: number, offset: number) => void
}

export const newStats = (): CaptureStats => ({ frames: 0, ptp: 0, notPtp: 0, unsupportedLink: 0, resolutionNs: 1n })

const resolutionNs = (r: { base: 2 | 10; exponent: number }): bigint => {
  const ns = r.base === 10 ? 10 ** (9 - r.exponent) : 1e9 / 2 ** r.exponent
  return BigInt(Math.max(1, Math.ceil(ns)))
}

/** One reader's PTP frames; `stats` counts as it goes. The reader is closed at the end or on return. */
export function* ptpFramesOf(reader: CaptureReader, name: string, file: number, stats: CaptureStats, o: StreamOptions = {}): Generator<CapturedFrame> {
  let frames = 0
  try {
    for (const packet of reader) {
      stats.frames++
      frames++
      if (o.onProgress && frames % 65536 === 0) o.onProgress(name, frames, packet.fileOffset)
      const linkType = linkTypeFromPcap(packet.linkType)
      if (linkType === undefined) {
        stats.unsupportedLink++
        continue
      }
      const frame = decodeFrame(packet.data, linkType, o.decode)
      if (frame.ptpOffset < 0) {
        stats.notPtp++
        continue
      }
      stats.ptp++
      const r = resolutionNs(packet.iface.resolution)
      if (r > stats.resolutionNs) stats.resolutionNs = r
      const ts = packet.timestampNs
      if (ts !== null) {
        if (stats.firstNs === undefined || ts < stats.firstNs) stats.firstNs = ts
        if (stats.lastNs === undefined || ts > stats.lastNs) stats.lastNs = ts
      }
      const addressing: FrameAddressing = {}
      if (frame.eth) {
        addressing.srcMac = frame.eth.src
        addressing.dstMac = frame.eth.dst
        // The outer tag, as the live port reports it.
        if (frame.eth.vlan?.length) addressing.vlan = frame.eth.vlan[0]!
      }
      if (frame.ip) {
        addressing.srcIp = frame.ip.src
        addressing.dstIp = frame.ip.dst
        addressing.dscp = frame.ip.dscp
      }
      if (frame.udp) {
        addressing.srcPort = frame.udp.srcPort
        addressing.dstPort = frame.udp.dstPort
      }
      const transport: RecordedTransport = frame.udp ? (frame.ip?.version === 6 ? 'udp6' : 'udp4') : 'l2'
      yield {
        input: {
          direction: 'in',
          port: packet.iface.name ?? `if${packet.iface.index}`,
          transport,
          timestampNs: ts,
          bytes: packet.data.subarray(frame.ptpOffset, frame.ptpOffset + frame.ptpLength),
          raw: packet.data,
          ...(frame.ptp ? { message: frame.ptp.message } : {}),
          findings: [...frame.findings, ...(frame.ptp?.findings ?? [])],
          captureFrame: packet.index + 1,
          ...addressing,
        },
        file,
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e
    stats.damage ??= { file: name, afterFrame: frames, message: e.message }
  } finally {
    reader.close()
  }
}

/**
 * Every file's PTP frames, merged by timestamp: the next frame is the earliest head among the
 * files (ties: the earlier file; a frame without a timestamp comes as soon as it is read).
 */
export function* capturedPtpFrames(files: readonly string[], stats: CaptureStats, o: StreamOptions = {}): Generator<CapturedFrame> {
  const streams = files.map((f, i) => ptpFramesOf(openCapture(f), f, i, stats, o))
  try {
    if (streams.length === 1) {
      yield* streams[0]!
      return
    }
    const heads = streams.map((s) => s.next())
    for (;;) {
      let pick = -1
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i]!
        if (h.done) continue
        if (pick < 0) {
          pick = i
          continue
        }
        const a = h.value.input.timestampNs
        const b = (heads[pick]!.value as CapturedFrame).input.timestampNs
        if (a === null || (b !== null && a < b)) pick = i
        if (a === null) break
      }
      if (pick < 0) return
      yield heads[pick]!.value as CapturedFrame
      heads[pick] = streams[pick]!.next()
    }
  } finally {
    for (const s of streams) s.return(undefined)
  }
}
