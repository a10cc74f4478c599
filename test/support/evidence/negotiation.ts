/**
 * INT-07 / TLV-TEL-01 evidence made by the sans-IO engines: the DUT as a unicast grantor
 * (NegotiatingMaster around the lab DUT's master config) asked by the harness's requester, and
 * the DUT as a unicast grantee (NegotiatingSlave at the DUT's configured rates and duration)
 * served by the harness's grantor, each on a simulated link, keeping the harness port's frames.
 * A fault is a change of the DUT side's grantor or requester configuration, or a mutation.
 */
import type { Engine } from '../../../harness/engines/actions.ts'
import { testSlaveConfigFromProfile, testMasterConfigFromProfile, profileHeader } from '../../../harness/engines/from_profile.ts'
import { TestMaster, type TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { NegotiatingMaster } from '../../../harness/engines/unicast/grantor.ts'
import { type GrantorConfig, profileGrantor } from '../../../harness/engines/unicast/grant_table.ts'
import { requestDurationS, serviceRequests } from '../../../harness/engines/unicast/services.ts'
import { NegotiatingSlave, type RequesterConfig } from '../../../harness/engines/unicast/requester.ts'
import { configuredIntervals } from '../../../harness/dut/settings.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { NegotiationEvidence } from '../../../suites/support/negotiation.ts'
import { CANCELLED } from '../../../suites/support/negotiation.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'
import { DUT_IDENTITY, dutMasterConfig, dutSettingsFor, envelope, HARNESS_IDENTITY, type EnvelopeOptions } from './simulate.ts'

const S = 1_000_000_000n
// The link names nodes by MAC in the order added: the DUT first, the harness second.
const DUT_ADDR = '02:00:00:00:00:01'
const HARNESS_ADDR = '02:00:00:00:00:02'

export interface NegotiationFaults {
  /** The DUT as grantor. */
  grantor?: GrantorConfig
  /** Mutations on everything the DUT master sends (Signaling included). */
  masterFault?: Partial<TestMasterConfig>
  /** The DUT as grantee. */
  requester?: Partial<RequesterConfig>
  /** Seconds of the grantee watch (default: past the first renewal, as the live watch ends). */
  slaveSeconds?: number
  /** ± one-way jitter on both links, ns. */
  jitterNs?: number
}

function harnessFrames(link: SimulatedLink): Recorder {
  const kept = new Recorder()
  for (const f of link.recorder.frames) if (f.port === 'harness') kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return kept
}

function linkWith(dut: Engine, harness: Engine, jitterNs = 0): SimulatedLink {
  let k = 0
  const link = new SimulatedLink({ delay: () => 1_000n + (jitterNs ? BigInt(Math.round(Math.abs(Math.sin(++k * 12.9898)) * jitterNs)) : 0n) })
  link.add('dut', dut)
  link.add('harness', harness)
  link.start()
  return link
}

export function simulatedNegotiation(profile: Profile, f: NegotiationFaults = {}, o: EnvelopeOptions = {}) {
  const s = dutSettingsFor(profile, o)
  const iv = configuredIntervals(s)
  const header = { ...profileHeader(profile), domainNumber: s.domainNumber.value }
  const durationS = requestDurationS(s, profile)

  // ---- the DUT as grantor, asked by the harness
  const range = profile.transport.grantDuration?.range.value
  const dutGm = new NegotiatingMaster(new TestMaster(dutMasterConfig(profile, o, f.masterFault)), { ...profileGrantor(profile), ...f.grantor })
  const requests = serviceRequests(iv, 'E2E')
  const requester = new NegotiatingSlave(
    new TestSlave(testSlaveConfigFromProfile(profile, { name: 'requester', clockIdentity: HARNESS_IDENTITY(0), intervals: iv }, { header, delayMechanism: 'E2E' })),
    { masterAddress: DUT_ADDR, services: requests, durationS },
  )
  const a = linkWith(dutGm, requester, f.jitterNs)
  const startA = a.now
  a.advance(4n * S)
  const cancelAtNs = a.now
  a.control('harness', (now) => requester.cancel(CANCELLED, now))
  a.advance(2n * S)
  // A request for half the profile's shortest grant duration (as the live acquisition asks).
  const probe = range ? { atNs: a.now, service: 'Announce' as const, durationS: Math.floor(range[0] / 2) } : undefined
  if (probe) {
    a.control('harness', (now) => requester.probe(probe.service, iv.announce, probe.durationS, now))
    a.advance(S + S / 2n)
  }
  const asMaster = { recorder: harnessFrames(a), requested: requests, durationS, cancelAtNs, ...(probe ? { probe } : {}), startNs: startA, endNs: a.now }

  // ---- the DUT as grantee, served by the harness
  const dutSlave = new NegotiatingSlave(
    new TestSlave(testSlaveConfigFromProfile(profile, { name: 'dut', clockIdentity: DUT_IDENTITY, intervals: iv }, { header, delayMechanism: 'E2E' })),
    { masterAddress: HARNESS_ADDR, services: requests, durationS, renewAtFraction: 0.75, ...f.requester },
  )
  const gm = new NegotiatingMaster(new TestMaster(testMasterConfigFromProfile(profile, { name: 'gm', clockIdentity: HARNESS_IDENTITY(1), intervals: iv }, { header })))
  const b = linkWith(dutSlave, gm, f.jitterNs)
  const startB = b.now
  b.advance(BigInt(Math.round((f.slaveSeconds ?? durationS * 0.75 + 2) * 1e9)))
  const slaveCancelAt = b.now
  b.control('harness', (now) => [...gm.cancel(CANCELLED, now), ...gm.cancel('Delay_Resp', now)])
  b.advance(2n * S)
  const asSlave = { recorder: harnessFrames(b), lock: [], cancelAtNs: slaveCancelAt, delayRespCancelAtNs: slaveCancelAt, startNs: startB, endNs: b.now, endedBy: 'renewed' as const }

  const data: NegotiationEvidence = { asMaster, asSlave }
  return data
}

export function negotiationEvidence(test: 'INT-07' | 'TLV-TEL-01', profile: Profile, f: NegotiationFaults = {}, o: EnvelopeOptions = {}) {
  return envelope(test, profile, simulatedNegotiation(profile, f, o), o)
}

/**
 * Both negotiations of `simulatedNegotiation` as one capture of the chosen DUT: `analyze` tells
 * clocks apart by sender, so every frame is as received.
 */
export function negotiationCapture(profile: Profile, f: NegotiationFaults = {}) {
  const d = simulatedNegotiation(profile, f)
  const recorder = new Recorder()
  for (const x of [...d.asMaster.recorder.frames, ...d.asSlave.recorder.frames]) recorder.record({ ...x, direction: 'in', findings: x.findings, ...(x.message ? { message: x.message } : {}) })
  return capturedObservation(recorder)
}

/** A capture's observation of the DUT (no harness took part). */
export function capturedObservation(recorder: Recorder) {
  return { recorder, harnessPort: { clockIdentity: '000000.0000.000000', portNumber: 0 }, durationMs: 60_000, dut: { clockIdentity: DUT_IDENTITY, portNumber: 1 } }
}
