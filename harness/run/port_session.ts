/**
 * What every session shares, wherever the DUT is: one harness port (an interface,
 * possibly inside a lab namespace) on the profile's transport and domain, engines
 * driven on it one at a time, and a management client on the same interface. The lab
 * and device sessions differ only in how the DUT is brought up and how the harness
 * noise is measured.
 */
import { clockIdentityFromMac } from '../codec/clock_identity.ts'
import type { ClockIdentity, PortIdentity } from '../codec/types.ts'
import type { Dut, DutDescription, DutExit, DutOptions, DutStartOptions } from '../dut/types.ts'
import { type DutSettings, declaredDeviceSettings, resolveDutSettings } from '../dut/settings.ts'
import type { Engine } from '../engines/actions.ts'
import type { HeaderDefaults } from '../engines/message_factory.ts'
import { ManagementClient } from '../management/client.ts'
import type { DelayMechanismName, Profile, TransportName } from '../profiles/types.ts'
import { Recorder } from '../recorder/recorder.ts'
import { openDriver } from '../runtime/open_driver.ts'
import type { TimestampingRequest } from '../transport/types.ts'
import type { DriverHandle, DutClockType, DutRoleWanted, HarnessNoise, RelayPorts, Session } from './session_types.ts'
import { logIntervalToMs } from '../time/log_interval.ts'

export interface SessionOptions {
  profile: Profile
  transport: TransportName
  domainNumber: number
  dutOptions: DutOptions
  /** The operator allowed management SET (`--allow-set`). */
  allowManagementSet?: boolean
  /** Settings the DUT file states for a real device. */
  /** A real device's known configuration (`declaredDeviceSettings`). */
  declaredSettings?: ReturnType<typeof declaredDeviceSettings>
}

/** Where the harness port is. */
export interface HarnessPortLocation {
  ifname: string
  netns?: string
  mac: string
  ipv4?: string
  ipv6?: string
  /** Addresses of emulated clocks 1…N on this port (the lab adds them; a device session has none). */
  clockIpv4?: string[]
  clockIpv6?: string[]
}

/** Emulated clock identities: the port's EUI-64 with the last octet varied, so several clocks differ. */
export function harnessIdentity(mac: string, n: number): ClockIdentity {
  const base = clockIdentityFromMac(mac)
  const last = (parseInt(base.slice(-2), 16) + 0x40 + n) & 0xff
  return base.slice(0, -2) + last.toString(16).padStart(2, '0')
}

export abstract class PortSession implements Session {
  abstract readonly mode: 'lab' | 'device'
  abstract readonly timestamping: string
  readonly clockType: DutClockType = 'ordinary'
  readonly relay?: RelayPorts
  readonly delayMechanism: DelayMechanismName
  readonly dutSettings: DutSettings
  /** The role the DUT was started in (undefined: not started, or stopped). */
  protected role: DutRoleWanted | undefined
  /** What the harness ports ask of their timestamps (`--timestamping`; the lab's veths have software only). */
  protected harnessTimestamping: TimestampingRequest = 'auto'
  private openHandle: DriverHandle | undefined
  private openedAtMs = 0
  private openEngine = ''

  protected constructor(
    readonly dut: Dut,
    protected readonly h: HarnessPortLocation,
    protected readonly o: SessionOptions,
    readonly noise: HarnessNoise,
  ) {
    this.delayMechanism = o.profile.delayMechanism.default
    this.dutSettings = resolveDutSettings({
      profile: o.profile,
      mode: this.modeOf(),
      transport: o.transport,
      delayMechanism: this.delayMechanism,
      domainNumber: o.domainNumber,
      options: o.dutOptions,
      ...(o.declaredSettings ? { declared: o.declaredSettings.declared, disagreements: o.declaredSettings.disagreements } : {}),
      ...(dut.implementationSettings ? { implementation: dut.implementationSettings(o.dutOptions) } : {}),
    })
  }

  /** The session kind, known before the subclass's fields are set. */
  protected abstract modeOf(): 'lab' | 'device'

  get transport(): TransportName {
    return this.o.transport
  }
  get domainNumber(): number {
    return this.o.domainNumber
  }
  get dutOptions(): DutOptions {
    return this.o.dutOptions
  }

  get allowManagementSet(): boolean {
    return this.o.allowManagementSet === true
  }
  get harnessInterface(): string {
    return this.h.netns ? `${this.h.ifname} (netns ${this.h.netns})` : this.h.ifname
  }

  harnessClockIdentity(n: number): ClockIdentity {
    return harnessIdentity(this.h.mac, n)
  }

  abstract dutPortIdentity(): PortIdentity | undefined

  abstract dutAddress(): string | undefined

  harnessAddress(): string | undefined {
    return this.o.transport === 'udp6' ? this.h.ipv6 : this.o.transport === 'udp4' ? this.h.ipv4 : undefined
  }

  clockAddress(n: number): string | undefined {
    if (n === 0) return this.harnessAddress()
    const list = this.o.transport === 'udp6' ? this.h.clockIpv6 : this.o.transport === 'udp4' ? this.h.clockIpv4 : undefined
    // A port with no further addresses (a device session) serves one grandmaster from its own.
    if (!list?.length) return n === 1 ? this.harnessAddress() : undefined
    return list[n - 1]
  }

  /** The unicast masters a DUT slave asks: every emulated clock's own address, else the port's. */
  private unicastMasters(): string[] {
    const list = this.o.transport === 'udp6' ? this.h.clockIpv6 : this.o.transport === 'udp4' ? this.h.clockIpv4 : undefined
    const own = this.harnessAddress()
    return list?.length ? [...list] : own ? [own] : []
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

  dutExit(): DutExit | undefined {
    return (this.dut as { unexpectedExit?: () => DutExit | undefined }).unexpectedExit?.()
  }

  /** Whether the DUT is still up in the role it was put in (a lab process may have died). */
  protected dutAlive(): boolean {
    return (this.dut as { running?: boolean }).running !== false
  }

  async ensureDut(role: DutRoleWanted, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason ?? new Error('aborted')
    if (this.role === role && this.dutAlive()) return
    if (this.role !== undefined) await this.dut.stop()
    this.role = undefined
    await this.dut.start(this.dutStartOptions(role))
    this.role = role
  }

  /** How the DUT is started for a role (a relay session starts it as its kind of clock instead). */
  protected dutStartOptions(role: DutRoleWanted): DutStartOptions {
    return {
      profile: this.o.profile,
      role,
      transport: this.o.transport,
      interfaces: this.dutInterfaces(),
      options: { domainNumber: this.o.domainNumber, ...this.o.dutOptions },
      // A unicast-only slave asks the masters of its table for service: the harness is its one master.
      ...(this.o.profile.lab.needsUnicastMasterTable && this.unicastMasters().length ? { unicastMasters: this.unicastMasters() } : {}),
    }
  }

  protected abstract dutInterfaces(): { ifname: string; netns?: string; mac?: string }[]

  async restartDut(role: DutRoleWanted, signal: AbortSignal): Promise<void> {
    this.role = undefined
    await this.dut.stop()
    await this.ensureDut(role, signal)
    if (!(await this.canRestart())) await this.forgetForeignMasters(signal)
  }

  /** Whether stop/start really restarts the DUT (a lab process; a device only with hooks). */
  protected async canRestart(): Promise<boolean> {
    return true
  }

  /**
   * A device that cannot be restarted still remembers the previous test's grandmasters (the
   * harness reuses their identities): stay silent until its foreign-master records have aged
   * out (foreignMasterTimeWindow announce intervals, 1588-2019 9.3.2.5) and its own announce
   * receipt timeout has passed, so every case starts from what a fresh DUT would know.
   */
  private async forgetForeignMasters(signal: AbortSignal): Promise<void> {
    const s = this.dutSettings
    const t = logIntervalToMs(s.intervals.announce.value)
    const intervals = Math.max(this.o.profile.bmca.foreignMasterTimeWindow.value, s.announceReceiptTimeout.value) + 2
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, intervals * t)
      signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason ?? new Error('aborted'))), { once: true })
    })
  }

  drive(engine: Engine): DriverHandle {
    if (this.openHandle) throw new Error(`the harness port is already driven by engine '${this.openEngine}' (opened ${Date.now() - this.openedAtMs} ms ago); close it first`)
    const handle = this.openDriverOn(this.h, engine, 'h', () => {
      if (this.openHandle === handle) this.openHandle = undefined
    })
    this.openHandle = handle
    this.openedAtMs = Date.now()
    this.openEngine = engine.name
    return handle
  }

  /** An engine on one harness port, every frame in and out recorded; `onClose` runs when it is closed. */
  protected openDriverOn(h: HarnessPortLocation, engine: Engine, name: string, onClose: () => void): DriverHandle {
    const recorder = new Recorder()
    const udp4 = this.o.profile.transport.udp4
    const udp6 = this.o.profile.transport.udp6
    const vlan = this.vlanTag()
    const opened = openDriver({
      port: {
        interface: h.ifname,
        ...(h.netns ? { netns: h.netns } : {}),
        transport: this.o.transport,
        timestamping: this.harnessTimestamping,
        ttl: udp4?.ttl?.value ?? 1,
        hopLimit: udp6?.ttl?.value ?? 1,
        ...(vlan ? { vlan } : {}),
        // A device's state is read by management on the wire while emulated clocks run:
        // both sockets share 319/320 (multicast reaches each).
        ...(this.modeOf() === 'device' ? { reuseAddress: true } : {}),
      },
      engine,
      recorder,
      name,
      ip: this.o.transport === 'udp6' ? h.ipv6 : h.ipv4,
      // gPTP and G.8275.1 on Ethernet send every message to the peer-delay MAC.
      defaultDestination: this.o.profile.transport.l2?.primaryMac.value.toLowerCase() === '01-80-c2-00-00-0e' ? () => ({ kind: 'pdelay' }) : undefined,
    })
    opened.driver.start()
    return {
      driver: opened.driver,
      recorder,
      close: async () => {
        onClose()
        await opened.close()
      },
    }
  }

  /** The 802.1Q tag the harness puts on what it sends: the profile's, where it requires one. */
  protected vlanTag(): { pcp: number; vid: number } | undefined {
    const v = this.o.profile.transport.vlan
    return v.rule === 'required' && v.priority ? { pcp: v.priority.value, vid: v.vid?.value ?? 0 } : undefined
  }

  managementClient(): ManagementClient {
    if (this.openHandle) throw new Error('the harness port is driven by an engine; close it before managing the DUT')
    return ManagementClient.open({
      interface: this.h.ifname,
      ...(this.h.netns ? { netns: this.h.netns } : {}),
      transport: this.o.transport,
      domainNumber: this.o.domainNumber,
      transportSpecific: this.o.profile.sdo.majorSdoId.value,
      boundaryHops: 1,
    })
  }

  async close(): Promise<void> {
    await this.openHandle?.close().catch(() => undefined)
    await this.dut.stop().catch(() => undefined)
  }
}
