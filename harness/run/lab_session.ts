/**
 * The virtual-lab session: a `pair` lab (harness node h ⇄ DUT node d1), a software
 * DUT (ptp4l, ptpd or the reference DUT) started by its adapter with the profile, and the harness port
 * in h's namespace. Everything is torn down by close(), and by the lab's own exit
 * guard if the process dies first.
 */
import { clockIdentityFromMac, Lab, type LabPort } from '../lab/index.ts'
import { LinuxptpDut, PtpdDut, ReferenceDut, type Dut } from '../dut/index.ts'
import type { PortIdentity } from '../codec/types.ts'
import { measureLabNoise, measureLinkNoise } from './noise.ts'
import { PortSession, type SessionOptions } from './port_session.ts'
import type { HarnessNoise } from './session_types.ts'

export interface LabSessionOptions extends SessionOptions {
  dutImpl: 'ptp4l' | 'ptpd' | 'reference'
  /** Faults of the reference DUT (harness/refdut/faults.ts). */
  dutFaults?: string[]
}

export class LabSession extends PortSession {
  readonly mode = 'lab' as const
  readonly timestamping = 'software (veth: SO_TIMESTAMPING software TX/RX, no PHC)'

  private constructor(
    readonly lab: Lab,
    dut: Dut,
    h: LabPort,
    private readonly d: LabPort,
    o: LabSessionOptions,
    noise: HarnessNoise,
  ) {
    super(dut, { ifname: h.ifname, netns: h.netns, mac: h.mac, ipv4: h.ipv4Address, ipv6: h.ipv6Address, clockIpv4: h.clockIpv4Addresses, clockIpv6: h.clockIpv6Addresses }, o, noise)
  }

  static async create(o: LabSessionOptions): Promise<LabSession> {
    const lab = await Lab.up({ topology: 'pair' })
    try {
      const h = lab.port('h')
      const d = lab.port('d1')
      const noise = await measureLinkNoise({ ifname: h.ifname, netns: h.netns }, { ifname: d.ifname, netns: d.netns })
      // The reference DUT runs with the session's DutSettings: one owner of what the DUT is configured to do.
      let session: LabSession | undefined
      const dut: Dut =
        o.dutImpl === 'ptpd' ? new PtpdDut({ tracker: lab, node: 'd1' })
        : o.dutImpl === 'reference' ? new ReferenceDut({ tracker: lab, node: 'd1', faults: o.dutFaults ?? [], settings: () => session!.dutSettings })
        : new LinuxptpDut({ tracker: lab, node: 'd1' })
      session = new LabSession(lab, dut, h, d, o, noise)
      return session
    } catch (e) {
      await lab.down().catch(() => undefined)
      throw e
    }
  }

  /**
   * 100 probes each way over ~1 s on the lab link, just before a test: its own noise, not the
   * run's. The harness's ± comes from those into the DUT's namespace: sent from the DUT's port
   * while a PTP stack's packet socket is open there, TX stamps come ~11 µs late (p50 15.3 µs
   * against 3.8 µs), a delay of the DUT's node that only its own stamps carry, so it widens
   * the time-error floor only (`measureLabNoise`).
   */
  measureNoise(): Promise<HarnessNoise> {
    const h = this.lab.port('h')
    return measureLabNoise({ ifname: h.ifname, netns: h.netns }, { ifname: this.d.ifname, netns: this.d.netns }, 100)
  }

  protected modeOf() {
    return 'lab' as const
  }

  dutPortIdentity(): PortIdentity {
    return { clockIdentity: clockIdentityFromMac(this.d.mac), portNumber: 1 }
  }

  /**
   * The lab's DUT runs on a plain veth and its packet socket takes only untagged PTP frames
   * (a priority-tagged frame arrives as EtherType 0x8100), so in the lab the harness sends
   * untagged even where the profile requires a tag; MF-05 still judges the DUT's own tagging.
   */
  protected override vlanTag(): undefined {
    return undefined
  }

  dutAddress(): string | undefined {
    return this.o.transport === 'udp6' ? this.d.ipv6Address : this.o.transport === 'udp4' ? this.d.ipv4Address : undefined
  }

  protected dutInterfaces() {
    return [{ ifname: this.d.ifname, netns: this.d.netns, mac: this.d.mac }]
  }

  override async close(): Promise<void> {
    await super.close()
    await this.lab.down()
  }
}
