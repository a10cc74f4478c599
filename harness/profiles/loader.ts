/**
 * Finding, resolving and validating profiles.
 *
 *   read YAML (positions kept) -> resolve `extends:` chain (cycles caught) -> merge
 *   -> JSON Schema (complete profile) -> normalise omitted lists -> cross-field rules
 *
 * Every problem at every stage is a ProfileDiagnostic pointing into the file that
 * holds the offending text — the parent's file when the value was inherited.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { aliasesOf, resolveAlias } from './aliases.ts'
import { ProfileError } from './errors.ts'
import { mergeLayers, type Layer } from './merge.ts'
import { checkOverrides, checkRules, type KnownTest } from './rules.ts'
import { checkSchema } from './schema_check.ts'
import { diagnosticAt, readProfileFile, type Located } from './yaml_source.ts'
import type { MessageName, Profile, ProfileDiagnostic } from './types.ts'

/** The profiles shipped with ptp-conform. */
export const SHIPPED_PROFILE_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url))

export interface LoadOptions {
  /** User profile folders, searched before the shipped profiles (first match wins). */
  profileDirs?: string[]
}

export interface ValidationResult {
  file: string
  /** The resolved profile, when there were no diagnostics. */
  profile?: Profile
  diagnostics: ProfileDiagnostic[]
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const PROFILE_EXT = ['.yaml', '.yml']

export function searchDirs(opts: LoadOptions = {}): string[] {
  const dirs = [...(opts.profileDirs ?? []).map((d) => resolve(d)), SHIPPED_PROFILE_DIR.replace(/\/$/, '')]
  return [...new Set(dirs)]
}

/** The file holding profile `id` in the first directory that has one. */
export function findProfileFile(id: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    for (const ext of PROFILE_EXT) {
      const f = join(dir, id + ext)
      if (existsSync(f) && statSync(f).isFile()) return f
    }
  }
  return undefined
}

/** A folder as shown in messages: relative to the working directory when inside it. */
function showDir(dir: string): string {
  const rel = relative(process.cwd(), dir)
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || PROFILE_EXT.includes(extname(s))
}

interface Resolved {
  layer?: Layer
  chain: string[]
  files: string[]
  diagnostics: ProfileDiagnostic[]
}

/** Read one file and, recursively, what it extends. `stack` holds the files being resolved (cycle check). */
function resolveFile(file: string, dirs: string[], stack: string[]): Resolved {
  const src = readProfileFile(file)
  if (src.diagnostics.length) return { chain: [], files: [file], diagnostics: src.diagnostics }
  const data = src.data
  const ownId = isObj(data) && typeof data.id === 'string' ? data.id : basename(file, extname(file))
  const layer: Layer = { data, positions: src.positions }
  if (!isObj(data) || data.extends === undefined) return { layer, chain: [ownId], files: [file], diagnostics: [] }

  const parentId = data.extends
  const at = (message: string): ProfileDiagnostic => diagnosticAt(src.positions, ['extends'], message)
  if (typeof parentId !== 'string') return { chain: [ownId], files: [file], diagnostics: [at('must be a profile id')] }
  if (typeof data.id !== 'string') {
    return { chain: [ownId], files: [file], diagnostics: [diagnosticAt(src.positions, [], "a profile that extends another must set its own 'id'")] }
  }
  if (parentId === data.id) return { chain: [ownId], files: [file], diagnostics: [at(`a profile cannot be its own parent ('${parentId}')`)] }
  const where = [dirname(file), ...dirs]
  const parentFile = findProfileFile(parentId, where) ?? findProfileFile(resolveAlias(parentId), where)
  if (!parentFile) {
    const shown = [...new Set(where)].map(showDir).join(', ')
    return { chain: [ownId], files: [file], diagnostics: [at(`no profile '${parentId}' to inherit from in ${shown}`)] }
  }
  const here = [...stack, resolve(file)]
  if (here.includes(resolve(parentFile))) {
    const names = [...here.slice(here.indexOf(resolve(parentFile))), resolve(parentFile)].map((f) => basename(f, extname(f)))
    return { chain: [ownId], files: [file], diagnostics: [at(`inheritance cycle: ${names.join(' -> ')}`)] }
  }
  const parent = resolveFile(parentFile, dirs, here)
  if (!parent.layer) return { chain: [ownId, ...parent.chain], files: [file, ...parent.files], diagnostics: parent.diagnostics }
  const childData = { ...data }
  delete childData.extends
  const merged = mergeLayers(parent.layer, { data: childData, positions: src.positions })
  return {
    layer: merged.layer,
    chain: [ownId, ...parent.chain],
    files: [file, ...parent.files],
    diagnostics: [...parent.diagnostics, ...merged.diagnostics],
  }
}

/** Fill the lists a file may omit, so every consumer sees them. */
function normalise(p: Profile): Profile {
  for (const rules of Object.values(p.tlvs)) {
    if (!rules) continue
    rules.required ??= []
    rules.allowed ??= []
    rules.forbidden ??= []
  }
  p.suites.skip ??= []
  p.suites.overrides ??= {}
  p.lab.outsideProfile ??= []
  p.lab.expectedFindings ??= []
  return p
}

/** Validate one profile file (resolving its `extends:`); never throws for a bad profile. */
export function validateProfileFile(file: string, opts: LoadOptions = {}): ValidationResult {
  const abs = resolve(file)
  const r = resolveFile(abs, searchDirs(opts), [])
  if (!r.layer) return { file: abs, diagnostics: r.diagnostics }
  const data = r.layer.data
  if (isObj(data)) delete data.origin
  const positions: Map<string, Located> = r.layer.positions
  // Merge findings do not stop the schema check, but cross-field rules need a sound shape.
  const schemaDiags = [...r.diagnostics, ...checkSchema(data, positions)]
  if (schemaDiags.length) return { file: abs, diagnostics: schemaDiags }
  const profile = normalise(data as Profile)
  const ruleDiags = checkRules(profile, positions)
  if (ruleDiags.length) return { file: abs, diagnostics: ruleDiags }
  // Tests read overrides by their canonical (upper-case) ID; selection compares IDs case-insensitively.
  profile.suites.overrides = Object.fromEntries(Object.entries(profile.suites.overrides).map(([k, v]) => [k.toUpperCase(), v]))
  profile.origin = { file: abs, chain: r.chain, files: r.files }
  return { file: abs, profile, diagnostics: [] }
}

/**
 * Load a profile by id, short name or file path. Throws ProfileError (with
 * positioned diagnostics) when it cannot be found or does not validate.
 */
export function loadProfile(idOrPath: string, opts: LoadOptions = {}): Profile {
  const dirs = searchDirs(opts)
  let file: string | undefined
  if (looksLikePath(idOrPath)) {
    file = resolve(idOrPath)
    if (!existsSync(file)) throw new ProfileError(`no profile file ${idOrPath}`)
  } else {
    file = findProfileFile(idOrPath, dirs) ?? findProfileFile(resolveAlias(idOrPath), dirs)
    if (!file) {
      const known = listProfiles(opts).map((e) => e.id)
      throw new ProfileError(`no profile '${idOrPath}' (known: ${known.join(', ')}; searched ${dirs.join(', ')})`)
    }
  }
  const result = validateProfileFile(file, opts)
  if (!result.profile) throw new ProfileError(`profile ${idOrPath} is invalid`, result.diagnostics)
  if (!looksLikePath(idOrPath) && result.profile.id !== basename(file, extname(file))) {
    const src = readProfileFile(file)
    throw new ProfileError(`profile ${idOrPath} is invalid`, [
      diagnosticAt(src.positions, ['id'], `id '${result.profile.id}' does not match the file name ${basename(file)}`),
    ])
  }
  return result.profile
}

export interface ProfileListing {
  id: string
  name?: string
  standard?: string
  edition?: string
  extends?: string
  aliases: string[]
  file: string
  /** Files of the same id further down the search path, hidden by this one. */
  shadows: string[]
  diagnostics: ProfileDiagnostic[]
}

/** Every profile in the search path (user folders first), each validated. */
export function listProfiles(opts: LoadOptions | string[] = {}): ProfileListing[] {
  const o: LoadOptions = Array.isArray(opts) ? { profileDirs: opts } : opts
  const byId = new Map<string, ProfileListing>()
  for (const dir of searchDirs(o)) {
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir).sort()) {
      if (!PROFILE_EXT.includes(extname(name))) continue
      const file = join(dir, name)
      const id = basename(name, extname(name))
      const prev = byId.get(id)
      if (prev) {
        prev.shadows.push(file)
        continue
      }
      const r = validateProfileFile(file, o)
      const src = readProfileFile(file)
      const raw = isObj(src.data) ? src.data : {}
      const p = r.profile
      const diagnostics = [...r.diagnostics]
      if (p && p.id !== id) diagnostics.push(diagnosticAt(src.positions, ['id'], `id '${p.id}' does not match the file name ${name}`))
      byId.set(id, {
        id,
        name: p?.name ?? (typeof raw.name === 'string' ? raw.name : undefined),
        standard: p?.standard,
        edition: p?.edition,
        extends: typeof raw.extends === 'string' ? raw.extends : undefined,
        aliases: aliasesOf(id),
        file,
        shadows: [],
        diagnostics,
      })
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
}

/**
 * suites.overrides of a loaded profile against the tests that exist (see rules.ts
 * checkOverrides): positioned diagnostics in the file that wrote each override.
 */
export function checkProfileOverrides(profile: Profile, tests: readonly KnownTest[], opts: LoadOptions = {}): ProfileDiagnostic[] {
  if (!profile.origin) return checkOverrides(profile, new Map(), tests)
  // Re-read the files for positions and the override keys as written (the loader upper-cases them).
  const r = resolveFile(profile.origin.file, searchDirs(opts), [])
  if (!r.layer || !isObj(r.layer.data)) return checkOverrides(profile, new Map(), tests)
  return checkOverrides(r.layer.data as unknown as Profile, r.layer.positions, tests)
}

/**
 * Validation a run adds to loadProfile: every override names an existing test and only
 * parameters it reads. The suites are imported lazily (they import the profiles area).
 * Throws ProfileError (the CLI's exit 2) with file:line:col diagnostics.
 */
export async function validateProfileForRun(profile: Profile, opts: LoadOptions = {}, tests?: readonly KnownTest[]): Promise<void> {
  const known = tests ?? (await import('../run/suite_files.ts').then((m) => m.allDefinitions())).map(({ def }) => ({ id: def.id, params: (def as { params?: Record<string, unknown> }).params }))
  const diagnostics = checkProfileOverrides(profile, known, opts)
  if (diagnostics.length) throw new ProfileError(`profile ${profile.id} is invalid`, diagnostics)
}

/** Messages the profile does not use. */
export function unusedMessageNames(p: Profile): MessageName[] {
  return p.unusedMessages.map((u) => u.message)
}
