/**
 * Observation evidence with the addressing a live capture records. The simulated link records
 * every inbound frame as L2 with only a source MAC; a live capture also keeps the destination
 * MAC, 802.1Q tag and link header (L2) or destination group and port (UDP). `addressed` gives
 * each of the DUT's frames the addressing a conformant DUT of the profile uses on the
 * session's transport; `edit` then lets a test apply the fault it targets to chosen frames.
 */
import { isEventMessage, isPeerDelayMessage } from '../../../harness/codec/constants.ts'
import { configuredIntervals } from '../../../harness/dut/settings.ts'
import type { Engine } from '../../../harness/engines/actions.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { profileHeader, testSlaveConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { TestMaster, type TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import type { Profile, TransportName } from '../../../harness/profiles/types.ts'
import type { FrameAddressing, RecordedFrame } from '../../../harness/recorder/frame.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { Observation } from '../../../suites/support/observation.ts'
import { DUT_IDENTITY, type EnvelopeOptions, HARNESS_IDENTITY, type SimulationOptions, dutMasterConfig, dutSettingsFor, observerEngine, simulate } from './simulate.ts'

export const DUT_MAC = '02:00:00:00:00:01'
const DUT_IP4 = '192.0.2.1'
const DUT_IP6 = 'fe80::1'
const mac = (s: string) => s.toLowerCase().replace(/-/g, ':')

/** What a conformant DUT of `profile` puts around a message on `transport`. */
export function conformantAddressing(profile: Profile, transport: TransportName, f: RecordedFrame): FrameAddressing & { raw?: Uint8Array } {
  const m = f.message!
  const pdelay = isPeerDelayMessage(m.header.messageType)
  const t = profile.transport
  if (transport === 'l2') {
    const dstMac = mac((pdelay ? (t.l2?.pdelayMac ?? t.l2?.primaryMac) : t.l2?.primaryMac)!.value)
    const vlan = t.vlan.rule === 'required' ? { pcp: t.vlan.priority?.value ?? 0, vid: t.vlan.vid?.value ?? 0 } : undefined
    return { srcMac: DUT_MAC, dstMac, ...(vlan ? { vlan } : {}), raw: ethernetFrame(dstMac, DUT_MAC, vlan, t.l2?.etherType?.value ?? 0x88f7, f.bytes) }
  }
  const map = transport === 'udp4' ? t.udp4 : t.udp6
  const group = (pdelay ? map?.pdelay : map?.primary)!.value.toLowerCase()
  const port = isEventMessage(m.header.messageType) ? map!.eventPort.value : map!.generalPort.value
  // DSCP 0: what the lab's stacks send unless configured (dutSettingsFor).
  return { srcIp: transport === 'udp4' ? DUT_IP4 : DUT_IP6, dstIp: group, srcPort: port, dstPort: port, dscp: 0 }
}

/** Destination, source, optional 802.1Q tag, EtherType, payload. */
export function ethernetFrame(dst: string, src: string, vlan: { pcp: number; vid: number } | undefined, etherType: number, payload: Uint8Array): Uint8Array {
  const macBytes = (s: string) => s.split(':').map((h) => parseInt(h, 16))
  const tag = vlan ? [0x81, 0x00, (vlan.pcp << 5) | ((vlan.vid >> 8) & 0x0f), vlan.vid & 0xff] : []
  return Uint8Array.from([...macBytes(dst), ...macBytes(src), ...tag, etherType >> 8, etherType & 0xff, ...payload])
}

export type FrameFault = (f: RecordedFrame, addressing: FrameAddressing & { raw?: Uint8Array }) => FrameAddressing & { raw?: Uint8Array }

/**
 * The recording again, with the DUT's inbound frames addressed as a conformant DUT would (on the
 * profile's default transport unless `transport` is given), then passed through `edit`.
 * `drop` removes addressing fields as a capture that did not keep them would.
 */
export function addressed(profile: Profile, recorder: Recorder, o: { transport?: TransportName; edit?: FrameFault } = {}): Recorder {
  const transport = o.transport ?? profile.transport.default
  const out = new Recorder()
  for (const f of recorder.frames) {
    const fromDut = f.direction === 'in' && f.message?.header.sourcePortIdentity.clockIdentity === DUT_IDENTITY
    const { index: _i, notes: _n, srcMac: _s, dstMac: _d, ...rest } = f
    let a: FrameAddressing & { raw?: Uint8Array } = {}
    if (fromDut) a = conformantAddressing(profile, transport, f)
    if (fromDut && o.edit) a = o.edit(f, a)
    out.record({ ...rest, transport, ...a, ...(f.message ? { message: f.message } : {}), findings: f.findings })
  }
  return out
}

/**
 * The lab DUT as grandmaster, as simulate.ts's `dutMasterEngine` builds it, but with the profile's
 * whole header (simulate.ts gives only the domain, so a gPTP DUT would send majorSdoId 0) and an
 * 802.1AS Pdelay_Req carrying its interval, as 802.1AS and ptp4l (port.c) do, instead of 0x7F.
 */
export function mfDutEngine(profile: Profile, o: EnvelopeOptions, fault: Partial<TestMasterConfig>): Engine {
  const s = dutSettingsFor(profile, o)
  const header = { ...profileHeader(profile), domainNumber: s.domainNumber.value, ...fault.header }
  const cfg = dutMasterConfig(profile, o, { ...fault, header })
  if (s.delayMechanism !== 'P2P') return new TestMaster(cfg)
  const requester = new TestSlave(
    testSlaveConfigFromProfile(profile, { name: 'dut-pdelay', clockIdentity: DUT_IDENTITY, intervals: configuredIntervals(s) }, {
      header: { ...cfg.header },
      delayMechanism: 'P2P',
      ...(profile.bmca.variant === '802.1as' ? { pdelayReqLogMessageInterval: 'current' as const } : {}),
      ...(fault.mutations ? { mutations: fault.mutations } : {}),
    }),
  )
  return new EngineGroup('dut', [new TestMaster(cfg), requester])
}

/** A simulated DUT-master observation with live-like addressing (see `addressed`). */
export function addressedObservation(profile: Profile, sim: SimulationOptions, fault: Partial<TestMasterConfig> = {}, o: { transport?: TransportName; edit?: FrameFault } = {}): Observation {
  const raw = simulate(mfDutEngine(profile, sim, fault), observerEngine(profile, sim), sim)
  const recorder = addressed(profile, raw, { transport: o.transport ?? dutSettingsFor(profile, sim).transport, ...(o.edit ? { edit: o.edit } : {}) })
  const firstSync = recorder.byType('Sync', { direction: 'in', domainNumber: dutSettingsFor(profile, sim).domainNumber.value })[0]
  const start = recorder.frames[0]?.timestampNs ?? 0n
  return {
    recorder,
    harnessPort: { clockIdentity: HARNESS_IDENTITY(0), portNumber: 1 },
    ...(firstSync ? { firstSyncAfterMs: Number((firstSync.timestampNs! - start) / 1_000_000n) } : {}),
    durationMs: sim.seconds * 1000,
  }
}
