/**
 * A capture file as a recording: every PTP frame of it recorded as the live harness records
 * what it receives (direction 'in', the capture's timestamps, addressing, the codec's
 * findings), so the judges that run live run on the file unchanged. Reading stops at the
 * first damage and says where; frames that are not PTP are counted, not recorded.
 */
import { CaptureError, type CaptureReader } from '../capture/index.ts'
import { decodeFrame, linkTypeFromPcap, type FrameDecodeOptions } from '../codec/framing/frame.ts'
import type { FrameAddressing, RecordedTransport } from '../recorder/frame.ts'
import { Recorder } from '../recorder/recorder.ts'

export interface CaptureRecording {
  recorder: Recorder
  /** Capture frame number (1-based, as Wireshark shows it) of each recorded frame, by recorder index. */
  frameNumbers: number[]
  frames: number
  notPtp: number
  unsupportedLink: number
  /** Coarsest timestamp resolution of the interfaces that carried PTP, ns. */
  resolutionNs: bigint
  firstNs?: bigint
  lastNs?: bigint
  /** Where reading stopped on a damaged file. */
  damage?: { afterFrame: number; message: string }
}

const resolutionNs = (r: { base: 2 | 10; exponent: number }): bigint => {
  const ns = r.base === 10 ? 10 ** (9 - r.exponent) : 1e9 / 2 ** r.exponent
  return BigInt(Math.max(1, Math.ceil(ns)))
}

export function recordCapture(reader: CaptureReader, o: { onProgress?: (frames: number, offset: number) => void; decode?: FrameDecodeOptions } = {}): CaptureRecording {
  const rec: CaptureRecording = { recorder: new Recorder(), frameNumbers: [], frames: 0, notPtp: 0, unsupportedLink: 0, resolutionNs: 1n }
  try {
    for (const packet of reader) {
      rec.frames++
      if (o.onProgress && rec.frames % 65536 === 0) o.onProgress(rec.frames, packet.fileOffset)
      const linkType = linkTypeFromPcap(packet.linkType)
      if (linkType === undefined) {
        rec.unsupportedLink++
        continue
      }
      const frame = decodeFrame(packet.data, linkType, o.decode)
      if (frame.ptpOffset < 0) {
        rec.notPtp++
        continue
      }
      const r = resolutionNs(packet.iface.resolution)
      if (r > rec.resolutionNs) rec.resolutionNs = r
      const ts = packet.timestampNs
      if (ts !== null) {
        if (rec.firstNs === undefined) rec.firstNs = ts
        rec.lastNs = ts
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
      }
      if (frame.udp) {
        addressing.srcPort = frame.udp.srcPort
        addressing.dstPort = frame.udp.dstPort
      }
      const transport: RecordedTransport = frame.udp ? (frame.ip?.version === 6 ? 'udp6' : 'udp4') : 'l2'
      rec.recorder.record({
        direction: 'in',
        port: packet.iface.name ?? `if${packet.iface.index}`,
        transport,
        timestampNs: ts,
        bytes: packet.data.subarray(frame.ptpOffset, frame.ptpOffset + frame.ptpLength),
        raw: packet.data,
        ...(frame.ptp ? { message: frame.ptp.message } : {}),
        findings: [...frame.findings, ...(frame.ptp?.findings ?? [])],
        ...addressing,
      })
      rec.frameNumbers.push(packet.index + 1)
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e
    rec.damage = { afterFrame: rec.frames, message: e.message }
  } finally {
    reader.close()
  }
  return rec
}
