/**
 * PATH_TRACE TLV (0x0008, IEEE 1588-2019 16.2.5; 802.1AS-2020 10.6.3.3): the ClockIdentity of
 * every system the Announce passed, 8 octets each.
 */
import type { ClockIdentity, PathTraceTlv } from '../types.ts'
import { TlvType } from '../constants.ts'
import { readClockIdentity, writeClockIdentity } from '../clock_identity.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { tlvField, type TlvContext } from './context.ts'

export function decodePathTraceTlv(b: Uint8Array, o: number, lengthField: number, ctx: TlvContext): PathTraceTlv {
  const n = lengthField >>> 3
  const pathSequence: ClockIdentity[] = new Array(n)
  for (let i = 0; i < n; i++) pathSequence[i] = readClockIdentity(b, o + 4 + 8 * i)
  const tlv: PathTraceTlv = { kind: 'PATH_TRACE', tlvType: TlvType.PATH_TRACE, lengthField, pathSequence }
  if ((lengthField & 7) !== 0) {
    ctx.findings.push(
      error(tlvField(ctx, 'lengthField'), o + 2 - ctx.base, `PATH_TRACE lengthField ${lengthField} is not a multiple of 8 (ClockIdentity size)`, Clause.pathTrace),
    )
    tlv.remainder = b.slice(o + 4 + 8 * n, o + 4 + lengthField)
  }
  return tlv
}

export function pathTraceTlvSize(t: PathTraceTlv): number {
  return 8 * t.pathSequence.length + (t.remainder?.length ?? 0)
}

export function writePathTraceTlv(t: PathTraceTlv, b: Uint8Array, o: number): void {
  for (let i = 0; i < t.pathSequence.length; i++) writeClockIdentity(b, o + 8 * i, t.pathSequence[i]!)
  if (t.remainder) b.set(t.remainder, o + 8 * t.pathSequence.length)
}

export function buildPathTraceTlv(pathSequence: ClockIdentity[]): PathTraceTlv {
  return { kind: 'PATH_TRACE', tlvType: TlvType.PATH_TRACE, lengthField: 8 * pathSequence.length, pathSequence: [...pathSequence] }
}
