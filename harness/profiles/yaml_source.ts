/**
 * Reads a profile file with `yaml` 2 and keeps, for every key and value, the
 * line and column it came from, so each later diagnostic — schema, merge or
 * cross-field — can point at the exact spot in the exact file.
 */
import { readFileSync } from 'node:fs'
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import type { ProfileDiagnostic } from './types.ts'
import { displayPath, pointerOf, type Segment } from './paths.ts'

export interface Pos {
  line: number
  col: number
}

/** Where one path of the data came from. `key` is absent for the document and sequence items. */
export interface Located {
  file: string
  key?: Pos
  value: Pos
}

export interface SourceFile {
  file: string
  /** Plain data (YAML converted to JS), undefined when the YAML did not parse. */
  data: unknown
  /** JSON pointer -> position. */
  positions: Map<string, Located>
  diagnostics: ProfileDiagnostic[]
}

/** Parse YAML text; syntax errors and warnings become positioned diagnostics. */
export function parseProfileText(file: string, text: string): SourceFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number): Pos => lineCounter.linePos(offset)
  const diagnostics: ProfileDiagnostic[] = []
  for (const e of [...doc.errors, ...doc.warnings]) {
    const p = at(e.pos[0])
    diagnostics.push({ file, line: p.line, col: p.col, path: '', message: `YAML: ${e.message}` })
  }
  const positions = new Map<string, Located>()
  if (diagnostics.length > 0) return { file, data: undefined, positions, diagnostics }
  positions.set('', { file, value: { line: 1, col: 1 } })
  if (doc.contents) walk(doc, doc.contents as Node, [], undefined, positions, file, at)
  return { file, data: doc.toJS({ maxAliasCount: 100 }), positions, diagnostics }
}

export function readProfileFile(file: string): SourceFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
    return {
      file,
      data: undefined,
      positions: new Map(),
      diagnostics: [{ file, line: 1, col: 1, path: '', message: `cannot read profile: ${reason}` }],
    }
  }
  return parseProfileText(file, text)
}

function walk(
  doc: Document,
  node: Node,
  segs: Segment[],
  key: Pos | undefined,
  out: Map<string, Located>,
  file: string,
  at: (offset: number) => Pos,
): void {
  const target = isAlias(node) ? (node.resolve(doc) as Node | undefined) : node
  const start = node.range?.[0] ?? 0
  out.set(pointerOf(segs), key ? { file, key, value: at(start) } : { file, value: at(start) })
  if (!target) return
  if (isMap(target)) {
    for (const pair of target.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      const kPos = at((pair.key as Node | null)?.range?.[0] ?? start)
      const child = [...segs, k]
      if (pair.value) walk(doc, pair.value as Node, child, kPos, out, file, at)
      else out.set(pointerOf(child), { file, key: kPos, value: kPos })
    }
  } else if (isSeq(target)) {
    target.items.forEach((item, i) => {
      if (item) walk(doc, item as Node, [...segs, i], undefined, out, file, at)
    })
  }
}

/** Position for a path: the path itself, else its nearest located ancestor. */
export function locate(positions: Map<string, Located>, segs: Segment[], prefer: 'key' | 'value' = 'value'): Located & { pos: Pos } {
  for (let n = segs.length; n >= 0; n--) {
    const hit = positions.get(pointerOf(segs.slice(0, n)))
    if (hit) {
      const pos = prefer === 'key' ? (hit.key ?? hit.value) : hit.value
      // An ancestor stands in for a missing path: point at its key, where the block starts.
      return { ...hit, pos: n < segs.length ? (hit.key ?? hit.value) : pos }
    }
  }
  return { file: '', value: { line: 1, col: 1 }, pos: { line: 1, col: 1 } }
}

export function diagnosticAt(
  positions: Map<string, Located>,
  segs: Segment[],
  message: string,
  prefer: 'key' | 'value' = 'value',
): ProfileDiagnostic {
  const l = locate(positions, segs, prefer)
  return { file: l.file, line: l.pos.line, col: l.pos.col, path: displayPath(segs), message }
}
