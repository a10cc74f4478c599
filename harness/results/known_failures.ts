/**
 * known-failures.yaml: the failures a team accepts for now, each with why and until when.
 *
 *   - test: TLV-GEN-01
 *     profile: default-e2e          # optional: every profile when absent
 *     reason: ptp4l 3.1.1 drops a Sync carrying a TLV (fixed in linuxptp 4.0)
 *     expires: 2027-06-30           # after this day the failure fails the gate again
 *
 * Every problem is reported as `file:line:col path message`, like the profiles.
 */
import { formatDiagnostic } from '../profiles/errors.ts'
import type { ProfileDiagnostic } from '../profiles/types.ts'
import { diagnosticAt, readProfileFile } from '../profiles/yaml_source.ts'
import type { KnownFailure } from './gate.ts'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const TEST_ID = /^[A-Z]+(-[A-Za-z0-9]+)+$/
const KEYS = ['test', 'profile', 'reason', 'expires']

export class KnownFailuresError extends Error {
  constructor(readonly diagnostics: ProfileDiagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'))
    this.name = 'KnownFailuresError'
  }
}

/** The entries of a known-failures file; throws KnownFailuresError with every problem found. */
export function readKnownFailures(file: string): KnownFailure[] {
  const src = readProfileFile(file)
  if (src.diagnostics.length) throw new KnownFailuresError(src.diagnostics)
  const problems: ProfileDiagnostic[] = []
  const at = (segs: (string | number)[], message: string, prefer: 'key' | 'value' = 'value') => problems.push(diagnosticAt(src.positions, segs, message, prefer))
  const out: KnownFailure[] = []
  const data = src.data ?? []
  if (!Array.isArray(data)) {
    at([], 'must be a list of entries (test, reason, expires, optional profile)')
    throw new KnownFailuresError(problems)
  }
  data.forEach((e: unknown, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return at([i], 'must be a mapping with test, reason and expires')
    const o = e as Record<string, unknown>
    for (const k of Object.keys(o)) if (!KEYS.includes(k)) at([i, k], `unknown key '${k}' (expected one of: ${KEYS.join(', ')})`, 'key')
    // YAML 1.2 (the parser's schema) reads 2027-06-30 as a string, not a date.
    const str = (k: string) => (typeof o[k] === 'string' ? o[k] : undefined)
    const test = str('test')
    const reason = str('reason')
    const expires = str('expires')
    const profile = str('profile')
    if (!test || !TEST_ID.test(test)) at(test ? [i, 'test'] : [i], `test must be a test ID such as TLV-GEN-01 (got ${JSON.stringify(o.test)})`)
    if (!reason?.trim()) at(reason !== undefined ? [i, 'reason'] : [i], 'reason is required: say why the failure is accepted')
    if (!expires || !DATE.test(expires) || Number.isNaN(Date.parse(expires))) at(expires ? [i, 'expires'] : [i], `expires must be a date YYYY-MM-DD (got ${JSON.stringify(o.expires)})`)
    if (o.profile !== undefined && !profile) at([i, 'profile'], 'profile must be a profile id')
    if (test && reason && expires) out.push({ test, reason, expires, ...(profile ? { profile } : {}) })
  })
  if (problems.length) throw new KnownFailuresError(problems)
  return out
}
