/**
 * Process identity from /proc, so we only ever signal a process we started.
 *
 * A PID alone is not an identity: after a crash the number may belong to some
 * other program. A recorded process is "still ours" only when its start time
 * (field 22 of /proc/PID/stat, clock ticks since boot) is the one we recorded
 * AND its command line is the one we launched (or the tail of it left after
 * `ip netns exec` and `setpriv` exec'ed into the real program).
 */
import { readFileSync } from 'node:fs'

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

export interface ProcIdentity {
  pid: number
  /** /proc/PID/stat field 22. */
  startTime: string
}

export interface ProcInfo extends ProcIdentity {
  /** Single-letter state (R, S, D, Z, T, ...). */
  state: string
  argv: string[]
}

/** Reads /proc/PID/stat and cmdline; undefined if the process does not exist. */
export function readProc(pid: number): ProcInfo | undefined {
  let stat: string
  let cmdline: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return undefined
  }
  // comm (field 2) may contain spaces and parentheses: split after the LAST ')'.
  const close = stat.lastIndexOf(')')
  const rest = stat.slice(close + 2).split(' ')
  // rest[0] is field 3 (state); field 22 is rest[19].
  const argv = cmdline.split('\0')
  if (argv.length && argv[argv.length - 1] === '') argv.pop()
  return { pid, state: rest[0] ?? '?', startTime: rest[19] ?? '', argv }
}

export function identityOf(pid: number): ProcIdentity | undefined {
  const p = readProc(pid)
  return p ? { pid, startTime: p.startTime } : undefined
}

/** Alive means: exists and is not a zombie waiting to be reaped. */
export function isAlive(id: ProcIdentity): boolean {
  const p = readProc(id.pid)
  return !!p && p.startTime === id.startTime && p.state !== 'Z' && p.state !== 'X'
}

/** True when `actual` equals `launched` or a tail of it (what remains after wrapper programs exec). */
export function argvMatches(launched: readonly string[], actual: readonly string[]): boolean {
  if (actual.length === 0 || actual.length > launched.length) return false
  const off = launched.length - actual.length
  return actual.every((a, i) => a === launched[off + i])
}

/** The process is ours: same start time, matching command line, not a zombie. */
export function isOurs(id: ProcIdentity, launched: readonly string[]): boolean {
  const p = readProc(id.pid)
  return !!p && p.startTime === id.startTime && p.state !== 'Z' && p.state !== 'X' && argvMatches(launched, p.argv)
}

/**
 * isOurs, tolerating the instant of an exec: while `ip netns exec` or
 * `setpriv` exec()s into the next program, /proc/PID/cmdline reads empty.
 * Same start time + empty command line is retried briefly, never assumed.
 */
function isOursSettled(id: ProcIdentity, launched: readonly string[]): boolean {
  for (let i = 0; i < 40; i++) {
    const p = readProc(id.pid)
    if (!p || p.startTime !== id.startTime || p.state === 'Z' || p.state === 'X') return false
    if (argvMatches(launched, p.argv)) return true
    if (p.argv.length > 0) return false
    sleepSync(5)
  }
  return false
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * SIGTERM, then SIGKILL after `graceMs`, waiting until the process is gone.
 * Returns false if the process was not ours (nothing was signalled).
 */
export function killOursSync(id: ProcIdentity, launched: readonly string[], graceMs = 1000): boolean {
  if (!isOursSettled(id, launched)) return false
  signal(id.pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (isAlive(id) && Date.now() < deadline) sleepSync(10)
  if (isAlive(id)) {
    signal(id.pid, 'SIGKILL')
    const hard = Date.now() + 2000
    while (isAlive(id) && Date.now() < hard) sleepSync(5)
  }
  return true
}

export async function killOurs(id: ProcIdentity, launched: readonly string[], graceMs = 1000): Promise<boolean> {
  if (!isOursSettled(id, launched)) return false
  signal(id.pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (isAlive(id) && Date.now() < deadline) await sleep(10)
  if (isAlive(id)) {
    signal(id.pid, 'SIGKILL')
    const hard = Date.now() + 2000
    while (isAlive(id) && Date.now() < hard) await sleep(5)
  }
  return true
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // Gone between the check and the signal: that is the outcome we wanted.
  }
}

/** SIGKILL at once, no SIGTERM first (fault injection); waits until the process is gone. */
export async function killOursHard(id: ProcIdentity, launched: readonly string[]): Promise<boolean> {
  if (!isOursSettled(id, launched)) return false
  signal(id.pid, 'SIGKILL')
  const hard = Date.now() + 2000
  while (isAlive(id) && Date.now() < hard) await sleep(5)
  return true
}
