/**
 * Diagnostics are printed one per line as `file:line:col path message`, the form
 * editors and CI logs turn into links.
 */
import { relative } from 'node:path'
import type { ProfileDiagnostic } from './types.ts'

export function formatDiagnostic(d: ProfileDiagnostic, cwd: string = process.cwd()): string {
  const rel = d.file ? relative(cwd, d.file) : ''
  const file = rel && !rel.startsWith('..') ? rel : d.file
  return `${file}:${d.line}:${d.col} ${d.path || '(document)'} ${d.message}`
}

/** Thrown by loadProfile(); `diagnostics` holds every positioned problem found. */
export class ProfileError extends Error {
  constructor(
    message: string,
    readonly diagnostics: ProfileDiagnostic[] = [],
  ) {
    super(diagnostics.length ? `${message}\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}` : message)
    this.name = 'ProfileError'
  }
}
