/**
 * Starting a DUT program inside a lab node, unable to touch the system clock.
 *
 *   ip netns exec <ns> setpriv --inh-caps=-sys_time --bounding-set=-sys_time <program...>
 *
 * All namespaces share CLOCK_REALTIME and root holds CAP_SYS_TIME, so a DUT
 * that decided to steer "its" clock would steer this machine's. Dropping the
 * capability from the bounding set makes that impossible for the program and
 * anything it executes; `verifyNoSysTime` reads /proc to prove it, and the
 * caller refuses to keep a process that still holds it.
 *
 * `ip netns exec` and `setpriv` both exec() into the next program, so the PID
 * we get is the DUT's own PID; the full argv is recorded and a later check
 * accepts the argv or its tail (see proc.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { argvMatches, identityOf, readProc } from './proc.ts'
import type { DutRecord, TrackedProcess } from './state.ts'

export const DROP_SYS_TIME = ['setpriv', '--inh-caps=-sys_time', '--bounding-set=-sys_time'] as const

/** CAP_SYS_TIME from linux/capability.h. */
const CAP_SYS_TIME = 25n

/** Where a DUT process is recorded so it is removed with its lab. */
export interface ProcessTracker {
  /** Directory for configs, sockets and logs of this lab. */
  readonly runDir: string
  track(p: TrackedProcess): void
  untrack(pid: number): void
  registerDut(d: DutRecord): void
  unregisterDut(label: string): void
}

export interface SpawnOptions {
  /** Network namespace; undefined runs in the current one (a remote lab, a real interface). */
  netns?: string
  /** Program and arguments, program given as an absolute path. */
  program: string[]
  logPath: string
  label: string
  node: string
  tracker?: ProcessTracker
}

export interface Spawned {
  child: ChildProcess
  record: TrackedProcess
  /** Resolves when the process ends (any reason). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function wrapArgv(netns: string | undefined, program: readonly string[]): string[] {
  const ns = netns ? ['ip', 'netns', 'exec', netns] : []
  return [...ns, ...DROP_SYS_TIME, ...program]
}

export function spawnDut(o: SpawnOptions): Spawned {
  const argv = wrapArgv(o.netns, o.program)
  const fd = openSync(o.logPath, 'a')
  let child: ChildProcess
  try {
    // detached: a terminal's Ctrl-C reaches only us; we stop the DUT ourselves, in order.
    child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, fd], detached: true })
  } finally {
    closeSync(fd)
  }
  if (child.pid === undefined) throw new Error(`could not start ${o.program[0]}`)
  const id = identityOf(child.pid)
  const record: TrackedProcess = { pid: child.pid, startTime: id?.startTime ?? '', argv, node: o.node, label: o.label, log: o.logPath }
  o.tracker?.track(record)
  child.unref()
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
    child.once('error', () => resolve({ code: null, signal: null }))
  })
  return { child, record, exited }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Waits until the wrappers have exec'ed into the program itself, then checks
 * its effective and bounding capability sets lack CAP_SYS_TIME. Throws if the
 * process still holds it (or died first).
 */
export async function verifyNoSysTime(pid: number, program: readonly string[], timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const p = readProc(pid)
    if (!p || p.state === 'Z') throw new Error(`${program[0]} (pid ${pid}) exited during start; see its log`)
    if (p.argv.length === program.length && argvMatches(program, p.argv)) break
    if (Date.now() > deadline) throw new Error(`${program[0]} (pid ${pid}) did not start within ${timeoutMs} ms`)
    await sleep(5)
  }
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  for (const field of ['CapEff', 'CapPrm', 'CapBnd']) {
    const m = new RegExp(`^${field}:\\s*([0-9a-f]+)`, 'm').exec(status)
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}`)
    if ((BigInt('0x' + m[1]) >> CAP_SYS_TIME) & 1n) {
      throw new Error(`${program[0]} (pid ${pid}) holds CAP_SYS_TIME in ${field}: refusing to run a DUT that can move the system clock`)
    }
  }
}
