/**
 * The virtual-lab session: a `pair` lab (harness node h ⇄ DUT node d1), a software
 * DUT (ptp4l or ptpd) started by its adapter with the profile, and the harness port
 * in h's namespace on the profile's transport. Everything is torn down by close(),
 * and by the lab's own exit guard if the process dies first.
 */
import { clockIdentityFromMac, Lab, type LabPort } from '../lab/index.ts'
import { LinuxptpDut, PtpdDut, type Dut, type DutDescription, type DutOptions } from '../dut/index.ts'
import type { ClockIdentity, PortIdentity } from '../codec/types.ts'
import type { Engine } from '../engines/actions.ts'
import type { HeaderDefaults } from '../engines/message_factory.ts'
import type { DelayMechanismName, Profile, TransportName } from '../profiles/types.ts'
import { ManagementClient } from '../management/client.ts'
import { Recorder } from '../recorder/recorder.ts'
import { openDriver } from '../runtime/open_driver.ts'
import { measureLinkNoise } from './noise.ts'
import type { DriverHandle, DutRoleWanted, Session } from './session_types.ts'

export interface LabSessionOptions {
  profile: Profile
  transport: TransportName
  domainNumber: number
  dutImpl: 'ptp4l' | 'ptpd'
  dutOptions: DutOptions
}

/** ptp4l's clockIdentity on an interface: the MAC with FF-FE inserted (EUI-48 → EUI-64). */
export function harnessIdentity(mac: string, n: number): ClockIdentity {
  // Keep the FF-FE shape but vary the last octet so several emulated clocks differ.
  const base = clockIdentityFromMac(mac)
  const last = (parseInt(base.slice(-2), 16) + 0x40 + n) & 0xff
  return base.slice(0, -2) + last.toString(16).padStart(2, '0')
}

export class LabSession implements Session {
  readonly mode = 'lab' as const
  readonly delayMechanism: DelayMechanismName
  private role: DutRoleWanted | undefined
  private openHandle: DriverHandle | undefined

  private constructor(
    readonly lab: Lab,
    readonly dut: Dut,
    private readonly h: LabPort,
    private readonly d: LabPort,
    private readonly o: LabSessionOptions,
    readonly noise: { ns: bigint; method: string },
  ) {
    this.delayMechanism = o.profile.delayMechanism.default
  }

  static async create(o: LabSessionOptions): Promise<LabSession> {
    const lab = await Lab.up({ topology: 'pair' })
    try {
      const h = lab.port('h')
      const d = lab.port('d1')
      const noise = await measureLinkNoise({ ifname: d.ifname, netns: d.netns }, { ifname: h.ifname, netns: h.netns })
      const dut: Dut = o.dutImpl === 'ptpd' ? new PtpdDut({ tracker: lab, node: 'd1' }) : new LinuxptpDut({ tracker: lab, node: 'd1' })
      return new LabSession(lab, dut, h, d, o, { ns: noise.ns, method: noise.method })
    } catch (e) {
      await lab.down().catch(() => undefined)
      throw e
    }
  }

  get transport(): TransportName {
    return this.o.transport
  }
  get domainNumber(): number {
    return this.o.domainNumber
  }
  get dutOptions(): DutOptions {
    return this.o.dutOptions
  }
  get timestamping(): string {
    return 'software (veth: SO_TIMESTAMPING software TX/RX, no PHC)'
  }
  get harnessInterface(): string {
    return `${this.h.ifname} (netns ${this.h.netns})`
  }

  harnessClockIdentity(n: number): ClockIdentity {
    return harnessIdentity(this.h.mac, n)
  }

  dutPortIdentity(): PortIdentity {
    return { clockIdentity: clockIdentityFromMac(this.d.mac), portNumber: 1 }
  }

  dutDescription(): Promise<DutDescription> {
    return this.dut.describe()
  }

  headerDefaults(): Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>> {
    const p = this.o.profile
    return {
      domainNumber: this.o.domainNumber,
      majorSdoId: p.sdo.majorSdoId.value,
      minorSdoId: p.sdo.minorSdoId.value,
      versionPTP: 2,
      // Speak the oldest edition the profile accepts: a 2008 receiver may reject minorVersionPTP 1.
      minorVersionPTP: Math.min(...p.version.minorVersionsAccepted),
      controlField: p.version.controlFieldAccepted.includes('legacy') ? 'legacy' : 'zero',
    }
  }

  async ensureDut(role: DutRoleWanted, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason ?? new Error('aborted')
    const alive = (this.dut as { running?: boolean }).running !== false
    if (this.role === role && alive) return
    if (this.role !== undefined) await this.dut.stop()
    this.role = undefined
    await this.dut.start({
      profile: this.o.profile,
      role,
      transport: this.o.transport,
      interfaces: [{ ifname: this.d.ifname, netns: this.d.netns, mac: this.d.mac }],
      options: { domainNumber: this.o.domainNumber, ...this.o.dutOptions },
    })
    this.role = role
  }

  /** Restart the DUT fresh in a role (tests that need a clean BMCA history). */
  async restartDut(role: DutRoleWanted, signal: AbortSignal): Promise<void> {
    this.role = undefined
    await this.dut.stop()
    await this.ensureDut(role, signal)
  }

  drive(engine: Engine): DriverHandle {
    if (this.openHandle) throw new Error('the harness port is already driven by another engine; close it first')
    const recorder = new Recorder()
    const opened = openDriver({
      port: {
        interface: this.h.ifname,
        netns: this.h.netns,
        transport: this.o.transport,
        timestamping: 'software',
        ttl: this.o.profile.transport.udp4?.ttl?.value ?? 1,
        hopLimit: this.o.profile.transport.udp6?.ttl?.value ?? 1,
      },
      engine,
      recorder,
      name: 'h',
      ip: this.o.transport === 'udp6' ? this.h.ipv6Address : this.h.ipv4Address,
      // gPTP on Ethernet sends every message to the peer-delay MAC (802.1AS 11.3.4).
      defaultDestination: this.o.profile.transport.l2?.primaryMac.value.toLowerCase() === '01-80-c2-00-00-0e' ? () => ({ kind: 'pdelay' }) : undefined,
    })
    opened.driver.start()
    const handle: DriverHandle = {
      driver: opened.driver,
      recorder,
      close: async () => {
        if (this.openHandle === handle) this.openHandle = undefined
        await opened.close()
      },
    }
    this.openHandle = handle
    return handle
  }

  managementClient(): ManagementClient {
    if (this.openHandle) throw new Error('the harness port is driven by an engine; close it before managing the DUT')
    return ManagementClient.open({
      interface: this.h.ifname,
      netns: this.h.netns,
      transport: this.o.transport,
      domainNumber: this.o.domainNumber,
      transportSpecific: this.o.profile.sdo.majorSdoId.value,
      boundaryHops: 1,
    })
  }

  async close(): Promise<void> {
    await this.openHandle?.close().catch(() => undefined)
    await this.dut.stop().catch(() => undefined)
    await this.lab.down()
  }
}
