/**
 * The session a conformance run works in: one DUT, one harness port, the profile's
 * transport and domain. Tests ask it for the DUT in a role and for engines driven on
 * the harness port; they never build namespaces or open sockets themselves, which is
 * what lets the same test run in the virtual lab and against a real device.
 */
import type { ClockIdentity, PortIdentity } from '../codec/types.ts'
import type { Dut, DutDescription, DutExit, DutOptions } from '../dut/types.ts'
import type { DutSettings } from '../dut/settings.ts'
import type { Engine } from '../engines/actions.ts'
import type { HeaderDefaults } from '../engines/message_factory.ts'
import type { DelayMechanismName, TransportName } from '../profiles/types.ts'
import type { ManagementClient } from '../management/client.ts'
import type { Recorder } from '../recorder/recorder.ts'
import type { PortDriver } from '../runtime/port_driver.ts'

/** master: grandmaster-only (masterOnly); slave: slave-only; auto: an ordinary clock that may be either. */
/** The harness's own measurement uncertainty, measured at session start. */
export interface HarnessNoise {
  /** Per-timestamp ± (3 σ from the MAD of a self-check): the ± on one timestamp, interval or margin. */
  ns: bigint
  /**
   * How far a timestamp may sit from the frame's true passage, for time-error measurements:
   * with software timestamps the stamp is taken somewhere in the stack, so the floor is the
   * median one-way latency through it plus the ± above (hardware timestamps make it far smaller).
   */
  timeErrorFloorNs: bigint
  /**
   * How far the two directions of the path may differ systematically beyond that spread, which
   * a two-way quantity (an offset, a one-way delay difference) carries. Absent: none is known,
   * and a judge allows nothing for it.
   */
  pathAsymmetryNs?: bigint
  /**
   * How late a single timestamp was seen in the measurement (the slowest probe's latency − the
   * median, stalls included): the ± for an extreme (a largest interval), which one late
   * timestamp moves and no averaging shrinks. Absent: only `ns` is known.
   */
  tailNs?: bigint
  /**
   * The median one-way latency of the probes (TX stamp to RX stamp), where both ends are stamped
   * by one clock: what a frame spends on a link and in the two stacks, as opposed to in a DUT.
   */
  latencyNs?: bigint
  /**
   * Lab only: the per-timestamp ± of probes sent from the DUT's end, where a lab DUT takes its own
   * stamps on the same kernel paths; a quantity built from the DUT's stamps too (a two-way time
   * error) carries the larger of this and `ns`.
   */
  farEndNs?: bigint
  method: string
  /** Probes delayed far beyond the noise (vCPU stalls) during the measurement. */
  stalls?: number
  /** How many probes the figures come from (with `stalls`: the share of frames a stall delays). */
  probes?: number
}

export type DutRoleWanted = 'master' | 'slave' | 'auto'

/**
 * What kind of clock the DUT is. An ordinary clock has one port facing the harness; a boundary or
 * transparent clock sits between two harness ports (upstream: where the grandmaster is, downstream:
 * where its slaves are) and is tested as a relay.
 */
export type DutClockType = 'ordinary' | 'boundary' | 'e2e-tc' | 'p2p-tc'
export const DUT_CLOCK_TYPES: readonly DutClockType[] = ['ordinary', 'boundary', 'e2e-tc', 'p2p-tc']
/** Each kind of clock in words, with its article. */
export const CLOCK_NAMES: Record<DutClockType, string> = { ordinary: 'an ordinary clock', boundary: 'a boundary clock', 'e2e-tc': 'an E2E transparent clock', 'p2p-tc': 'a P2P transparent clock' }

/** One link's latency and ± in each direction (software paths differ by direction by microseconds). */
export interface LinkDirections {
  /** Away from the grandmaster: the way Sync goes. */
  towardSlave: HarnessNoise
  /** Toward the grandmaster: the way Delay_Req goes. */
  towardGrandmaster: HarnessNoise
}

/** The two links around a relay DUT: harness port ⇄ DUT port 1 (upstream), DUT port 2 ⇄ harness port (downstream). */
export interface RelayLinks {
  upstream: LinkDirections
  downstream: LinkDirections
}

/** The second harness port of a relay session, on the DUT's downstream side. */
export interface RelayPorts {
  readonly clockType: Exclude<DutClockType, 'ordinary'>
  /** e.g. `hb (netns …)`. */
  readonly downstreamInterface: string
  /** The DUT's port identities as they appear on the wire: [upstream port, downstream port]. */
  dutPortIdentities(): [PortIdentity, PortIdentity]
  /** Drive an engine on the downstream port, alongside whatever `drive` runs upstream. */
  driveDownstream(engine: Engine): DriverHandle
  /** Emulated clock identities on the downstream port (apart from the upstream port's). */
  downstreamClockIdentity(n: number): ClockIdentity
  /**
   * The median one-way latency of each harness↔DUT link through the software stacks, in each
   * direction, measured now (a lab DUT is stopped meanwhile and started again: its sockets would
   * change how probes from its ports are stamped): a residence time measured from the harness's
   * TX and RX timestamps still holds both links.
   */
  measureLinks(): Promise<RelayLinks>
}

export interface DriverHandle {
  driver: PortDriver
  recorder: Recorder
  /** Stop the engine(s), wait for TX timestamps in flight, close the port. */
  close(): Promise<void>
}

export interface Session {
  readonly mode: 'lab' | 'device'
  readonly transport: TransportName
  readonly delayMechanism: DelayMechanismName
  readonly domainNumber: number
  /** Timestamping mode of the harness port ('software' on veth). */
  readonly timestamping: string
  readonly harnessInterface: string
  /** Clock identities the harness may use for emulated clocks (unique, derived from its MAC). */
  harnessClockIdentity(n: number): ClockIdentity
  /** The DUT's port identity as it appears on the wire, once known. */
  dutPortIdentity(): PortIdentity | undefined
  /** The DUT's IP address on the run's transport (unicast profiles send to it); undefined on L2 or when unknown. */
  dutAddress(): string | undefined
  /** The harness port's own IP address on the run's transport (a DUT's unicast master table names it). */
  harnessAddress(): string | undefined
  /**
   * Emulated clock n's own address (0: the port's): under a unicast profile each emulated
   * grandmaster sends from, and answers at, its own. undefined where the port has none for n.
   */
  clockAddress(n: number): string | undefined
  readonly dut: Dut
  /** The DUT's kind of clock; a boundary or transparent clock comes with the second port in `relay`. */
  readonly clockType: DutClockType
  readonly relay?: RelayPorts
  dutDescription(): Promise<DutDescription>
  /** What the DUT is configured to do: what tests judge its behaviour against. */
  readonly dutSettings: DutSettings
  /** Extra DUT settings in force (passed through to the implementation). */
  readonly dutOptions: DutOptions
  /** Management SET may be sent to the DUT (`--allow-set`). */
  readonly allowManagementSet: boolean
  /** Header defaults every emulated clock uses (domain, SDO ids, versions) for this profile. */
  headerDefaults(): Partial<Omit<HeaderDefaults, 'sourcePortIdentity'>>
  /** Bring the DUT into the role (restarting it if it is in another one or was stopped). */
  ensureDut(role: DutRoleWanted, signal: AbortSignal): Promise<void>
  /** Restart the DUT in a role with a clean state (no foreign masters, no history). */
  restartDut(role: DutRoleWanted, signal: AbortSignal): Promise<void>
  /** Drive `engine` on the harness port; every frame in and out lands in the handle's recorder. */
  drive(engine: Engine): DriverHandle
  /** A PTP management client on the harness port (close it when done; not while an engine drives the port). */
  managementClient(): ManagementClient
  /** Measured harness noise at session start and how it was measured. */
  readonly noise: HarnessNoise
  /** Measure the noise again, now (before each test), where the session can. */
  measureNoise?(): Promise<HarnessNoise>
  /** The DUT process's exit the harness did not ask for (lab DUTs we started), if it happened. */
  dutExit?(): DutExit | undefined
  close(): Promise<void>
}
