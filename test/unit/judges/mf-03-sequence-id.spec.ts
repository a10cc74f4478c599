/**
 * MF-03's judge on engine-made evidence: conformant DUT masters pass (E2E, P2P, gPTP), and a
 * counter that wraps 65535 → 0 passes; each fault fails — a repeated Announce sequenceId, a
 * Follow_Up or Pdelay_Resp_Follow_Up off by one, Syncs skipped on a lab link. The same gap
 * seen on a device (a frame may be lost on the way) is inconclusive, with the frames named.
 */
import { test } from '@japa/runner'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF03 from '../../../suites/mf/mf-03-sequence-id.ts'
import { envelope, simulatedObservation, type SimulationOptions } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const gptp = loadProfile('gptp')

function judged(profile: Profile, mutations: MutationRule[] = [], o: Partial<SimulationOptions> = {}) {
  const ev = envelope('MF-03', profile, { observation: simulatedObservation(profile, { seconds: 20, ...o }, mutations.length ? { mutations } : {}) }, o)
  const out = MF03.judge(ev, profile)
  return { ev, out, verdict: combineChecks(out.checks), check: (name: string) => out.checks.find((c) => c.name.startsWith(name))! }
}
const seq = (types: MutationRule['messageTypes'], m: { delta?: number; value?: number }, select?: MutationRule['select']): MutationRule => ({ messageTypes: types, ...(select ? { select } : {}), mutation: { kind: 'sequenceId', ...m } })

test.group('judge MF-03 sequenceId counters and Follow_Up pairing', () => {
  test('a conformant DUT master passes (default-e2e, default-p2p, gPTP), also on stored evidence', ({ assert }) => {
    for (const profile of [e2e, p2p, gptp]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.out.checks.filter((c) => c.verdict !== 'pass'))}`)
      assert.isDefined(r.check('Follow_Up matching no earlier two-step Sync'))
      assert.deepEqual(MF03.judge(roundTrip(r.ev), profile).checks, r.out.checks)
    }
    assert.isDefined(judged(p2p).check('Pdelay_Resp_Follow_Up matching no earlier two-step Pdelay_Resp'))
  })

  test('counters that wrap 65535 → 0 pass and the wrap is reported', ({ assert }) => {
    const r = judged(e2e, [seq(['Sync', 'Follow_Up'], { delta: 65_530 })])
    assert.equal(r.verdict, 'pass', JSON.stringify(r.out.checks))
    assert.include(r.check('repeated sequenceIds').detail!, 'wrap(s) 65535 → 0 done right')
  })

  test('a recording that begins with a Follow_Up (its Sync came before the recording began) passes; one off by one later still fails', ({ assert }) => {
    const cut = (mutations: MutationRule[] = []) => {
      const r = judged(e2e, mutations)
      const frames = r.ev.data.observation.recorder.frames
      // Start the recording right after the first Sync, as a capture or analyze window may.
      const firstSync = frames.findIndex((f) => f.message?.type === 'Sync')
      const late = new Recorder()
      for (const f of frames.slice(firstSync + 1)) {
        const { index: _i, notes: _n, ...rest } = f
        late.record({ ...rest, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
      }
      assert.equal(late.frames.find((f) => f.message?.type === 'Follow_Up' || f.message?.type === 'Sync')?.message?.type, 'Follow_Up')
      return MF03.judge({ ...r.ev, data: { observation: { ...r.ev.data.observation, recorder: late } } }, e2e).checks
    }
    const ok = cut()
    assert.equal(combineChecks(ok), 'pass', JSON.stringify(ok.filter((c) => c.verdict !== 'pass')))
    const bad = cut([seq(['Follow_Up'], { delta: 1 }, { kind: 'after', skip: 5 })])
    assert.equal(bad.find((c) => c.name === 'Follow_Up matching no earlier two-step Sync')!.verdict, 'fail')
  })

  test('fault: follow-ups with no event message at all (Pdelay_Resp_Follow_Up, never a Pdelay_Resp) fail: only one before the first event is excused', ({ assert }) => {
    const r = judged(p2p)
    const without = new Recorder()
    for (const f of r.ev.data.observation.recorder.frames) {
      if (f.message?.type === 'Pdelay_Resp') continue
      const { index: _i, notes: _n, ...rest } = f
      without.record({ ...rest, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    }
    const followUps = without.frames.filter((f) => f.direction === 'in' && f.message?.type === 'Pdelay_Resp_Follow_Up').length
    assert.isAbove(followUps, 2)
    const c = MF03.judge({ ...r.ev, data: { observation: { ...r.ev.data.observation, recorder: without } } }, p2p).checks.find((x) => x.name === 'Pdelay_Resp_Follow_Up matching no earlier two-step Pdelay_Resp')!
    assert.equal(c.verdict, 'fail')
    assert.equal(c.measured, followUps - 1)
  })

  test('a Follow_Up handed over before its Sync (two sockets) but timestamped after it pairs: judged in wire order', ({ assert }) => {
    const r = judged(e2e)
    const frames = r.ev.data.observation.recorder.frames
    const sync = frames.findIndex((f) => f.message?.type === 'Sync' && f.message.header.sequenceId === 3)
    const fu = frames.findIndex((f) => f.message?.type === 'Follow_Up' && f.message.header.sequenceId === 3)
    assert.isAbove(fu, sync)
    // Record again with the Follow_Up handed over first, as the general socket may be read before the event socket.
    const swapped = new Recorder()
    for (const f of [...frames.slice(0, sync), frames[fu]!, ...frames.slice(sync, fu), ...frames.slice(fu + 1)]) {
      const { index: _i, notes: _n, ...rest } = f
      swapped.record({ ...rest, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
    }
    const ev = { ...r.ev, data: { observation: { ...r.ev.data.observation, recorder: swapped } } }
    assert.equal(combineChecks(MF03.judge(ev, e2e).checks), 'pass', JSON.stringify(MF03.judge(ev, e2e).checks))
  })

  test('fault: Announce sequenceId never advances fails as repeats, naming the frames', ({ assert }) => {
    const r = judged(e2e, [seq(['Announce'], { value: 7 })])
    const c = r.check('repeated sequenceIds or steps back')
    assert.equal(c.verdict, 'fail')
    assert.isAbove(c.measured as number, 3)
    assert.match(c.detail!, /Announce #7 → #7 \(frame #\d+, frame #\d+\)/)
  })

  test('fault: Follow_Up carries its Sync\'s sequenceId + 1 fails the pairing (and leaves the Syncs unanswered)', ({ assert }) => {
    const r = judged(gptp, [seq(['Follow_Up'], { delta: 1 })])
    assert.equal(r.check('Follow_Up matching no earlier two-step Sync').verdict, 'fail')
    assert.equal(r.check('two-step Sync without a Follow_Up').verdict, 'fail')
  })

  test('fault: Pdelay_Resp_Follow_Up off by one fails the peer-delay pairing', ({ assert }) => {
    const r = judged(p2p, [seq(['Pdelay_Resp_Follow_Up'], { delta: 1 })])
    assert.equal(r.check('Pdelay_Resp_Follow_Up matching no earlier two-step Pdelay_Resp').verdict, 'fail')
  })

  test('fault: a Sync sequenceId stepping back fails', ({ assert }) => {
    const r = judged(e2e, [seq(['Sync', 'Follow_Up'], { delta: -3 }, { kind: 'every', n: 6, phase: 3 })])
    assert.equal(r.check('repeated sequenceIds or steps back').verdict, 'fail')
    assert.match(r.check('repeated sequenceIds or steps back').detail!, /steps back: Sync/)
  })

  test('fault: every 5th Sync skipped is a gap that fails on a lab link; on a device it is inconclusive, with the count', ({ assert }) => {
    const skip: MutationRule = { messageTypes: ['Sync', 'Follow_Up'], select: { kind: 'every', n: 5 }, mutation: { kind: 'skip' } }
    const lab = judged(e2e, [skip])
    assert.equal(lab.check('sequenceId gaps').verdict, 'fail')
    assert.include(lab.check('sequenceId gaps').detail!, 'a lab veth link loses no frame')
    const device = judged(e2e, [skip], { mode: 'device' })
    assert.equal(device.check('sequenceId gaps').verdict, 'inconclusive')
    assert.isAbove(device.check('sequenceId gaps').measured as number, 1)
    assert.equal(device.verdict, 'inconclusive')
  })
})
