/**
 * P2P-03's judge on evidence from the reference DUT as a gPTP master on a simulated link, driven
 * as the acquisition drives it: its link partner answers with a wrong requestingPortIdentity,
 * with a wrong sequenceId, then late (valid answers between), then a second responder answers too.
 * The conformant reference clock (allowedLostResponses 9) stops Sync after the 10th invalid
 * or late answer, resumes, and stops on the two-responder link; each targeted fault fails; a phase that
 * began without Sync running cannot be judged (inconclusive).
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import P2P03, { type FaultyResponsesData, invalidAnswerRules, type ResponsePhase } from '../../../suites/p2p/p2p-03-invalid-and-multiple-responses.ts'
import { gmConfig, ms } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { refLab } from '../../support/refdut/clock.ts'

const gptp = loadProfile('gptp')
const peerCfg = (name: string, identity: number) => gmConfig(gptp, name, identity, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })

function simulate(faults: string[] = []): FaultyResponsesData {
  const s = dutSettingsFor(gptp)
  const allowed = s.allowedLostResponses!.value
  const interval = s.intervals.pdelayReq.value
  const T = logIntervalToNs(interval)
  const second = new TestMaster(peerCfg('second-peer', 9))
  second.silence({ announce: false, sync: false, answers: true })
  const group = new EngineGroup('p2p-03', [new TestMaster(peerCfg('link-peer', 0)), second])
  const lab = refLab('gptp', { role: 'master', faults, peers: { harness: group }, linkPeer: false })
  const control = (name: string, fn: (p: TestMaster, now: bigint) => void | ReturnType<TestMaster['resume']>) => lab.link.control('harness', (now) => group.control<TestMaster>(name, (p) => fn(p, now) ?? []))
  const inSync = (fromNs: bigint) => lab.link.recorder.frames.some((f) => f.port === 'harness' && f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs! >= fromNs)
  lab.link.run(lab.link.now + ms(7000))
  lab.link.run(lab.link.now + T / 3n)
  const dutPort = lab.link.recorder.frames.find((f) => f.port === 'harness' && f.direction === 'in' && f.message?.type === 'Pdelay_Req')!.message!.header.sourcePortIdentity
  const phaseNs = BigInt(allowed + 5) * T + ms(1000)
  const phases: ResponsePhase[] = []
  for (const fault of ['requestingPortIdentity', 'sequenceId', 'late'] as const) {
    control('link-peer', (p) => p.setMutations(invalidAnswerRules(fault, dutPort, T)))
    const fromNs = lab.link.now
    lab.link.run(lab.link.now + phaseNs)
    control('link-peer', (p) => p.setMutations([]))
    const toNs = lab.link.now
    while (lab.link.now - toNs < 16n * T + ms(2000) && !inSync(toNs)) lab.link.run(lab.link.now + ms(100))
    lab.link.run(lab.link.now + ms(1000))
    phases.push({ fault, fromNs, toNs, endNs: lab.link.now })
  }
  control('second-peer', (p, now) => p.resume(now, { announce: false, sync: false, answers: true }))
  const fromNs = lab.link.now
  lab.link.run(lab.link.now + phaseNs)
  phases.push({ fault: 'multiple', fromNs, toNs: lab.link.now })
  const recorder = new Recorder()
  for (const f of lab.link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  const first = recorder.frames.find((f) => f.direction === 'in' && f.message?.type === 'Sync')
  return { allowed, logPdelayReqInterval: interval, waitedMs: 1000, dutPort, phases, recorder, ...(first?.timestampNs ? { firstSyncNs: first.timestampNs } : {}) }
}

const judge = (d: FaultyResponsesData) => P2P03.judge(envelope('P2P-03', gptp, d), gptp).checks
const show = (c: ReturnType<typeof judge>) => JSON.stringify(c.map((x) => [x.name, x.verdict, x.measured, x.detail]))
const conformant = simulate()

test.group('judge P2P-03 invalid and multiple Pdelay responses', () => {
  test('the conformant reference DUT stops Sync after 10 invalid answers of each kind, resumes, and stops with two responders; also on stored evidence', ({ assert }) => {
    const c = judge(conformant)
    assert.deepEqual(c.map((x) => x.verdict), ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'], show(c))
    assert.equal(c[0]!.measured, `${conformant.allowed + 1} answered with a wrong requestingPortIdentity before the last Sync`)
    assert.equal(c[2]!.measured, `${conformant.allowed + 1} answered with a wrong sequenceId before the last Sync`)
    assert.equal(c[4]!.measured, `${conformant.allowed + 1} answered after the next request before the last Sync`)
    assert.deepEqual(P2P03.judge(roundTrip(envelope('P2P-03', gptp, conformant)), gptp).checks, c)
  })

  test('the link partner\'s answers carry exactly the wrong field, on Pdelay_Resp and its Follow_Up', ({ assert }) => {
    const ph = conformant.phases[0]!
    const out = conformant.recorder!.frames.filter((f) => f.direction === 'out' && f.timestampNs! >= ph.fromNs && f.timestampNs! < ph.toNs && (f.message?.type === 'Pdelay_Resp' || f.message?.type === 'Pdelay_Resp_Follow_Up'))
    assert.isAbove(out.length, 2 * conformant.allowed)
    for (const f of out) {
      const m = f.message as Extract<NonNullable<typeof f.message>, { type: 'Pdelay_Resp' | 'Pdelay_Resp_Follow_Up' }>
      assert.equal(m.requestingPortIdentity.clockIdentity, conformant.dutPort!.clockIdentity)
      assert.notEqual(m.requestingPortIdentity.portNumber, conformant.dutPort!.portNumber)
    }
  })

  test('fault invalid-pdelay-responses-accepted: Sync goes on through invalid (and late) answers and fails', ({ assert }) => {
    const c = judge(simulate(['invalid-pdelay-responses-accepted']))
    // Taking any response as the answer to the latest request takes the late ones too.
    assert.deepEqual([c[0]!.verdict, c[2]!.verdict, c[4]!.verdict, c[6]!.verdict], ['fail', 'fail', 'fail', 'pass'], show(c))
    assert.include(c[0]!.detail!, `went on beyond ${conformant.allowed + 2}`)
    assert.equal(combineChecks(c), 'fail')
  })

  test('fault late-pdelay-responses-accepted: answers after the next request keep Sync going and fail', ({ assert }) => {
    const c = judge(simulate(['late-pdelay-responses-accepted']))
    assert.deepEqual(c.map((x) => x.verdict), ['pass', 'pass', 'pass', 'pass', 'fail', 'pass', 'pass'], show(c))
    assert.include(c[4]!.detail!, 'went on beyond')
  })

  test('the late answers come after the DUT\'s next request and before the one after it', ({ assert }) => {
    const ph = conformant.phases[2]!
    const inPhase = (type: string, dir: 'in' | 'out') => conformant.recorder!.frames.filter((f) => f.direction === dir && f.message?.type === type && f.timestampNs! >= ph.fromNs && f.timestampNs! < ph.toNs)
    const reqs = inPhase('Pdelay_Req', 'in')
    let checked = 0
    for (const resp of inPhase('Pdelay_Resp', 'out')) {
      const i = reqs.findIndex((r) => r.message!.header.sequenceId === resp.message!.header.sequenceId)
      if (i < 0 || i + 2 >= reqs.length) continue
      checked++
      assert.isTrue(resp.timestampNs! > reqs[i + 1]!.timestampNs!, `Pdelay_Resp #${resp.index} after the next request`)
      assert.isTrue(resp.timestampNs! < reqs[i + 2]!.timestampNs!, `Pdelay_Resp #${resp.index} before the one after`)
    }
    assert.isAtLeast(checked, conformant.allowed)
  })

  test('fault multiple-pdelay-responses-ignored: Sync goes on with two responders and fails', ({ assert }) => {
    const c = judge(simulate(['multiple-pdelay-responses-ignored']))
    assert.deepEqual(c.map((x) => x.verdict), ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail'], show(c))
    assert.include(c[6]!.detail!, 'went on beyond')
  })

  test('two responders detected at once (linuxptp 3.1.1: no Sync after the first doubled answer, so its last Sync precedes every request of the phase) passes', ({ assert }) => {
    const ph = conformant.phases[3]!
    const firstReq = conformant.recorder!.frames.find((f) => f.direction === 'in' && f.message?.type === 'Pdelay_Req' && f.timestampNs! >= ph.fromNs)!
    const r = new Recorder()
    for (const f of conformant.recorder!.frames) {
      if (f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs! > firstReq.timestampNs! && f.timestampNs! < ph.toNs) continue
      r.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    }
    const c = judge({ ...conformant, recorder: r })
    assert.equal(c[6]!.verdict, 'pass', show(c))
    assert.equal(c[6]!.measured, '0 answered by two responders before the last Sync')
  })

  test('a DUT master that sends Sync but no Pdelay_Req fails naming what it sent, not a harness error', ({ assert }) => {
    const r = new Recorder()
    for (const f of conformant.recorder!.frames) if (f.message?.type !== 'Pdelay_Req') r.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    const { dutPort: _, ...noPort } = conformant
    const c = judge({ ...noPort, phases: [], recorder: r })
    assert.lengthOf(c, 1)
    assert.equal(c[0]!.verdict, 'fail')
    assert.equal(c[0]!.measured, 'no Pdelay_Req')
    assert.match(c[0]!.detail!, /sent \d+ Sync and no Pdelay_Req/)
  })

  test('fault lost-responses-early: asCapable dropped after 1 invalid answer of the 9 allowed fails', ({ assert }) => {
    const c = judge(simulate(['lost-responses-early']))
    assert.equal(c[0]!.verdict, 'fail', show(c))
    assert.include(c[0]!.detail!, `fewer than ${conformant.allowed + 1}`)
  })

  test('a DUT that does not resume fails that check, and the next phase (no Sync to stop) is inconclusive with the reason', ({ assert }) => {
    const ph = conformant.phases[0]!
    const r = new Recorder()
    for (const f of conformant.recorder!.frames) {
      if (f.direction === 'in' && f.message?.type === 'Sync' && f.timestampNs! >= ph.toNs) continue
      r.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    }
    const c = judge({ ...conformant, recorder: r })
    assert.equal(c[1]!.verdict, 'fail', show(c))
    assert.equal(c[1]!.measured, 'no Sync')
    assert.equal(c[2]!.verdict, 'inconclusive')
    assert.include(c[2]!.detail!, 'no Sync')
    assert.equal(combineChecks(c), 'fail')
  })
})
