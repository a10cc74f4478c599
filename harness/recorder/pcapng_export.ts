/**
 * A recording as pcapng: one interface per harness port, one Enhanced Packet Block per frame
 * with its TX/RX timestamp, and comments that say why the frame exists (the engine and step
 * that sent it, each injected mutation, the decoder's findings, suite notes), e.g.
 * `injected: Follow_Up late +200 ms`.
 *
 * Frames the transport handed over whole (l2 receive) are written as they were; for the others
 * the Ethernet / IPv4 / IPv6 / UDP headers are rebuilt with the codec's framing encoder, so the
 * file opens in Wireshark with the PTP dissector on every frame.
 */
import { encodePtpFrame } from '../codec/framing/encode_frame.ts'
import { LinkType } from '../capture/link_types.ts'
import { encodePcapng, writePcapngFile, type PcapngPacketSpec } from '../capture/pcapng_writer.ts'
import { formatDuration } from '../time/format.ts'
import type { RecordedFrame } from './frame.ts'
import { matchesQuery, Recorder, type FrameQuery } from './recorder.ts'
import { inTimeOrder } from './time_order.ts'

export interface PortAddressing {
  mac?: string
  /** IPv4 or IPv6 address of the port (udp transports). */
  ip?: string
}

export interface PcapngExportOptions {
  query?: FrameQuery
  /** Addresses of the harness ports, for frames recorded without them. */
  ports?: Record<string, PortAddressing>
  /** Section comment (e.g. the test id and profile). */
  comment?: string | string[]
}

/** Placeholder MAC for a unicast IP destination whose MAC the recording does not know. */
const UNKNOWN_MAC = '00:00:00:00:00:00'

/** The comments a frame gets in the export. */
export function frameComments(f: RecordedFrame): string[] {
  const out: string[] = []
  // A frame read from a capture keeps its number there: an excerpt's frame 3 is the file's 120431.
  if (f.captureFrame !== undefined) out.push(`capture frame ${f.captureFrame}`)
  if (f.direction === 'out' && f.reason) {
    out.push(`sent by ${f.reason.source}: ${f.reason.step}`)
    for (const m of f.reason.mutations) out.push(`injected: ${m}`)
  }
  if (f.direction === 'out' && f.plannedAt !== undefined && f.timestampNs !== null) {
    out.push(`TX ${formatDuration(f.timestampNs - f.plannedAt)} from the planned send time`)
  }
  if (f.sendError) out.push(`send failed: ${f.sendError}`)
  if (f.decodeError) out.push(`undecodable: ${f.decodeError}`)
  for (const x of f.findings) out.push(`finding (${x.severity}) ${x.field} @${x.offset}: ${x.message} [${x.clause}]`)
  out.push(...f.notes)
  return out
}

/** The link-layer frame of a recorded PTP message. */
export function linkFrame(f: RecordedFrame, port: PortAddressing = {}): Uint8Array {
  if (f.raw) return f.raw
  const local = f.direction === 'out'
  const srcMac = f.srcMac ?? (local ? port.mac : undefined) ?? UNKNOWN_MAC
  const srcIp = f.srcIp ?? (local ? port.ip : undefined)
  const dstIp = f.dstIp ?? (!local ? port.ip : undefined)
  const vlan = f.vlan ? [{ pcp: f.vlan.pcp, dei: f.vlan.dei ?? 0, vid: f.vlan.vid, ...(f.vlan.tpid ? { tpid: f.vlan.tpid } : {}) }] : undefined
  const params = {
    transport: f.transport,
    srcMac,
    ...(f.dstMac ? { dstMac: f.dstMac } : {}),
    ...(vlan ? { vlan } : {}),
    ...(srcIp ? { srcIp } : f.transport === 'udp6' ? { srcIp: '2001:db8::1' } : {}),
    ...(dstIp ? { dstIp } : {}),
    ...(f.srcPort !== undefined ? { srcPort: f.srcPort } : {}),
    ...(f.dstPort !== undefined ? { dstPort: f.dstPort } : {}),
    ...(f.dscp !== undefined ? { dscp: f.dscp } : {}),
  }
  const payload = f.bytes.length > 0 ? f.bytes : new Uint8Array(1)
  try {
    return encodePtpFrame(payload, params)
  } catch {
    // A unicast IP destination without a known MAC: keep the frame, mark the MAC unknown.
    return encodePtpFrame(payload, { ...params, dstMac: UNKNOWN_MAC })
  }
}

function selected(source: Recorder | readonly RecordedFrame[], q: FrameQuery | undefined): RecordedFrame[] {
  const all = source instanceof Recorder ? source.frames : source
  return q ? all.filter((f) => matchesQuery(f, q)) : [...all]
}

function build(source: Recorder | readonly RecordedFrame[], options: PcapngExportOptions) {
  const frames = selected(source, options.query)
  // File order = time order, so Wireshark's time column reads naturally.
  const timed = inTimeOrder(frames)
  const portIds = new Map<string, number>()
  const interfaces: Array<{ linkType: number; name: string; description: string }> = []
  for (const { f } of timed) {
    if (!portIds.has(f.port)) {
      portIds.set(f.port, interfaces.length)
      interfaces.push({ linkType: LinkType.ETHERNET, name: f.port, description: `ptp-conform port ${f.port} (${f.transport})` })
    }
  }
  const packets: PcapngPacketSpec[] = timed.map(({ f, t }) => {
    const data = linkFrame(f, options.ports?.[f.port])
    return { interfaceId: portIds.get(f.port)!, timestampNs: t, data, comment: frameComments(f) }
  })
  return { interfaces, packets }
}

/** The recording as pcapng bytes. */
export function recordingToPcapng(source: Recorder | readonly RecordedFrame[], options: PcapngExportOptions = {}): Uint8Array {
  const { interfaces, packets } = build(source, options)
  return encodePcapng(interfaces, packets, options.comment !== undefined ? { comment: options.comment } : {})
}

/** Writes the recording to a pcapng file. */
export function writeRecordingPcapng(path: string, source: Recorder | readonly RecordedFrame[], options: PcapngExportOptions = {}): void {
  const { interfaces, packets } = build(source, options)
  writePcapngFile(path, interfaces, packets, options.comment !== undefined ? { comment: options.comment } : {})
}
