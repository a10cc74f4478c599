/**
 * Reproducers: what a simulated campaign attached reads back as the same octets, facts and
 * cases, replays as the campaign's own case, keeps a short L2 frame's true length past the
 * Ethernet padding, and a capture without the facts is refused.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { fuzzCase } from '../../../harness/fuzz/cases.ts'
import { readReproducer, reproducerPcapng, ReproducerError } from '../../../harness/fuzz/reproducer.ts'
import { replayCases, ReplayRefused } from '../../../harness/fuzz/replay_cases.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { recordingToPcapng } from '../../../harness/recorder/pcapng_export.ts'
import { FUZZ_DEFAULTS } from '../../../suites/support/fuzz_campaign.ts'
import { simulatedCampaign } from '../../support/evidence/fuzz.ts'
import { START_NS } from '../../support/evidence/bmca.ts'

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex')
const meta = { seed: 9, profile: 'default-e2e', transport: 'l2' as const, domainNumber: 0, grandmaster: { clockIdentity: '020000.fffe.000041', portNumber: 1 }, stranger: { clockIdentity: '020000.fffe.000043', portNumber: 1 }, cases: [{ id: '4.2', description: 'length: cut' }], problems: [] }

test('the reproducer a campaign attached holds the minimal case\'s octets, its seed and what it did', async ({ assert }) => {
  const { evidence, files, rig } = await simulatedCampaign(loadProfile('default-e2e'), { minutes: 0.1 }, { faults: ['crashes-on-tlv-overrun'] })
  const failure = evidence.data.failures[0]!
  const [name, bytes] = [...files.entries()][0]!
  assert.equal(failure.reproducer, `evidence/${name}`)
  const { meta: m, frames } = readReproducer(bytes)
  assert.equal(m.seed, 1)
  assert.deepEqual(m.cases.map((c) => c.id), failure.minimal!.cases.map((c) => c.id))
  assert.deepEqual(m.problems.map((p) => p.kind), ['crashed'])
  const [batch, index] = m.cases[0]!.id.split('.').map(Number) as [number, number]
  // The batch's start time is not stored: the octets do not depend on it except for timestamps, so compare the header.
  const again = fuzzCase(rig.target, { seed: 1, batch, size: FUZZ_DEFAULTS.batchSize, spanNs: BigInt(FUZZ_DEFAULTS.batchSpanMs) * 1_000_000n, timeNs: START_NS }, index)
  assert.equal(frames.length, again.frames.length)
  frames.forEach((f, i) => assert.equal(hex(f.payload.subarray(0, 34)), hex(again.frames[i]!.octets.subarray(0, 34))))
  const cases = replayCases(rig.target, m, frames)
  assert.lengthOf(cases, 1)
  assert.equal(hex(cases[0]!.frames[0]!.octets), hex(frames[0]!.payload))
  assert.equal(cases[0]!.description, m.cases[0]!.description)
})

test('a 10-octet L2 frame comes back as 10 octets, not with the Ethernet padding', ({ assert }) => {
  const r = new Recorder()
  const octets = Uint8Array.from([0x0b, 0x02, 0x00, 0x40, 0x00, 1, 2, 3, 4, 5])
  r.record({ direction: 'out', port: 'h', transport: 'l2', timestampNs: 5_000n, bytes: octets, reason: { source: 'fuzz', step: 'case 4.2 from the stranger', mutations: ['cut'] }, srcMac: '02:00:00:00:00:01', dstMac: '01:1b:19:00:00:00' })
  r.record({ direction: 'out', port: 'h', transport: 'l2', timestampNs: 1_005_000n, bytes: octets, reason: { source: 'fuzz', step: 'case 4.3 from the grandmaster', mutations: [] }, srcMac: '02:00:00:00:00:01', dstMac: '01:80:c2:00:00:0e' })
  const bytes = reproducerPcapng(r.frames, meta, (f) => (f.reason!.step.endsWith('stranger') ? 'stranger' : 'grandmaster'), (f) => f.reason!.step.split(' ')[1]!)
  const back = readReproducer(bytes)
  assert.equal(hex(back.frames[0]!.payload), hex(octets))
  assert.deepEqual(back.frames.map((f) => [f.caseId, f.sender, f.destination, f.offsetNs]), [['4.2', 'stranger', 'primary', 0n], ['4.3', 'grandmaster', 'pdelay', 1_000_000n]])
})

test('a capture without reproducer facts, or frames of another domain, are refused with why', ({ assert }) => {
  const r = new Recorder()
  r.record({ direction: 'out', port: 'h', transport: 'l2', timestampNs: 5_000n, bytes: new Uint8Array(44), srcMac: '02:00:00:00:00:01' })
  assert.throws(() => readReproducer(recordingToPcapng(r)), ReproducerError as never)
  assert.throws(() => readReproducer(Uint8Array.from([1, 2, 3])), /not a capture file/)
  const bytes = reproducerPcapng(r.frames, { ...meta, cases: [{ id: '0.0', description: 'x' }] }, () => 'stranger', () => '0.0')
  const { meta: m, frames } = readReproducer(bytes)
  frames[0]!.payload[4] = 7
  const target = { header: { domainNumber: 0, majorSdoId: 0, minorSdoId: 0, versionPTP: 2, minorVersionPTP: 0, controlField: 'zero' as const }, grandmaster: meta.grandmaster, stranger: meta.stranger, delayMechanism: 'E2E' as const, announce: { priority1: 128, priority2: 128, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, timeSource: 0xa0, currentUtcOffset: 37 }, intervals: { announce: 1, sync: 0, delayReq: 0 }, allowManagementSet: false }
  assert.throws(() => replayCases(target, m, frames), ReplayRefused as never)
})

test('over UDP the destination is read from the IP: the peer-delay group, the primary group, or the DUT itself', ({ assert }) => {
  const r = new Recorder()
  const octets = Uint8Array.from([0x0b, 0x02, 0x00, 0x0a, 0x00, 1, 2, 3, 4, 5])
  const out = (ts: bigint, dstIp: string) => r.record({ direction: 'out', port: 'h', transport: 'udp4', timestampNs: ts, bytes: octets, reason: { source: 'fuzz', step: 'case 1.1 from the stranger', mutations: [] }, srcMac: '02:00:00:00:00:01', dstMac: '01:00:5e:00:01:81', srcIp: '192.0.2.1', dstIp, srcPort: 320, dstPort: 320 })
  out(1_000n, '224.0.1.129')
  out(2_000n, '224.0.0.107')
  out(3_000n, '192.0.2.2')
  const back = readReproducer(reproducerPcapng(r.frames, meta, () => 'stranger', () => '1.1'))
  assert.deepEqual(back.frames.map((f) => f.destination), ['primary', 'pdelay', 'unicast'])
  assert.equal(hex(back.frames[2]!.payload), hex(octets))
})
