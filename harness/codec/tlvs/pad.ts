/** PAD TLV (0x8008, IEEE 1588-2019 14.4): makes a message longer, e.g. for symmetric Delay_Req. */
import type { PadTlv } from '../types.ts'
import { TlvType } from '../constants.ts'

export function decodePadTlv(b: Uint8Array, o: number, lengthField: number): PadTlv {
  return { kind: 'PAD', tlvType: TlvType.PAD, lengthField, pad: b.slice(o + 4, o + 4 + lengthField) }
}

export function padTlvSize(t: PadTlv): number {
  return t.pad.length
}

export function writePadTlv(t: PadTlv, b: Uint8Array, o: number): void {
  b.set(t.pad, o)
}

/** A PAD TLV of `octets` zero octets after its lengthField (even, per 1588-2019 14.1.2). */
export function buildPadTlv(octets: number): PadTlv {
  return { kind: 'PAD', tlvType: TlvType.PAD, lengthField: octets, pad: new Uint8Array(octets) }
}
