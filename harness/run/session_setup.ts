/**
 * What `run`, `fuzz` and `replay` do alike before anything is sent: pick the transport and domain,
 * refuse an interface that looks like production, and open the session (the virtual lab with a
 * software DUT, or a real device described by its DUT file).
 */
import { CliError, ExitCode } from './exit_codes.ts'
import type { Profile, TransportName } from '../profiles/types.ts'
import { DeviceSession } from './device_session.ts'
import { DeviceRelaySession, relayClockOf } from './device_relay_session.ts'
import { loadDutFile, type DutFilePort } from '../dut/remote/dut_file.ts'
import { LabSession, type LabSessionOptions } from './lab_session.ts'
import { RelayLabSession, type RelayLabSessionOptions } from './relay_lab_session.ts'
import { implClockRefusal } from './options.ts'
import { CLOCK_NAMES, type DutClockType } from './session_types.ts'
import type { RunOptions } from './options.ts'
import { assessInterface, gatherInterfaceFacts } from './safety.ts'
import type { Session } from './session_types.ts'

export function pickTransport(profile: Profile, wanted: TransportName | undefined): TransportName {
  const t = wanted ?? profile.transport.default
  if (!profile.transport.allowed.includes(t)) {
    throw new CliError(`profile ${profile.id} allows transports ${profile.transport.allowed.join(', ')}, not ${t}`)
  }
  return t
}

/** --domain, else (in the lab) the domain the lab DUT is configured with, else the profile's default. */
export function pickDomain(profile: Profile, wanted: number | undefined, mode: RunOptions['mode']): number {
  const lab = profile.lab.ptp4l.domainNumber
  const d = wanted ?? (mode === 'lab' && lab !== undefined && lab !== null ? Number(lab) : profile.domain.default.value)
  const [lo, hi] = profile.domain.range.value
  if (d < lo || d > hi) throw new CliError(`domainNumber ${d} is outside profile ${profile.id}'s range ${lo}..${hi}`)
  return d
}

export type SafetyOptions = Pick<RunOptions, 'interface' | 'noisePort' | 'allowNets' | 'acknowledgeTestNetwork'>

/** Refuses (exit 2) a real interface that looks like production; the facts of the one allowed. */
export function checkTransmitSafety(o: SafetyOptions, domainNumber: number): ReturnType<typeof gatherInterfaceFacts> {
  const facts = gatherInterfaceFacts(o.interface!)
  const verdict = assessInterface(facts, o.allowNets, o.acknowledgeTestNetwork)
  for (const r of verdict.reasons) console.log(`  safety: ${r}`)
  if (!verdict.ok) {
    throw new CliError(
      `refusing to transmit on ${o.interface}: it looks like a production network. Use a test network, list its addresses with --allow-net, or pass --i-know-this-is-a-test-network`,
      ExitCode.usage,
    )
  }
  if (o.noisePort) {
    // The noise port transmits too (probes in domain 255, majorSdoId 15): the same safety rule applies.
    const np = assessInterface(gatherInterfaceFacts(o.noisePort), o.allowNets, o.acknowledgeTestNetwork)
    for (const r of np.reasons) console.log(`  safety (--noise-port): ${r}`)
    if (!np.ok) throw new CliError(`refusing to transmit noise probes on ${o.noisePort}: it looks like a production network (--allow-net or --i-know-this-is-a-test-network)`, ExitCode.usage)
  }
  console.log(`  transmitting only on ${o.interface}${o.noisePort ? ` (noise probes also from ${o.noisePort}, domain 255)` : ''}, domain ${domainNumber}`)
  return facts
}

export type SessionSetupOptions = Pick<RunOptions, 'mode' | 'dutImpl' | 'dutFaults' | 'dutOptions' | 'allowSet' | 'interface' | 'dutFile' | 'noisePort'> &
  Partial<Pick<RunOptions, 'dutClock' | 'timestamping' | 'allowNets' | 'acknowledgeTestNetwork'>>

/** The lab (pair topology, or dual for a boundary/transparent clock; the chosen software DUT) or the real device's session. */
export async function openSession(o: SessionSetupOptions, profile: Profile, transport: TransportName, domainNumber: number, deviceFacts?: ReturnType<typeof gatherInterfaceFacts>): Promise<Session> {
  const clock = o.dutClock ?? 'ordinary'
  const refusal = o.mode === 'lab' ? implClockRefusal(o.dutImpl, clock) : undefined
  if (refusal) throw new CliError(refusal, ExitCode.usage)
  if (o.mode === 'lab' && clock !== 'ordinary') {
    refuseClockMechanism(profile, clock)
    console.log(`  building the virtual lab (dual topology) with a ${o.dutImpl} DUT as ${CLOCK_NAMES[clock]} …`)
    return RelayLabSession.create({ profile, transport, domainNumber, clockType: clock, dutImpl: o.dutImpl as RelayLabSessionOptions['dutImpl'], dutOptions: o.dutOptions, allowManagementSet: o.allowSet })
  }
  if (o.mode === 'lab') {
    console.log(`  building the virtual lab (pair topology) with a ${o.dutImpl} DUT …`)
    return LabSession.create({ profile, transport, domainNumber, dutImpl: o.dutImpl as LabSessionOptions['dutImpl'], dutFaults: o.dutFaults, dutOptions: o.dutOptions, allowManagementSet: o.allowSet })
  }
  const addr = (v6: boolean) => deviceFacts?.addresses.find((a) => a.includes(':') === v6)?.split('/')[0]
  const file = loadDutFile(o.dutFile!)
  const options = { profile, transport, domainNumber, dutOptions: o.dutOptions, allowManagementSet: o.allowSet, interface: o.interface!, dutFile: o.dutFile!, file, ...(o.noisePort ? { noisePort: o.noisePort } : {}), ...(o.timestamping ? { timestamping: o.timestamping } : {}), ipv4: addr(false), ipv6: addr(true) }
  const relayClock = relayClockOf(file)
  if (!relayClock) return hardwareRefusalIsUsage(() => DeviceSession.create(options))
  refuseClockMechanism(profile, relayClock)
  if (file.ports![0]!.interface !== o.interface) throw new CliError(`${file.file}: --interface ${o.interface} is not the upstream port's harness interface (${file.ports![0]!.interface})`, ExitCode.usage)
  checkDownstreamSafety(file.ports![1]!, o)
  console.log(`  ${file.name} is ${CLOCK_NAMES[relayClock]}: DUT port ${file.ports![0]!.port} faces ${o.interface}, port ${file.ports![1]!.port} faces ${file.ports![1]!.interface}`)
  return hardwareRefusalIsUsage(() => DeviceRelaySession.create(options))
}

/** A transparent clock has its delay mechanism: a profile that forbids it cannot have that clock (lab or device). */
function refuseClockMechanism(profile: Profile, clock: DutClockType): void {
  const mech = clock === 'p2p-tc' ? 'P2P' : clock === 'e2e-tc' ? 'E2E' : undefined
  if (mech && !profile.delayMechanism.allowed.includes(mech)) throw new CliError(`profile ${profile.id} allows ${profile.delayMechanism.allowed.join(', ')} only: not ${CLOCK_NAMES[clock]}`, ExitCode.usage)
}

/** `--timestamping hardware` on a NIC without it is what the operator asked of the interface, not a failure of ours: exit 2 (run and replay alike). */
async function hardwareRefusalIsUsage<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open()
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOTSUP_HW_TIMESTAMPING') throw new CliError(`--timestamping hardware: ${(err as Error).message}`, ExitCode.usage)
    throw err
  }
}

/** The downstream harness interface of a relay device transmits too: the same safety rule. */
function checkDownstreamSafety(p: DutFilePort, o: SessionSetupOptions): void {
  const v = assessInterface(gatherInterfaceFacts(p.interface, p.netns), o.allowNets ?? [], o.acknowledgeTestNetwork ?? false)
  for (const r of v.reasons) console.log(`  safety (downstream ${p.interface}): ${r}`)
  if (!v.ok) throw new CliError(`refusing to transmit on ${p.interface} (the DUT file's downstream port): it looks like a production network (--allow-net or --i-know-this-is-a-test-network)`, ExitCode.usage)
}
