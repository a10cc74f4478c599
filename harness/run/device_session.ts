/**
 * A session against a real device: the harness port is the interface the engineer
 * named, the DUT is described by a DUT file (harness/dut/remote) and driven only
 * through what that file allows (hooks for start/stop/restart, management on the
 * wire, else passive observation of what it sends). Nothing is created or torn down
 * on the network; only the harness port is opened and closed.
 */
import { openPort, type Port } from '../transport/index.ts'
import type { TimestampingRequest } from '../transport/types.ts'
import { RemoteDut, type DutFile, loadDutFile } from '../dut/index.ts'
import type { PortIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { measurePathNoise, measureTxNoise } from './noise.ts'
import { PortSession, type SessionOptions } from './port_session.ts'
import type { HarnessNoise } from './session_types.ts'
import { declaredDeviceSettings, type SettingKey } from '../dut/settings.ts'
import type { DutState } from '../dut/types.ts'

/** The settings a device reports about itself over management before any test (none if it does not answer). */
async function managedSettings(dut: RemoteDut): Promise<Partial<Record<SettingKey, number>> | undefined> {
  let st: DutState
  try {
    st = await dut.readState()
  } catch {
    return undefined
  }
  return settingsFromState(st)
}

/** DEFAULT_DATA_SET and the first PORT_DATA_SET as configured values. */
export function settingsFromState(st: DutState): Partial<Record<SettingKey, number>> {
  const port = st.ports[0]
  const out: Partial<Record<SettingKey, number>> = {
    priority1: st.priority1,
    priority2: st.priority2,
    clockClass: st.clockQuality?.clockClass,
    announce: port?.logAnnounceInterval,
    sync: port?.logSyncInterval,
    delayReq: port?.logMinDelayReqInterval,
    pdelayReq: port?.logMinPdelayReqInterval,
    announceReceiptTimeout: port?.announceReceiptTimeout,
  }
  for (const k of Object.keys(out) as SettingKey[]) if (out[k] === undefined) delete out[k]
  return out
}

export interface DeviceSessionOptions extends SessionOptions {
  interface: string
  dutFile: string
  /** The harness interface's own addresses (for the UDP headers of recorded frames). */
  ipv4?: string
  ipv6?: string
  /**
   * A second harness interface on the DUT's network (`--noise-port`): probes from it to
   * `interface` measure the receive path, where the DUT's frames are stamped, not only TX.
   */
  noisePort?: string
  /** What the harness ports ask of their timestamps (`--timestamping`, default auto: hardware where the NIC has it). */
  timestamping?: TimestampingRequest
  /** The DUT file, when the caller has read it already. */
  file?: DutFile
}

/** Opens a harness interface for a session; `--timestamping hardware` on a NIC without it is refused with the driver's reason. */
export function openHarnessPort(ifname: string, netns: string | undefined, timestamping: TimestampingRequest | undefined): Port {
  return openPort({ interface: ifname, ...(netns ? { netns } : {}), transport: 'l2', timestamping: timestamping ?? 'auto' })
}

/** A harness port's timestamping in words: mode, clock (which PHC) and why. */
export function describeTimestamping(p: Pick<Port, 'timestamping'>): string {
  const t = p.timestamping
  return `${t.mode}${t.mode === 'hardware' && t.phcIndex !== null ? ` on /dev/ptp${t.phcIndex}` : ''} (${t.reason})`
}

/** The harness's noise on a real interface: over the receive path when a second port is named. */
async function deviceNoise(o: DeviceSessionOptions, netns: string | undefined, count: number) {
  const end = (ifname: string) => ({ ifname, ...(netns ? { netns } : {}) })
  if (o.noisePort) return measurePathNoise(end(o.noisePort), end(o.interface), count, o.timestamping ?? 'auto')
  const port = openHarnessPort(o.interface, netns, o.timestamping)
  try {
    return await measureTxNoise(port, count)
  } finally {
    port.close()
  }
}

/** What opening a device session finds out before the session exists. */
export interface DeviceSessionParts {
  dut: RemoteDut
  file: DutFile
  mac: string
  opts: DeviceSessionOptions
  noise: HarnessNoise
  timestamping: string
  /** The harness interface as opened: which clock it stamps on. */
  port: Pick<Port, 'interface' | 'timestamping'>
}

export class DeviceSession extends PortSession {
  readonly mode = 'device' as const
  protected readonly file: DutFile
  protected readonly opts: DeviceSessionOptions
  readonly timestamping: string

  protected constructor(p: DeviceSessionParts) {
    super(p.dut, { ifname: p.opts.interface, ...(p.file.netns ? { netns: p.file.netns } : {}), mac: p.mac, ipv4: p.opts.ipv4, ipv6: p.opts.ipv6 }, p.opts, p.noise)
    this.file = p.file
    this.opts = p.opts
    this.timestamping = p.timestamping
    this.harnessTimestamping = p.opts.timestamping ?? 'auto'
  }

  static async create(o: DeviceSessionOptions): Promise<DeviceSession> {
    return new DeviceSession(await DeviceSession.parts(o))
  }

  /** Reads the DUT file, measures the harness noise on the interface, asks the device for its settings. */
  protected static async parts(o: DeviceSessionOptions): Promise<DeviceSessionParts> {
    const file = o.file ?? loadDutFile(o.dutFile)
    const port = openHarnessPort(o.interface, file.netns, o.timestamping)
    try {
      const noise = o.noisePort ? await deviceNoise(o, file.netns, 200) : await measureTxNoise(port)
      const dut = new RemoteDut({ dut: file })
      const declaredSettings = declaredDeviceSettings(file.settings, file.management?.enabled ? await managedSettings(dut) : undefined)
      return { dut, file, mac: port.mac, opts: { ...o, declaredSettings }, noise, timestamping: describeTimestamping(port), port: { interface: port.interface, timestamping: port.timestamping } }
    } finally {
      port.close()
    }
  }

  /** 100 probes just before a test, on the same path as at the start: the test's own noise. */
  measureNoise(): Promise<HarnessNoise> {
    return deviceNoise(this.opts, this.file.netns, 100)
  }

  protected modeOf() {
    return 'device' as const
  }

  protected override async canRestart(): Promise<boolean> {
    return !!(this.file.hooks?.restart || (this.file.hooks?.stop && this.file.hooks?.start))
  }

  dutPortIdentity(): PortIdentity | undefined {
    return this.file.clockIdentity ? { clockIdentity: normalizeClockIdentity(this.file.clockIdentity), portNumber: 1 } : undefined
  }

  dutAddress(): string | undefined {
    return this.o.transport === 'udp6' ? this.file.ipv6 : this.o.transport === 'udp4' ? this.file.ipv4 : undefined
  }

  protected dutInterfaces() {
    return [{ ifname: this.file.interface, ...(this.file.netns ? { netns: this.file.netns } : {}) }]
  }
}
