/**
 * The reference DUT (harness/refdut) as a lab DUT: the harness's own engines run as a
 * separate process in the DUT's namespace, with switchable faults, so `selftest` can show
 * each test passing against a known-good DUT and failing against each fault it targets.
 *
 * Its settings are the session's DutSettings (one owner: the session passes them in);
 * without a session they are resolved from the start options exactly as a session would.
 * State comes over the process's UNIX control socket; PTP management GETs are answered on
 * the wire by the process itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type DutSetting as SettingValue, type DutSettings, resolveDutSettings, type SettingKey } from '../settings.ts'
import { ProcessDut, type ProcessDutOptions } from '../process_dut.ts'
import {
  DutError,
  type Dut,
  type DutCapabilities,
  type DutDescription,
  type DutSetting,
  type DutStartOptions,
  type DutState,
  type SetResult,
  type TransportName,
} from '../types.ts'
import type { ReferenceDutProcessConfig } from '../../refdut/main.ts'
import { FAULTS } from '../../refdut/faults.ts'

export interface ReferenceDutOptions extends ProcessDutOptions {
  /** Fault ids of harness/refdut/faults.ts; unknown ids are refused at construction. */
  faults?: string[]
  /** The session's DutSettings (the one owner of domain, intervals, timeouts, priorities). */
  settings?: () => DutSettings
}

/** The native port's defaults (DSCP 0 on both sockets) where nothing configures them. */
const REFERENCE_IMPLEMENTATION: Partial<Record<SettingKey, SettingValue>> = {
  dscpEvent: { value: 0, origin: 'implementation default' },
  dscpGeneral: { value: 0, origin: 'implementation default' },
}

const MAIN = fileURLToPath(new URL('../../refdut/main.ts', import.meta.url))
const TSX = fileURLToPath(import.meta.resolve('tsx'))
const VERSION = '1'

const SETTABLE: Record<DutSetting, (s: DutSettings, v: number) => void> = {
  priority1: (s, v) => (s.priority1 = { value: v, origin: 'dut option' }),
  priority2: (s, v) => (s.priority2 = { value: v, origin: 'dut option' }),
  domainNumber: (s, v) => (s.domainNumber = { value: v, origin: 'dut option' }),
  logAnnounceInterval: (s, v) => (s.intervals.announce = { value: v, origin: 'dut option' }),
  logSyncInterval: (s, v) => (s.intervals.sync = { value: v, origin: 'dut option' }),
  logMinDelayReqInterval: (s, v) => (s.intervals.delayReq = { value: v, origin: 'dut option' }),
  logMinPdelayReqInterval: (s, v) => (s.intervals.pdelayReq = { value: v, origin: 'dut option' }),
  announceReceiptTimeout: (s, v) => (s.announceReceiptTimeout = { value: v, origin: 'dut option' }),
}

/** Revives the control socket's JSON (bigints travel as strings). */
function reviveState(s: DutState & Record<string, unknown>): DutState {
  const big = (v: unknown) => (typeof v === 'string' ? BigInt(v) : undefined)
  if (s.offsetFromMasterNs !== undefined) s.offsetFromMasterNs = big(s.offsetFromMasterNs)
  if (s.meanPathDelayNs !== undefined) s.meanPathDelayNs = big(s.meanPathDelayNs)
  for (const p of s.ports) if (p.peerMeanPathDelayNs !== undefined) p.peerMeanPathDelayNs = big(p.peerMeanPathDelayNs)
  return s
}

/** One JSON-line request on a UNIX socket. */
export function controlRequest(path: string, request: object, timeoutMs = 1000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = connect(path)
    let buf = ''
    const timer = setTimeout(() => {
      sock.destroy()
      reject(new DutError(`no answer on ${path} within ${timeoutMs} ms`))
    }, timeoutMs)
    sock.setEncoding('utf8')
    sock.on('connect', () => sock.write(JSON.stringify(request) + '\n'))
    sock.on('data', (d: string) => {
      buf += d
      const i = buf.indexOf('\n')
      if (i < 0) return
      clearTimeout(timer)
      sock.end()
      try {
        resolve(JSON.parse(buf.slice(0, i)))
      } catch (e) {
        reject(e)
      }
    })
    sock.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })
}

export class ReferenceDut extends ProcessDut<ReferenceDutOptions> implements Dut {
  private overrides: Array<[DutSetting, number]> = []

  constructor(o: ReferenceDutOptions = {}) {
    super(o, { implementation: 'ptp-conform reference DUT', name: 'refdut', configExtension: 'json', version: () => VERSION })
    for (const f of o.faults ?? []) {
      if (!FAULTS.some((x) => x.id === f)) throw new DutError(`unknown fault '${f}'; known: ${FAULTS.map((x) => x.id).join(', ')}`)
    }
  }

  get controlSocket(): string {
    return this.runFile('sock')
  }

  get faults(): string[] {
    return [...(this.o.faults ?? [])]
  }

  implementationSettings(): Partial<Record<SettingKey, SettingValue>> {
    return REFERENCE_IMPLEMENTATION
  }

  async describe(): Promise<DutDescription> {
    const capabilities: DutCapabilities = {
      roles: ['master', 'slave', 'auto'],
      transports: ['l2', 'udp4', 'udp6'],
      delayMechanisms: ['E2E', 'P2P'],
      oneStep: false,
      twoStep: true,
      settable: Object.keys(SETTABLE) as DutSetting[],
      wireManagement: true,
    }
    const faults = this.o.faults ?? []
    return {
      implementation: 'ptp-conform reference DUT',
      version: VERSION,
      capabilities,
      stateSource: 'management-uds',
      notes: [
        "the harness's own engines (TestMaster, TestSlave, BMCA) as an ordinary clock; it never adjusts a clock",
        faults.length ? `faults injected: ${faults.join(', ')}` : 'no faults injected',
      ],
    }
  }

  /** The DutSettings the process runs with: the session's, or resolved from the start options, plus set() changes. */
  private resolveSettings(o: DutStartOptions, transport: TransportName): DutSettings {
    const opts = o.options ?? {}
    const base = this.o.settings?.() ?? resolveDutSettings({
      profile: o.profile,
      mode: 'lab',
      transport,
      delayMechanism: o.delayMechanism ?? o.profile.delayMechanism.default,
      domainNumber: Number(opts.domainNumber ?? o.profile.lab.ptp4l.domainNumber ?? o.profile.domain.default.value),
      options: opts,
      implementation: REFERENCE_IMPLEMENTATION,
    })
    const s = structuredClone(base)
    for (const [k, v] of this.overrides) SETTABLE[k](s, v)
    return s
  }

  async start(o: DutStartOptions): Promise<void> {
    if (this.running) throw new DutError(`${this.label} is already running`)
    if (o.role !== 'master' && o.role !== 'slave' && o.role !== 'auto') throw new DutError(`the reference DUT is an ordinary clock: role '${o.role}' is not supported`)
    if (o.interfaces.length !== 1) throw new DutError('the reference DUT runs on exactly one interface')
    const transport: TransportName = o.transport ?? o.profile.transport.default
    const settings = this.resolveSettings(o, transport)
    const iface = o.interfaces[0]!
    const cfg: ReferenceDutProcessConfig = {
      // The profile itself: a user profile from --profiles DIR has no id the process could load.
      profile: o.profile,
      settings,
      role: o.role,
      transport,
      interface: iface.ifname,
      // The process is started inside the namespace (ip netns exec): no netns here.
      faults: this.o.faults ?? [],
      controlSocket: this.controlSocket,
      ...(o.unicastMasters?.length ? { unicastMasters: o.unicastMasters } : {}),
    }
    const text = JSON.stringify(cfg, null, 2)
    mkdirSync(this.runDir, { recursive: true })
    writeFileSync(this.configPath, text)
    await this.launch(o, [process.execPath, '--import', TSX, MAIN, '--config', this.configPath], {
      transport,
      delayMechanism: settings.delayMechanism,
      config: text,
      registration: { domainNumber: settings.domainNumber.value, transportSpecific: o.profile.sdo.majorSdoId.value },
    })
    await this.waitUntilReady(() => this.answers(), `did not answer on ${this.controlSocket}`, 50)
  }

  private async answers(): Promise<boolean> {
    try {
      await controlRequest(this.controlSocket, { get: 'state' }, 300)
      return true
    } catch {
      return false
    }
  }

  async readState(): Promise<DutState> {
    if (!this.running) throw new DutError(`${this.label} is not running`)
    const s = (await controlRequest(this.controlSocket, { get: 'state' })) as DutState & Record<string, unknown>
    if ('error' in s) throw new DutError(`${this.label}: ${String(s.error)}`)
    return reviveState(s)
  }

  async set(setting: DutSetting, value: number): Promise<SetResult> {
    if (!this.startOptions) throw new DutError(`${this.label} has not been started`)
    if (!Number.isInteger(value)) throw new DutError(`${setting} must be an integer, not ${value}`)
    this.overrides = [...this.overrides.filter(([k]) => k !== setting), [setting, value]]
    await this.restart()
    return { setting, value, applied: 'restart' }
  }
}
