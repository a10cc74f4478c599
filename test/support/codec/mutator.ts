/**
 * Mutates valid PTP messages the way a broken or hostile sender would: bit flips, random octets,
 * truncation, extension, lying messageLength and TLV lengthFields, reserved messageTypes, TLV
 * splices. Used by the unit fuzz test and bench/codec-fuzz.
 */
import type { SeededRandom } from '../../../harness/engines/random.ts'

const BODY_LENGTH_BY_TYPE = [44, 44, 54, 54, 0, 0, 0, 0, 44, 54, 54, 64, 44, 48, 0, 0]

/** Offsets of the TLV headers of a well-formed message (stops at the first inconsistency). */
export function tlvOffsets(b: Uint8Array): number[] {
  if (b.length < 34) return []
  let p = BODY_LENGTH_BY_TYPE[b[0]! & 0xf]!
  const end = Math.min(b.length, (b[2]! << 8) | b[3]!)
  const out: number[] = []
  while (p > 0 && end - p >= 4) {
    out.push(p)
    p += 4 + ((b[p + 2]! << 8) | b[p + 3]!)
  }
  return out
}

type Mutation = (rng: SeededRandom, b: Uint8Array) => Uint8Array

const INTERESTING16 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 17, 18, 28, 33, 34, 43, 44, 47, 48, 53, 54, 63, 64, 65, 0x7fff, 0x8000, 0xfffe, 0xffff]

function set16(b: Uint8Array, o: number, v: number): void {
  if (o + 1 < b.length) {
    b[o] = (v >>> 8) & 0xff
    b[o + 1] = v & 0xff
  }
}

const mutations: Mutation[] = [
  // flip 1-4 random bits
  (rng, b) => {
    const n = 1 + rng.below(4)
    for (let i = 0; i < n && b.length > 0; i++) b[rng.below(b.length)]! ^= 1 << rng.below(8)
    return b
  },
  // random octet values
  (rng, b) => {
    const n = 1 + rng.below(3)
    for (let i = 0; i < n && b.length > 0; i++) b[rng.below(b.length)] = rng.below(256)
    return b
  },
  // truncate
  (rng, b) => b.slice(0, rng.below(b.length + 1)),
  // extend with random octets
  (rng, b) => {
    const extra = 1 + rng.below(64)
    const out = new Uint8Array(b.length + extra)
    out.set(b)
    for (let i = b.length; i < out.length; i++) out[i] = rng.chance(0.5) ? 0 : rng.below(256)
    return out
  },
  // messageLength: small delta or an interesting value
  (rng, b) => {
    if (b.length < 4) return b
    const cur = (b[2]! << 8) | b[3]!
    set16(b, 2, rng.chance(0.5) ? (cur + rng.below(17) - 8) & 0xffff : rng.pick(INTERESTING16))
    return b
  },
  // a TLV lengthField: delta, odd, or interesting
  (rng, b) => {
    const offs = tlvOffsets(b)
    if (offs.length === 0) return b
    const o = rng.pick(offs) + 2
    const cur = (b[o]! << 8) | b[o + 1]!
    const r = rng.below(3)
    set16(b, o, r === 0 ? (cur + rng.below(17) - 8) & 0xffff : r === 1 ? cur ^ 1 : rng.pick(INTERESTING16))
    return b
  },
  // a TLV type: random or another known one
  (rng, b) => {
    const offs = tlvOffsets(b)
    if (offs.length === 0) return b
    const types = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0x4000, 0x8000, 0x8008, rng.below(0x10000)]
    set16(b, rng.pick(offs), rng.pick(types))
    return b
  },
  // messageType nibble (reserved values included)
  (rng, b) => {
    if (b.length > 0) b[0] = (b[0]! & 0xf0) | rng.below(16)
    return b
  },
  // a run of 0x00 or 0xFF
  (rng, b) => {
    if (b.length === 0) return b
    const from = rng.below(b.length)
    const to = Math.min(b.length, from + 1 + rng.below(16))
    b.fill(rng.chance(0.5) ? 0 : 0xff, from, to)
    return b
  },
  // duplicate a slice somewhere else (e.g. a TLV twice), length fields untouched
  (rng, b) => {
    if (b.length < 2) return b
    const from = rng.below(b.length)
    const len = 1 + rng.below(Math.min(32, b.length - from))
    const at = rng.below(b.length + 1)
    const out = new Uint8Array(b.length + len)
    out.set(b.subarray(0, at))
    out.set(b.subarray(from, from + len), at)
    out.set(b.subarray(at), at + len)
    return out
  },
  // the first octet of a management dataField / TLV value region to random, plus managementId
  (rng, b) => {
    if (b.length >= 52 && (b[0]! & 0xf) === 0xd) set16(b, 52, rng.pick([0, 1, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x6000, 0xc000, 0xc001, 0xc002, 0xc006, rng.below(0x10000)]))
    return b
  },
]

/** A mutated copy of `frame` (1 to 3 mutations). */
export function mutateFrame(rng: SeededRandom, frame: Uint8Array): Uint8Array {
  let b: Uint8Array = frame.slice()
  const n = 1 + rng.below(3)
  for (let i = 0; i < n; i++) b = rng.pick(mutations)(rng, b)
  return b
}
