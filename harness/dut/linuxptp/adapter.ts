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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { applyCurrentDataSet, applyDefaultDataSet, applyParentDataSet, portStateFromDataSet } from '../data_set_state.ts'
import { ProcessDut, type ProcessDutOptions } from '../process_dut.ts'
import { versionOnce } from '../program_version.ts'
import {
  DutError,
  type DelayMechanismName,
  type Dut,
  type DutCapabilities,
  type DutDescription,
  type DutPortState,
  type DutSetting,
  type DutStartOptions,
  type DutState,
  type SetResult,
  type TransportName,
  type BestMasterChange,
  type PortTransition,
} from '../types.ts'
import { generatePtp4lConfig, LINUXPTP_IMPLEMENTATION_SETTINGS, type Ptp4lConfig } from './config.ts'
import { checked, pmcRun, pmcSet, PmcError, type PmcTarget } from './pmc.ts'
import { toCurrentDataSet, toDefaultDataSet, toParentDataSet, toPortDataSet, type PmcReply } from './pmc_text.ts'
import { bestMasterChangesFromLog, portStatesFromLog, portTransitionsFromLog } from './log_states.ts'
import { realtimeMinusMonotonicNs } from '../../transport/clocks.ts'
import type { DutSetting as SettingValue, SettingKey } from '../settings.ts'

export const PTP4L = '/usr/sbin/ptp4l'

export interface LinuxptpDutOptions extends ProcessDutOptions {
  /** Send SET SYNCHRONIZATION_UNCERTAIN_NP 0 after start so a free-running slave reaches SLAVE (default true). */
  allowSlaveWhileFreeRunning?: boolean
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

/** ptp4l -v prints the bare version ('3.1.1'). */
export const ptp4lVersion = versionOnce(PTP4L, (printed, exitedOk) => (exitedOk ? printed.trim() : 'unknown'))

export class LinuxptpDut extends ProcessDut<LinuxptpDutOptions> implements Dut {
  private config: Ptp4lConfig | undefined

  constructor(o: LinuxptpDutOptions = {}) {
    super(o, { implementation: 'linuxptp', name: 'ptp4l', configExtension: 'cfg', version: ptp4lVersion })
  }

  get udsPath(): string {
    return this.runFile('sock')
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

    // -S software time stamping, -m log to stdout (our log file), -q not to syslog.
    await this.launch(o, [PTP4L, '-f', this.configPath, '-S', '-m', '-q'], {
      transport,
      delayMechanism,
      config: config.text,
      registration: { uds: this.udsPath, transportSpecific: config.transportSpecific, domainNumber: config.domainNumber },
    })
    if (this.isTransparent) {
      // A TC: ptp4l creates its UDS socket once the configuration is parsed and the ports are open.
      await this.waitUntilReady(() => existsSync(this.udsPath), `created no ${this.udsPath}`, 50)
      return
    }
    // Until the UDS socket answers (ptp4l creates it after parsing the config and opening ports).
    await this.waitUntilReady(() => this.answersManagement(), `did not answer on ${this.udsPath}`, 50)
    if (this.o.allowSlaveWhileFreeRunning !== false) {
      await pmcSet(this.pmcTarget, 'SYNCHRONIZATION_UNCERTAIN_NP', '0')
    }
  }

  /** A transparent clock answers no management, even on its UDS socket. */
  get isTransparent(): boolean {
    return !!this.startOptions?.role.endsWith('-tc')
  }

  private async answersManagement(): Promise<boolean> {
    try {
      const { perCommand } = await pmcRun(this.pmcTarget, ['GET DEFAULT_DATA_SET'])
      return perCommand[0]!.length > 0
    } catch {
      return false // not yet
    }
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
    if (dds.length && !dds[0]!.error) applyDefaultDataSet(state, toDefaultDataSet(dds[0]!))
    if (cds.length && !cds[0]!.error) applyCurrentDataSet(state, toCurrentDataSet(cds[0]!))
    if (pds.length && !pds[0]!.error) applyParentDataSet(state, toParentDataSet(pds[0]!))
    for (const r of ports.filter((x) => !x.error && x.managementId === 'PORT_DATA_SET')) {
      const p = toPortDataSet(r)
      const np = portsNp.find((x) => !x.error && x.sourcePortIdentity.portNumber === p.portIdentity.portNumber)
      const ps: DutPortState = portStateFromDataSet(p)
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

  /** Port state changes as ptp4l logged them, timed to its 1 ms log resolution on the timestamp clock. */
  async portTransitions(): Promise<PortTransition[]> {
    return portTransitionsFromLog(await this.logs(), realtimeMinusMonotonicNs())
  }

  /** The grandmasters ptp4l's BMCA selected, timed to its 1 ms log resolution on the timestamp clock. */
  async bestMasterChanges(): Promise<BestMasterChange[]> {
    return bestMasterChangesFromLog(await this.logs(), realtimeMinusMonotonicNs())
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

  implementationSettings(): Partial<Record<SettingKey, SettingValue>> {
    return LINUXPTP_IMPLEMENTATION_SETTINGS
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    if (!this.record) throw new DutError(`${this.label} has not been started`)
    const key = this.keepSetting(setting, value, CONFIG_KEY)
    const id = RUNTIME_SET[setting]
    if (id && this.running) {
      await pmcSet(this.pmcTarget, id, String(value))
      this.record.options = { ...this.record.options, [key]: value }
      return { setting, value, applied: 'runtime' }
    }
    await this.restart()
    return { setting, value, applied: 'restart' }
  }
}
