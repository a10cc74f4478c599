/**
 * A real device we do not start, described by a DUT file.
 *
 * start/stop/restart/kill/set run the file's shell hooks when it has them
 * (e.g. `ssh admin@gm reboot`); without a hook the action is refused with a
 * DutError that says so, except start/stop, which are then no-ops (the device
 * runs on its own). State comes from on-the-wire management GETs when the file
 * says the device answers them, otherwise from passive observation only (a
 * suite watching the device's traffic); describe() says which.
 *
 * Hooks run with `/bin/sh -c` on this machine, with the request in the
 * environment (PTP_CONFORM_ROLE, _PROFILE, _TRANSPORT, _DELAY_MECHANISM,
 * _INTERFACE, _SETTING, _VALUE) and a time limit.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { ManagementClient, type ManagementResult } from '../../management/client.ts'
import { normalizeClockIdentity } from '../../codec/clock_identity.ts'
import { applyCurrentDataSet, applyDefaultDataSet, applyParentDataSet, portStateFromDataSet } from '../data_set_state.ts'
import {
  DutError,
  type Dut,
  type DutDescription,
  type DutSetting,
  type DutSettingsRecord,
  type DutStartOptions,
  type DutState,
  type SetResult,
} from '../types.ts'
import { loadDutFile, type DutFile, type HookName } from './dut_file.ts'

/** What a suite that watches the wire can hand the adapter, when the device answers no management. */
export type PassiveObserver = () => DutState | undefined

export interface RemoteDutOptions {
  /** A loaded DUT file, or its path. */
  dut: DutFile | string
  /** Passive state source (e.g. the recorder's view of the device's Announce/Sync). */
  observer?: PassiveObserver
}

export class RemoteDut implements Dut {
  readonly file: DutFile
  private readonly fileText: string
  private log = ''
  private record: DutSettingsRecord | undefined
  private startOptions: DutStartOptions | undefined
  private observer: PassiveObserver | undefined
  /**
   * How the device must be addressed, learnt at its first answer: 'clock' (its clockIdentity,
   * all ports: 1588-2019 15.3.1) or 'wildcard' (ptpd 2.3.1 accepts only its exact port or the
   * all-ones wildcard, src/protocol.c acceptPortIdentity).
   */
  private addressing: 'clock' | 'wildcard' | undefined

  constructor(o: RemoteDutOptions) {
    this.file = typeof o.dut === 'string' ? loadDutFile(o.dut) : o.dut
    this.fileText = this.file.file ? safeRead(this.file.file) : JSON.stringify(this.file, null, 2)
    this.observer = o.observer
  }

  /** Attach or replace the passive state source. */
  observe(observer: PassiveObserver | undefined): void {
    this.observer = observer
  }

  get managementEnabled(): boolean {
    return this.file.management?.enabled === true
  }

  async describe(): Promise<DutDescription> {
    const f = this.file
    const settable: DutSetting[] = f.hooks?.configure
      ? ['priority1', 'priority2', 'domainNumber', 'logAnnounceInterval', 'logSyncInterval', 'logMinDelayReqInterval', 'logMinPdelayReqInterval', 'announceReceiptTimeout']
      : []
    const notes = [...(f.notes ?? [])]
    notes.push(this.managementEnabled ? `state from management GETs over ${this.mgmtTransport()} on ${f.interface}` : 'state from passive observation only: the device is not asked anything')
    for (const h of ['restart', 'kill', 'configure'] as HookName[]) if (!f.hooks?.[h]) notes.push(`no ${h} hook: ${h === 'configure' ? 'settings cannot be changed' : `${h}() is refused`}`)
    return {
      implementation: [f.vendor, f.model].filter(Boolean).join(' ') || f.name,
      version: f.firmware ?? 'unknown',
      capabilities: {
        roles: [...f.capabilities.roles],
        transports: [...f.capabilities.transports],
        delayMechanisms: [...f.capabilities.delayMechanisms],
        oneStep: f.capabilities.oneStep,
        twoStep: f.capabilities.twoStep,
        settable,
        wireManagement: this.managementEnabled,
      },
      stateSource: this.managementEnabled ? 'management-wire' : 'passive',
      notes,
    }
  }

  async start(o: DutStartOptions): Promise<void> {
    const caps = this.file.capabilities
    if (!canActAs(caps.roles, o.role)) throw new DutError(`${this.file.name} cannot act as ${o.role} (its DUT file lists ${caps.roles.join(', ')})`)
    const transport = o.transport ?? o.profile.transport.default
    if (!caps.transports.includes(transport)) throw new DutError(`${this.file.name} does not speak ${transport} (its DUT file lists ${caps.transports.join(', ')})`)
    const delayMechanism = o.delayMechanism ?? o.profile.delayMechanism.default
    this.startOptions = o
    this.record = {
      implementation: (await this.describe()).implementation,
      version: this.file.firmware ?? 'unknown',
      role: o.role,
      transport,
      delayMechanism,
      interfaces: o.interfaces.length ? o.interfaces.map((i) => ({ ...i })) : [{ ifname: this.file.interface, ...(this.file.netns ? { netns: this.file.netns } : {}) }],
      options: { ...(o.options ?? {}) },
      argv: this.file.hooks?.start ? ['/bin/sh', '-c', this.file.hooks.start] : [],
      config: this.fileText,
    }
    if (this.file.hooks?.start) await this.hook('start', this.env(o))
  }

  async stop(): Promise<void> {
    if (this.file.hooks?.stop) await this.hook('stop', this.env(this.startOptions))
  }

  async restart(): Promise<void> {
    if (!this.file.hooks?.restart) throw new DutError(`${this.file.name}: the DUT file has no restart hook`)
    await this.hook('restart', this.env(this.startOptions))
  }

  async kill(): Promise<void> {
    if (!this.file.hooks?.kill) throw new DutError(`${this.file.name}: the DUT file has no kill hook (e.g. a power switch)`)
    await this.hook('kill', this.env(this.startOptions))
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    if (!this.file.hooks?.configure) throw new DutError(`${this.file.name}: the DUT file has no configure hook, ${setting} cannot be changed`)
    await this.hook('configure', { ...this.env(this.startOptions), PTP_CONFORM_SETTING: setting, PTP_CONFORM_VALUE: String(value) })
    if (this.record) this.record.options = { ...this.record.options, [setting]: value }
    return { setting, value, applied: 'hook' }
  }

  async readState(): Promise<DutState> {
    if (!this.managementEnabled) {
      const s = this.observer?.()
      if (!s) throw new DutError(`${this.file.name}: passive observation only, and nothing has been observed yet`)
      return s
    }
    return this.readByManagement()
  }

  async logs(): Promise<string> {
    return this.log
  }

  settings(): DutSettingsRecord | undefined {
    return this.record ? { ...this.record, options: { ...this.record.options } } : undefined
  }

  // ---------------------------------------------------------------- internals

  private mgmtTransport() {
    return this.file.management?.transport ?? this.file.capabilities.transports[0]!
  }

  private async readByManagement(): Promise<DutState> {
    const m = this.file.management!
    const client = ManagementClient.open({
      interface: this.file.interface,
      ...(this.file.netns ? { netns: this.file.netns } : {}),
      transport: this.mgmtTransport(),
      domainNumber: this.file.domainNumber ?? this.startOptions?.profile.domain.default.value ?? 0,
      transportSpecific: m.transportSpecific ?? this.startOptions?.profile.sdo.majorSdoId.value ?? 0,
      timeoutMs: m.timeoutMs ?? 500,
      // Shares 319/320 with the harness's emulated clocks on the same interface.
      reuseAddress: true,
    })
    try {
      // Return at the device's answer instead of waiting out the response window: a state read must
      // be quick for the timing tests that poll it. Where the DUT file names the clock, the request
      // targets it (all ports), so no other clock's answer can be the one taken.
      const clock = this.file.clockIdentity ? normalizeClockIdentity(this.file.clockIdentity) : undefined
      const ids = ['DEFAULT_DATA_SET', 'CURRENT_DATA_SET', 'PARENT_DATA_SET', 'PORT_DATA_SET'] as const
      // Four requests in flight at once (told apart by sequenceId): one response window, not four.
      // Addressed to the clock: its answer is the first. By wildcard: wait for the clock's, or any one when the file names none.
      const how = (a: 'clock' | 'wildcard') =>
        !clock ? { expect: 1 } : a === 'clock' ? { expect: 1, target: { clockIdentity: clock, portNumber: 0xffff } } : { expectFrom: clock }
      const readAll = (a: 'clock' | 'wildcard') => Promise.all(ids.map(async (id) => this.mine(await client.get(id, how(a)))))
      let answers = await readAll(this.addressing ?? 'clock')
      const none = answers.every((a) => a.length === 0)
      if (none && clock && this.addressing === undefined) {
        // Silence to its clockIdentity: try the wildcard once, and keep to what it answers.
        answers = await readAll('wildcard')
        if (answers.some((a) => a.length)) {
          this.addressing = 'wildcard'
          this.log += `# ${this.file.name} answers no management GET addressed to its clockIdentity (all ports, 1588-2019 15.3.1), only the all-ones wildcard: state reads use the wildcard and take ${clock}'s answers\n`
        }
      } else if (!none) this.addressing ??= 'clock'
      const [dds, cds, pds, ports] = [answers[0]!, answers[1]!, answers[2]!, answers[3]!]
      const state: DutState = { source: 'management-wire', readAt: Date.now(), ports: [] }
      const d = dds.find((a) => a.data?.name === 'DEFAULT_DATA_SET')?.data
      if (d?.name === 'DEFAULT_DATA_SET') applyDefaultDataSet(state, d)
      const c = cds.find((a) => a.data?.name === 'CURRENT_DATA_SET')?.data
      if (c?.name === 'CURRENT_DATA_SET') applyCurrentDataSet(state, c)
      const p = pds.find((a) => a.data?.name === 'PARENT_DATA_SET')?.data
      if (p?.name === 'PARENT_DATA_SET') applyParentDataSet(state, p)
      for (const a of ports) {
        if (a.data?.name === 'PORT_DATA_SET') state.ports.push(portStateFromDataSet(a.data))
      }
      state.ports.sort((a, b) => a.portNumber - b.portNumber)
      if (!state.clockIdentity && state.ports.length === 0) throw new DutError(`${this.file.name} answered no management GET on ${this.file.interface}`)
      return state
    } finally {
      client.close()
    }
  }

  /** Only this device's answers: by clockIdentity when the file gives it, else the one clock that answered. */
  private mine(r: ManagementResult) {
    const want = this.file.clockIdentity
    const answers = r.answers.filter((a) => !a.error && (!want || a.source.clockIdentity === want))
    if (!want) {
      const clocks = new Set(answers.map((a) => a.source.clockIdentity))
      if (clocks.size > 1) throw new DutError(`${[...clocks].join(', ')} all answered GET ${r.managementIdName} on ${this.file.interface}: give clockIdentity in the DUT file`)
    }
    return answers
  }

  private env(o: DutStartOptions | undefined): Record<string, string> {
    const e: Record<string, string> = { PTP_CONFORM_INTERFACE: this.file.interface, PTP_CONFORM_DUT: this.file.name }
    if (o) {
      e.PTP_CONFORM_ROLE = o.role
      e.PTP_CONFORM_PROFILE = o.profile.id
      e.PTP_CONFORM_TRANSPORT = o.transport ?? o.profile.transport.default
      e.PTP_CONFORM_DELAY_MECHANISM = o.delayMechanism ?? o.profile.delayMechanism.default
    }
    return e
  }

  private hook(name: HookName, env: Record<string, string>): Promise<void> {
    const cmd = this.file.hooks![name]!
    const timeoutMs = this.file.hooks?.timeoutMs ?? 60_000
    this.log += `$ ${cmd}   # ${name} hook\n`
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', cmd], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      child.stdout.on('data', (d: Buffer) => (this.log += d.toString()))
      child.stderr.on('data', (d: Buffer) => (this.log += d.toString()))
      child.on('error', (e) => {
        clearTimeout(timer)
        reject(new DutError(`${name} hook could not run: ${e.message}`))
      })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        if (code === 0) return resolve()
        reject(new DutError(`${name} hook failed (${signal ? `killed by ${signal}, limit ${timeoutMs} ms` : `exit ${code}`}): ${cmd}`))
      })
    })
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/**
 * Whether a device with these DUT-file roles can take `wanted`. A device whose role its BMCA
 * decides (`auto`, e.g. a stock ptp4l) becomes master when nothing better is heard and slave of
 * a better harness grandmaster, so it serves both; `auto` itself needs a device that can be both.
 */
export function canActAs(roles: readonly string[], wanted: string): boolean {
  if (roles.includes(wanted)) return true
  return (wanted === 'master' || wanted === 'slave') && roles.includes('auto')
}
