/**
 * INT-06's judge on evidence from the reference DUT as a gPTP master on a simulated link, its
 * link partner (a TestMaster answering Pdelay_Req) sending the message interval requests of the
 * plan as the acquisition does. The conformant reference clock passes every phase; one ignoring
 * the requests fails the phases that change an interval; one advertising a stale
 * logMessageInterval, or sending no Sync at all, fails.
 */
import { test } from '@japa/runner'
import { buildMessageIntervalRequestTlv } from '../../../harness/codec/tlvs/message_interval_request.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import INT06, { type IntervalRequestData, phaseNs, requestPlan, type RequestPhase, settleNs } from '../../../suites/int/int-06-message-interval-request.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const gptp = loadProfile('gptp')

function simulate(faults: string[] = []): IntervalRequestData {
  const peer = new TestMaster(gmConfig(gptp, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' }))
  const group = new EngineGroup('int-06', [peer])
  const lab = refLab('gptp', { role: 'master', faults, peers: { harness: group } , linkPeer: false })
  const s = dutSettingsFor(gptp)
  const configured = { sync: s.intervals.sync.value, announce: s.intervals.announce.value }
  lab.link.run(lab.link.now + ms(5000))
  const phases: RequestPhase[] = []
  for (const plan of requestPlan(configured)) {
    if (plan.request) lab.link.control('harness', () => group.control<TestMaster>('link-peer', (p) => p.signal([buildMessageIntervalRequestTlv(plan.request)])))
    const sentAtNs = lab.link.now
    lab.link.run(lab.link.now + phaseNs(plan))
    phases.push({ ...plan, sentAtNs, untilNs: lab.link.now })
  }
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  const firstSync = recorder.frames.find((f) => f.direction === 'in' && f.message?.type === 'Sync')
  return { configured, waitedMs: 1000, phases, recorder, ...(firstSync?.timestampNs ? { firstSyncNs: firstSync.timestampNs } : {}) }
}

const judge = (d: IntervalRequestData) => INT06.judge(envelope('INT-06', gptp, d), gptp).checks

test.group('judge INT-06 message interval request', () => {
  test('settle time: the interval in flight plus the new one', ({ assert }) => {
    assert.equal(settleNs(-3, -1), 125_000_000n + 500_000_000n)
    assert.equal(settleNs('stopped', -3), 125_000_000n)
  })

  test('the conformant reference DUT adopts every request: all phases pass, also on stored evidence', ({ assert }) => {
    const d = simulate()
    const checks = judge(d)
    assert.isTrue(checks.length >= 9)
    assert.isTrue(checks.every((c) => c.verdict === 'pass'), JSON.stringify(checks.filter((c) => c.verdict !== 'pass').map((c) => [c.name, c.measured, c.detail])))
    assert.deepEqual(INT06.judge(roundTrip(envelope('INT-06', gptp, d)), gptp).checks, checks)
  })

  test('fault interval-request-ignored: the slower Sync, the faster Announce and the stop all fail', ({ assert }) => {
    const d = simulate(['interval-request-ignored'])
    const [, slower, , announceFaster, , stop] = d.phases
    const failed = judge(d).filter((c) => c.verdict === 'fail').map((c) => c.name)
    assert.isTrue(failed.some((n) => n.startsWith(`${slower!.name}: Sync`)), failed.join(' | '))
    assert.isTrue(failed.some((n) => n.startsWith(`${announceFaster!.name}: Announce`)), failed.join(' | '))
    assert.isTrue(failed.some((n) => n.startsWith(`${stop!.name}: Sync stops`)), failed.join(' | '))
    assert.isFalse(failed.some((n) => n.startsWith('control')), 'the control holds')
  })

  test('fault: a DUT sending at the new rate but advertising the old logMessageInterval fails', ({ assert }) => {
    const d = simulate()
    const slower = d.phases[1]!
    for (const f of d.recorder!.frames) {
      if (f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs! >= slower.sentAtNs && f.timestampNs! < slower.untilNs) f.message.header.logMessageInterval = d.configured.sync
    }
    const checks = judge(d).filter((x) => x.name.startsWith(`${slower.name}: Sync`))
    assert.deepEqual(checks.filter((c) => c.verdict === 'fail').map((c) => c.name), [`${slower.name}: Sync logMessageInterval`])
    assert.equal(checks.at(-1)!.measured, String(d.configured.sync))
  })

  test('fault: a DUT whose Sync never comes back after a stop (ptp4l 3.1.1) fails the resume phase, not inconclusive', ({ assert }) => {
    const d = simulate()
    const resume = d.phases.at(-1)!
    const kept = new Recorder()
    for (const f of d.recorder!.frames) if (!(f.message?.type === 'Sync' && f.timestampNs! >= resume.sentAtNs)) kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    const c = judge({ ...d, recorder: kept }).filter((x) => x.name.startsWith(resume.name))
    assert.lengthOf(c, 1)
    assert.equal(c[0]!.verdict, 'fail')
    assert.equal(c[0]!.measured, '0 Sync')
  })

  test('fault: a DUT that never sends Sync as master fails, naming what it sent', ({ assert }) => {
    const d = simulate()
    const kept = new Recorder()
    for (const f of d.recorder!.frames) if (f.message?.type !== 'Sync') kept.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    const { firstSyncNs: _, ...rest } = d
    const c = judge({ ...rest, recorder: kept })
    assert.equal(c.length, 1)
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, 'Announce')
  })
})
