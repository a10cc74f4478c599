/**
 * Public types of the transport layer (ports, frames, timestamps, schedules).
 * All times are integer nanoseconds (bigint). Software timestamps are on the
 * system clock (CLOCK_REALTIME, equal to CLOCK_TAI on the lab machines);
 * hardware timestamps are on the interface's PHC.
 */

export type TransportKind = 'l2' | 'udp4' | 'udp6'
export type TimestampingRequest = 'auto' | 'software' | 'hardware'
/** Which clock a timestamp is on. */
export type TimestampClock = 'system' | 'phc'

export interface VlanTag {
  /** priority code point, 0..7 */
  pcp: number
  /** VLAN identifier, 0..4095 (0: priority tag only) */
  vid: number
}

export interface PortOptions {
  interface: string
  transport: TransportKind
  /** Network namespace to open the port in: a name under /var/run/netns or a path like /proc/PID/ns/net. */
  netns?: string
  timestamping?: TimestampingRequest
  /** l2: default 802.1Q tag on every send (per-send `vlan` overrides it). */
  vlan?: VlanTag
  /** udp4: multicast/unicast TTL (default 1; 224.0.0.107 requires 1). */
  ttl?: number
  /** udp4: DSCP (0..63), sent as IP_TOS = dscp << 2. */
  dscp?: number
  /** udp4: DSCP of general messages (port 320); default: same as `dscp` (linuxptp dscp_general). */
  dscpGeneral?: number
  /** udp6: hop limit (default 1). */
  hopLimit?: number
  /** udp6: traffic class octet (DSCP << 2 | ECN). */
  trafficClass?: number
  /** udp6: traffic class of general messages; default: same as `trafficClass`. */
  trafficClassGeneral?: number
  /** udp6: X of FF0X::181 (default 0xE, as linuxptp). */
  udp6Scope?: number
  /** udp: share 319/320 with other sockets that also set SO_REUSEADDR. Default false (EADDRINUSE instead). */
  reuseAddress?: boolean
  /** A TX timestamp not back after this long fails the send with ETXTIMESTAMP_TIMEOUT (default 1000). */
  txTimeoutMs?: number
  /** Fail with EIFDOWN when the link has no carrier (default true). */
  requireCarrier?: boolean
  /** Pin the port's native threads (receive, scheduler, load) to this CPU. */
  cpu?: number
  /** SCHED_FIFO priority of the scheduler thread when permitted (default: 20 with hardware timestamps, off with software ones, whose TX timestamp a SCHED_FIFO sender skews; 0 disables). */
  realtimePriority?: number
  /** The scheduler sleeps until deadline − spinNs, then spins (default 200 µs). */
  spinNs?: bigint
  /** Send early by the measured send-call→TX-timestamp latency so TX timestamps land on the deadline (default true). */
  compensateLatency?: boolean
}

/** 'primary' and 'pdelay' select the PTP multicast MAC / group; otherwise a MAC (l2) or IP address (udp). */
export type Destination = 'primary' | 'pdelay' | (string & {})

export interface SendOptions {
  /** udp: event message (port 319) or general message (port 320). Default true. l2: no effect. */
  event?: boolean
  /** Default 'primary'. */
  dest?: Destination
  /** udp: destination port override (default 319/320 by `event`). */
  port?: number
  /** l2: tag for this frame; null sends untagged even if the port has a default tag. */
  vlan?: VlanTag | null
  /** l2: the message is a complete Ethernet frame (header included), sent as is. */
  raw?: boolean
  /** udp: the source address, one of the interface's own (default: the kernel's choice). */
  src?: string
}

export interface TxResult {
  txTimestampNs: bigint
  clock: TimestampClock
  /** CLOCK_REALTIME just before the send system call. */
  sendNs: bigint
}

export interface ReceivedFrame {
  /** The PTP message: Ethernet payload after the EtherType (l2, may carry Ethernet padding; messageLength governs) or the UDP payload. */
  data: Uint8Array
  /** null only with hardware timestamping for frames the NIC's filter did not stamp. */
  rxTimestampNs: bigint | null
  clock: TimestampClock
  interface: string
  transport: TransportKind
  /** udp: 319 socket ('event') or 320 socket ('general'); l2: always 'event'. */
  socket: 'event' | 'general'
  /** l2: the whole frame as on the wire, 802.1Q tag re-inserted (for pcapng). */
  raw?: Uint8Array
  srcMac?: string
  dstMac?: string
  vlan?: { pcp: number; dei: number; vid: number; tpid: number }
  srcAddress?: string
  srcPort?: number
  dstAddress?: string
  dstPort?: number
  /** udp4: the TOS octet (DSCP << 2 | ECN); udp6: the traffic class. */
  tos?: number
  /** udp4: TTL; udp6: hop limit. */
  ttl?: number
}

export interface TimestampingInfo {
  mode: 'software' | 'hardware'
  clock: TimestampClock
  requested: TimestampingRequest
  phcIndex: number | null
  /** PHC the interface reports even if software mode was chosen. */
  interfacePhcIndex: number | null
  soTimestampingCaps: number
  txTypes: number
  rxFilters: number
  ethtoolAnswered: boolean
  rxFilter?: string
  reason: string
}

export interface SchedulerInfo {
  policy: string
  priority: number
  memoryLocked: boolean
  note: string
}

export interface TrainOptions {
  /** PTP message template; sequenceId and originTimestamp are filled per frame. */
  message: Uint8Array
  send?: SendOptions
  /** Deadline of frame 0 (system clock). */
  startNs: bigint
  periodNs: bigint
  /** Number of frames; omitted: until stop(). */
  count?: number
  /** Byte offset of sequenceId in the message (PTP header: 30); null leaves it alone. */
  sequenceIdOffset?: number | null
  sequenceIdStart?: number
  /** Byte offset of the 10-octet origin timestamp (34 in Sync/Delay_Req/Announce); null leaves it. Filled with the frame's deadline. */
  originTimestampOffset?: number | null
  /** Two-step: a Follow_Up sent natively as soon as each frame's TX timestamp is back, its timestamp field set to it. */
  followUp?: { message: Uint8Array; sequenceIdOffset?: number; timestampOffset?: number; send?: SendOptions }
  /** Called for every frame report, in arrival order. */
  onReport?: (report: TrainReport) => void
  /** Keep every report in the summary (default true). */
  collect?: boolean
}

export interface TrainReport {
  index: number
  sequenceId: number
  deadlineNs: bigint
  sendNs: bigint | null
  txTimestampNs: bigint | null
  followUpSent: boolean
  /** set when the frame failed or its TX timestamp did not come back */
  error?: { code: string; message: string }
}

export interface TrainSummary {
  stopped: boolean
  sent: number
  failed: number
  reports: TrainReport[]
}

export interface LoadOptions {
  message: Uint8Array
  send?: SendOptions
  durationNs: bigint
  /** Frames per second; 0 or omitted: as fast as possible. */
  ratePps?: number
  /** Messages per sendmmsg (default 32). */
  batch?: number
  sequenceIdOffset?: number | null
}

export interface LoadResult {
  stopped: boolean
  sent: number
  /** TX timestamps received for those frames */
  stamped: number
  failed: number
  startNs: bigint
  endNs: bigint
  error?: { code: string; message: string }
}
