/**
 * ptpd 2.3.1 as a DUT: an ordinary clock over UDPv4 or Ethernet.
 *
 *   ptpd -C -c <generated config> -i <if> --clock:no_adjust=y --clock:no_reset=y
 *        --global:lock_file=<own> --global:status_file=<own> ...
 *
 * inside the node's namespace without CAP_SYS_TIME. Command-line settings beat
 * the config file in ptpd, so the safety settings cannot be overridden by a
 * pass-through option. State comes from the status file ptpd rewrites every
 * second; ptpd's management is off by default, so nothing is set at run time:
 * set() changes the config and restarts.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProcessTracker } from '../../lab/spawn.ts'
import { ManagedProcess } from '../managed_process.ts'
import {
  DutError,
  type DelayMechanismName,
  type Dut,
  type DutDescription,
  type DutSetting,
  type DutSettingsRecord,
  type DutStartOptions,
  type DutState,
  type SetResult,
  type TransportName,
} from '../types.ts'
import { generatePtpdConfig, PTPD_ROLES, PTPD_TRANSPORTS } from './config.ts'
import { parsePtpdStatus, ptpdStatusToState } from './status.ts'

export const PTPD = '/usr/sbin/ptpd'

export interface PtpdDutOptions {
  tracker?: ProcessTracker
  label?: string
  node?: string
  runDir?: string
  /** How long start() waits for the first status file. */
  startTimeoutMs?: number
}

const CONFIG_KEY: Record<DutSetting, string> = {
  priority1: 'ptpengine:priority1',
  priority2: 'ptpengine:priority2',
  domainNumber: 'ptpengine:domain',
  logAnnounceInterval: 'ptpengine:log_announce_interval',
  logSyncInterval: 'ptpengine:log_sync_interval',
  logMinDelayReqInterval: 'ptpengine:log_delayreq_interval',
  logMinPdelayReqInterval: 'ptpengine:log_peer_delayreq_interval',
  announceReceiptTimeout: 'ptpengine:announce_receipt_timeout',
}

let cachedVersion: string | undefined
export function ptpdVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const out = execFileSync(PTPD, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      cachedVersion = /(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? out.trim()
    } catch (e) {
      const out = String((e as { stdout?: string; stderr?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '')
      cachedVersion = /(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? 'unknown'
    }
  }
  return cachedVersion
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class PtpdDut implements Dut {
  readonly label: string
  private readonly runDir: string
  private proc: ManagedProcess | undefined
  private startOptions: DutStartOptions | undefined
  private record: DutSettingsRecord | undefined

  constructor(private readonly o: PtpdDutOptions = {}) {
    this.label = o.label ?? 'ptpd'
    if (!/^[A-Za-z0-9_.-]+$/.test(this.label)) throw new DutError(`label '${this.label}' must be a plain file name`)
    this.runDir = o.runDir ?? o.tracker?.runDir ?? mkdtempSync(join(tmpdir(), 'ptp-conform-dut-'))
  }

  get configPath(): string {
    return join(this.runDir, `${this.label}.ptpd.conf`)
  }
  get statusPath(): string {
    return join(this.runDir, `${this.label}.ptpd.status`)
  }
  get lockPath(): string {
    return join(this.runDir, `${this.label}.ptpd.lock`)
  }
  get logPath(): string {
    return join(this.runDir, `${this.label}.ptpd.log`)
  }
  get pid(): number | undefined {
    return this.proc?.pid
  }
  get running(): boolean {
    return !!this.proc?.running
  }

  async describe(): Promise<DutDescription> {
    return {
      implementation: 'ptpd',
      version: ptpdVersion(),
      capabilities: {
        roles: [...PTPD_ROLES],
        transports: [...PTPD_TRANSPORTS],
        delayMechanisms: ['E2E', 'P2P'],
        oneStep: false,
        twoStep: true,
        settable: Object.keys(CONFIG_KEY) as DutSetting[],
        wireManagement: false,
      },
      stateSource: 'status-file',
      notes: [
        'clock:no_adjust and clock:no_reset: the DUT never adjusts a clock',
        'no IPv6, no boundary or transparent clock in ptpd 2.3.1',
        'state is the status file, rewritten once a second; set() restarts ptpd with the new setting',
      ],
    }
  }

  /** The command-line settings that keep ptpd harmless and under our control (they beat the config file). */
  private safetyArgs(): string[] {
    return [
      '--clock:no_adjust=y',
      '--clock:no_reset=y',
      `--global:lock_file=${this.lockPath}`,
      `--global:status_file=${this.statusPath}`,
      '--global:log_status=y',
      '--global:status_update_interval=1',
      '--global:use_syslog=n',
      '--global:log_statistics=n',
      '--global:foreground=y',
    ]
  }

  async start(o: DutStartOptions): Promise<void> {
    if (this.running) throw new DutError(`${this.label} is already running`)
    if (o.interfaces.length !== 1) throw new DutError(`ptpd runs on exactly one interface, got ${o.interfaces.length}`)
    const iface = o.interfaces[0]!
    const transport: TransportName = o.transport ?? o.profile.transport.default
    const delayMechanism: DelayMechanismName = o.delayMechanism ?? o.profile.delayMechanism.default
    let config
    try {
      config = generatePtpdConfig({ profile: o.profile, role: o.role, transport, delayMechanism, ifname: iface.ifname, options: o.options })
    } catch (e) {
      throw new DutError((e as Error).message)
    }
    mkdirSync(this.runDir, { recursive: true })
    writeFileSync(this.configPath, config.text)
    // A status file from an earlier run would be read as the new one's state.
    writeFileSync(this.statusPath, '')
    this.startOptions = o

    // -C: stay in the foreground, so the PID we hold is ptpd's.
    const program = [PTPD, '-C', '-c', this.configPath, '-i', iface.ifname, ...this.safetyArgs()]
    const proc = new ManagedProcess({ label: this.label, node: this.o.node ?? iface.netns ?? 'local', netns: iface.netns, program, logPath: this.logPath, tracker: this.o.tracker })
    this.proc = proc
    await proc.start()
    this.record = {
      implementation: 'ptpd',
      version: ptpdVersion(),
      role: o.role,
      transport,
      delayMechanism,
      interfaces: [{ ...iface }],
      options: { ...(o.options ?? {}) },
      argv: proc.argv,
      config: config.text,
    }
    this.o.tracker?.registerDut({
      label: this.label,
      implementation: 'ptpd',
      node: this.o.node ?? iface.netns ?? 'local',
      interfaces: [iface.ifname],
      pid: proc.pid!,
      statusFile: this.statusPath,
      config: this.configPath,
      log: this.logPath,
    })
    await this.waitForStatus(this.o.startTimeoutMs ?? 5000)
  }

  private async waitForStatus(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (!this.proc?.running) throw new DutError(`ptpd ${this.label} exited during start (${JSON.stringify(this.proc?.exit ?? {})})\n${this.proc?.logTail(20) ?? ''}`)
      if (existsSync(this.statusPath) && parsePtpdStatus(readFileSync(this.statusPath, 'utf8')).portState) return
      if (Date.now() > deadline) throw new DutError(`ptpd ${this.label} wrote no status within ${timeoutMs} ms\n${this.proc.logTail(20)}`)
      await sleep(100)
    }
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

  suspend(): void {
    if (!this.proc?.running) throw new DutError(`${this.label} is not running`)
    this.proc.suspend()
  }
  resume(): void {
    if (!this.proc) throw new DutError(`${this.label} was never started`)
    this.proc.resume()
  }

  async readState(): Promise<DutState> {
    if (!existsSync(this.statusPath)) throw new DutError(`ptpd ${this.label} has no status file yet`)
    const st = parsePtpdStatus(readFileSync(this.statusPath, 'utf8'))
    return ptpdStatusToState(st, Date.now(), this.record?.interfaces[0]?.ifname)
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    if (!this.startOptions) throw new DutError(`${this.label} has not been started`)
    if (!Number.isInteger(value)) throw new DutError(`${setting} must be an integer, not ${value}`)
    const key = CONFIG_KEY[setting]
    if (!key) throw new DutError(`ptpd has no setting '${setting}'`)
    this.startOptions = { ...this.startOptions, options: { ...(this.startOptions.options ?? {}), [key]: value } }
    await this.restart()
    return { setting, value, applied: 'restart' }
  }

  async logs(): Promise<string> {
    return this.proc?.logs() ?? ''
  }

  settings(): DutSettingsRecord | undefined {
    return this.record ? { ...this.record, options: { ...this.record.options } } : undefined
  }
}
