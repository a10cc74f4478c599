/**
 * P2P-05's judge on evidence from the reference DUT as a gPTP master on a simulated link whose
 * link partner stops answering Pdelay_Req and then answers again, as the acquisition does. The
 * conformant reference clock (allowedLostResponses 9) keeps Sync through 9 lost responses and
 * stops after the 10th; with asCapable dropped after 1 it fails; one that never stops, never
 * resumes, or is configured against the profile fails.
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import P2P05, { type LostResponsesData } from '../../../suites/p2p/p2p-05-allowed-lost-responses.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const gptp = loadProfile('gptp')

function simulate(faults: string[] = []): LostResponsesData {
  const s = dutSettingsFor(gptp)
  const allowed = s.allowedLostResponses!.value
  const interval = s.intervals.pdelayReq.value
  const T = logIntervalToNs(interval)
  const peer = new TestMaster(gmConfig(gptp, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' }))
  const group = new EngineGroup('p2p-05', [peer])
  const lab = refLab('gptp', { role: 'master', faults, peers: { harness: group }, linkPeer: false })
  lab.link.run(lab.link.now + ms(7000))
  // Between two requests, as a live silence usually lands.
  lab.link.run(lab.link.now + T / 3n)
  lab.link.control('harness', () => group.control<TestMaster>('link-peer', (p) => p.silence({ announce: false, sync: false, answers: true })))
  const silencedAtNs = lab.link.now
  lab.link.run(lab.link.now + BigInt(allowed + 5) * T + ms(1000))
  lab.link.control('harness', (now) => group.control<TestMaster>('link-peer', (p) => p.resume(now, { announce: false, sync: false, answers: true })))
  const resumedAtNs = lab.link.now
  lab.link.run(lab.link.now + 16n * T + ms(2000))
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  const first = recorder.frames.find((f) => f.direction === 'in' && f.message?.type === 'Sync')
  return { allowed, logPdelayReqInterval: interval, waitedMs: 1000, silencedAtNs, resumedAtNs, endNs: lab.link.now, recorder, ...(first?.timestampNs ? { firstSyncNs: first.timestampNs } : {}) }
}

const judge = (d: LostResponsesData, dutOptions = {}) => P2P05.judge(envelope('P2P-05', gptp, d, { dutOptions }), gptp).checks
const keep = (d: LostResponsesData, ok: (f: Recorder['frames'][number]) => boolean) => {
  const r = new Recorder()
  for (const f of d.recorder!.frames) if (ok(f)) r.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return { ...d, recorder: r }
}

test.group('judge P2P-05 allowedLostResponses', () => {
  test('the conformant reference DUT keeps Sync through 9 lost responses, stops after the 10th and resumes; also on stored evidence', ({ assert }) => {
    const d = simulate()
    const c = judge(d)
    assert.deepEqual(c.map((x) => x.verdict), ['pass', 'pass', 'pass'], JSON.stringify(c.map((x) => [x.name, x.measured, x.detail])))
    assert.equal(c[1]!.measured, `${d.allowed + 1} unanswered before the last Sync`)
    assert.deepEqual(P2P05.judge(roundTrip(envelope('P2P-05', gptp, d)), gptp).checks, c)
  })

  test('fault lost-responses-early: Sync stops after 1 lost response of the 9 allowed and fails', ({ assert }) => {
    const d = simulate(['lost-responses-early'])
    const c = judge(d)
    assert.equal(c[1]!.verdict, 'fail')
    assert.include(c[1]!.detail!, `fewer than ${d.allowed + 1}`)
    assert.equal(combineChecks(c), 'fail')
  })

  test('fault: a DUT whose Sync goes on with every response lost fails', ({ assert }) => {
    const d = simulate()
    // Syncs from the resumed phase shifted back: Sync never stopped.
    const late = d.recorder!.frames.filter((f) => f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs! >= d.resumedAtNs!)
    const shifted = new Recorder()
    for (const f of d.recorder!.frames) shifted.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    for (const f of late) shifted.record({ ...f, timestampNs: f.timestampNs! - (d.resumedAtNs! - d.silencedAtNs!), findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    const c = judge({ ...d, recorder: shifted })
    assert.equal(c[1]!.verdict, 'fail')
    assert.include(c[1]!.detail!, `went on beyond ${d.allowed + 2}`)
  })

  test('fault: a DUT that does not resume when answered again fails', ({ assert }) => {
    const d = simulate()
    const c = judge(keep(d, (f) => !(f.message?.type === 'Sync' && f.timestampNs! >= d.resumedAtNs!)))
    assert.equal(c[2]!.verdict, 'fail')
    assert.equal(c[2]!.measured, 'no Sync')
  })

  test("a DUT configured with another allowedLostResponses than the profile's (linuxptp's default 3 under 802.1AS-2020's 9) fails that check", ({ assert }) => {
    const c = judge(simulate(), { allowedLostResponses: gptp.peerDelay!.allowedLostResponses!.value - 6 })
    assert.equal(c[0]!.verdict, 'fail')
    assert.include(c[0]!.detail!, `allowedLostResponses ${gptp.peerDelay!.allowedLostResponses!.value - 6}`)
  })
})
