/**
 * One frame the harness sent or received, with everything a verdict or a report needs about it:
 * direction, port, timestamp, decoded message, findings, and why it was sent.
 */
import type { Finding, PtpMessage } from '../codec/types.ts'
import type { SendReason } from '../engines/actions.ts'

export type Direction = 'in' | 'out'
export type RecordedTransport = 'l2' | 'udp4' | 'udp6'

/** Link and network addressing of a frame (what the pcapng export needs to rebuild headers). */
export interface FrameAddressing {
  srcMac?: string
  dstMac?: string
  srcIp?: string
  dstIp?: string
  srcPort?: number
  dstPort?: number
  vlan?: { pcp: number; dei?: number; vid: number; tpid?: number }
  /** UDP: the DSCP the frame carried (IPv4 TOS or IPv6 traffic class, upper 6 bits). */
  dscp?: number
}

export interface RecordedFrame extends FrameAddressing {
  /** Position in the recorder (record order). */
  index: number
  /** Read from a capture file: its frame number there (1-based, as Wireshark shows it). */
  captureFrame?: number
  direction: Direction
  /** Name of the harness port ('h0', 'a', an interface name). */
  port: string
  transport: RecordedTransport
  /** TX timestamp (out) or RX timestamp (in) on the timestamp clock; null when none came. */
  timestampNs: bigint | null
  /** out: the send time the engine asked for (absent = as soon as possible). */
  plannedAt?: bigint
  /** The PTP message octets as on the wire. */
  bytes: Uint8Array
  /** The whole link-layer frame, when the transport handed it over. */
  raw?: Uint8Array
  /** Decoded message; undefined when the octets could not be decoded (decodeError says why). */
  message?: PtpMessage
  decodeError?: string
  findings: Finding[]
  /** out: who sent it and why (engine, step, mutations). */
  reason?: SendReason
  /** out: the send failed (no TX timestamp, transport error). */
  sendError?: string
  /** Free notes added by suites ("DUT switched parent after this Announce"). */
  notes: string[]
}

/** An Ethernet frame padded to its 60-octet minimum carries up to 2 octets after a 44-octet message. */
export function isEthernetPadding(transport: RecordedTransport, messageOctets: number): boolean {
  return transport === 'l2' && messageOctets <= 46
}

/** How a judge names a frame: its capture frame number (as Wireshark shows it) where it came from a file, else its recorder position. */
export function frameRef(f: Pick<RecordedFrame, 'index' | 'captureFrame'>): string {
  return f.captureFrame !== undefined ? `frame ${f.captureFrame}` : `frame #${f.index}`
}

/** "Sync #41 (frame 120)": a decoded frame as a judge's detail names it. */
export function describeFrame(f: Pick<RecordedFrame, 'index' | 'captureFrame' | 'message'>): string {
  return `${f.message?.type ?? 'undecodable'}${f.message ? ` #${f.message.header.sequenceId}` : ''} (${frameRef(f)})`
}
