/**
 * MF-07's judge on engine-made evidence: a conformant DUT master passes; a DUT advertising
 * another interval than it is configured with fails; a configured value outside the profile
 * fails (unless the lab sets it outside on purpose); a Table 42 0x7F field with any other value
 * fails. A header field is read exactly, so MF-07 has no inconclusive case.
 */
import { test } from '@japa/runner'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF07 from '../../../suites/mf/mf-07-log-message-interval.ts'
import { addressedObservation } from '../../support/evidence/mf.ts'

/** The simulated link's harness node (added second) and an address of the lab's harness port. */
const HARNESS_MAC = '02:00:00:00:00:02'
const HARNESS_IP4 = '192.0.2.1'
import { type EnvelopeOptions, envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const gptp = loadProfile('gptp')

function judged(profile: Profile, mutations: MutationRule[] = [], o: EnvelopeOptions = {}) {
  const ev = envelope('MF-07', profile, { observation: addressedObservation(profile, { seconds: 8, ...o }, mutations.length ? { mutations } : {}) }, o)
  const out = MF07.judge(ev, profile)
  return { ev, out, verdict: combineChecks(out.checks), check: (name: string) => out.checks.find((c) => c.name.startsWith(name)) }
}
const advertise = (types: MutationRule['messageTypes'], value: number): MutationRule => ({ messageTypes: types, mutation: { kind: 'logMessageInterval', value } })

test.group('judge MF-07 logMessageInterval', () => {
  test('a conformant DUT master passes (default-e2e, default-p2p, gPTP), quoting where the configured value comes from', ({ assert }) => {
    for (const profile of [e2e, p2p, gptp]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.out.checks.filter((c) => c.verdict !== 'pass'))}`)
      assert.match(r.check('Sync logMessageInterval equals the configured')!.detail!, /configured -?\d+ \(lab configuration\)/)
    }
    // The 1588 peer-delay messages are judged where they are sent; gPTP's Pdelay_Req against its configured interval.
    assert.isDefined(judged(p2p).check('Pdelay_Resp logMessageInterval'))
    assert.isDefined(judged(gptp).check('Pdelay_Req logMessageInterval equals the configured'))
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const { ev } = judged(p2p)
    assert.deepEqual(MF07.judge(roundTrip(ev), p2p).checks, MF07.judge(ev, p2p).checks)
  })

  test('fault: Sync and Follow_Up advertise 0 while the DUT is configured with -1 (inside the range) fails', ({ assert }) => {
    const r = judged(e2e, [advertise(['Sync', 'Follow_Up'], 0)])
    assert.equal(r.verdict, 'fail')
    assert.deepInclude(r.check('Sync logMessageInterval equals the configured')!, { verdict: 'fail', measured: '0', limit: '= -1' })
    assert.equal(r.check('Sync logMessageInterval within the profile')!.verdict, 'pass')
  })

  test('fault: Announce advertising another interval than configured fails', ({ assert }) => {
    const r = judged(gptp, [advertise(['Announce'], 1)])
    assert.equal(r.check('Announce logMessageInterval equals the configured')!.verdict, 'fail')
  })

  test('fault: a DUT configured outside the profile (--dut-option logSyncInterval=-3) fails the range, naming the origin', ({ assert }) => {
    const r = judged(e2e, [], { dutOptions: { logSyncInterval: -3 } })
    assert.equal(r.check('Sync logMessageInterval equals the configured')!.verdict, 'pass')
    assert.include(r.check('Sync logMessageInterval equals the configured')!.detail!, '(dut option)')
    assert.deepInclude(r.check('Sync logMessageInterval within the profile')!, { verdict: 'fail', measured: '-3', limit: '-1 … 1', detail: 'configured -3 (dut option)' })
  })

  test('a lab value listed in lab.outsideProfile is not the DUT\'s fault: the range check is not applicable', ({ assert }) => {
    const lab: Profile = {
      ...e2e,
      lab: { ...e2e.lab, ptp4l: { ...e2e.lab.ptp4l, logSyncInterval: -3 }, outsideProfile: [{ key: 'logSyncInterval', reason: 'faster Sync for short lab runs' } as Profile['lab']['outsideProfile'][number]] },
    }
    const r = judged(lab)
    assert.equal(r.check('Sync logMessageInterval within the profile')!.verdict, 'not-applicable')
    assert.equal(r.verdict, 'pass')
  })

  test('fault: Delay_Resp carrying another logMinDelayReqInterval than configured fails', ({ assert }) => {
    const r = judged(e2e, [advertise(['Delay_Resp'], 2)])
    assert.deepInclude(r.check('Delay_Resp logMessageInterval equals the configured')!, { verdict: 'fail', measured: '2' })
  })

  test('fault: Follow_Up carrying another value than its Sync fails', ({ assert }) => {
    const r = judged(e2e, [advertise(['Follow_Up'], 1)])
    assert.equal(r.check('Follow_Up logMessageInterval equals Sync')!.verdict, 'fail')
  })

  test('unicast (Table 42): Sync, Follow_Up and Delay_Resp sent unicast carry 0x7F; a unicast Follow_Up with the Sync interval fails (ptp4l 3.1.1)', ({ assert }) => {
    const unicast = (mutations: MutationRule[]) => {
      // The DUT master sends everything to the harness's own address (unicastTo), as after a negotiation.
      const observation = addressedObservation(e2e, { seconds: 8 }, { unicastTo: HARNESS_MAC, ...(mutations.length ? { mutations } : {}) }, { edit: (_f, a) => ({ ...a, dstIp: HARNESS_IP4 }) })
      const out = MF07.judge(roundTrip(envelope('MF-07', e2e, { observation })), e2e)
      return (name: string) => out.checks.find((c) => c.name === name)
    }
    const ok = unicast([])
    for (const t of ['Sync', 'Follow_Up', 'Delay_Resp']) assert.deepInclude(ok(`${t} (unicast) logMessageInterval`)!, { verdict: 'pass', measured: '0x7F', limit: '= 0x7F' })
    assert.equal(ok('Announce logMessageInterval equals the configured logAnnounceInterval')!.verdict, 'pass')
    const ptp4l = unicast([advertise(['Follow_Up'], e2e.lab.ptp4l.logSyncInterval as number)])
    assert.deepInclude(ptp4l('Follow_Up (unicast) logMessageInterval')!, { verdict: 'fail', measured: String(e2e.lab.ptp4l.logSyncInterval) })
  })

  test('fault: 1588 Pdelay_Resp and Pdelay_Resp_Follow_Up not 0x7F fail', ({ assert }) => {
    const r = judged(p2p, [advertise(['Pdelay_Resp', 'Pdelay_Resp_Follow_Up'], 0)])
    assert.deepInclude(r.check('Pdelay_Resp logMessageInterval')!, { verdict: 'fail', measured: '0', limit: '= 0x7F' })
    assert.equal(r.check('Pdelay_Resp_Follow_Up logMessageInterval')!.verdict, 'fail')
  })

  test('fault: 1588 Pdelay_Req not 0x7F fails; gPTP Pdelay_Req with 0x7F instead of its interval fails', ({ assert }) => {
    assert.equal(judged(p2p, [advertise(['Pdelay_Req'], 0)]).check('Pdelay_Req logMessageInterval')!.verdict, 'fail')
    assert.equal(judged(gptp, [advertise(['Pdelay_Req'], 0x7f)]).check('Pdelay_Req logMessageInterval equals the configured')!.verdict, 'fail')
  })

  test('fault: a DUT that sends no Sync fails and says what arrived', ({ assert }) => {
    const ev = envelope('MF-07', e2e, { observation: addressedObservation(e2e, { seconds: 6 }, { sendSync: false }) })
    const checks = MF07.judge(ev, e2e).checks
    assert.equal(combineChecks(checks), 'fail')
    assert.match(checks[0]!.detail!, /no Sync in domain/)
  })
})
