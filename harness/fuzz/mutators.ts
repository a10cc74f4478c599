/**
 * The fuzz families: how one valid message is broken. Each family draws from the case's seeded
 * stream, so a case is a pure function of (seed, batch, index). A family answers with model
 * mutations from the catalogue (harness/engines/mutations.ts, which describe themselves), byte
 * edits for what the model cannot say, and a cut or trailing octets; `what` describes the byte
 * part. The domain and Management action are not theirs to choose: safety.ts has the last word.
 */
import { buildUnknownTlv } from '../codec/tlvs/unknown.ts'
import { HEADER_LENGTH, TlvType } from '../codec/constants.ts'
import { hex } from '../codec/findings/finding.ts'
import type { PtpMessage } from '../codec/types.ts'
import type { MutationSpec } from '../engines/mutations.ts'
import { timestampFieldOf } from '../engines/mutations.ts'
import type { SeededRandom } from '../engines/random.ts'
import { type ByteEdit, setUint } from './byte_edits.ts'
import { DOMAIN_OCTET } from './safety.ts'

export type FuzzFamily = 'header' | 'flags' | 'length' | 'tlv' | 'timestamp' | 'field' | 'bitflip' | 'ordering'

/** How often each family is drawn (relative). TLVs and bit flips reach the most parser paths. */
export const FAMILY_WEIGHTS: Readonly<Record<FuzzFamily, number>> = { header: 1, flags: 1, length: 1.5, tlv: 2, timestamp: 1, field: 1.5, bitflip: 2, ordering: 1 }

export interface Breakage {
  specs: MutationSpec[]
  edits: ByteEdit[]
  /** Keep this fraction of the encoded octets (a cut frame); at least the domain octet stays. */
  keep?: number
  /** Octets appended after the message (messageLength unchanged). */
  append?: Uint8Array
  /** What the edits, cut and trailing octets do (the specs describe themselves). */
  what: string[]
}

const none = (): Breakage => ({ specs: [], edits: [], what: [] })

function randomOctets(r: SeededRandom, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = r.nextUint32() & 0xff
  return out
}

const u16 = (r: SeededRandom) => r.nextUint32() & 0xffff

function header(r: SeededRandom): Breakage {
  const b = none()
  switch (r.int(0, 5)) {
    case 0: b.specs.push({ kind: 'versionPTP', value: r.pick([0, 1, 3, 4, 15]) }); break
    case 1: {
      const v = r.int(2, 15)
      b.edits.push({ offset: 1, set: v << 4, mask: 0xf0 })
      b.what.push(`minorVersionPTP ${v}`)
      break
    }
    case 2: {
      const v = r.pick([0x4, 0x5, 0x6, 0x7, 0xe, 0xf])
      b.edits.push({ offset: 0, set: v, mask: 0x0f })
      b.what.push(`reserved messageType ${hex(v, 1)}`)
      break
    }
    case 3: b.specs.push({ kind: 'reservedBits', field: 'messageTypeSpecific', value: r.nextUint32() }); break
    case 4: b.specs.push({ kind: 'fields', overrides: { header: { controlField: r.int(0, 255) } } }); break
    default: b.specs.push({ kind: 'majorSdoId', value: r.int(0, 15) }); break
  }
  return b
}

function flags(r: SeededRandom): Breakage {
  const b = none()
  switch (r.int(0, 2)) {
    case 0: b.specs.push({ kind: 'fields', overrides: { header: { flagField: u16(r) } } }); break
    case 1: b.specs.push({ kind: 'flags', set: 1 << r.int(0, 15) }); break
    // twoStep cleared: a "one-step" Sync whose originTimestamp is zero.
    default: b.specs.push({ kind: 'flags', clear: 0x0200, set: r.pick([0, 0x0400, 0x0100 | 0x0200]) }); break
  }
  return b
}

function length(r: SeededRandom): Breakage {
  const b = none()
  switch (r.int(0, 3)) {
    case 0: {
      const v = r.pick([0, 1, 33, 34, 0xffff, r.int(0, 300)])
      b.edits.push(...setUint(2, 2, BigInt(v)))
      b.what.push(`messageLength ${v}`)
      break
    }
    case 1: b.specs.push({ kind: 'messageLength', delta: r.pick([-1, 1, r.int(1, 64)]) }); break
    case 2: {
      b.keep = r.next()
      b.what.push(`cut to ${Math.round(b.keep * 100)} % of its octets`)
      break
    }
    default: {
      b.append = randomOctets(r, r.int(1, 64))
      b.what.push(`${b.append.length} trailing octets`)
      break
    }
  }
  return b
}

function tlv(r: SeededRandom): Breakage {
  const b = none()
  const value = randomOctets(r, r.int(0, 48))
  const type = r.pick([r.int(0x8000, 0xffff), TlvType.PATH_TRACE, TlvType.ORGANIZATION_EXTENSION, TlvType.MANAGEMENT, TlvType.REQUEST_UNICAST_TRANSMISSION, TlvType.ALTERNATE_TIME_OFFSET_INDICATOR, r.int(0x000a, 0x1fff)])
  const appended = buildUnknownTlv(type, value)
  switch (r.int(0, 4)) {
    case 0: b.specs.push({ kind: 'appendTlvs', tlvs: [appended] }); break
    // The lengthField runs past the message: the parser must stop at its end.
    case 1: b.specs.push({ kind: 'appendTlvs', tlvs: [appended] }, { kind: 'tlvLength', tlvIndex: 'last', delta: r.pick([1, 2, 8, r.int(1, 400), 0xffff - value.length]) }); break
    case 2: b.specs.push({ kind: 'appendTlvs', tlvs: [appended] }, { kind: 'tlvLength', tlvIndex: 'last', delta: -r.int(1, Math.max(1, value.length)) }); break
    case 3: {
      const tlvs = Array.from({ length: r.int(8, 40) }, () => buildUnknownTlv(r.int(0x8000, 0xffff), new Uint8Array(0)))
      b.specs.push({ kind: 'appendTlvs', tlvs })
      break
    }
    default: {
      // 1 to 3 octets of a TLV header, with messageLength covering them.
      b.append = randomOctets(r, r.int(1, 3))
      b.specs.push({ kind: 'messageLength', delta: b.append.length })
      b.what.push(`a cut TLV header of ${b.append.length} octets`)
      break
    }
  }
  return b
}

/** Octet of the first timestamp of every message that has one (originTimestamp and kin): right after the header. */
const TIMESTAMP_OCTET = HEADER_LENGTH

function timestamp(r: SeededRandom, m: PtpMessage): Breakage {
  const b = none()
  const hasTimestamp = timestampFieldOf(m) !== undefined
  switch (hasTimestamp ? r.int(0, 4) : 4) {
    case 0: {
      const ns = r.pick([1_000_000_000n, 0xffffffffn, BigInt(r.int(1_000_000_000, 0x7fffffff))])
      b.edits.push(...setUint(TIMESTAMP_OCTET + 6, 4, ns))
      b.what.push(`nanosecondsField ${ns} (≥ 10^9)`)
      break
    }
    case 1: {
      const s = r.pick([0n, 0xffffffffffffn, 0x800000000000n])
      b.edits.push(...setUint(TIMESTAMP_OCTET, 6, s))
      b.what.push(`secondsField ${hex(Number(s), 12)}`)
      break
    }
    case 2: b.specs.push({ kind: 'timestampJump', ns: BigInt(r.pick([-1, 1])) * BigInt(r.int(1, 3600)) * 1_000_000_000n }); break
    case 3: b.specs.push({ kind: 'timestampJump', ns: BigInt(r.int(-999_999, 999_999)) * 1000n }); break
    default: {
      const c = r.pick([0x7fffffffffffffffn, -0x8000000000000000n, -(1n << 16n), BigInt(r.nextUint32()) << 24n])
      b.specs.push({ kind: 'fields', overrides: { header: { correctionField: c } } })
      break
    }
  }
  return b
}

function field(r: SeededRandom, m: PtpMessage): Breakage {
  const b = none()
  const common = r.int(0, 2)
  if (common === 0) b.specs.push({ kind: 'logMessageInterval', value: r.int(-128, 127) })
  else if (common === 1) b.specs.push({ kind: 'sequenceId', value: r.pick([0, 0xffff, r.int(0, 0xffff)]) })
  else {
    switch (m.type) {
      case 'Announce':
        b.specs.push({
          kind: 'fields',
          overrides: r.pick([
            { stepsRemoved: r.pick([255, 0xffff, r.int(0, 0xffff)]) },
            { grandmasterClockQuality: { clockClass: r.int(0, 255), clockAccuracy: r.int(0, 255), offsetScaledLogVariance: u16(r) } },
            { grandmasterPriority1: r.int(0, 255), grandmasterPriority2: r.int(0, 255) },
            { timeSource: r.int(0, 255), currentUtcOffset: r.int(-32768, 32767) },
            { grandmasterIdentity: r.pick(['000000.0000.000000', 'ffffff.ffff.ffffff']) },
          ]),
        })
        break
      case 'Delay_Resp':
      case 'Pdelay_Resp':
      case 'Pdelay_Resp_Follow_Up':
        b.specs.push({ kind: 'fields', overrides: { requestingPortIdentity: { portNumber: r.pick([0, 0xffff, r.int(2, 0xfffe)]) } } })
        break
      case 'Management':
        b.specs.push({ kind: 'fields', overrides: r.pick([{ actionField: r.pick([2, 4, r.int(5, 15)]) }, { boundaryHops: r.pick([0, 255]), startingBoundaryHops: 0 }]) })
        break
      default:
        b.specs.push({ kind: 'sequenceId', delta: r.int(1, 0x7fff) })
    }
  }
  return b
}

function bitflip(r: SeededRandom, lengthGuess: number): Breakage {
  const b = none()
  const flips = r.int(1, 8)
  for (let i = 0; i < flips; i++) {
    let offset = r.int(0, Math.max(0, lengthGuess - 1))
    if (offset === DOMAIN_OCTET) offset++
    const bit = r.int(0, 7)
    b.edits.push({ offset, xor: 1 << bit })
    b.what.push(`bit ${bit} of octet ${offset} flipped`)
  }
  return b
}

/** One message broken by `family` (ordering is built by the case assembly, from several messages). */
export function breakMessage(family: Exclude<FuzzFamily, 'ordering'>, r: SeededRandom, m: PtpMessage): Breakage {
  switch (family) {
    case 'header': return header(r)
    case 'flags': return flags(r)
    case 'length': return length(r)
    case 'tlv': return tlv(r)
    case 'timestamp': return timestamp(r, m)
    case 'field': return field(r, m)
    case 'bitflip': return bitflip(r, m.header.messageLength)
  }
}
