/**
 * A profile key no code reads silently does nothing: every key the schema accepts must be read
 * somewhere outside the profiles area's own plumbing (schema, types, validation rules, loader).
 * The check is textual (the key's name as a word in harness/ or suites/); keys that nothing reads
 * today are listed below with who should read them or remove them — the list may only shrink.
 */
import { test } from '@japa/runner'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { buildSchema } from '../../../harness/profiles/schema_source.ts'
import { REPO_ROOT } from '../../support/profiles/paths.ts'

/** Files that only describe, validate or load profiles: a mention there is not a reader. */
const PLUMBING = /^harness\/profiles\/(schema_source|types|schema_check|rules|loader|serialize|merge|paths|yaml_source|suggest|errors|index)\.ts$/
const CITATION = new Set(['value', 'source', 'unconfirmed', 'note'])

/** Unread today: the key, and what to do about it. */
const UNREAD_TODAY: Record<string, string> = {
  receiveBoth: 'steps.receiveBoth — a one-/two-step receive test (catalogue) should read it',
  allowedFaults: 'peerDelay.allowedFaults — P2P suites should read it',
  judgeIntervalsAgainst: 'lab.judgeIntervalsAgainst — only validated; INT-01 now judges against DutSettings: remove',
  priority1Compared: 'bmca.priority1Compared — only validated, redundant with bmca.variant: remove',
  profileIdentifier: 'profileIdentifier — only validated; MF/MGT reporting should read it',
  editionsAccepted: 'version.editionsAccepted — only validated, implied by minorVersionsAccepted: remove',
  pdelayTtl: 'transport.udp*.pdelayTtl — only validated (the codec checks TTL 1 itself): remove',
  expectedFindings: 'lab.expectedFindings — the runner/report should mark expected lab failures with it',
  allowedRanges: 'clockClass.allowedRanges — BMCA case generation should read it',
  editionDifferences: 'editionDifferences — only validated and documented',
  receiptTimeoutWindow: 'tolerances.receiptTimeoutWindow — left to the lead (INT-03/BMCA-03 fixes)',
  earlyIntervals: 'tolerances.receiptTimeoutWindow.earlyIntervals — as receiptTimeoutWindow',
  lateIntervals: 'tolerances.receiptTimeoutWindow.lateIntervals — as receiptTimeoutWindow',
}

function schemaKeys(): Set<string> {
  const keys = new Set<string>()
  const walk = (s: unknown): void => {
    if (!s || typeof s !== 'object') return
    if (Array.isArray(s)) return s.forEach(walk)
    const o = s as Record<string, unknown>
    if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) if (!CITATION.has(k)) keys.add(k)
    for (const v of Object.values(o)) walk(v)
  }
  const defs = buildSchema().$defs as Record<string, unknown>
  for (const [name, def] of Object.entries(defs)) if (!name.startsWith('partial_') && name !== 'origin') walk(def)
  keys.delete('origin')
  return keys
}

function sources(): string {
  const out: string[] = []
  const visit = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f)
      if (statSync(p).isDirectory()) visit(p)
      else if (p.endsWith('.ts') && !PLUMBING.test(relative(REPO_ROOT, p))) out.push(readFileSync(p, 'utf8'))
    }
  }
  visit(join(REPO_ROOT, 'harness'))
  visit(join(REPO_ROOT, 'suites'))
  return out.join('\n')
}

test.group('profile keys have readers', () => {
  test('every schema key is read by harness or suite code, or listed as unread today', ({ assert }) => {
    const text = sources()
    const unread = [...schemaKeys()].filter((k) => !new RegExp(`\\b${k}\\b`).test(text)).sort()
    const unexpected = unread.filter((k) => !(k in UNREAD_TODAY))
    assert.deepEqual(unexpected, [], `profile keys nothing reads: ${unexpected.join(', ')}`)
  })

  test('the unread list only holds keys that are still unread (shrink it when a reader appears)', ({ assert }) => {
    const text = sources()
    const nowRead = Object.keys(UNREAD_TODAY).filter((k) => new RegExp(`\\b${k}\\b`).test(text))
    assert.deepEqual(nowRead, [], `now read, remove from UNREAD_TODAY: ${nowRead.join(', ')}`)
  })
})
