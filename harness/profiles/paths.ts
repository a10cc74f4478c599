/**
 * Paths inside a profile. Internally a JSON pointer (what ajv reports); shown to
 * people as a dotted path: `intervals.sync.default.value`, `tlvs.Announce.required[0]`,
 * `lab.ptp4l["G.8275.defaultDS.localPriority"]` (keys that are not plain names are quoted).
 */

export type Segment = string | number

export function pointerOf(segs: readonly Segment[]): string {
  return segs.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}

/** Split a JSON pointer; numeric segments become numbers where the data holds an array. */
export function segmentsOf(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return []
  const out: Segment[] = []
  let node: unknown = data
  for (const raw of pointer.slice(1).split('/')) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(node) && /^\d+$/.test(s)) {
      out.push(Number(s))
      node = node[Number(s)]
    } else {
      out.push(s)
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[s] : undefined
    }
  }
  return out
}

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$-]*$/

export function displayPath(segs: readonly Segment[]): string {
  let out = ''
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`
    else if (PLAIN.test(s)) out += out === '' ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out
}

export function getPath(data: unknown, segs: readonly Segment[]): unknown {
  let node = data
  for (const s of segs) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[s]
  }
  return node
}

/** Parse a dotted display path back to segments (for editionDifferences.path). */
export function parseDisplayPath(path: string): Segment[] | undefined {
  const segs: Segment[] = []
  const re = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y
  let i = 0
  while (i < path.length) {
    re.lastIndex = i
    const m = re.exec(path)
    if (!m) return undefined
    if (m[1] !== undefined) segs.push(m[1])
    else if (m[2] !== undefined) segs.push(Number(m[2]))
    else segs.push(JSON.parse(m[3]!) as string)
    i = re.lastIndex
  }
  return segs
}
