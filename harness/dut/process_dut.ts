/**
 * What every DUT we start ourselves (ptp4l, ptpd) shares: one program run in
 * a lab namespace through ManagedProcess, its files named after the DUT's
 * label in a run directory, the start options kept so restart() and set()
 * can start it again the same way, and the settings record for the results.
 *
 * Each adapter adds only what differs: how its configuration is generated,
 * which command line starts it, when it counts as ready, and where its state
 * is read from.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DutRecord } from '../lab/state.ts'
import type { ProcessTracker } from '../lab/spawn.ts'
import { ManagedProcess } from './managed_process.ts'
import { DutError, type DutExit, type DelayMechanismName, type DutSetting, type DutSettingsRecord, type DutStartOptions, type TransportName } from './types.ts'

export interface ProcessDutOptions {
  /** Where the process is recorded (a Lab). */
  tracker?: ProcessTracker
  /** Unique per lab; names the config, socket, status and log files. Default: the program's name. */
  label?: string
  /** Lab node the DUT runs on (for the record). */
  node?: string
  /** Directory for the DUT's files; default the tracker's run dir, else a new temp dir. */
  runDir?: string
  /** How long start() waits for the program to be ready (default 5000 ms). */
  startTimeoutMs?: number
}

/** The program an adapter runs. */
export interface DutProgram {
  /** DutDescription.implementation, e.g. 'linuxptp'. */
  implementation: string
  /** Short name, e.g. 'ptp4l': the default label, the tag in file names, and how messages name it. */
  name: string
  /** Extension of the generated configuration file, e.g. 'cfg'. */
  configExtension: string
  version(): string
}

/** What launch() records about a start beyond the start options themselves. */
export interface LaunchRecord {
  transport: TransportName
  delayMechanism: DelayMechanismName
  /** The configuration text the program was given. */
  config: string
  /** Adapter-specific ways in for `lab status` (UDS socket, status file). */
  registration: Pick<DutRecord, 'uds' | 'transportSpecific' | 'domainNumber' | 'statusFile'>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A subclass completes the Dut interface with describe(), start(), readState() and set(). */
export abstract class ProcessDut<O extends ProcessDutOptions = ProcessDutOptions> {
  readonly label: string
  protected readonly runDir: string
  protected proc: ManagedProcess | undefined
  protected startOptions: DutStartOptions | undefined
  protected record: DutSettingsRecord | undefined

  constructor(
    protected readonly o: O,
    protected readonly program: DutProgram,
  ) {
    this.label = o.label ?? program.name
    // The label becomes part of file names in the run directory.
    if (!/^[A-Za-z0-9_.-]+$/.test(this.label)) throw new DutError(`label '${this.label}' must be a plain file name`)
    this.runDir = o.runDir ?? o.tracker?.runDir ?? mkdtempSync(join(tmpdir(), 'ptp-conform-dut-'))
  }

  abstract start(o: DutStartOptions): Promise<void>

  get configPath(): string {
    return this.runFile(this.program.configExtension)
  }
  get logPath(): string {
    return this.runFile('log')
  }
  get pid(): number | undefined {
    return this.proc?.pid
  }
  get running(): boolean {
    return !!this.proc?.running
  }
  /** The program's exit that the harness did not ask for, with the end of its log: a DUT fault. */
  unexpectedExit(): DutExit | undefined {
    const e = this.proc?.unexpectedExit
    return e && { ...e, program: this.program.name, logTail: this.proc!.logTail(10) }
  }

  /** `<runDir>/<label>.<program>.<ext>`: unique per lab because labels are. */
  protected runFile(ext: string): string {
    return join(this.runDir, `${this.label}.${this.program.name}.${ext}`)
  }

  /**
   * Starts `argv` in the namespace of the first interface, then records what
   * runs (for the results) and registers it with the lab (for `lab status`).
   */
  protected async launch(o: DutStartOptions, argv: string[], run: LaunchRecord): Promise<void> {
    this.startOptions = o
    const netns = o.interfaces[0]?.netns
    const node = this.o.node ?? netns ?? 'local'
    const proc = new ManagedProcess({ label: this.label, node, netns, program: argv, logPath: this.logPath, tracker: this.o.tracker })
    this.proc = proc
    await proc.start()
    this.record = {
      implementation: this.program.implementation,
      version: this.program.version(),
      role: o.role,
      transport: run.transport,
      delayMechanism: run.delayMechanism,
      interfaces: o.interfaces.map((i) => ({ ...i })),
      options: { ...(o.options ?? {}) },
      argv: proc.argv,
      config: run.config,
    }
    this.o.tracker?.registerDut({
      label: this.label,
      implementation: this.program.implementation,
      node,
      interfaces: o.interfaces.map((i) => i.ifname),
      pid: proc.pid!,
      ...run.registration,
      config: this.configPath,
      log: this.logPath,
    })
  }

  /**
   * Polls `ready` every `pollMs` until it holds. The program's own readiness
   * counts, not a fixed delay; a program that exits meanwhile fails at once
   * with its log, one that never gets ready fails with `notReady`.
   */
  protected async waitUntilReady(ready: () => boolean | Promise<boolean>, notReady: string, pollMs: number): Promise<void> {
    const timeoutMs = this.o.startTimeoutMs ?? 5000
    const deadline = Date.now() + timeoutMs
    const who = `${this.program.name} ${this.label}`
    for (;;) {
      if (!this.proc?.running) throw new DutError(`${who} exited during start (${JSON.stringify(this.proc?.exit ?? {})})\n${this.proc?.logTail(20) ?? ''}`)
      if (await ready()) return
      if (Date.now() > deadline) throw new DutError(`${who} ${notReady} within ${timeoutMs} ms\n${this.proc.logTail(20)}`)
      await sleep(pollMs)
    }
  }

  /**
   * Checks a set() request and keeps the setting as a start option, so the
   * next (re)start applies it and the results show it. Returns the
   * implementation's name for the setting.
   */
  protected keepSetting(setting: DutSetting, value: number, configKey: Record<DutSetting, string>): string {
    if (!this.startOptions) throw new DutError(`${this.label} has not been started`)
    if (!Number.isInteger(value)) throw new DutError(`${setting} must be an integer, not ${value}`)
    const key = configKey[setting]
    if (!key) throw new DutError(`${this.program.name} has no setting '${setting}'`)
    this.startOptions = { ...this.startOptions, options: { ...(this.startOptions.options ?? {}), [key]: value } }
    return key
  }

  async stop(): Promise<void> {
    await this.proc?.stop()
    this.o.tracker?.unregisterDut(this.label)
  }

  async restart(): Promise<void> {
    if (!this.startOptions) throw new DutError(`${this.label} was never started`)
    const o = this.startOptions
    await this.stop()
    await this.start(o)
  }

  async kill(): Promise<void> {
    await this.proc?.kill()
  }

  /** SIGSTOP: the program freezes with its datasets as they are (no messages, no timeouts). */
  suspend(): void {
    this.requireProc().suspend()
  }
  resume(): void {
    this.requireProc().resume()
  }

  async logs(): Promise<string> {
    return this.proc?.logs() ?? ''
  }

  settings(): DutSettingsRecord | undefined {
    return this.record ? { ...this.record, options: { ...this.record.options } } : undefined
  }

  private requireProc(): ManagedProcess {
    if (!this.proc?.running) throw new DutError(`${this.label} is not running`)
    return this.proc
  }
}
