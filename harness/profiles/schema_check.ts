/**
 * Checks a (resolved) profile against profiles/schema.json with ajv 8 (JSON Schema
 * 2020-12, all errors) and turns each ajv error into a positioned diagnostic with a
 * message written for the person editing the YAML.
 */
import { readFileSync } from 'node:fs'
import _Ajv2020 from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import _addFormats from 'ajv-formats'
import { displayPath, segmentsOf, type Segment } from './paths.ts'
import { PATTERN_HINTS, SCHEMA_ID } from './schema_source.ts'
import { closest } from './suggest.ts'
import { diagnosticAt, type Located } from './yaml_source.ts'
import type { ProfileDiagnostic } from './types.ts'

const Ajv2020 = _Ajv2020.default
const addFormats = _addFormats.default

export const SCHEMA_FILE = new URL('../../profiles/schema.json', import.meta.url)

let compiled: { full: ValidateFunction; file: ValidateFunction } | undefined

function validators(): { full: ValidateFunction; file: ValidateFunction } {
  if (compiled) return compiled
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $id: string }
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true })
  addFormats(ajv, ['ipv4', 'ipv6'])
  ajv.addSchema(schema)
  const full = ajv.getSchema(`${SCHEMA_ID}#/$defs/profile`)
  const file = ajv.getSchema(SCHEMA_ID)
  if (!full || !file) throw new Error(`profiles/schema.json does not define ${SCHEMA_ID}#/$defs/profile`)
  compiled = { full, file }
  return compiled
}

/** Validate a complete profile (no `extends` left). */
export function checkSchema(data: unknown, positions: Map<string, Located>): ProfileDiagnostic[] {
  const v = validators().full
  if (v(data)) return []
  return toDiagnostics(v.errors ?? [], data, positions)
}

/** Validate one file as an editor would (partial view when it has `extends`). */
export function checkFileSchema(data: unknown, positions: Map<string, Located>): ProfileDiagnostic[] {
  const v = validators().file
  if (v(data)) return []
  return toDiagnostics(v.errors ?? [], data, positions)
}

function toDiagnostics(errors: ErrorObject[], data: unknown, positions: Map<string, Located>): ProfileDiagnostic[] {
  // A propertyNames failure also reports the inner keyword, and an if/then/else failure
  // repeats the branch's own errors; the specific errors say it better.
  const relevant = errors.filter((e) => !e.schemaPath.includes('/propertyNames/') && e.keyword !== 'if')
  return dedupe(relevant.map((e) => toDiagnostic(e, data, positions)))
}

function dedupe(ds: ProfileDiagnostic[]): ProfileDiagnostic[] {
  const seen = new Set<string>()
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${d.path}:${d.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** A short, quoted rendering of the offending value. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `a list of ${v.length}`
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)
  return String(v)
}

function isCitedSchema(s: unknown): boolean {
  const props = (s as { properties?: Record<string, unknown> } | undefined)?.properties
  return !!props && 'value' in props && 'source' in props
}

function toDiagnostic(e: ErrorObject, data: unknown, positions: Map<string, Located>): ProfileDiagnostic {
  const segs: Segment[] = segmentsOf(e.instancePath, data)
  const got = describeValue(e.data)
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty)
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {})
      const hint = closest(key, allowed)
      const suffix = hint
        ? ` (did you mean '${hint}'?)`
        : allowed.length > 0 && allowed.length <= 10
          ? ` (expected one of: ${allowed.join(', ')})`
          : ''
      return diagnosticAt(positions, [...segs, key], `unknown key '${key}'${suffix}`, 'key')
    }
    case 'required': {
      const missing = String(p.missingProperty)
      const at = diagnosticAt(positions, segs, '', 'key')
      return { ...at, path: displayPath([...segs, missing]), message: `missing required key '${missing}'` }
    }
    case 'type': {
      if (isCitedSchema(e.parentSchema)) {
        return diagnosticAt(positions, segs, `must be a cited value { value: ..., source: '... [KEY]' } (got ${got})`)
      }
      return diagnosticAt(positions, segs, `must be ${String(p.type).replace(',', ' or ')} (got ${got})`)
    }
    case 'enum':
      return diagnosticAt(positions, segs, `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${got})`)
    case 'const':
      return diagnosticAt(positions, segs, `must be ${String(p.allowedValue)} (got ${got})`)
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return diagnosticAt(positions, segs, `must be ${String(p.comparison)} ${String(p.limit)} (got ${got})`)
    case 'minLength':
      return diagnosticAt(positions, segs, 'must not be empty')
    case 'pattern': {
      const hint = PATTERN_HINTS[String(p.pattern)]
      return diagnosticAt(positions, segs, `must be ${hint ?? `a string matching ${String(p.pattern)}`} (got ${got})`)
    }
    case 'format':
      return diagnosticAt(positions, segs, `must be an ${p.format === 'ipv4' ? 'IPv4' : 'IPv6'} address (got ${got})`)
    case 'minItems':
      return diagnosticAt(positions, segs, `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'} (got ${got})`)
    case 'items':
    case 'maxItems':
      return diagnosticAt(positions, segs, `must have at most ${String(p.limit)} items (got ${got})`)
    case 'uniqueItems':
      return diagnosticAt(positions, [...segs, Number(p.i)], `repeats item ${String(p.j)} of the same list`)
    case 'propertyNames': {
      const name = String(p.propertyName)
      const pattern = (e.parentSchema as { propertyNames?: { pattern?: string } })?.propertyNames?.pattern
      const hint = pattern ? PATTERN_HINTS[pattern] : undefined
      return diagnosticAt(positions, [...segs, name], `key '${name}' must be ${hint ?? 'a valid name'}`, 'key')
    }
    default:
      return diagnosticAt(positions, segs, e.message ?? `fails ${e.keyword}`)
  }
}
