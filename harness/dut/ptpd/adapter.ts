/**
 * ptpd 2.3.1 as a DUT: an ordinary clock over UDPv4 or Ethernet.
 *
 *   ptpd -C -c <generated config> -i <if> --clock:no_adjust=y --clock:no_reset=y
 *        --global:lock_file=<own> --global:status_file=<own> ...
 *
 * inside the node's namespace without CAP_SYS_TIME. Command-line settings beat
 * the config file in ptpd, so the safety settings cannot be overridden by a
 * pass-through option. State comes from the status file ptpd rewrites every
 * second, completed by its per-message statistics log: the only place ptpd names
 * its grandmaster, and fresher when the master changes (status.ts). ptpd answers management GETs on the wire (ptpengine:management_enable
 * defaults to Y) but refuses SETs (management_set_enable N), so set() changes the
 * configuration and restarts.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs'
import { ProcessDut, type ProcessDutOptions } from '../process_dut.ts'
import { versionOnce } from '../program_version.ts'
import {
  DutError,
  type DelayMechanismName,
  type Dut,
  type DutDescription,
  type DutOptions,
  type DutSetting,
  type DutStartOptions,
  type DutState,
  type SetResult,
  type TransportName,
} from '../types.ts'
import { generatePtpdConfig, ptpdImplementationSettings, PTPD_ROLES, PTPD_TRANSPORTS } from './config.ts'
import type { DutSetting as SettingValue, SettingKey } from '../settings.ts'
import { lastStatistics, parsePtpdStatus, ptpdStatusToState, withStatistics, type PtpdStatus } from './status.ts'

export const PTPD = '/usr/sbin/ptpd'

/** startTimeoutMs: how long start() waits for the first status file. */
export type PtpdDutOptions = ProcessDutOptions

/** set() keeps a setting under its 1588 name; the config writer maps it to ptpd's key. */
const SETTABLE: Record<DutSetting, DutSetting> = {
  priority1: 'priority1',
  priority2: 'priority2',
  domainNumber: 'domainNumber',
  logAnnounceInterval: 'logAnnounceInterval',
  logSyncInterval: 'logSyncInterval',
  logMinDelayReqInterval: 'logMinDelayReqInterval',
  logMinPdelayReqInterval: 'logMinPdelayReqInterval',
  announceReceiptTimeout: 'announceReceiptTimeout',
}

/** ptpd -v prints 'ptpd2 version 2.3.1'; the number is what results record. */
export const ptpdVersion = versionOnce(PTPD, (printed, exitedOk) => /(\d+\.\d+\.\d+)/.exec(printed)?.[1] ?? (exitedOk ? printed.trim() : 'unknown'))

export class PtpdDut extends ProcessDut implements Dut {
  constructor(o: PtpdDutOptions = {}) {
    super(o, { implementation: 'ptpd', name: 'ptpd', configExtension: 'conf', version: ptpdVersion })
  }

  get statusPath(): string {
    return this.runFile('status')
  }
  get lockPath(): string {
    return this.runFile('lock')
  }
  implementationSettings(options?: DutOptions): Partial<Record<SettingKey, SettingValue>> {
    return ptpdImplementationSettings(options)
  }

  /** Per-message statistics: the only place ptpd names its grandmaster (see status.ts). */
  get statisticsPath(): string {
    return this.runFile('stats')
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
        settable: Object.keys(SETTABLE) as DutSetting[],
        wireManagement: true,
      },
      stateSource: 'status-file',
      notes: [
        'clock:no_adjust and clock:no_reset: the DUT never adjusts a clock',
        'no IPv6, no boundary or transparent clock in ptpd 2.3.1',
        'state is the status file, rewritten once a second; set() restarts ptpd with the new setting',
        'no master-only mode for clockClass >= 128: role master runs the masterslave preset and follows the 1588 state decision',
        'announces timescale ARB unless ptpengine:ptp_timescale=PTP is given',
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
      '--global:log_statistics=y',
      `--global:statistics_file=${this.statisticsPath}`,
      '--global:statistics_timestamp_format=unix',
      '--global:statistics_log_interval=0',
      '--global:statistics_file_truncate=y',
      // ptpd truncates the file past this size (kB), so a long run cannot fill the disk.
      '--global:statistics_file_max_size=4096',
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
    // A status or statistics file from an earlier run would be read as the new one's state.
    writeFileSync(this.statusPath, '')
    writeFileSync(this.statisticsPath, '')

    // -C: stay in the foreground, so the PID we hold is ptpd's.
    await this.launch(o, [PTPD, '-C', '-c', this.configPath, '-i', iface.ifname, ...this.safetyArgs()], {
      transport,
      delayMechanism,
      config: config.text,
      registration: { statusFile: this.statusPath },
    })
    // Ready once the status file names a port state (ptpd rewrites it once a second).
    const hasPortState = () => existsSync(this.statusPath) && !!parsePtpdStatus(readFileSync(this.statusPath, 'utf8')).portState
    await this.waitUntilReady(hasPortState, 'wrote no status', 100)
  }

  async readState(): Promise<DutState> {
    if (!existsSync(this.statusPath)) throw new DutError(`ptpd ${this.label} has no status file yet`)
    const { status, writtenAtNs } = await this.readWholeStatus()
    const state = ptpdStatusToState(status, Date.now(), this.record?.interfaces[0]?.ifname)
    return withStatistics(state, lastStatistics(this.statisticsTail()), writtenAtNs)
  }

  /**
   * ptpd rewrites the status file in place (ftruncate, then one buffered write), so a
   * read can land in between and see an empty or partial file: that is not a state.
   * Read until the file is whole and unchanged across the read.
   */
  private async readWholeStatus(): Promise<{ status: PtpdStatus; writtenAtNs: bigint }> {
    for (let attempt = 0; attempt < 25; attempt++) {
      const before = statSync(this.statusPath, { bigint: true }).mtimeNs
      const status = parsePtpdStatus(readFileSync(this.statusPath, 'utf8'))
      const after = statSync(this.statusPath, { bigint: true }).mtimeNs
      if (before === after && status.portState && status.localPort) return { status, writtenAtNs: after }
      await new Promise((r) => setTimeout(r, 2))
    }
    throw new DutError(`ptpd ${this.label}: its status file stayed incomplete for 50 ms`)
  }

  /** The last few kB of the statistics log (it grows by a line per Sync / Delay_Resp). */
  private statisticsTail(bytes = 4096): string {
    if (!existsSync(this.statisticsPath)) return ''
    const fd = openSync(this.statisticsPath, 'r')
    try {
      const size = fstatSync(fd).size
      const len = Math.min(bytes, size)
      const buf = Buffer.alloc(len)
      readSync(fd, buf, 0, len, size - len)
      return buf.toString('utf8')
    } finally {
      closeSync(fd)
    }
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    this.keepSetting(setting, value, SETTABLE)
    await this.restart()
    return { setting, value, applied: 'restart' }
  }
}
