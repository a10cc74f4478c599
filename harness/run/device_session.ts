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
import { measureTxNoise } from './noise.ts'
import { PortSession, type SessionOptions } from './port_session.ts'
import type { HarnessNoise } from './session_types.ts'

export interface DeviceSessionOptions extends SessionOptions {
  interface: string
  dutFile: string
  /** The harness interface's own addresses (for the UDP headers of recorded frames). */
  ipv4?: string
  ipv6?: string
}

export class DeviceSession extends PortSession {
  readonly mode = 'device' as const
  private constructor(
    dut: RemoteDut,
    private readonly file: DutFile,
    mac: string,
    o: DeviceSessionOptions,
    noise: HarnessNoise,
    readonly timestamping: string,
  ) {
    super(dut, { ifname: o.interface, ...(file.netns ? { netns: file.netns } : {}), mac, ipv4: o.ipv4, ipv6: o.ipv6 }, o, noise)
  }

  static async create(o: DeviceSessionOptions): Promise<DeviceSession> {
    const file = loadDutFile(o.dutFile)
    const port = openPort({ interface: o.interface, ...(file.netns ? { netns: file.netns } : {}), transport: 'l2', timestamping: 'auto' })
    try {
      const noise = await measureTxNoise(port)
      const ts = `${port.timestamping.mode} (${port.timestamping.reason})`
      return new DeviceSession(new RemoteDut({ dut: file }), file, port.mac, o, noise, ts)
    } finally {
      port.close()
    }
  }

  protected modeOf() {
    return 'device' as const
  }

  dutPortIdentity(): PortIdentity | undefined {
    return this.file.clockIdentity ? { clockIdentity: normalizeClockIdentity(this.file.clockIdentity), portNumber: 1 } : undefined
  }

  protected dutInterfaces() {
    return [{ ifname: this.file.interface, ...(this.file.netns ? { netns: this.file.netns } : {}) }]
  }
}
