/**
 * Running the system tools the lab is built with (`ip`, `sysctl`).
 *
 * Every call passes an argument vector (never a shell string) so names and
 * addresses cannot be reinterpreted, and every failure carries the full command
 * and its stderr so a broken lab says exactly which step broke.
 */
import { execFile, spawnSync } from 'node:child_process'

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`command failed (exit ${code ?? 'signal'}): ${argv.join(' ')}${stderr ? `\n  ${stderr.trim()}` : ''}`)
    this.name = 'CommandError'
  }
}

export interface RunResult {
  stdout: string
  stderr: string
}

/** Runs a program asynchronously; rejects with CommandError on a non-zero exit. */
export function run(file: string, args: readonly string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args as string[], { encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as any).code as number) : null
        reject(new CommandError([file, ...args], code, stderr || err.message))
      } else {
        resolve({ stdout, stderr })
      }
    })
    if (input !== undefined) child.stdin?.end(input)
  })
}

/** Synchronous variant, for exit and signal handlers where nothing asynchronous may run. */
export function runSync(file: string, args: readonly string[], input?: string): RunResult {
  const r = spawnSync(file, args as string[], { encoding: 'utf8', input, maxBuffer: 16 << 20 })
  if (r.error) throw new CommandError([file, ...args], null, r.error.message)
  if (r.status !== 0) throw new CommandError([file, ...args], r.status, r.stderr ?? '')
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '' }
}

/** Runs and reports success instead of throwing: for idempotent teardown steps. */
export function tryRunSync(file: string, args: readonly string[]): boolean {
  const r = spawnSync(file, args as string[], { encoding: 'utf8' })
  return !r.error && r.status === 0
}

export const IP = 'ip'
