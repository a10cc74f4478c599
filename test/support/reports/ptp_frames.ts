/**
 * Minimal PTPv2 Ethernet frames for report fixtures (IEEE 1588-2019 13.3 header,
 * 13.5 Sync, 13.5 Announce), built byte by byte so the fixture does not depend on
 * the codec under test elsewhere. tshark decodes them as PTP.
 */
const PTP_MULTICAST = [0x01, 0x1b, 0x19, 0x00, 0x00, 0x00]
const ETHERTYPE_PTP = 0x88f7

export interface FrameSpec {
  messageType: 0x0 | 0xb
  sequenceId: number
  domainNumber?: number
  logMessageInterval: number
  /** 8 octets. */
  clockIdentity: Uint8Array
  portNumber?: number
  originSeconds: bigint
  originNanoseconds: number
}

function header(b: DataView, spec: FrameSpec, messageLength: number): void {
  b.setUint8(0, spec.messageType & 0x0f)
  b.setUint8(1, 0x02) // versionPTP 2, minorVersionPTP 0 (as ptp4l 3.1.1 sends)
  b.setUint16(2, messageLength)
  b.setUint8(4, spec.domainNumber ?? 0)
  b.setUint16(6, spec.messageType === 0x0 ? 0x0200 : 0x0000) // twoStepFlag on Sync only
  for (let i = 0; i < 8; i++) b.setUint8(20 + i, spec.clockIdentity[i]!)
  b.setUint16(28, spec.portNumber ?? 1)
  b.setUint16(30, spec.sequenceId & 0xffff)
  b.setUint8(32, spec.messageType === 0x0 ? 0x00 : 0x05)
  b.setInt8(33, spec.logMessageInterval)
}

function timestamp(b: DataView, off: number, s: bigint, ns: number): void {
  b.setUint16(off, Number((s >> 32n) & 0xffffn))
  b.setUint32(off + 2, Number(s & 0xffffffffn))
  b.setUint32(off + 6, ns)
}

export function ptpMessage(spec: FrameSpec): Uint8Array {
  const len = spec.messageType === 0x0 ? 44 : 64
  const bytes = new Uint8Array(len)
  const b = new DataView(bytes.buffer)
  header(b, spec, len)
  timestamp(b, 34, spec.originSeconds, spec.originNanoseconds)
  if (spec.messageType === 0xb) {
    b.setInt16(44, 37) // currentUtcOffset
    b.setUint8(47, 128) // grandmasterPriority1
    b.setUint8(48, 248) // clockClass
    b.setUint8(49, 0xfe) // clockAccuracy unknown
    b.setUint16(50, 0xffff) // offsetScaledLogVariance
    b.setUint8(52, 128) // grandmasterPriority2
    for (let i = 0; i < 8; i++) b.setUint8(53 + i, spec.clockIdentity[i]!)
    b.setUint16(61, 0) // stepsRemoved
    b.setUint8(63, 0xa0) // timeSource INTERNAL_OSCILLATOR
  }
  return bytes
}

export function ethernetFrame(src: readonly number[], payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length)
  f.set(PTP_MULTICAST, 0)
  f.set(src, 6)
  f[12] = ETHERTYPE_PTP >> 8
  f[13] = ETHERTYPE_PTP & 0xff
  f.set(payload, 14)
  return f
}
