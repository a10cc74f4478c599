/**
 * The virtual-lab session for a boundary or transparent clock: a `dual` lab (harness port ha ⇄
 * DUT port 1, DUT port 2 ⇄ harness port hb), ptp4l started as that kind of clock on both DUT
 * ports (or a plain Linux bridge, the not-PTP-aware switch a transparent clock must not be).
 * `drive` runs engines on ha, upstream, where the grandmaster is; `relay.driveDownstream` on hb,
 * where the DUT's slaves are. Both harness ports stamp with the one system clock, so a frame's
 * TX stamp on one and RX stamp on the other measure its transit through the DUT.
 */
import { clockIdentityFromMac, Lab, type LabPort } from '../lab/index.ts'
import { LinuxptpDut, type Dut, type DutStartOptions } from '../dut/index.ts'
import { BridgeDut } from '../dut/bridge/adapter.ts'
import type { PortIdentity } from '../codec/types.ts'
import type { Engine } from '../engines/actions.ts'
import { measureLabNoise, measureLinkNoise } from './noise.ts'
import { harnessIdentity, PortSession, type HarnessPortLocation, type SessionOptions } from './port_session.ts'
import type { DriverHandle, DutClockType, DutRoleWanted, HarnessNoise, RelayLinks, RelayPorts } from './session_types.ts'

export type RelayClockType = Exclude<DutClockType, 'ordinary'>

export interface RelayLabSessionOptions extends SessionOptions {
  clockType: RelayClockType
  dutImpl: 'ptp4l' | 'bridge'
}

function location(p: LabPort): HarnessPortLocation {
  return { ifname: p.ifname, netns: p.netns, mac: p.mac, ipv4: p.ipv4Address, ipv6: p.ipv6Address }
}

export class RelayLabSession extends PortSession implements RelayPorts {
  readonly mode = 'lab' as const
  readonly timestamping = 'software (veth: SO_TIMESTAMPING software TX/RX, no PHC)'
  override readonly clockType: RelayClockType
  override readonly relay: RelayPorts = this
  private downstreamHandle: DriverHandle | undefined

  private constructor(
    readonly lab: Lab,
    dut: Dut,
    o: RelayLabSessionOptions,
    noise: HarnessNoise,
  ) {
    super(dut, location(lab.port('ha')), o, noise)
    this.clockType = o.clockType
  }

  static async create(o: RelayLabSessionOptions): Promise<RelayLabSession> {
    const lab = await Lab.up({ topology: 'dual' })
    try {
      const d1 = lab.port('d1', 1)
      const noise = await measureLinkNoise({ ifname: lab.port('ha').ifname, netns: lab.port('ha').netns }, { ifname: d1.ifname, netns: d1.netns })
      const dut: Dut = o.dutImpl === 'bridge' ? new BridgeDut({ netns: d1.netns }) : new LinuxptpDut({ tracker: lab, node: 'd1' })
      return new RelayLabSession(lab, dut, o, noise)
    } catch (e) {
      await lab.down().catch(() => undefined)
      throw e
    }
  }

  protected modeOf() {
    return 'lab' as const
  }

  get downstreamInterface(): string {
    const hb = this.lab.port('hb')
    return `${hb.ifname} (netns ${hb.netns})`
  }

  /** Whatever role a test asks for, the DUT runs as the clock the session was opened for. */
  protected override dutStartOptions(role: DutRoleWanted): DutStartOptions {
    return { ...super.dutStartOptions(role), role: this.clockType }
  }

  dutPortIdentity(): PortIdentity {
    return this.dutPortIdentities()[0]
  }

  dutPortIdentities(): [PortIdentity, PortIdentity] {
    // ptp4l numbers its ports in the order of its interfaces, one clock identity (port 1's MAC).
    const id = clockIdentityFromMac(this.lab.port('d1', 1).mac)
    return [
      { clockIdentity: id, portNumber: 1 },
      { clockIdentity: id, portNumber: 2 },
    ]
  }

  downstreamClockIdentity(n: number): string {
    return harnessIdentity(this.lab.port('hb').mac, n)
  }

  driveDownstream(engine: Engine): DriverHandle {
    if (this.downstreamHandle) throw new Error('the downstream harness port is already driven; close it first')
    const handle = this.openDriverOn(location(this.lab.port('hb')), engine, 'hb', () => {
      if (this.downstreamHandle === handle) this.downstreamHandle = undefined
    })
    this.downstreamHandle = handle
    return handle
  }

  /**
   * Probes each link in each direction with the DUT stopped, then starts it again. A DUT's packet
   * socket on a port changes how the harness's own probes sent from that port are stamped
   * (measured with ptp4l as a G.8275.1 TC on L2: 24 µs from its ports against 4 µs without it,
   * and 4 µs with its UDP sockets), while its own messages are not slowed: probed with it
   * running, a link looks 20 µs longer than it is.
   */
  async measureLinks(): Promise<RelayLinks> {
    const running = this.role !== undefined && this.dutAlive() ? this.role : undefined
    if (running) {
      this.role = undefined
      await this.dut.stop()
    }
    try {
      const end = (node: string, i = 1) => {
        const p = this.lab.port(node, i)
        return { ifname: p.ifname, netns: p.netns }
      }
      // One direction at a time: two bursts at once would measure each other's CPU load.
      const probe = (from: ReturnType<typeof end>, to: ReturnType<typeof end>) => measureLinkNoise(from, to, 100)
      return {
        upstream: { towardSlave: await probe(end('ha'), end('d1', 1)), towardGrandmaster: await probe(end('d1', 1), end('ha')) },
        downstream: { towardSlave: await probe(end('d1', 2), end('hb')), towardGrandmaster: await probe(end('hb'), end('d1', 2)) },
      }
    } finally {
      if (running) await this.ensureDut(running, new AbortController().signal)
    }
  }

  /** As in the pair lab: the harness's ± from probes into the DUT's port, the time-error floor from both ways. */
  measureNoise(): Promise<HarnessNoise> {
    const ha = this.lab.port('ha')
    const d1 = this.lab.port('d1', 1)
    return measureLabNoise({ ifname: ha.ifname, netns: ha.netns }, { ifname: d1.ifname, netns: d1.netns }, 100)
  }

  dutAddress(): string | undefined {
    const d = this.lab.port('d1', 1)
    return this.o.transport === 'udp6' ? d.ipv6Address : this.o.transport === 'udp4' ? d.ipv4Address : undefined
  }

  /** As in the pair lab: the DUT's packet sockets take only untagged frames. */
  protected override vlanTag(): undefined {
    return undefined
  }

  protected dutInterfaces() {
    return [1, 2].map((i) => {
      const p = this.lab.port('d1', i)
      return { ifname: p.ifname, netns: p.netns, mac: p.mac }
    })
  }

  override async close(): Promise<void> {
    await this.downstreamHandle?.close().catch(() => undefined)
    await super.close()
    await this.lab.down()
  }
}
