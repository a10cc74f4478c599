/**
 * A real boundary or transparent clock: two harness interfaces, one facing each DUT port the
 * DUT file lists (`clock`, `ports`: upstream first). `drive` runs engines on the upstream
 * interface, where the grandmaster is; `relay.driveDownstream` on the other, where the DUT's
 * slaves are. A transit through the DUT is one port's TX stamp against the other's RX stamp,
 * so both must stamp on one clock: software stamps on the system clock, or hardware stamps on
 * one PHC (ports of one NIC sharing it). Two PHCs are refused: their offset would sit in every
 * residence time and every time error, unmeasured.
 *
 * The links are the cables: nothing of ours sits at the DUT's end to probe them, so their
 * one-way delay is what the DUT file declares (characterised, ≈ 5 ns/m), and their ± is the
 * declared ± plus the harness's own timestamp noise on that port, measured now.
 */
import type { PortIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { DutFile, DutFilePort } from '../dut/remote/dut_file.ts'
import { loadDutFile } from '../dut/remote/dut_file.ts'
import type { DutStartOptions } from '../dut/types.ts'
import type { Engine } from '../engines/actions.ts'
import type { Port } from '../transport/index.ts'
import { CliError, ExitCode } from './exit_codes.ts'
import { DeviceSession, type DeviceSessionOptions, describeTimestamping, openHarnessPort } from './device_session.ts'
import { measureTxNoise } from './noise.ts'
import { harnessIdentity, type HarnessPortLocation } from './port_session.ts'
import type { DriverHandle, DutRoleWanted, HarnessNoise, RelayLinks, RelayPorts } from './session_types.ts'
import type { RelayClockType } from './relay_lab_session.ts'

/** The DUT file's kind of clock when it is a boundary or transparent clock. */
export function relayClockOf(file: DutFile): RelayClockType | undefined {
  return file.clock && file.clock !== 'ordinary' ? file.clock : undefined
}

/** Why two harness ports cannot time a transit between them, or undefined when they can. */
type StampingPort = Pick<Port, 'interface' | 'timestamping'>

export function sharedClockRefusal(a: StampingPort, b: StampingPort): string | undefined {
  const ta = a.timestamping
  const tb = b.timestamping
  if (ta.clock === 'system' && tb.clock === 'system') return undefined
  if (ta.clock === 'phc' && tb.clock === 'phc' && ta.phcIndex === tb.phcIndex) return undefined
  const say = (p: StampingPort) => `${p.interface} stamps ${p.timestamping.clock === 'phc' ? `on /dev/ptp${p.timestamping.phcIndex}` : 'on the system clock'}`
  return `${say(a)} and ${say(b)}: a transit from one to the other would carry the two clocks' offset. Use two ports that share one PHC, or --timestamping software on both`
}

/** A declared link figure with the harness's measured noise on that port added. */
export function declaredLink(port: DutFilePort, noise: HarnessNoise, where: string): HarnessNoise {
  const delay = BigInt(port.linkDelayNs ?? 0)
  const declared = BigInt(port.linkUncertaintyNs ?? 0)
  const ns = noise.ns + declared
  return {
    ns,
    timeErrorFloorNs: delay + ns,
    tailNs: (noise.tailNs ?? noise.ns) + declared,
    latencyNs: delay,
    ...(noise.stalls !== undefined ? { stalls: noise.stalls } : {}),
    ...(noise.probes !== undefined ? { probes: noise.probes } : {}),
    method: `${where}: one-way delay ${delay} ns ± ${declared} ns as the DUT file declares it (linkDelayNs, linkUncertaintyNs), plus the harness's timestamp noise on ${port.interface}: ${noise.method}`,
  }
}

export class DeviceRelaySession extends DeviceSession implements RelayPorts {
  override readonly clockType: RelayClockType
  override readonly relay: RelayPorts = this
  private downstreamHandle: DriverHandle | undefined

  private constructor(
    parts: Awaited<ReturnType<typeof DeviceSession['parts']>>,
    private readonly downstream: HarnessPortLocation,
    timestamping: string,
  ) {
    super({ ...parts, timestamping })
    this.clockType = relayClockOf(parts.file)!
  }

  static override async create(o: DeviceSessionOptions): Promise<DeviceRelaySession> {
    const file = o.file ?? loadDutFile(o.dutFile)
    const parts = await DeviceSession.parts({ ...o, file })
    const down = file.ports![1]!
    const b = openHarnessPort(down.interface, down.netns, o.timestamping)
    try {
      const refusal = sharedClockRefusal(parts.port, b)
      if (refusal) throw new CliError(`${file.file ?? 'DUT file'}: ${refusal}`, ExitCode.usage)
      const location: HarnessPortLocation = { ifname: down.interface, ...(down.netns ? { netns: down.netns } : {}), mac: b.mac }
      return new DeviceRelaySession(parts, location, `${parts.timestamping}; downstream ${describeTimestamping(b)}`)
    } finally {
      b.close()
    }
  }

  private ports(): [DutFilePort, DutFilePort] {
    return this.file.ports as [DutFilePort, DutFilePort]
  }

  get downstreamInterface(): string {
    return `${this.downstream.ifname}${this.downstream.netns ? ` (netns ${this.downstream.netns})` : ''}`
  }

  /** Whatever role a test asks for, the device is the clock its file says it is. */
  protected override dutStartOptions(role: DutRoleWanted): DutStartOptions {
    return { ...super.dutStartOptions(role), role: this.clockType }
  }

  override dutPortIdentity(): PortIdentity {
    return this.dutPortIdentities()[0]
  }

  dutPortIdentities(): [PortIdentity, PortIdentity] {
    const id = normalizeClockIdentity(this.file.clockIdentity!)
    const [up, down] = this.ports()
    return [
      { clockIdentity: id, portNumber: up.port },
      { clockIdentity: id, portNumber: down.port },
    ]
  }

  downstreamClockIdentity(n: number): string {
    return harnessIdentity(this.downstream.mac, n)
  }

  driveDownstream(engine: Engine): DriverHandle {
    if (this.downstreamHandle) throw new Error('the downstream harness port is already driven; close it first')
    const handle = this.openDriverOn(this.downstream, engine, 'downstream', () => {
      if (this.downstreamHandle === handle) this.downstreamHandle = undefined
    })
    this.downstreamHandle = handle
    return handle
  }

  /** The declared cables, each with the harness's TX-path noise on its port measured now (the DUT keeps running). */
  async measureLinks(): Promise<RelayLinks> {
    const [up, down] = this.ports()
    const txNoise = async (p: DutFilePort, netns: string | undefined) => {
      const port = openHarnessPort(p.interface, netns, this.opts.timestamping)
      try {
        return await measureTxNoise(port, 100)
      } finally {
        port.close()
      }
    }
    const upstream = await txNoise(up, up.netns ?? this.file.netns)
    const downstream = await txNoise(down, down.netns)
    const link = (p: DutFilePort, n: HarnessNoise, where: string) => ({ towardSlave: declaredLink(p, n, `${where}, toward the slave`), towardGrandmaster: declaredLink(p, n, `${where}, toward the grandmaster`) })
    return { upstream: link(up, upstream, `upstream cable (DUT port ${up.port})`), downstream: link(down, downstream, `downstream cable (DUT port ${down.port})`) }
  }

  override async close(): Promise<void> {
    await this.downstreamHandle?.close().catch(() => undefined)
    await super.close()
  }
}
