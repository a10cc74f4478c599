/** Text forms of MAC, IPv4 and IPv6 addresses <-> octets. Parsers throw RangeError on bad input. */

const HEX: string[] = []
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'))

/*
 * Captures hold few distinct addresses, so formatted strings are cached in small direct-mapped
 * tables keyed by the address octets: a hit costs a few integer compares instead of a string build.
 */
const CACHE = 64
const macHi = new Int32Array(CACHE)
const macLo = new Int32Array(CACHE)
const macStr: (string | undefined)[] = new Array(CACHE).fill(undefined)

/** 'aa:bb:cc:dd:ee:ff' (lowercase). */
export function formatMac(b: Uint8Array, o: number): string {
  const hi = (b[o]! << 8) | b[o + 1]!
  const lo = (b[o + 2]! << 24) | (b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!
  const slot = Math.imul(hi ^ Math.imul(lo, 0x85ebca6b), 0x9e3779b1) >>> 26 // 64 slots: top 6 bits
  const hit = macStr[slot]
  if (hit !== undefined && macHi[slot] === hi && macLo[slot] === lo) return hit
  const s = HEX[b[o]!]! + ':' + HEX[b[o + 1]!]! + ':' + HEX[b[o + 2]!]! + ':' + HEX[b[o + 3]!]! + ':' + HEX[b[o + 4]!]! + ':' + HEX[b[o + 5]!]!
  macHi[slot] = hi
  macLo[slot] = lo
  macStr[slot] = s
  return s
}

/** Accepts ':' or '-' separators. */
export function parseMac(mac: string): Uint8Array {
  const parts = mac.split(/[:-]/)
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new RangeError(`invalid MAC address '${mac}'`)
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)))
}

const v4Key = new Int32Array(CACHE)
const v4Str: (string | undefined)[] = new Array(CACHE).fill(undefined)

export function formatIpv4(b: Uint8Array, o: number): string {
  const key = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!
  const slot = Math.imul(key, 0x9e3779b1) >>> 26
  const hit = v4Str[slot]
  if (hit !== undefined && v4Key[slot] === key) return hit
  const s = `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`
  v4Key[slot] = key
  v4Str[slot] = s
  return s
}

export function parseIpv4(addr: string): Uint8Array {
  const parts = addr.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new RangeError(`invalid IPv4 address '${addr}'`)
  }
  return Uint8Array.from(parts.map(Number))
}

const v6Key = new Int32Array(CACHE * 4)
const v6Str: (string | undefined)[] = new Array(CACHE).fill(undefined)

/** RFC 5952 form: lowercase, longest run (>= 2) of zero groups as '::'. */
export function formatIpv6(b: Uint8Array, o: number): string {
  const k0 = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!
  const k1 = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!
  const k2 = (b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!
  const k3 = (b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!
  const slot = Math.imul(k0 ^ Math.imul(k1, 0x85ebca6b) ^ Math.imul(k2, 0xc2b2ae35) ^ Math.imul(k3, 0x27d4eb2f), 0x9e3779b1) >>> 26
  const hit = v6Str[slot]
  const at = 4 * slot
  if (hit !== undefined && v6Key[at] === k0 && v6Key[at + 1] === k1 && v6Key[at + 2] === k2 && v6Key[at + 3] === k3) return hit
  const s = formatIpv6Uncached(b, o)
  v6Key[at] = k0
  v6Key[at + 1] = k1
  v6Key[at + 2] = k2
  v6Key[at + 3] = k3
  v6Str[slot] = s
  return s
}

function formatIpv6Uncached(b: Uint8Array, o: number): string {
  const g: number[] = []
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!)
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = (x: number) => x.toString(16)
  if (bestLen < 2) return g.map(hex).join(':')
  const head = g.slice(0, bestStart).map(hex).join(':')
  const tail = g.slice(bestStart + bestLen).map(hex).join(':')
  return `${head}::${tail}`
}

export function parseIpv6(addr: string): Uint8Array {
  const bad = () => new RangeError(`invalid IPv6 address '${addr}'`)
  const s = addr.split('%')[0]!.toLowerCase() // drop a zone id
  const halves = s.split('::')
  if (halves.length > 2) throw bad()
  const groups = (part: string): number[] => {
    if (part === '') return []
    const out: number[] = []
    const items = part.split(':')
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!
      if (item.includes('.') && k === items.length - 1) {
        const v4 = parseIpv4(item)
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(item)) throw bad()
        out.push(parseInt(item, 16))
      }
    }
    return out
  }
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  const zeros = 8 - head.length - tail.length
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) throw bad()
  const all = [...head, ...new Array<number>(zeros).fill(0), ...tail]
  const b = new Uint8Array(16)
  all.forEach((v, i) => {
    b[2 * i] = v >>> 8
    b[2 * i + 1] = v & 0xff
  })
  return b
}
