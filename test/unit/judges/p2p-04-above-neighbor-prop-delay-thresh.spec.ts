/**
 * P2P-04's judge on evidence from the reference DUT as a gPTP master on a simulated link, its
 * link partner emulating a link twice the configured threshold long and then short again, as
 * the acquisition does. The conformant reference clock (asCapable gated by the threshold) stops
 * and resumes Sync and passes; with the threshold ignored it keeps sending and fails; one that
 * never resumes, or never sends, fails.
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import P2P04, { extraDelay, type ThreshData, type ThreshPhase } from '../../../suites/p2p/p2p-04-above-neighbor-prop-delay-thresh.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const gptp = loadProfile('gptp')

function simulate(faults: string[] = []): ThreshData {
  const settings = dutSettingsFor(gptp)
  const threshNs = BigInt(settings.neighborPropDelayThreshNs!.value)
  const interval = settings.intervals.pdelayReq.value
  const windowNs = 16n * logIntervalToNs(interval)
  const peer = new TestMaster(gmConfig(gptp, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' }))
  const group = new EngineGroup('p2p-04', [peer])
  const lab = refLab('gptp', { role: 'master', faults, peers: { harness: group }, linkPeer: false })
  lab.link.run(lab.link.now + ms(5000))
  const phases: ThreshPhase[] = []
  for (const [name, extraNs, dur] of [['control', 0n, ms(3000)], ['above', extraDelay(threshNs), 2n * windowNs], ['back', 0n, windowNs + ms(2000)]] as [ThreshPhase['name'], bigint, bigint][]) {
    lab.link.control('harness', () => group.control<TestMaster>('link-peer', (p) => p.setPathDelay(extraNs ? { toDutNs: extraNs, fromDutNs: extraNs } : undefined)))
    const fromNs = lab.link.now
    lab.link.run(lab.link.now + dur)
    phases.push({ name, extraNs, fromNs, untilNs: lab.link.now })
  }
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  const first = recorder.frames.find((f) => f.direction === 'in' && f.message?.type === 'Sync')
  return { threshNs, logPdelayReqInterval: interval, waitedMs: 1000, phases, recorder, ...(first?.timestampNs ? { firstSyncNs: first.timestampNs } : {}) }
}

const judge = (d: ThreshData) => P2P04.judge(envelope('P2P-04', gptp, d), gptp).checks
const without = (d: ThreshData, keep: (f: Recorder['frames'][number]) => boolean) => {
  const r = new Recorder()
  for (const f of d.recorder!.frames) if (keep(f)) r.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return { ...d, recorder: r }
}

test.group('judge P2P-04 neighborPropDelayThresh', () => {
  test('the conformant reference DUT stops Sync over the long link and resumes over the short one; the lab threshold is not judged against the profile\'s', ({ assert }) => {
    const d = simulate()
    const checks = judge(d)
    assert.equal(checks[0]!.verdict, 'not-applicable', 'the lab configures its own threshold')
    assert.deepEqual(checks.slice(1).map((c) => c.verdict), ['pass', 'pass', 'pass'], JSON.stringify(checks.map((c) => [c.name, c.measured, c.detail])))
    assert.equal(combineChecks(checks), 'pass')
    assert.deepEqual(P2P04.judge(roundTrip(envelope('P2P-04', gptp, d)), gptp).checks, checks)
  })

  test('fault neighbor-delay-thresh-ignored: Sync goes on over the long link and fails, naming the frames', ({ assert }) => {
    const c = judge(simulate(['neighbor-delay-thresh-ignored']))
    assert.equal(c[2]!.verdict, 'fail')
    assert.include(c[2]!.detail!, 'stayed asCapable')
  })

  test('fault: a DUT that never resumes after the link is short again fails', ({ assert }) => {
    const d = simulate()
    const back = d.phases[2]!
    const c = judge(without(d, (f) => !(f.message?.type === 'Sync' && f.timestampNs! >= back.fromNs)))
    assert.equal(c[3]!.verdict, 'fail')
    assert.equal(c[3]!.measured, 'no Sync')
  })

  test('fault: a DUT that sends no Sync over a short link fails with what it sent', ({ assert }) => {
    const d = simulate()
    const { firstSyncNs: _, ...rest } = without(d, (f) => f.message?.type !== 'Sync')
    const c = judge(rest)
    assert.equal(c.at(-1)!.verdict, 'fail')
    assert.include(c.at(-1)!.detail!, 'Announce')
  })

  test('a threshold set by a DUT option other than the profile\'s fails the configuration check', ({ assert }) => {
    const d = simulate()
    const c = P2P04.judge(envelope('P2P-04', gptp, d, { dutOptions: { neighborPropDelayThresh: 5000 } }), gptp).checks
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, 'dut option')
  })
})
