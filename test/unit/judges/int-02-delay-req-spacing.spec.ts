/**
 * INT-02's judge on evidence made by the engines: the harness grandmaster and a simulated DUT
 * slave on a simulated link. A conformant slave passes; each fault fails; timestamp noise
 * larger than the margins makes it inconclusive. (The statistic's error rates are shown by the
 * Monte-Carlo in test/unit/stats/interval_rule.spec.ts.)
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import INT02, { type DelayReqSpacingData } from '../../../suites/int/int-02-delay-req-spacing.ts'
import { DELAY_REQ_SAMPLES } from '../../../harness/stats/delay_req_spacing.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { envelope, type EnvelopeOptions } from '../../support/evidence/simulate.ts'
import { type DutSlaveOptions, historyOf, pollReads, simulateDutSlave, timeline } from '../../support/evidence/dut_slave.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { buildSignalingMessage, defaultHeaderDefaults } from '../../../harness/engines/message_factory.ts'
import { buildGrantUnicastTransmissionTlv } from '../../../harness/codec/tlvs/unicast.ts'
import { LOG_MESSAGE_INTERVAL_UNSPECIFIED, MessageType } from '../../../harness/codec/constants.ts'
import { encodeMessage } from '../../../harness/codec/message.ts'
import { DUT_IDENTITY, HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const telecom = loadProfile('g8275-1')
const g2 = loadProfile('g8275-2')

const periodLog = (profile: Profile) => envelope('INT-02', profile, {}).dut.intervals.delayReq.value

/** The evidence with the harness's GRANT of Delay_Resp at `log` recorded first, as a unicast acquisition holds it. */
function granted(ev: ReturnType<typeof evidence>, profile: Profile, log: number) {
  const header = { ...defaultHeaderDefaults({ clockIdentity: HARNESS_IDENTITY(1), portNumber: 1 }), domainNumber: ev.session.domainNumber }
  const grant = buildSignalingMessage(header, { sequenceId: 0, logMessageInterval: LOG_MESSAGE_INTERVAL_UNSPECIFIED }, { clockIdentity: DUT_IDENTITY, portNumber: 1 },
    [buildGrantUnicastTransmissionTlv({ messageType: MessageType.Delay_Resp, logInterMessagePeriod: log, durationField: profile.transport.grantDuration!.default.value })])
  const recorder = new Recorder()
  const first = ev.data.recorder.frames[0]!.timestampNs!
  recorder.record({ direction: 'out', port: 'harness', transport: 'l2', timestampNs: first - 1n, bytes: encodeMessage(grant) })
  for (const f of ev.data.recorder.frames) recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return { ...ev, data: { ...ev.data, recorder } }
}
type Profile = typeof e2e

/** T of the profile's lab DUT, seconds. */
const periodS = (profile: Profile, o: EnvelopeOptions = {}) => 2 ** envelope('INT-02', profile, {}, o).dut.intervals.delayReq.value

/** Evidence as the acquisition leaves it: recorded until enough requests, or until its timeout. */
function evidence(profile: Profile, sim: Omit<DutSlaveOptions, 'seconds'> & { seconds?: number }, o: EnvelopeOptions = {}) {
  const T = periodS(profile, o)
  const wanted = DELAY_REQ_SAMPLES[profile.tolerances.delayReqSpacing!.rule]
  const timeoutMs = Math.ceil(1.5 * (wanted + 1) * T * 1000) + 5000
  const seconds = sim.seconds ?? (wanted + 20) * T * 1.4
  const run = simulateDutSlave(profile, { seed: 1, ...sim, ...o, seconds })
  const count = run.recorder.byType('Delay_Req', { direction: 'in' }).length
  const lockAt = run.startNs
  const data: DelayReqSpacingData = {
    recorder: run.recorder,
    lock: historyOf(pollReads({ fromNs: lockAt, toNs: lockAt + 200_000_000n, pollMs: 50, stateAt: timeline([{ atNs: 0n, portState: 'LISTENING' }, { atNs: lockAt + 100_000_000n, portState: 'SLAVE' }]), until: (s) => s.ports[0]!.portState === 'SLAVE' })),
    wanted,
    recordedMs: seconds * 1000,
    timeoutMs,
    endedBy: count > wanted ? 'enough' : 'timeout',
  }
  return envelope('INT-02', profile, data, o)
}

const verdictOf = (ev: ReturnType<typeof evidence>, profile: Profile) => {
  const checks = INT02.judge(ev, profile).checks
  return { verdict: combineChecks(checks), checks }
}

test.group('judge INT-02 Delay_Req spacing', () => {
  test('a conformant DUT slave passes: uniform (0, 2T] under the default profile, ±30 % under G.8275.1', ({ assert }) => {
    assert.equal(verdictOf(evidence(e2e, {}), e2e).verdict, 'pass')
    assert.equal(verdictOf(evidence(telecom, {}), telecom).verdict, 'pass')
  })

  test('the judge gives the same verdict on evidence stored and loaded again', ({ assert }) => {
    const ev = evidence(telecom, { seed: 4 })
    assert.deepEqual(INT02.judge(roundTrip(ev), telecom).checks, INT02.judge(ev, telecom).checks)
  })

  test('a DUT configured with another logMinDelayReqInterval is judged against its configured T', ({ assert }) => {
    const o = { dutOptions: { logMinDelayReqInterval: -2 } }
    assert.equal(verdictOf(evidence(e2e, {}, o), e2e).verdict, 'pass')
  })

  test('fault: a slave requesting 20 % too fast (rate × 1.2) fails the rate check', ({ assert }) => {
    const r = verdictOf(evidence(e2e, { clockRate: 1.2, seed: 2 }), e2e)
    assert.equal(r.verdict, 'fail')
    assert.equal(r.checks.find((c) => c.name.includes('mean interval'))!.verdict, 'fail')
  })

  test('fault: 20 % too fast under G.8275.1 (±30 % around a short T) fails the fraction rule', ({ assert }) => {
    const r = verdictOf(evidence(telecom, { clockRate: 1.2, seed: 3 }), telecom)
    assert.equal(r.verdict, 'fail')
  })

  test('unicast (G.8275.2): T is the granted Delay_Resp period; a slave at the grant passes the 90 %-of-the-grant mean, one 20 % too fast fails it', ({ assert }) => {
    const log = periodLog(g2)
    const ok = verdictOf(granted(evidence(g2, { seed: 3 }), g2, log), g2)
    const mean = ok.checks.find((c) => c.name.startsWith('Delay_Req mean interval is at least 90 % of the granted'))!
    assert.equal(mean.verdict, 'pass')
    assert.match(mean.detail!, /\d+ intervals/)
    assert.isTrue(ok.checks.some((c) => (c.detail ?? '').includes(`T = the granted Delay_Resp period 2^${log} s`)))
    const fast = verdictOf(granted(evidence(g2, { clockRate: 1.2, seed: 3 }), g2, log), g2)
    assert.equal(fast.checks.find((c) => c.name.startsWith('Delay_Req mean interval is at least 90 % of the granted'))!.verdict, 'fail')
    // Without a grant in the recording (multicast), the check is not made.
    assert.isUndefined(verdictOf(evidence(telecom, { seed: 3 }), telecom).checks.find((c) => c.name.startsWith('Delay_Req mean interval is at least 90 %')))
  })

  test('fault: a slave requesting 20 % too slow (rate × 0.8) fails (largest interval above 2T, mean)', ({ assert }) => {
    const r = verdictOf(evidence(e2e, { clockRate: 0.8, seed: 5 }), e2e)
    assert.equal(r.verdict, 'fail')
    assert.equal(r.checks.find((c) => c.name.includes('largest interval'))!.verdict, 'fail')
  })

  test('lab: one interval 200 µs beyond 2T while the machine held the harness\'s own sends 2.9 ms is inconclusive, saying so; on a device, or with no such stall, it fails', ({ assert }) => {
    /** The evidence with its largest Delay_Req interval stretched to 2T + 200 µs, and the harness's scheduled sends `lateNs` late at worst. */
    const stretched = (mode: 'lab' | 'device', lateNs: bigint) => {
      const ev = evidence(e2e, { seed: 2 }, { mode })
      const T = BigInt(periodS(e2e)) * 1_000_000_000n
      const reqs = ev.data.recorder.byType('Delay_Req', { direction: 'in' }).filter((f) => f.timestampNs !== null)
      let k = 1
      for (let i = 1; i < reqs.length; i++) if (reqs[i]!.timestampNs! - reqs[i - 1]!.timestampNs! > reqs[k]!.timestampNs! - reqs[k - 1]!.timestampNs!) k = i
      // Everything from that request on arrives later: one interval grows, the rest keep theirs.
      const shift = reqs[k - 1]!.timestampNs! + 2n * T + 200_000n - reqs[k]!.timestampNs!
      const from = reqs[k]!.timestampNs!
      const recorder = new Recorder()
      for (const f of ev.data.recorder.frames) {
        const late = f.direction === 'in' && f.timestampNs !== null && f.timestampNs >= from
        recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}), timestampNs: late ? f.timestampNs! + shift : f.timestampNs })
      }
      // The harness's own Syncs: on time but for one, held `lateNs` by the machine.
      for (let i = 0; i < 40; i++) {
        const planned = from - 20_000_000_000n + BigInt(i) * 500_000_000n
        recorder.record({ direction: 'out', port: 'harness', transport: 'l2', plannedAt: planned, timestampNs: planned + (i === 20 ? lateNs : 1_200n), bytes: new Uint8Array(44) })
      }
      return { ...ev, data: { ...ev.data, recorder } }
    }
    const largest = (ev: ReturnType<typeof stretched>) => INT02.judge(ev, e2e).checks.find((c) => c.name.includes('largest interval'))!
    const lab = largest(stretched('lab', 2_920_000n))
    assert.equal(lab.verdict, 'inconclusive', lab.detail)
    assert.match(lab.detail!, /200\.\d+ µs above 2T; .* the machine.s worst stall during the test, 2\.920000 ms \(the harness.s \d+ scheduled sends .* at worst 2\.920000 ms after their planned time; the DUT shares the lab.s vCPUs\)/)
    assert.equal(largest(stretched('device', 2_920_000n)).verdict, 'fail')
    const quiet = largest(stretched('lab', 30_000n))
    assert.equal(quiet.verdict, 'fail', quiet.detail)
    assert.match(quiet.detail!, /beyond the machine's worst stall in the test too/)
  })

  test('fault: fixed spacing where the default profile requires uniform randomisation fails the KS check', ({ assert }) => {
    const r = verdictOf(evidence(e2e, { slave: { spacing: { rule: 'fixed' } } }), e2e)
    assert.equal(r.verdict, 'fail')
    assert.equal(r.checks.find((c) => c.name.includes('Kolmogorov'))!.verdict, 'fail')
  })

  test('fault: uniform (0, 2T] spacing (ptp4l 3.1.1) under G.8275.1 ±30 % fails', ({ assert }) => {
    const r = verdictOf(evidence(telecom, { slave: { spacing: { rule: 'uniform-0-2x' } } }), telecom)
    assert.equal(r.verdict, 'fail')
  })

  test('fault: too few Delay_Req within the timeout (half the rate) fails naming the count', ({ assert }) => {
    const T = periodS(e2e)
    const wanted = DELAY_REQ_SAMPLES['uniform-0-2x']
    const ev = evidence(e2e, { clockRate: 0.5, seconds: 1.5 * (wanted + 1) * T + 5 })
    const r = verdictOf(ev, e2e)
    assert.equal(r.verdict, 'fail')
    assert.equal(r.checks.length, 1)
    assert.isBelow(r.checks[0]!.measured as number, wanted + 1)
    assert.match(r.checks[0]!.detail!, /\d+ Delay_Req \(in domain 0\) arrived in \d+\.\d s/)
  })

  test('fault: a DUT that never becomes a slave fails naming its states', ({ assert }) => {
    const t0 = 1_700_000_000_000_000_000n
    const reads = pollReads({ fromNs: t0, toNs: t0 + 20_000_000_000n, pollMs: 50, stateAt: timeline([{ atNs: t0, portState: 'LISTENING' }, { atNs: t0 + 7_000_000_000n, portState: 'MASTER' }]) })
    const ev = envelope('INT-02', e2e, { recorder: new Recorder(), lock: historyOf(reads), wanted: 256, recordedMs: 0, timeoutMs: 390_000, endedBy: 'not-slave' } satisfies DelayReqSpacingData)
    const r = verdictOf(ev, e2e)
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /never became a slave.*0\.0 s LISTENING ×\d+ → 7\.\d s MASTER ×\d+/)
  })

  test('noisy: timestamp noise of 60 ms on a 1 s interval is inconclusive with the noise on the check', ({ assert }) => {
    const noisy = { ns: 60_000_000n, timeErrorFloorNs: 60_000_000n, method: 'simulated stall-ridden link' }
    const r = verdictOf(evidence(e2e, { jitterNs: 30_000_000, seed: 6 }, { noise: noisy }), e2e)
    assert.equal(r.verdict, 'inconclusive')
    const c = r.checks.find((x) => x.verdict === 'inconclusive')!
    assert.equal(c.noise, 60_000_000)
  })

  test('stored evidence with fewer intervals than today\'s judge needs is inconclusive, not a DUT fault', ({ assert }) => {
    const ev = evidence(telecom, { seconds: 4 })
    ev.data.endedBy = 'enough'
    const r = verdictOf(ev, telecom)
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /stored evidence holds/)
  })
})
