/**
 * The contract between the sans-IO engines and whatever drives them (harness/runtime in the
 * lab, plain function calls in unit tests). Modelled on statime's port actions: the engine
 * never touches a socket or a clock; it is handed messages and timestamps and answers with
 * actions, and the caller performs them and reports back the TX timestamps.
 */
import type { EncodeOptions, Finding, PtpMessage } from '../codec/types.ts'

/** Why a frame was sent: shown in the recorder and as the pcapng comment of the frame. */
export interface SendReason {
  /** The emulated clock or scenario that sent it (e.g. 'gm-a', 'slave-17'). */
  source: string
  /** What the engine was doing: 'Sync', 'Follow_Up for Sync #12', scenario step id ... */
  step: string
  /** Human descriptions of the mutations applied, e.g. 'Follow_Up late +200 ms'. Empty when none. */
  mutations: string[]
}

/** Where a frame goes. Default: the profile's primary address, or the peer-delay address for Pdelay_*. */
export type Destination =
  | { kind: 'primary' }
  | { kind: 'pdelay' }
  /** A unicast address as the transport spells it (MAC for l2, IP for udp4/udp6). */
  | { kind: 'unicast'; address: string }

/** Byte-level edits after encoding, for mutations the message model cannot express. */
export interface FrameEdit {
  /** Write messageLength = true length + this (the frame itself keeps its length). */
  messageLengthDelta?: number
  /** Cut this many octets off the end of the encoded message. */
  truncateBy?: number
  /** Octets appended after the encoded message (messageLength unchanged). */
  append?: Uint8Array
}

export interface SendAction {
  kind: 'send'
  /** Unique within the engine; the TX timestamp comes back with it (Engine.onTransmitted). */
  sendId: string
  message: PtpMessage
  /** Event message (timestamped, UDP port 319). */
  event: boolean
  /**
   * Timestamp-clock time at which the frame must leave; absent = as soon as possible.
   * The driver hands it to the native scheduler: never to a Node timer.
   */
  at?: bigint
  reason: SendReason
  /** How to encode: lets a mutation keep a lying messageLength or TLV lengthField. */
  encode?: EncodeOptions
  frameEdit?: FrameEdit
  /**
   * The PTP message's octets exactly as they must leave (a fuzz case, a replayed reproducer):
   * then `encode` and `frameEdit` are not used, and `message` only names what was meant.
   */
  octets?: Uint8Array
  destination?: Destination
  /** UDP: the address to send from, when the emulated clock has one of its own (several unicast grandmasters on one port). */
  source?: string
}

export interface TimerAction {
  kind: 'timer'
  /**
   * Call Engine.onTimer(id) at or after this timestamp-clock time. Re-arming an id replaces
   * its previous deadline. Timers only wake the engine: a send's exact time is SendAction.at.
   */
  at: bigint
  id: string
}

export type EngineAction = SendAction | TimerAction

export interface ReceivedMessage {
  message: PtpMessage
  /** RX timestamp on the timestamp clock. */
  rxTimestampNs: bigint
  /** Source address as the transport reports it (MAC or IP). */
  source?: string
  /** Destination address as the transport reports it (unicast IP or MAC, or a group), when known. */
  destination?: string
  findings?: readonly Finding[]
}

export interface Transmitted {
  sendId: string
  /** Real TX timestamp of the frame on the timestamp clock. */
  txTimestampNs: bigint
}

export interface Engine {
  /** Name used in SendReason.source and in timer ids of groups. */
  readonly name: string
  start(now: bigint): EngineAction[]
  onTimer(id: string, now: bigint): EngineAction[]
  onMessage(rx: ReceivedMessage, now: bigint): EngineAction[]
  onTransmitted(tx: Transmitted, now: bigint): EngineAction[]
}

/** The union of actions in the order given (helper for engines that compose). */
export function concatActions(...lists: ReadonlyArray<readonly EngineAction[]>): EngineAction[] {
  const out: EngineAction[] = []
  for (const l of lists) out.push(...l)
  return out
}
