/**
 * A session against a real device: the harness port is the interface the engineer
 * named, the DUT is described by a DUT file (harness/dut/remote) and driven only
 * through what that file allows (hooks for start/stop/restart, management on the
 * wire, else passive observation of what it sends). Nothing is created or torn down
 * on the network; only the harness port is opened and closed.
 */
import { openPort, type Port } from '../transport/index.ts'
import { RemoteDut, type DutFile, loadDutFile } from '../dut/index.ts'
import type { PortIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { summarize } from '../stats/percentiles.ts'
import { PortSession, type SessionOptions } from './port_session.ts'
import type { HarnessNoise } from './session_types.ts'

export interface DeviceSessionOptions extends SessionOptions {
  interface: string
  dutFile: string
  /** The harness interface's own addresses (for the UDP headers of recorded frames). */
  ipv4?: string
  ipv6?: string
}

/**
 * Harness noise on a real interface, where there is no second port of ours to send to:
 * the spread (p99 − p50) of the delay between handing a frame to the kernel and its TX
 * timestamp, over probes that no PTP stack takes for its own (majorSdoId 15, domain 255).
 * It bounds the harness's own timestamping jitter, not the wire's.
 */
async function measureTxNoise(port: Port, count = 100): Promise<HarnessNoise> {
  const probe = new Uint8Array(44)
  probe[0] = 0xf0
  probe[1] = 0x02
  probe[3] = 44
  probe[4] = 0xff
  const lat: bigint[] = []
  for (let i = 0; i < count; i++) {
    probe[31] = i & 0xff
    const r = await port.send(probe, { dest: 'primary', event: true })
    lat.push(r.txTimestampNs - r.sendNs)
    await new Promise((res) => setTimeout(res, 5))
  }
  const s = summarize(lat)
  const spread = s.p99 - s.p50
  return {
    ns: spread > 1000n ? spread : 1000n,
    timeErrorFloorNs: s.p99,
    method: `TX-path spread (p99 − p50) of ${count} probes on ${port.interface} (${port.timestamping.mode} timestamps); p50 ${s.p50} ns, p99 ${s.p99} ns`,
  }
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

  dutPortIdentity(): PortIdentity | undefined {
    return this.file.clockIdentity ? { clockIdentity: normalizeClockIdentity(this.file.clockIdentity), portNumber: 1 } : undefined
  }

  protected dutInterfaces() {
    return [{ ifname: this.file.interface, ...(this.file.netns ? { netns: this.file.netns } : {}) }]
  }
}
