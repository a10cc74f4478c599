/** State shared by the TLV decoders of one message. Allocated only when a message has TLVs. */
import type { Finding, UnknownTlv } from '../types.ts'
import { error } from '../findings/finding.ts'

export interface TlvContext {
  /** Absolute offset of the PTP message in the buffer (findings are relative to it). */
  base: number
  findings: Finding[]
  /** Index of the TLV being decoded, for field names like 'tlvs[2].lengthField'. */
  index: number
  /** actionField of the enclosing Management message, -1 for other messages. */
  managementAction: number
}

export function tlvField(ctx: TlvContext, name: string): string {
  return `tlvs[${ctx.index}].${name}`
}

/** Reports a wrong length for a known TLV and keeps its octets raw. */
export function wrongLength(
  b: Uint8Array,
  o: number,
  tlvType: number,
  lengthField: number,
  ctx: TlvContext,
  what: string,
  expected: string,
  clause: string,
): UnknownTlv {
  ctx.findings.push(
    error(tlvField(ctx, 'lengthField'), o + 2 - ctx.base, `${what} lengthField is ${lengthField}, expected ${expected}`, clause),
  )
  return { kind: 'UNKNOWN', tlvType, lengthField, value: b.slice(o + 4, o + 4 + lengthField) }
}
