/** Locations used by the profile tests. */
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const SHIPPED_DIR = join(REPO_ROOT, 'profiles')
export const BROKEN_DIR = join(REPO_ROOT, 'test/unit/profiles/broken')
export const SHIPPED_IDS = ['default-e2e', 'default-p2p', 'power-2011', 'power-2017', 'gptp', 'g8275-1', 'g8275-2'] as const

/** Test IDs of the conformance catalogue (sections 5.1-5.8), which suites.apply patterns must hit. */
export const CATALOGUE_IDS: readonly string[] = [
  ...range('MF', 7),
  ...range('INT', 7),
  ...range('BMCA', 10),
  ...range('E2E', 3),
  ...range('P2P', 6),
  'HYB-01',
  'TLV-gPTP-01',
  'TLV-gPTP-02',
  'TLV-PWR-01',
  'TLV-PWR-02',
  'TLV-TEL-01',
  'TLV-GEN-01',
  ...range('MGT', 4),
  ...range('ROB', 8),
  ...range('TE', 8),
]

function range(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`)
}

/** Every path in a profile that carries `unconfirmed: true`, as a dotted path. */
export function unconfirmedPaths(v: unknown, segs: string = '', out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x, i) => unconfirmedPaths(x, `${segs}[${i}]`, out))
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (o.unconfirmed === true) out.push(segs)
    for (const [k, x] of Object.entries(o)) unconfirmedPaths(x, segs ? `${segs}.${k}` : k, out)
  }
  return out
}
