/**
 * Removing a lab: exactly what its state file names, in an order that works
 * whatever state a crash left it in, and safe to repeat.
 *
 *   1. processes we recorded (only if start time and command line still match);
 *   2. any process still inside one of OUR namespaces (it can only be ours: we
 *      created the namespace), so deleting the namespace really frees it;
 *   3. the namespaces (their veth ends and the bridge go with them);
 *   4. a recorded link name that is somehow in the root namespace
 *      (a crash between creation and the move);
 *   5. the run directory (configs, sockets, logs) and the state file.
 *
 * Synchronous on purpose: it must also run inside 'exit' and signal handlers.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { tryRunSync, runSync, IP } from './exec.ts'
import { killOursSync, readProc } from './proc.ts'
import { removeStateFile, type LabState } from './state.ts'
import { LAB_PREFIX } from './naming.ts'

export interface TeardownReport {
  id: string
  /** Recorded processes that were ours and were stopped. */
  stopped: number[]
  /** Recorded processes already gone or no longer ours (not signalled). */
  notOurs: number[]
  /** Processes found inside our namespaces without a record, then killed. */
  swept: number[]
  namespacesRemoved: string[]
  linksRemoved: string[]
  errors: string[]
}

export function netnsExists(ns: string): boolean {
  return existsSync(`/run/netns/${ns}`)
}

/** PIDs whose network namespace is `ns` (`ip netns pids`). */
export function netnsPids(ns: string): number[] {
  if (!netnsExists(ns)) return []
  try {
    return runSync(IP, ['netns', 'pids', ns])
      .stdout.split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0)
  } catch {
    return []
  }
}

function rootLinkExists(ifname: string): boolean {
  return existsSync(`/sys/class/net/${ifname}`)
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * Tears a lab down. `statePathToRemove` is the state file (or claim file)
 * deleted at the end; pass undefined to keep it (dry runs, tests).
 */
export function teardownSync(state: LabState, statePathToRemove: string | undefined, alreadyStopped: number[] = []): TeardownReport {
  const rep: TeardownReport = { id: state.id, stopped: [...alreadyStopped], notOurs: [], swept: [], namespacesRemoved: [], linksRemoved: [], errors: [] }
  const mine = new Set<number>([process.pid, process.ppid])

  for (const p of state.processes) {
    if (alreadyStopped.includes(p.pid)) continue
    try {
      if (killOursSync(p, p.argv, 1000)) rep.stopped.push(p.pid)
      else rep.notOurs.push(p.pid)
    } catch (e) {
      rep.errors.push(`process ${p.pid}: ${(e as Error).message}`)
    }
  }

  for (const ns of state.namespaces) {
    if (!ns.startsWith(LAB_PREFIX)) {
      rep.errors.push(`refusing to touch namespace '${ns}' without our prefix`)
      continue
    }
    const strays = netnsPids(ns).filter((pid) => !mine.has(pid))
    for (const pid of strays) {
      try {
        process.kill(pid, 'SIGKILL')
        rep.swept.push(pid)
      } catch {
        /* already gone */
      }
    }
    if (strays.length) {
      const deadline = Date.now() + 2000
      while (Date.now() < deadline && strays.some((pid) => isRunning(pid))) sleepSync(5)
    }
  }

  for (const ns of state.namespaces) {
    if (!ns.startsWith(LAB_PREFIX) || !netnsExists(ns)) continue
    if (tryRunSync(IP, ['netns', 'del', ns])) rep.namespacesRemoved.push(ns)
    else rep.errors.push(`could not delete namespace ${ns}`)
  }

  for (const l of state.links) {
    for (const name of [l.ifname, l.peer]) {
      if (name.startsWith(LAB_PREFIX) && rootLinkExists(name)) {
        if (tryRunSync(IP, ['link', 'del', name])) rep.linksRemoved.push(name)
        else rep.errors.push(`could not delete link ${name}`)
      }
    }
  }

  if (state.runDir && isOwnRunDir(state, statePathToRemove)) {
    try {
      rmSync(state.runDir, { recursive: true, force: true })
    } catch (e) {
      rep.errors.push(`run directory ${state.runDir}: ${(e as Error).message}`)
    }
  }
  if (statePathToRemove) removeStateFile(statePathToRemove)
  return rep
}

/** The run directory is removed only if it is `<stateDir>/<id>`: never a path a corrupted file points elsewhere. */
function isOwnRunDir(state: LabState, statePath: string | undefined): boolean {
  if (!statePath) return false
  const dir = resolve(state.runDir)
  return basename(dir) === state.id && resolve(dirname(dir)) === resolve(dirname(statePath))
}

function isRunning(pid: number): boolean {
  const p = readProc(pid)
  return !!p && p.state !== 'Z' && p.state !== 'X'
}

/** For tests and `lab status`: every namespace on the machine carrying our prefix. */
export function ourNamespaces(labId?: string): string[] {
  let names: string[] = []
  try {
    names = readdirSync('/run/netns')
  } catch {
    /* no namespace was ever created */
  }
  const prefix = labId ? `${LAB_PREFIX}${labId}-` : LAB_PREFIX
  return names.filter((n) => n.startsWith(prefix)).sort()
}
