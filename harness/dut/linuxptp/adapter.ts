/**
 * linuxptp's ptp4l as a DUT.
 *
 * Started as `ptp4l -f <generated config> -S -m -q` inside the node's
 * namespace without CAP_SYS_TIME; configuration from the profile (config.ts)
 * with `free_running 1`; control and state over its own UDS socket with pmc.
 *
 * A free-running slave never calls its servo locked, so ptp4l would stay
 * UNCALIBRATED forever; `SET SYNCHRONIZATION_UNCERTAIN_NP 0` tells it the
 * local time is not in doubt and it moves to SLAVE at the next Sync, without
 * touching any clock.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProcessTracker } from '../../lab/spawn.ts'
import { ManagedProcess } from '../managed_process.ts'
import {
  DutError,
  portStateName,
  type DelayMechanismName,
  type Dut,
  type DutCapabilities,
  type DutDescription,
  type DutPortState,
  type DutSetting,
  type DutSettingsRecord,
  type DutStartOptions,
  type DutState,
  type SetResult,
  type TransportName,
} from '../types.ts'
import { generatePtp4lConfig, type Ptp4lConfig } from './config.ts'
import { checked, pmcRun, pmcSet, PmcError, type PmcTarget } from './pmc.ts'
import { toCurrentDataSet, toDefaultDataSet, toParentDataSet, toPortDataSet, type PmcReply } from './pmc_text.ts'
import { portStatesFromLog } from './log_states.ts'
import { existsSync } from 'node:fs'

export const PTP4L = '/usr/sbin/ptp4l'

export interface LinuxptpDutOptions {
  /** Where the process is recorded (a Lab). */
  tracker?: ProcessTracker
  /** Unique per lab; names the config, socket and log files. Default 'ptp4l'. */
  label?: string
  /** Lab node the DUT runs on (for the record). */
  node?: string
  /** Directory for config, socket and log; default the tracker's run dir, else a new temp dir. */
  runDir?: string
  /** Send SET SYNCHRONIZATION_UNCERTAIN_NP 0 after start so a free-running slave reaches SLAVE (default true). */
  allowSlaveWhileFreeRunning?: boolean
  /** How long start() waits for the UDS socket to answer. */
  startTimeoutMs?: number
}

/** Settings ptp4l 3.1.1 accepts as a management SET at run time; the others need a restart. */
const RUNTIME_SET: Partial<Record<DutSetting, string>> = { priority1: 'PRIORITY1', priority2: 'PRIORITY2' }
const CONFIG_KEY: Record<DutSetting, string> = {
  priority1: 'priority1',
  priority2: 'priority2',
  domainNumber: 'domainNumber',
  logAnnounceInterval: 'logAnnounceInterval',
  logSyncInterval: 'logSyncInterval',
  logMinDelayReqInterval: 'logMinDelayReqInterval',
  logMinPdelayReqInterval: 'logMinPdelayReqInterval',
  announceReceiptTimeout: 'announceReceiptTimeout',
}

const DELAY_MECHANISM_CODE: Record<number, DutPortState['delayMechanism']> = { 1: 'E2E', 2: 'P2P', 3: 'COMMON_P2P', 0xfe: 'DISABLED' }

let cachedVersion: string | undefined
export function ptp4lVersion(): string {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = execFileSync(PTP4L, ['-v'], { encoding: 'utf8' }).trim()
    } catch {
      cachedVersion = 'unknown'
    }
  }
  return cachedVersion
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class LinuxptpDut implements Dut {
  readonly label: string
  private readonly runDir: string
  private proc: ManagedProcess | undefined
  private startOptions: DutStartOptions | undefined
  private config: Ptp4lConfig | undefined
  private record: DutSettingsRecord | undefined

  constructor(private readonly o: LinuxptpDutOptions = {}) {
    this.label = o.label ?? 'ptp4l'
    if (!/^[A-Za-z0-9_.-]+$/.test(this.label)) throw new DutError(`label '${this.label}' must be a plain file name`)
    this.runDir = o.runDir ?? o.tracker?.runDir ?? mkdtempSync(join(tmpdir(), 'ptp-conform-dut-'))
  }

  get udsPath(): string {
    return join(this.runDir, `${this.label}.ptp4l.sock`)
  }
  get configPath(): string {
    return join(this.runDir, `${this.label}.ptp4l.cfg`)
  }
  get logPath(): string {
    return join(this.runDir, `${this.label}.ptp4l.log`)
  }
  get pid(): number | undefined {
    return this.proc?.pid
  }
  get running(): boolean {
    return !!this.proc?.running
  }

  /** What pmc needs to reach this ptp4l. */
  get pmcTarget(): PmcTarget {
    if (!this.config) throw new DutError(`${this.label} has not been started`)
    return { uds: this.udsPath, domainNumber: this.config.domainNumber, transportSpecific: this.config.transportSpecific }
  }

  async describe(): Promise<DutDescription> {
    const capabilities: DutCapabilities = {
      roles: ['master', 'slave', 'auto', 'boundary', 'e2e-tc', 'p2p-tc'],
      transports: ['l2', 'udp4', 'udp6'],
      delayMechanisms: ['E2E', 'P2P'],
      // One-step needs hardware time stamping; veth has software only.
      oneStep: false,
      twoStep: true,
      settable: Object.keys(CONFIG_KEY) as DutSetting[],
      wireManagement: true,
    }
    return {
      implementation: 'linuxptp',
      version: ptp4lVersion(),
      capabilities,
      stateSource: this.isTransparent ? 'log' : 'management-uds',
      notes: [
        'software time stamping (-S), free_running 1: the DUT never adjusts a clock',
        'a transparent clock (clock_type E2E_TC/P2P_TC) answers no management, not even on UDS: its port states come from its log',
        'priority1/priority2 are set at run time over UDS; other settings regenerate the config and restart ptp4l',
      ],
    }
  }

  async start(o: DutStartOptions): Promise<void> {
    if (this.running) throw new DutError(`${this.label} is already running`)
    if (o.interfaces.length === 0) throw new DutError('ptp4l needs at least one interface')
    const netns = o.interfaces[0]!.netns
    if (o.interfaces.some((i) => i.netns !== netns)) throw new DutError('all interfaces of one ptp4l must be in the same namespace')
    const transport: TransportName = o.transport ?? o.profile.transport.default
    const delayMechanism: DelayMechanismName =
      o.delayMechanism ?? (o.role === 'p2p-tc' ? 'P2P' : o.role === 'e2e-tc' ? 'E2E' : o.profile.delayMechanism.default)

    const config = generatePtp4lConfig({
      profile: o.profile,
      role: o.role,
      transport,
      delayMechanism,
      interfaces: o.interfaces.map((i) => i.ifname),
      udsAddress: this.udsPath,
      options: o.options,
      unicastMasters: o.unicastMasters,
      messageTag: this.label,
    })
    mkdirSync(this.runDir, { recursive: true })
    writeFileSync(this.configPath, config.text)
    this.config = config
    this.startOptions = o

    // -S software time stamping, -m log to stdout (our log file), -q not to syslog.
    const program = [PTP4L, '-f', this.configPath, '-S', '-m', '-q']
    const proc = new ManagedProcess({ label: this.label, node: this.o.node ?? netns ?? 'local', netns, program, logPath: this.logPath, tracker: this.o.tracker })
    this.proc = proc
    await proc.start()
    this.record = {
      implementation: 'linuxptp',
      version: ptp4lVersion(),
      role: o.role,
      transport,
      delayMechanism,
      interfaces: o.interfaces.map((i) => ({ ...i })),
      options: { ...(o.options ?? {}) },
      argv: proc.argv,
      config: config.text,
    }
    this.o.tracker?.registerDut({
      label: this.label,
      implementation: 'linuxptp',
      node: this.o.node ?? netns ?? 'local',
      interfaces: o.interfaces.map((i) => i.ifname),
      pid: proc.pid!,
      uds: this.udsPath,
      transportSpecific: config.transportSpecific,
      domainNumber: config.domainNumber,
      config: this.configPath,
      log: this.logPath,
    })
    if (this.isTransparent) {
      await this.waitForSocket(this.o.startTimeoutMs ?? 5000)
      return
    }
    await this.waitForManagement(this.o.startTimeoutMs ?? 5000)
    if (this.o.allowSlaveWhileFreeRunning !== false) {
      await pmcSet(this.pmcTarget, 'SYNCHRONIZATION_UNCERTAIN_NP', '0')
    }
  }

  /** A transparent clock answers no management, even on its UDS socket. */
  get isTransparent(): boolean {
    return !!this.startOptions?.role.endsWith('-tc')
  }

  /** For a TC: ptp4l creates its UDS socket once the configuration is parsed and the ports are open. */
  private async waitForSocket(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!existsSync(this.udsPath)) {
      if (!this.proc?.running) throw new DutError(`ptp4l ${this.label} exited during start (${JSON.stringify(this.proc?.exit ?? {})})\n${this.proc?.logTail(20) ?? ''}`)
      if (Date.now() > deadline) throw new DutError(`ptp4l ${this.label} created no ${this.udsPath} within ${timeoutMs} ms\n${this.proc.logTail(20)}`)
      await sleep(50)
    }
  }

  /** Until the UDS socket answers (ptp4l creates it after parsing the config and opening ports). */
  private async waitForManagement(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (!this.proc?.running) {
        throw new DutError(`ptp4l ${this.label} exited during start (${JSON.stringify(this.proc?.exit ?? {})})\n${this.proc?.logTail(20) ?? ''}`)
      }
      try {
        const { perCommand } = await pmcRun(this.pmcTarget, ['GET DEFAULT_DATA_SET'])
        if (perCommand[0]!.length) return
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new DutError(`ptp4l ${this.label} did not answer on ${this.udsPath} within ${timeoutMs} ms\n${this.proc.logTail(20)}`)
      await sleep(50)
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

  /** SIGSTOP: ptp4l freezes with its datasets as they are (no messages, no timeouts). */
  suspend(): void {
    this.requireProc().suspend()
  }
  resume(): void {
    this.requireProc().resume()
  }

  async readState(): Promise<DutState> {
    if (this.isTransparent) return this.readStateFromLog()
    const t = this.pmcTarget
    const cmds = ['GET DEFAULT_DATA_SET', 'GET CURRENT_DATA_SET', 'GET PARENT_DATA_SET', 'GET PORT_DATA_SET', 'GET PORT_DATA_SET_NP']
    const { perCommand } = await pmcRun(t, cmds)
    const [dds, cds, pds, ports, portsNp] = perCommand as [PmcReply[], PmcReply[], PmcReply[], PmcReply[], PmcReply[]]
    const state: DutState = { source: 'management-uds', readAt: Date.now(), ports: [] }
    const ifnames = this.record?.interfaces.map((i) => i.ifname) ?? []

    // A transparent clock answers only some GETs; what is missing stays undefined.
    if (dds.length && !dds[0]!.error) {
      const d = toDefaultDataSet(dds[0]!)
      Object.assign(state, {
        clockIdentity: d.clockIdentity,
        domainNumber: d.domainNumber,
        priority1: d.priority1,
        priority2: d.priority2,
        clockQuality: d.clockQuality,
        slaveOnly: (d.flags & 2) !== 0,
      })
    }
    if (cds.length && !cds[0]!.error) {
      const c = toCurrentDataSet(cds[0]!)
      state.stepsRemoved = c.stepsRemoved
      state.offsetFromMasterNs = c.offsetFromMaster / 65536n
      state.meanPathDelayNs = c.meanPathDelay / 65536n
    }
    if (pds.length && !pds[0]!.error) {
      const p = toParentDataSet(pds[0]!)
      Object.assign(state, {
        parentPortIdentity: p.parentPortIdentity,
        grandmasterIdentity: p.grandmasterIdentity,
        grandmasterPriority1: p.grandmasterPriority1,
        grandmasterPriority2: p.grandmasterPriority2,
        grandmasterClockQuality: p.grandmasterClockQuality,
      })
    }
    for (const r of ports.filter((x) => !x.error && x.managementId === 'PORT_DATA_SET')) {
      const p = toPortDataSet(r)
      const np = portsNp.find((x) => !x.error && x.sourcePortIdentity.portNumber === p.portIdentity.portNumber)
      const ps: DutPortState = {
        portNumber: p.portIdentity.portNumber,
        portIdentity: p.portIdentity,
        portState: portStateName(p.portState) ?? 'FAULTY',
        delayMechanism: DELAY_MECHANISM_CODE[p.delayMechanism],
        peerMeanPathDelayNs: p.peerMeanPathDelay >> 16n,
        logAnnounceInterval: p.logAnnounceInterval,
        logSyncInterval: p.logSyncInterval,
        logMinDelayReqInterval: p.logMinDelayReqInterval,
        logMinPdelayReqInterval: p.logMinPdelayReqInterval,
        announceReceiptTimeout: p.announceReceiptTimeout,
      }
      const ifname = ifnames[p.portIdentity.portNumber - 1]
      if (ifname) ps.ifname = ifname
      if (np?.fields.asCapable !== undefined) ps.asCapable = np.fields.asCapable === '1'
      state.ports.push(ps)
    }
    state.ports.sort((a, b) => a.portNumber - b.portNumber)
    if (state.ports.length === 0 && !state.clockIdentity) {
      throw new PmcError(`ptp4l ${this.label} answered none of ${cmds.join(', ')}`)
    }
    return state
  }

  private async readStateFromLog(): Promise<DutState> {
    const states = portStatesFromLog(await this.logs())
    const ifnames = this.record?.interfaces.map((i) => i.ifname) ?? []
    const ports = [...states].sort(([a], [b]) => a - b).map(([portNumber, portState]) => ({ portNumber, portState, ...(ifnames[portNumber - 1] ? { ifname: ifnames[portNumber - 1]! } : {}) }))
    return { source: 'log', readAt: Date.now(), ports }
  }

  /** Raw pmc GET over the UDS socket (e.g. for comparisons with the wire client). */
  async pmcGet(managementId: string): Promise<PmcReply[]> {
    const cmd = `GET ${managementId}`
    const { perCommand } = await pmcRun(this.pmcTarget, [cmd])
    return checked(perCommand[0]!, cmd, this.pmcTarget)
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    if (!this.startOptions || !this.record) throw new DutError(`${this.label} has not been started`)
    if (!Number.isInteger(value)) throw new DutError(`${setting} must be an integer, not ${value}`)
    const key = CONFIG_KEY[setting]
    if (!key) throw new DutError(`ptp4l has no setting '${setting}'`)
    // Remembered as an option so a restart keeps it and the results show it.
    this.startOptions = { ...this.startOptions, options: { ...(this.startOptions.options ?? {}), [key]: value } }
    const id = RUNTIME_SET[setting]
    if (id && this.running) {
      await pmcSet(this.pmcTarget, id, String(value))
      this.record.options = { ...this.record.options, [key]: value }
      return { setting, value, applied: 'runtime' }
    }
    await this.restart()
    return { setting, value, applied: 'restart' }
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
