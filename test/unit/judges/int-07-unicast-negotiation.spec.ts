/**
 * INT-07's judge on evidence made by the negotiation engines: a conformant grantor and grantee
 * pass; each fault it targets fails with what was seen; a watch too short to see a renewal is
 * inconclusive, not a pass.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks, type Check } from '../../../harness/verdict/verdict.ts'
import INT07 from '../../../suites/int/int-07-unicast-negotiation.ts'
import { capturedObservation, negotiationCapture, negotiationEvidence, type NegotiationFaults } from '../../support/evidence/negotiation.ts'
import { dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const g2 = loadProfile('g8275-2')
/** The lab DUT's configured request duration, and the acquisition's out-of-range probe (half the profile's shortest). */
const DURATION_S = dutSettingsFor(g2).unicastRequestDuration!.value
const PROBE_S = Math.floor(g2.transport.grantDuration!.range.value[0] / 2)

function judged(f: NegotiationFaults = {}) {
  const checks = INT07.judge(roundTrip(negotiationEvidence('INT-07', g2, f)), g2).checks
  const check = (re: RegExp): Check => {
    const c = checks.find((x) => re.test(x.name))
    if (!c) throw new Error(`no check matching ${re}: ${checks.map((x) => x.name).join(' | ')}`)
    return c
  }
  return { checks, verdict: combineChecks(checks), check, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge INT-07 unicast negotiation', () => {
  test('a conformant grantor and grantee pass every rule', ({ assert }) => {
    const r = judged()
    assert.equal(r.verdict, 'pass', r.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.verdict} ${c.measured}`).join('\n'))
    assert.equal(r.check(/every REQUEST for Sync is answered/).measured, '1 of 1')
    // The simulated DUT renews at three quarters of its configured duration, on its next 1 s check.
    const renewedS = Number(String(r.check(/renews its Sync grant/).measured).match(/renewed ([\d.]+) s/)![1])
    assert.closeTo(renewedS, 0.75 * DURATION_S, 1)
  })

  test('a grantor that does not acknowledge a CANCEL fails, naming when it was cancelled (ptp4l 3.1.1 as a unicast master)', ({ assert }) => {
    const r = judged({ grantor: { acknowledgeCancel: false } })
    assert.deepEqual(r.failed, ['as master: the DUT acknowledges a CANCEL of Sync'])
    assert.match(r.check(/acknowledges a CANCEL of Sync/).detail!, /cancelled Sync at \+4\.\d+ s; nothing acknowledged it/)
  })

  test('a grant of a Sync period the profile forbids fails (log 3 against -7 … 0)', ({ assert }) => {
    const r = judged({ grantor: { decisions: { Sync: { kind: 'grant-interval', logInterMessagePeriod: 3 } } } })
    const c = r.check(/Sync grant's logInterMessagePeriod/)
    assert.equal(c.verdict, 'fail')
    assert.equal(c.measured, 3)
    assert.include(c.limit, `${g2.intervals.sync.range.value[0]} … ${g2.intervals.sync.range.value[1]}`)
  })

  test('another period inside the profile is a conformant grant, and the service is judged at it', ({ assert }) => {
    const r = judged({ grantor: { decisions: { Sync: { kind: 'grant-interval', logInterMessagePeriod: -3 } } } })
    assert.equal(r.check(/Sync grant's logInterMessagePeriod/).verdict, 'pass')
    assert.equal(r.check(/granted Sync \(2\^-3 s\): mean interval/).verdict, 'pass')
  })

  test('a duration outside the profile\'s 60 … 1000 s fails', ({ assert }) => {
    const r = judged({ grantor: { decisions: { Announce: { kind: 'grant-duration', durationS: 5 } } } })
    const c = r.check(/Announce grant's durationField/)
    assert.equal(c.verdict, 'fail')
    assert.equal(c.measured, 5)
  })

  test('an unanswered request fails; an explicit denial is a conformant answer', ({ assert }) => {
    const silent = judged({ grantor: { decisions: { Delay_Resp: { kind: 'ignore' } } } })
    assert.include(silent.failed, 'as master: every REQUEST for Delay_Resp is answered with a GRANT')
    const denied = judged({ grantor: { decisions: { Delay_Resp: { kind: 'deny' } } } })
    assert.notInclude(denied.failed, 'as master: every REQUEST for Delay_Resp is answered with a GRANT')
    assert.equal(denied.check(/Delay_Resp service/).measured, 'denied (durationField 0)')
  })

  test('a grantor that goes on sending Sync after the CANCEL fails', ({ assert }) => {
    const r = judged({ grantor: { honourCancel: false } })
    const c = r.check(/Sync stops after the CANCEL/)
    assert.equal(c.verdict, 'fail')
    assert.match(String(c.measured), /^\d+ Sync, the last/)
  })

  test('a grantor whose Sync does not flow at the granted rate fails', ({ assert }) => {
    // It grants 2^-4 s and sends every 2^-3 s (a stack that ignores the grant's period).
    const r = judged({ masterFault: { logSyncInterval: -3 }, grantor: { keepConfiguredRates: true } })
    assert.equal(r.check(/granted Sync \(2\^-4 s\): mean interval/).verdict, 'fail')
  })

  test('a grantee that lets its grants run out fails; one watched too briefly is inconclusive', ({ assert }) => {
    const lapsed = judged({ requester: { renew: false }, slaveSeconds: 62 })
    assert.include(lapsed.failed, 'as slave: the DUT renews its Sync grant before it expires')
    assert.match(String(lapsed.check(/renews its Sync grant/).measured), /asked again 6\d\.\d s after the grant/)
    assert.equal(lapsed.check(/renews its Sync grant/).detail, 'the grant had run out')
    const brief = judged({ slaveSeconds: 20 })
    assert.equal(brief.check(/renews its Sync grant/).verdict, 'inconclusive')
    assert.match(brief.check(/renews its Sync grant/).detail!, new RegExp(`watch ended before the ${DURATION_S} s grant expired`))
  })

  test('a grantee that does not acknowledge its master\'s CANCEL fails', ({ assert }) => {
    const r = judged({ requester: { acknowledgeCancel: false } })
    assert.deepEqual(r.failed, ['as slave: the DUT acknowledges its master\'s CANCEL of Sync'])
  })

  test('a grantee asking for another period or duration than configured fails', ({ assert }) => {
    const r = judged({ requester: { services: [{ service: 'Announce', logInterMessagePeriod: 0 }, { service: 'Sync', logInterMessagePeriod: -4 }, { service: 'Delay_Resp', logInterMessagePeriod: -4 }], durationS: 30 } })
    assert.include(r.failed, 'as slave: the DUT asks for Announce at its configured period')
    assert.include(r.failed, 'as slave: the DUT asks for Sync for its configured duration')
  })

  test('on a capture (analyze): each peer that asked the chosen clock, and each that granted it, is judged by the same rules', ({ assert }) => {
    const asCapture = (f: NegotiationFaults) => {
      const checks = INT07.judge(roundTrip(envelope('INT-07', g2, { observation: negotiationCapture(g2, f) })), g2).checks
      return { checks, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
    }
    const ok = asCapture({})
    assert.deepEqual(ok.failed, [], ok.checks.map((c) => `${c.name}: ${c.verdict} ${c.measured}`).join('\n'))
    assert.isTrue(ok.checks.some((c) => /as master: every REQUEST for Sync is answered with a GRANT \(peer /.test(c.name) && c.verdict === 'pass'))
    assert.isTrue(ok.checks.some((c) => /as slave: the DUT renews its Sync grant before it expires \(peer /.test(c.name) && c.verdict === 'pass'))
    const noAck = asCapture({ grantor: { acknowledgeCancel: false } })
    assert.isTrue(noAck.failed.some((n) => n.startsWith('as master: the DUT acknowledges a CANCEL of Sync (peer ')), noAck.failed.join('; '))
    const forbidden = asCapture({ grantor: { decisions: { Sync: { kind: 'grant-interval', logInterMessagePeriod: 3 } } } })
    assert.isTrue(forbidden.failed.some((n) => n.startsWith("as master: the Sync grant's logInterMessagePeriod")))
    const none = INT07.judge(envelope('INT-07', g2, { observation: capturedObservation(new Recorder()) }), g2).checks
    assert.equal(none[0]!.verdict, 'inconclusive')
  })

  test('a request for a duration outside the profile: a conformant grantor denies it, one that grants any duration fails (marked unconfirmed)', ({ assert }) => {
    const ok = judged()
    assert.equal(ok.check(/outside the profile\) is denied/).measured, 'denied')
    const any = judged({ grantor: { durationRange: [1, 0xffffffff] } })
    const c = any.check(/outside the profile\) is denied/)
    assert.equal(c.verdict, 'fail')
    assert.equal(c.measured, `granted ${PROBE_S} s`)
    assert.isTrue(c.unconfirmed)
  })

  test('a grantee that goes on sending Delay_Req after its Delay_Resp service was cancelled fails', ({ assert }) => {
    assert.equal(judged().check(/stops its Delay_Req/).verdict, 'pass')
    const r = judged({ requester: { stopOnCancel: false } })
    const c = r.check(/stops its Delay_Req/)
    assert.equal(c.verdict, 'fail')
    assert.match(String(c.measured), /^\d+ Delay_Req, the last/)
  })

  test('a grantor that leaves the Delay_Req under its Delay_Resp grant unanswered fails, naming them', ({ assert }) => {
    const r = judged({ masterFault: { mutations: [{ messageTypes: ['Delay_Resp'], mutation: { kind: 'skip' } }] } })
    const c = r.check(/Delay_Req under the Delay_Resp grant are answered/)
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /unanswered sequenceIds \d+/)
  })

  test('a grantor that grants Announce and sends none fails', ({ assert }) => {
    const r = judged({ masterFault: { sendAnnounce: false } })
    const c = r.check(/the granted Announce flows/)
    assert.equal(c.verdict, 'fail')
    assert.match(String(c.measured), /^0 unicast Announce/)
  })

  test('a DUT configured to ask for a duration outside the profile fails that check, and asking for it is then as configured', ({ assert }) => {
    const [lo] = g2.transport.grantDuration!.range.value
    const checks = INT07.judge(negotiationEvidence('INT-07', g2, {}, { dutOptions: { unicast_req_duration: lo - 1 } }), g2).checks
    assert.equal(checks.find((c) => /configured grant duration is within the profile/.test(c.name))!.verdict, 'fail')
    assert.equal(checks.find((c) => /asks for Sync for its configured duration/.test(c.name))!.verdict, 'pass')
  })

  test('a DUT slave that asks for nothing fails, with its states', ({ assert }) => {
    const r = judged({ requester: { services: [] } })
    assert.include(r.failed, 'as slave: the DUT asks its unicast master for service')
  })
})
