/**
 * P2P-06's judge on evidence from the reference DUT as a gPTP master on a simulated link, driven
 * as the acquisition drives it: it starts alone with a link partner that answers only once the
 * DUT has left LISTENING, later as another port of the DUT's own clock, then as itself again. The conformant reference clock sends its
 * first Sync after two completed exchanges, stops after the 10th answer from "itself" and
 * resumes; the faults it targets fail.
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import P2P06, { ownIdentityRules, type RateRatioData } from '../../../suites/p2p/p2p-06-rate-ratio-and-own-responses.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const gptp = loadProfile('gptp')

function simulate(faults: string[] = []): RateRatioData {
  const s = dutSettingsFor(gptp)
  const allowed = s.allowedLostResponses!.value
  const interval = s.intervals.pdelayReq.value
  const T = logIntervalToNs(interval)
  const peer = new TestMaster(gmConfig(gptp, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' }))
  peer.silence({ announce: false, sync: false, answers: true })
  const group = new EngineGroup('p2p-06', [peer])
  const lab = refLab('gptp', { role: 'master', faults, peers: { harness: group }, linkPeer: false })
  const control = (fn: (p: TestMaster, now: bigint) => void | ReturnType<TestMaster['resume']>) => lab.link.control('harness', (now) => group.control<TestMaster>('link-peer', (p) => fn(p, now) ?? []))
  // Unanswered past LISTENING (announce receipt timeout 3 s + 2 s), as the acquisition does.
  lab.link.run(lab.link.now + ms(5000))
  control((p, now) => p.resume(now, { announce: false, sync: false, answers: true }))
  const answersFromNs = lab.link.now
  lab.link.run(lab.link.now + ms(7000))
  lab.link.run(lab.link.now + T / 3n)
  const dutPort = lab.link.recorder.frames.find((f) => f.port === 'harness' && f.direction === 'in' && f.message?.type === 'Pdelay_Req')!.message!.header.sourcePortIdentity
  control((p) => p.setMutations(ownIdentityRules(dutPort)))
  const ownFromNs = lab.link.now
  lab.link.run(lab.link.now + BigInt(allowed + 5) * T + ms(1000))
  control((p) => p.setMutations([]))
  const ownToNs = lab.link.now
  lab.link.run(lab.link.now + 16n * T + ms(2000))
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  const first = recorder.frames.find((f) => f.direction === 'in' && f.message?.type === 'Sync')
  return { allowed, logPdelayReqInterval: interval, waitedMs: 1000, answersFromNs, dutPort, ownFromNs, ownToNs, endNs: lab.link.now, recorder, ...(first?.timestampNs ? { firstSyncNs: first.timestampNs } : {}) }
}

const judge = (d: RateRatioData) => P2P06.judge(envelope('P2P-06', gptp, d), gptp).checks
const show = (c: ReturnType<typeof judge>) => JSON.stringify(c.map((x) => [x.name, x.verdict, x.measured, x.detail]))

test.group('judge P2P-06 neighborRateRatio before asCapable, responses under the DUT\'s own identity', () => {
  test('the conformant reference DUT sends Sync after 2 exchanges, stops after 10 answers from itself and resumes; also on stored evidence', ({ assert }) => {
    const d = simulate()
    const c = judge(d)
    assert.deepEqual(c.map((x) => x.verdict), ['pass', 'pass', 'pass'], show(c))
    assert.isAtLeast(c[0]!.measured as number, 2)
    assert.equal(c[1]!.measured, `${d.allowed + 1} answered under the DUT's own clockIdentity before the last Sync`)
    assert.deepEqual(P2P06.judge(roundTrip(envelope('P2P-06', gptp, d)), gptp).checks, c)
  })

  test('fault ascapable-before-rate-ratio: Sync after one exchange fails', ({ assert }) => {
    const c = judge(simulate(['ascapable-before-rate-ratio']))
    assert.equal(c[0]!.verdict, 'fail', show(c))
    assert.equal(c[0]!.measured, 1)
    assert.include(c[0]!.detail!, 'before the rate ratio')
  })

  test('fault accepts-own-identity: answers under its own clockIdentity keep Sync going and fail', ({ assert }) => {
    const c = judge(simulate(['accepts-own-identity']))
    assert.equal(c[1]!.verdict, 'fail', show(c))
    assert.include(c[1]!.detail!, 'went on beyond')
    assert.equal(combineChecks(c), 'fail')
  })

  test('a DUT that does not resume fails that check', ({ assert }) => {
    const d = simulate()
    const r = new Recorder()
    for (const f of d.recorder!.frames) if (!(f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs! >= d.ownToNs!)) r.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    const c = judge({ ...d, recorder: r })
    assert.equal(c[2]!.verdict, 'fail', show(c))
    assert.equal(c[2]!.measured, 'no Sync')
  })
})
