/**
 * The lab state file: the one record of everything a lab created.
 *
 * Rule: a name is written here BEFORE the thing is created, so whatever moment
 * a process dies at, the file names a superset of what exists, and teardown
 * (which tolerates "already gone") removes exactly that. Writes go to a
 * temporary file and are renamed into place, so a reader never sees half a file.
 *
 * `owner` is the process whose exit takes the lab down. A lab built by
 * `ptp-conform lab up` has no owner: it stays until `ptp-conform lab down`.
 * A lab whose owner is dead was left behind by a crash and is recovered
 * (torn down) by the next `lab up` or `lab down`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isAlive, type ProcIdentity } from './proc.ts'
import type { TopologyName, TopologyPlan } from './topology.ts'

export const STATE_VERSION = 1

export function defaultStateDir(): string {
  return process.env.PTP_CONFORM_STATE_DIR || '/run/ptp-conform/labs'
}

export interface TrackedProcess {
  pid: number
  startTime: string
  /** The full argv we launched (wrappers included); /proc cmdline must equal it or its tail. */
  argv: string[]
  node: string
  label: string
  log?: string
}

export interface LinkRecord {
  ifname: string
  netns: string
  peer: string
  peerNetns: string
}

/** What a DUT adapter registers so `lab status` can describe and query it. */
export interface DutRecord {
  label: string
  implementation: string
  node: string
  interfaces: string[]
  pid?: number
  /** linuxptp: the UDS path pmc talks to. */
  uds?: string
  /** linuxptp: transportSpecific pmc must send (`-t`). */
  transportSpecific?: number
  /** linuxptp: domainNumber pmc must send (`-d`). */
  domainNumber?: number
  /** ptpd: the status file it rewrites every second. */
  statusFile?: string
  config?: string
  log?: string
}

export interface LabState {
  version: number
  id: string
  topology: TopologyName
  createdAt: string
  owner: (ProcIdentity & { argv: string[] }) | null
  phase: 'creating' | 'up' | 'tearing-down'
  plan: TopologyPlan
  runDir: string
  namespaces: string[]
  links: LinkRecord[]
  bridge?: { netns: string; ifname: string }
  processes: TrackedProcess[]
  duts: DutRecord[]
}

export function statePath(dir: string, id: string): string {
  return join(dir, `${id}.json`)
}

export function writeState(dir: string, state: LabState): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 })
  const final = statePath(dir, state.id)
  const tmp = `${final}.tmp-${process.pid}`
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o644 })
  renameSync(tmp, final)
}

export function readStateFile(path: string): LabState {
  const s = JSON.parse(readFileSync(path, 'utf8')) as LabState
  if (s.version !== STATE_VERSION || typeof s.id !== 'string') throw new Error(`${path}: not a lab state file of version ${STATE_VERSION}`)
  return s
}

export function removeStateFile(path: string): void {
  try {
    unlinkSync(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
}

export interface StateEntry {
  path: string
  state: LabState
  /** Set when another process claimed this lab for teardown. */
  reaper?: ProcIdentity
}

const CLAIM_RE = /^([a-z0-9]+)\.reap-(\d+)-(\d+)\.json$/

/** Every lab state file in `dir`, including labs another process claimed for teardown. */
export function listStates(dir: string): StateEntry[] {
  if (!existsSync(dir)) return []
  const out: StateEntry[] = []
  for (const f of readdirSync(dir).sort()) {
    const path = join(dir, f)
    const claim = CLAIM_RE.exec(f)
    if (!claim && !/^[a-z0-9]+\.json$/.test(f)) continue
    let state: LabState
    try {
      state = readStateFile(path)
    } catch {
      continue
    }
    const entry: StateEntry = { path, state }
    if (claim) entry.reaper = { pid: Number(claim[2]), startTime: claim[3]! }
    out.push(entry)
  }
  return out
}

export type Liveness = 'owned' | 'persistent' | 'orphaned' | 'claimed'

/**
 * owned: its owner process is alive; persistent: built by the CLI, no owner;
 * orphaned: the owner (or the process tearing it down) died; claimed: a live
 * process is tearing it down right now.
 */
export function liveness(e: StateEntry): Liveness {
  if (e.reaper) return isAlive(e.reaper) ? 'claimed' : 'orphaned'
  if (!e.state.owner) return 'persistent'
  return isAlive(e.state.owner) ? 'owned' : 'orphaned'
}

/**
 * Atomically takes a lab for teardown by renaming its state file to a claim
 * name carrying our identity: of two processes recovering at once, exactly one
 * rename succeeds. Returns the new path, or undefined if someone else won.
 */
export function claimForTeardown(e: StateEntry, self: ProcIdentity): string | undefined {
  const target = join(e.path, '..', `${e.state.id}.reap-${self.pid}-${self.startTime}.json`)
  if (e.path === target) return target
  try {
    renameSync(e.path, target)
    return target
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
