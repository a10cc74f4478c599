/**
 * One DUT program we started: spawned inside its namespace without
 * CAP_SYS_TIME, recorded with its lab, stopped by its PID (after checking the
 * PID is still that program), never by name.
 *
 * Without a lab to record it in, the process is still taken down when this
 * process exits (the same exit guard labs use).
 */
import { existsSync, readFileSync } from 'node:fs'
import { guard, unguard } from '../lab/exit_guard.ts'
import { isOurs, killOurs, killOursHard, killOursSync } from '../lab/proc.ts'
import { spawnDut, verifyNoSysTime, type ProcessTracker, type Spawned } from '../lab/spawn.ts'

export interface ManagedProcessOptions {
  label: string
  node: string
  netns?: string
  program: string[]
  logPath: string
  tracker?: ProcessTracker
}

export class ManagedProcess {
  private spawned: Spawned | undefined
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined
  /** Set when we stop or kill it: an exit we asked for is not the DUT's fault. */
  private stopRequested = false
  private exitedAtMs: number | undefined

  constructor(readonly o: ManagedProcessOptions) {}

  get pid(): number | undefined {
    return this.spawned?.record.pid
  }

  /** The full argv (wrappers included). */
  get argv(): string[] {
    return this.spawned?.record.argv ?? []
  }

  get running(): boolean {
    const s = this.spawned
    return !!s && this.exitInfo === undefined && isOurs(s.record, s.record.argv)
  }

  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo
  }

  /** How it ended when nobody asked it to (crash, SIGKILL from outside, exit on its own). */
  get unexpectedExit(): { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined {
    return this.exitInfo && !this.stopRequested ? { ...this.exitInfo, atMs: this.exitedAtMs ?? Date.now() } : undefined
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.o.label} is already running (pid ${this.pid})`)
    this.exitInfo = undefined
    this.exitedAtMs = undefined
    this.stopRequested = false
    const s = spawnDut({ netns: this.o.netns, program: this.o.program, logPath: this.o.logPath, label: this.o.label, node: this.o.node, tracker: this.o.tracker })
    this.spawned = s
    void s.exited.then((e) => {
      if (this.spawned !== s) return
      this.exitInfo = e
      this.exitedAtMs = Date.now()
    })
    if (!this.o.tracker) guard({ id: `proc-${s.record.pid}`, teardownSync: () => killOursSync(s.record, s.record.argv, 500) })
    try {
      await verifyNoSysTime(s.record.pid, this.o.program)
    } catch (e) {
      await this.kill()
      throw new Error(`${(e as Error).message}\n${this.logTail(15)}`)
    }
  }

  /** SIGTERM, SIGKILL after graceMs; idempotent. */
  async stop(graceMs = 2000): Promise<void> {
    const s = this.spawned
    if (!s) return
    this.stopRequested = true
    await killOurs(s.record, s.record.argv, graceMs)
    await this.settle(s)
  }

  /** SIGKILL at once (fault injection). */
  async kill(): Promise<void> {
    const s = this.spawned
    if (!s) return
    this.stopRequested = true
    await killOursHard(s.record, s.record.argv)
    await this.settle(s)
  }

  /** SIGSTOP / SIGCONT: the DUT freezes (no messages, no timers) and resumes. */
  suspend(): void {
    this.signal('SIGSTOP')
  }
  resume(): void {
    this.signal('SIGCONT')
  }

  logs(): string {
    return existsSync(this.o.logPath) ? readFileSync(this.o.logPath, 'utf8') : ''
  }

  logTail(lines: number): string {
    const all = this.logs().trimEnd().split('\n')
    return `--- last lines of ${this.o.logPath} ---\n${all.slice(-lines).join('\n')}`
  }

  private signal(sig: NodeJS.Signals): void {
    const s = this.spawned
    if (!s || !isOurs(s.record, s.record.argv)) throw new Error(`${this.o.label} is not running`)
    process.kill(s.record.pid, sig)
  }

  private async settle(s: Spawned): Promise<void> {
    // Our child: wait for Node to reap it so 'exit' has fired and the PID is free.
    await Promise.race([s.exited, new Promise((r) => setTimeout(r, 2000))])
    this.o.tracker?.untrack(s.record.pid)
    unguard(`proc-${s.record.pid}`)
  }
}
