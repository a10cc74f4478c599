/**
 * The values the oracle compares, in a form both sides can be reduced to:
 * integers (bigint), octet strings, text, and the one floating-point field
 * tshark uses (sub-nanoseconds of a scaled-ns value).
 */
export type Ours =
  | { readonly int: bigint }
  | { readonly bytes: Uint8Array }
  | { readonly text: string }
  | { readonly real: number }

/** Our model keeps this field but tshark's value is derived, not comparable; listed for the record. */
export const NOT_COMPARED = Symbol('not compared')
export type Mapped = Ours | typeof NOT_COMPARED | undefined

export function int(v: number | bigint): Ours {
  return { int: BigInt(v) }
}

export function bit(word: number, mask: number): Ours {
  return { int: word & mask ? 1n : 0n }
}

export function bytes(v: Uint8Array): Ours {
  return { bytes: v }
}

export function text(v: string): Ours {
  return { text: v }
}

/** ClockIdentity 'xxxxxx.xxxx.xxxxxx' as the 64-bit number tshark shows (0x...). */
export function clockIdentity(id: string): Ours {
  return { int: BigInt('0x' + id.replace(/[.:-]/g, '')) }
}

/** tshark splits scaled ns (ns x 2^16) into ns (uint64 of the floor) and a fraction in [0, 1). */
export function scaledNsWhole(scaled: bigint): Ours {
  return { int: BigInt.asUintN(64, scaled >> 16n) }
}

export function scaledNsFraction(scaled: bigint): Ours {
  return { real: Number(scaled & 0xffffn) / 65536 }
}

export function hex(b: Uint8Array): string {
  let s = ''
  for (const x of b) s += x.toString(16).padStart(2, '0')
  return s
}

export function describe(o: Ours): string {
  if ('int' in o) return o.int.toString()
  if ('bytes' in o) return `0x${hex(o.bytes)}`
  if ('text' in o) return JSON.stringify(o.text)
  return String(o.real)
}

/** tshark's side of a field, reduced the same way as ours. */
export function theirs(o: Ours, show: string, value: string): { equal: boolean; shown: string } {
  if ('int' in o) {
    let t: bigint | undefined
    const s = show.trim()
    if (/^-?\d+$/.test(s) || /^0x[0-9a-f]+$/i.test(s)) t = BigInt(s)
    else if (s === 'True' || s === 'False') t = s === 'True' ? 1n : 0n
    return { equal: t !== undefined && t === o.int, shown: show }
  }
  if ('bytes' in o) {
    return { equal: value.toLowerCase() === hex(o.bytes), shown: `0x${value.toLowerCase()}` }
  }
  if ('text' in o) return { equal: show === o.text, shown: JSON.stringify(show) }
  const t = Number(show)
  // tshark prints doubles with 15 significant digits.
  return { equal: Number.isFinite(t) && Math.abs(t - o.real) <= 1e-12, shown: show }
}
