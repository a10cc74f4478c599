/**
 * A session against a real device: the harness port is the interface the engineer
 * named, the DUT is described by a DUT file (harness/dut/remote) and driven only
 * through what that file allows (hooks for start/stop/restart, management on the
 * wire, else passive observation of what it sends). Nothing is created or torn down
 * on the network; only the harness port is opened and closed.
 */
import { openPort } from '../transport/index.ts'
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
}

/** The harness's noise on a real interface: over the receive path when a second port is named. */
async function deviceNoise(o: DeviceSessionOptions, netns: string | undefined, count: number) {
  const end = (ifname: string) => ({ ifname, ...(netns ? { netns } : {}) })
  if (o.noisePort) return measurePathNoise(end(o.noisePort), end(o.interface), count, 'auto')
  const port = openPort({ interface: o.interface, ...(netns ? { netns } : {}), transport: 'l2', timestamping: 'auto' })
  try {
    return await measureTxNoise(port, count)
  } finally {
    port.close()
  }
}

export class DeviceSession extends PortSession {
  readonly mode = 'device' as const
  private constructor(
    dut: RemoteDut,
    private readonly file: DutFile,
    mac: string,
    private readonly opts: DeviceSessionOptions,
    noise: HarnessNoise,
    readonly timestamping: string,
  ) {
    super(dut, { ifname: opts.interface, ...(file.netns ? { netns: file.netns } : {}), mac, ipv4: opts.ipv4, ipv6: opts.ipv6 }, opts, noise)
  }

  static async create(o: DeviceSessionOptions): Promise<DeviceSession> {
    const file = loadDutFile(o.dutFile)
    const port = openPort({ interface: o.interface, ...(file.netns ? { netns: file.netns } : {}), transport: 'l2', timestamping: 'auto' })
    try {
      const noise = o.noisePort ? await deviceNoise(o, file.netns, 200) : await measureTxNoise(port)
      const ts = `${port.timestamping.mode} (${port.timestamping.reason})`
      const dut = new RemoteDut({ dut: file })
      const declaredSettings = declaredDeviceSettings(file.settings, file.management?.enabled ? await managedSettings(dut) : undefined)
      return new DeviceSession(dut, file, port.mac, { ...o, declaredSettings }, noise, ts)
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
