/**
 * Minimal PTP messages for the transport tests: a common header (IEEE 1588-2019
 * 13.3) and a 10-octet timestamp body. The transport layer does not parse PTP;
 * these only need the fields the native layer writes (sequenceId at 30, origin
 * timestamp at 34) and a plausible header for the peer.
 */
export const MessageType = { Sync: 0x0, DelayReq: 0x1, PdelayReq: 0x2, FollowUp: 0x8 } as const

export function ptpMessage(messageType: number, sequenceId: number, opts: { length?: number; domain?: number; twoStep?: boolean } = {}): Uint8Array {
  const length = opts.length ?? (messageType === MessageType.PdelayReq ? 54 : 44)
  const m = new Uint8Array(length)
  m[0] = messageType & 0x0f
  m[1] = 0x02 // versionPTP 2
  m[2] = length >> 8
  m[3] = length & 0xff
  m[4] = opts.domain ?? 0
  if (opts.twoStep) m[6] = 0x02 // flagField octet 0: twoStepFlag
  // sourcePortIdentity: clockIdentity 02:00:00:ff:fe:00:00:01, port 1
  m.set([0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01, 0x00, 0x01], 20)
  m[30] = (sequenceId >> 8) & 0xff
  m[31] = sequenceId & 0xff
  m[33] = 0x7f
  return m
}

export function sequenceIdOf(m: Uint8Array): number {
  return (m[30]! << 8) | m[31]!
}

/** The 10-octet Timestamp at `offset` (48-bit seconds, 32-bit nanoseconds) as integer nanoseconds. */
export function timestampAt(m: Uint8Array, offset = 34): bigint {
  let sec = 0n
  for (let i = 0; i < 6; i++) sec = (sec << 8n) | BigInt(m[offset + i]!)
  let ns = 0n
  for (let i = 6; i < 10; i++) ns = (ns << 8n) | BigInt(m[offset + i]!)
  return sec * 1_000_000_000n + ns
}
