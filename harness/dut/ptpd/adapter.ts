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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { ProcessDut, type ProcessDutOptions } from '../process_dut.ts'
import { versionOnce } from '../program_version.ts'
import {
  DutError,
  type DelayMechanismName,
  type Dut,
  type DutDescription,
  type DutSetting,
  type DutStartOptions,
  type DutState,
  type SetResult,
  type TransportName,
} from '../types.ts'
import { generatePtpdConfig, PTPD_ROLES, PTPD_TRANSPORTS } from './config.ts'
import { parsePtpdStatus, ptpdStatusToState } from './status.ts'

export const PTPD = '/usr/sbin/ptpd'

/** startTimeoutMs: how long start() waits for the first status file. */
export type PtpdDutOptions = ProcessDutOptions

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
    const st = parsePtpdStatus(readFileSync(this.statusPath, 'utf8'))
    return ptpdStatusToState(st, Date.now(), this.record?.interfaces[0]?.ifname)
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    this.keepSetting(setting, value, CONFIG_KEY)
    await this.restart()
    return { setting, value, applied: 'restart' }
  }
}
