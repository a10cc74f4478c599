/**
 * TLV-GPTP-01's judge on evidence made by the engines: a conformant 802.1AS grandmaster
 * passes; a missing TLV, another OUI / subtype / length, a stated rate ratio the timestamps
 * contradict, and a phase change without a new gmTimeBaseIndicator fail; a jittery link
 * that cannot resolve the rate ratio is inconclusive.
 */
import { test } from '@japa/runner'
import { buildFollowUpInfoTlv } from '../../../harness/codec/tlvs/follow_up_info.ts'
import { TimeBase } from '../../../harness/engines/time_base.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import T from '../../../suites/tlv/tlv-gptp-01-follow-up-information.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { observation, orgTlv, withoutFrames, withTlvs } from '../../support/evidence/tlv.ts'

const gptp = loadProfile('gptp')
const ev = (o: ReturnType<typeof observation>) => envelope('TLV-GPTP-01', gptp, { observation: o })
const judged = (e: ReturnType<typeof ev>) => {
  const checks = T.judge(e, gptp).checks
  return { verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge TLV-GPTP-01 Follow_Up information TLV', () => {
  test('a conformant 802.1AS grandmaster passes, also after a store/load round trip', ({ assert }) => {
    const e = ev(observation(gptp, { seconds: 20 }))
    const r = judged(e)
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.deepEqual(T.judge(roundTrip(e), gptp).checks, r.checks)
  })

  test('a grandmaster whose clock runs 40 ppm fast and says so passes', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 20 }, { timeBase: new TimeBase({ frequencyPpb: 40_000 }) })))
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
  })

  test('two Syncs received 5 ms late (stalled vCPU) do not move the measured rate: a conformant grandmaster still passes', ({ assert }) => {
    const o = observation(gptp, { seconds: 20 })
    const syncs = o.recorder.frames.filter((f) => f.message?.type === 'Sync')
    const late = new Set([syncs[40]!.index, syncs[41]!.index])
    const stalled = new Recorder()
    for (const f of o.recorder.frames) {
      const { index, notes: _n, ...rest } = f
      stalled.record({ ...rest, findings: f.findings, ...(f.message ? { message: f.message } : {}), timestampNs: late.has(index) ? f.timestampNs! + 5_000_000n : f.timestampNs })
    }
    const r = judged(ev({ ...o, recorder: stalled }))
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks.filter((c) => c.verdict !== 'pass'), null, 1))
  })

  test('Sync latencies in the lab\'s three clusters (0.5, 6, 29 µs by place in the second) are resolved to 0.05 ppm from the fastest Sync of each second: a conformant grandmaster passes', ({ assert }) => {
    const o = observation(gptp, { seconds: 21 })
    const pattern = [0n, 5_500n, 28_000n, 28_500n, 28_000n, 5_500n, 28_000n, 28_200n]
    const syncIndex = new Map(o.recorder.frames.filter((f) => f.message?.type === 'Sync').map((f, i) => [f.index, i]))
    const clustered = new Recorder()
    for (const f of o.recorder.frames) {
      const { index, notes: _n, ...rest } = f
      const i = syncIndex.get(index)
      clustered.record({ ...rest, findings: f.findings, ...(f.message ? { message: f.message } : {}), timestampNs: i === undefined ? f.timestampNs : f.timestampNs! + pattern[i % pattern.length]! })
    }
    const r = judged(ev({ ...o, recorder: clustered }))
    const c = r.checks.find((x) => x.name === 'cumulativeScaledRateOffset agrees with the measured rate ratio')!
    assert.equal(c.verdict, 'pass', JSON.stringify(c))
    assert.isBelow(c.noise!, 0.05)
    assert.match(c.detail!, /the fastest Sync of each second, \d+ of \d+ pairs/)
  })

  test('on a device (or a capture) the harness clock is no rate reference: the rate check is not applicable', ({ assert }) => {
    const e = envelope('TLV-GPTP-01', gptp, { observation: observation(gptp, { seconds: 20 }) }, { mode: 'device' })
    const c = T.judge(e, gptp).checks.find((x) => x.name === 'cumulativeScaledRateOffset agrees with the measured rate ratio')!
    assert.equal(c.verdict, 'not-applicable')
  })

  test('fault: Follow_Up without the TLV fails', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 10 }, { followUpInformationTlv: false })))
    assert.equal(r.verdict, 'fail')
    assert.include(r.failed, 'Follow_Up without IEEE_802_1AS_FOLLOW_UP_INFO')
  })

  test('fault: wrong organizationId (00-80-C3) fails, naming the OUI seen', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 10 }, { mutations: [withTlvs(['Follow_Up'], [orgTlv(0x0080c3, 1, 22)])] })))
    assert.equal(r.verdict, 'fail')
    const c = r.checks.find((x) => x.name.includes('organizationId other than expected'))!
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /00-80-C3/)
  })

  test('fault: wrong organizationSubType fails', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 10 }, { mutations: [withTlvs(['Follow_Up'], [orgTlv(0x0080c2, 7, 22)])] })))
    assert.isTrue(r.failed.some((n) => n.includes('organizationSubType other than expected')), r.failed.join('; '))
  })

  test('fault: wrong lengthField fails', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 10 }, { mutations: [{ messageTypes: ['Follow_Up'], mutation: { kind: 'tlvLength', delta: 2 } }] })))
    assert.isTrue(r.failed.some((n) => n.includes('lengthField other than expected')), r.failed.join('; '))
  })

  test('fault: cumulativeScaledRateOffset stating +50 ppm while the timestamps show 0 fails', ({ assert }) => {
    const lie = buildFollowUpInfoTlv({ cumulativeScaledRateOffset: Math.round(50e-6 * 2 ** 41) })
    const r = judged(ev(observation(gptp, { seconds: 20 }, { mutations: [withTlvs(['Follow_Up'], [lie])] })))
    assert.deepEqual(r.failed, ['cumulativeScaledRateOffset agrees with the measured rate ratio'])
  })

  test('fault: a clock 40 ppm fast that states 0 fails', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 20 }, { timeBase: new TimeBase({ frequencyPpb: 40_000 }), mutations: [withTlvs(['Follow_Up'], [buildFollowUpInfoTlv()])] })))
    assert.include(r.failed, 'cumulativeScaledRateOffset agrees with the measured rate ratio')
  })

  test('fault: lastGmPhaseChange changing without a new gmTimeBaseIndicator fails', ({ assert }) => {
    const changed = buildFollowUpInfoTlv({ lastGmPhaseChange: 1000n << 16n })
    const r = judged(ev(observation(gptp, { seconds: 10 }, { mutations: [{ ...withTlvs(['Follow_Up'], [changed]), select: { kind: 'after', skip: 20 } }] })))
    assert.include(r.failed, 'lastGmPhaseChange / scaledLastGmFreqChange change only with gmTimeBaseIndicator')
  })

  test('a phase change with a new gmTimeBaseIndicator passes', ({ assert }) => {
    const changed = buildFollowUpInfoTlv({ lastGmPhaseChange: 1000n << 16n, gmTimeBaseIndicator: 1 })
    const r = judged(ev(observation(gptp, { seconds: 10 }, { mutations: [{ ...withTlvs(['Follow_Up'], [changed]), select: { kind: 'after', skip: 20 } }] })))
    assert.equal(r.verdict, 'pass', r.failed.join('; '))
  })

  test('noisy: ±100 µs arrival jitter over 5 s cannot resolve 0.1 ppm: inconclusive, with the uncertainty', ({ assert }) => {
    const r = judged(ev(observation(gptp, { seconds: 5, jitterNs: 100_000, seed: 3 })))
    assert.equal(r.verdict, 'inconclusive')
    const c = r.checks.find((x) => x.name.startsWith('cumulativeScaledRateOffset'))!
    assert.isAbove(c.noise!, 0.1)
    assert.match(c.detail!, /3σ of the median slope/)
  })

  test('a stated rate 1.1 ppm off is not failed where twice a ±12 µs time-error floor over 21 s (1.14 ppm) could fake it; 40 ppm off still fails', ({ assert }) => {
    const e = envelope('TLV-GPTP-01', gptp, { observation: observation(gptp, { seconds: 21 }, { timeBase: new TimeBase({ frequencyPpb: 1_100 }), mutations: [withTlvs(['Follow_Up'], [buildFollowUpInfoTlv()])] }) }, { noise: { ns: 2_000n, timeErrorFloorNs: 12_000n, method: 'unit test: floor ±12 µs' } })
    const c = T.judge(e, gptp).checks.find((x) => x.name === 'cumulativeScaledRateOffset agrees with the measured rate ratio')!
    assert.equal(c.verdict, 'inconclusive', JSON.stringify(c))
    assert.match(c.detail!, /can fake \(1\.\d+ ppm\)/)
  })

  test('insufficient: no Follow_Up within a watch shorter than the receipt timeout is inconclusive', ({ assert }) => {
    const o = withoutFrames(observation(gptp, { seconds: 5 }), ['Follow_Up'], 100)
    assert.equal(judged(ev(o)).verdict, 'inconclusive')
  })

  test('fault: no Follow_Up over a full receipt timeout fails', ({ assert }) => {
    const o = withoutFrames(observation(gptp, { seconds: 5 }), ['Follow_Up'], 5000)
    assert.equal(judged(ev(o)).verdict, 'fail')
  })
})
