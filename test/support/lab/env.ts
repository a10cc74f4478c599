/**
 * Shared pieces of the lab tests: a private state directory per test run (so
 * `lab down` in a test never touches a lab someone else left up), the fast
 * lab intervals, and the leak check every lifecycle test ends with.
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { join } from 'node:path'
import { ourNamespaces } from '../../../harness/lab/teardown.ts'
import { isOurs, readProc } from '../../../harness/lab/proc.ts'
import type { TrackedProcess } from '../../../harness/lab/state.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
export const NEEDS_ROOT = 'the virtual lab needs root (network namespaces)'

/** One directory per test process; each test file may add a subfolder. */
export function testStateDir(name: string): string {
  return `/run/ptp-conform-test/${process.pid}/${name}`
}

/** Removes a test state folder and its per-run parents once they are empty. */
export function removeStateDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  for (let d = dirname(dir); d.startsWith('/run/ptp-conform-test'); d = dirname(d)) {
    try {
      rmdirSync(d)
    } catch {
      return // not empty: another test file of this run still uses it
    }
  }
}

/**
 * Announce -2, Sync -3, (P)delay -3: lock in about 3 s instead of 10 s. These
 * lie outside the default profiles' ranges; the tests check the lab and the
 * adapters, not profile conformance, so they pass them as DUT options.
 */
export const FAST = { logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -3, logMinPdelayReqInterval: -3 } as const

const profiles = new Map<string, Profile>()
export function profile(id: string): Profile {
  if (!profiles.has(id)) profiles.set(id, loadProfile(id))
  return profiles.get(id)!
}

/** Interface names with the lab's prefix still present in the root namespace. */
export function rootLinks(labId: string): string[] {
  return readdirSync('/sys/class/net').filter((n) => n.startsWith(`pcl-${labId}-`))
}

/** Everything of one lab that is still there: namespaces, root links, recorded processes, files. */
export function leftovers(labId: string, stateDir: string, processes: Pick<TrackedProcess, 'pid' | 'startTime' | 'argv'>[] = []): string[] {
  const out: string[] = []
  for (const ns of ourNamespaces(labId)) out.push(`namespace ${ns}`)
  for (const l of rootLinks(labId)) out.push(`link ${l}`)
  for (const p of processes) if (isOurs(p, p.argv)) out.push(`process ${p.pid} (${readProc(p.pid)?.argv.join(' ')})`)
  if (existsSync(stateDir)) {
    for (const f of readdirSync(stateDir)) if (f.startsWith(labId)) out.push(`file ${join(stateDir, f)}`)
  }
  return out
}
