/**
 * `extends:` — how a child profile is laid over its parent.
 *
 *  1. Mappings merge key by key, recursively; a key the child does not mention is inherited.
 *  2. Lists replace: the child's list is the whole list (no concatenation).
 *  3. `null` deletes the inherited key.
 *  4. A cited value ({ value, source, ... }) is atomic: it replaces the inherited one as a
 *     whole, so a changed value never keeps an inherited source or note.
 *  5. A sourced block (a mapping with its own `source`, e.g. `transport`) whose plain fields
 *     the child changes must restate its `source`: otherwise the old citation would vouch
 *     for a value it never gave.
 *  6. Scalars replace.
 *
 * Every path of the result remembers the file and line it came from.
 */
import { pointerOf, type Segment } from './paths.ts'
import { diagnosticAt, type Located } from './yaml_source.ts'
import type { ProfileDiagnostic } from './types.ts'

export interface Layer {
  data: unknown
  positions: Map<string, Located>
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const isCited = (v: unknown): boolean => isObj(v) && 'value' in v

export function mergeLayers(parent: Layer, child: Layer): { layer: Layer; diagnostics: ProfileDiagnostic[] } {
  const diagnostics: ProfileDiagnostic[] = []

  function merge(p: unknown, c: unknown, segs: Segment[]): unknown {
    if (c === undefined) return p
    if (!isObj(c) || !isObj(p) || isCited(c) || isCited(p)) return c
    const out: Obj = {}
    for (const [k, v] of Object.entries(p)) out[k] = v
    let changedPlainField = false
    for (const [k, v] of Object.entries(c)) {
      if (k === 'source' || k === 'note' || k === 'unconfirmed') continue
      // Cited sub-values carry their own source; unknown keys are the schema's to report.
      if (k in p && (v === null || !isObj(v))) changedPlainField = true
    }
    if ('source' in p && !isCited(p) && changedPlainField && !('source' in c)) {
      diagnostics.push(
        diagnosticAt(
          child.positions,
          segs,
          'changes fields of an inherited block without restating its source (add source: to this block)',
          'key',
        ),
      )
    }
    for (const [k, v] of Object.entries(c)) {
      if (v === null) {
        delete out[k]
        continue
      }
      out[k] = merge(p[k], v, [...segs, k])
    }
    return out
  }

  const data = merge(parent.data, child.data, [])
  const positions = new Map<string, Located>()
  const collect = (v: unknown, segs: Segment[]): void => {
    const ptr = pointerOf(segs)
    const hit = child.positions.get(ptr) ?? parent.positions.get(ptr)
    if (hit) positions.set(ptr, hit)
    if (Array.isArray(v)) v.forEach((item, i) => collect(item, [...segs, i]))
    else if (isObj(v)) for (const [k, item] of Object.entries(v)) collect(item, [...segs, k])
  }
  collect(data, [])
  return { layer: { data, positions }, diagnostics }
}
