/**
 * ALTERNATE_TIME_OFFSET_INDICATOR TLV (0x0009, IEEE 1588-2019 16.3.3): keyField(1),
 * currentOffset Int32, jumpSeconds Int32, timeOfNextJump UInt48, displayName PTPText, pad.
 */
import type { AlternateTimeOffsetIndicatorTlv, Tlv } from '../types.ts'
import { i32, u48, w32, w48 } from '../bytes.ts'
import { TlvType } from '../constants.ts'
import { ptpTextBytes } from '../fields.ts'
import { Clause } from '../findings/clauses.ts'
import { wrongLength, type TlvContext } from './context.ts'

/** Fixed part after lengthField plus the PTPText length octet. */
const MIN_LENGTH = 16

export function decodeAtoiTlv(b: Uint8Array, o: number, lengthField: number, ctx: TlvContext): Tlv {
  const v = o + 4
  const nameLength = lengthField >= MIN_LENGTH ? b[v + 15]! : 0
  if (lengthField < MIN_LENGTH || MIN_LENGTH + nameLength > lengthField) {
    return wrongLength(b, o, TlvType.ALTERNATE_TIME_OFFSET_INDICATOR, lengthField, ctx, 'ALTERNATE_TIME_OFFSET_INDICATOR', `at least 16 + displayName length`, Clause.alternateTimeOffset)
  }
  return {
    kind: 'ALTERNATE_TIME_OFFSET_INDICATOR',
    tlvType: TlvType.ALTERNATE_TIME_OFFSET_INDICATOR,
    lengthField,
    keyField: b[v]!,
    currentOffset: i32(b, v + 1),
    jumpSeconds: i32(b, v + 5),
    timeOfNextJump: BigInt(u48(b, v + 9)),
    displayName: b.slice(v + 16, v + 16 + nameLength),
    pad: b.slice(v + 16 + nameLength, v + lengthField),
  }
}

export function atoiTlvSize(t: AlternateTimeOffsetIndicatorTlv): number {
  return MIN_LENGTH + t.displayName.length + t.pad.length
}

export function writeAtoiTlv(t: AlternateTimeOffsetIndicatorTlv, b: Uint8Array, o: number): void {
  b[o] = t.keyField
  w32(b, o + 1, t.currentOffset)
  w32(b, o + 5, t.jumpSeconds)
  w48(b, o + 9, t.timeOfNextJump)
  b[o + 15] = t.displayName.length
  b.set(t.displayName, o + 16)
  b.set(t.pad, o + 16 + t.displayName.length)
}

export function buildAlternateTimeOffsetIndicatorTlv(p: {
  keyField: number
  currentOffset: number
  jumpSeconds: number
  timeOfNextJump: bigint
  displayName?: string
}): AlternateTimeOffsetIndicatorTlv {
  const displayName = ptpTextBytes(p.displayName ?? '')
  // Pad to an even TLV length (1588-2019 14.1.2).
  const pad = new Uint8Array((MIN_LENGTH + displayName.length) & 1)
  return {
    kind: 'ALTERNATE_TIME_OFFSET_INDICATOR',
    tlvType: TlvType.ALTERNATE_TIME_OFFSET_INDICATOR,
    lengthField: MIN_LENGTH + displayName.length + pad.length,
    keyField: p.keyField,
    currentOffset: p.currentOffset,
    jumpSeconds: p.jumpSeconds,
    timeOfNextJump: p.timeOfNextJump,
    displayName,
    pad,
  }
}
