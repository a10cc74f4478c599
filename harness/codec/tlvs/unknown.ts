/** Any TLV the codec does not type: tlvType, lengthField and the value octets as they came. */
import type { UnknownTlv } from '../types.ts'

export function decodeUnknownTlv(b: Uint8Array, o: number, tlvType: number, lengthField: number, available: number): UnknownTlv {
  return { kind: 'UNKNOWN', tlvType, lengthField, value: b.slice(o + 4, o + 4 + Math.min(lengthField, available)) }
}

export function unknownTlvSize(t: UnknownTlv): number {
  return t.value.length
}

export function writeUnknownTlv(t: UnknownTlv, b: Uint8Array, o: number): void {
  b.set(t.value, o)
}

export function buildUnknownTlv(tlvType: number, value: Uint8Array): UnknownTlv {
  return { kind: 'UNKNOWN', tlvType, lengthField: value.length, value }
}
