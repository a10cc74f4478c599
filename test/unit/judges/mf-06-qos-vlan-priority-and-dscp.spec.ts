/**
 * MF-06's judge on engine-made evidence with live-like addressing (test/support/evidence/mf.ts):
 * a conformant DUT passes under each profile's VLAN rule and with its configured DSCP; each
 * marking fault fails; the configured DSCP is judged against a profile that states one; frames
 * recorded without their DSCP are inconclusive, and an unknown configuration only reports.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { isEventMessage } from '../../../harness/codec/constants.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF06 from '../../../suites/mf/mf-06-qos-vlan-priority-and-dscp.ts'
import { addressedObservation, type FrameFault } from '../../support/evidence/mf.ts'
import { envelope, type EnvelopeOptions } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')
const power = loadProfile('power-2011')
const g82751 = loadProfile('g8275-1')
/** C37.238-2011's priority, from the profile. */
const PCP = power.transport.vlan.priority!.value

function judged(profile: Profile, edit?: FrameFault, o: EnvelopeOptions = {}) {
  const ev = envelope('MF-06', profile, { observation: addressedObservation(profile, { seconds: 6, ...o }, {}, edit ? { edit } : {}) }, o)
  const checks = MF06.judge(ev, profile).checks
  return { ev, checks, verdict: combineChecks(checks), check: (prefix: string) => checks.find((c) => c.name.startsWith(prefix)) }
}
const isEvent: (f: Parameters<FrameFault>[0]) => boolean = (f) => isEventMessage(f.message!.header.messageType)

test.group('judge MF-06 QoS marking', () => {
  test('a conformant DUT passes: power-2011 tagged with priority 4, gPTP and G.8275.1 untagged, default-e2e with its configured DSCP', ({ assert }) => {
    for (const profile of [power, gptp, g82751, e2e]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks.filter((c) => c.verdict !== 'pass'))}`)
    }
    assert.equal(judged(power).check(`tagged frames with priority ≠ ${PCP}`)!.verdict, 'pass')
    assert.equal(judged(e2e).check('event messages (port 319) with DSCP ≠ the configured 0')!.verdict, 'pass')
    assert.equal(judged(e2e).check('general messages (port 320) with DSCP ≠ the configured 0')!.verdict, 'pass')
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    for (const profile of [power, e2e]) {
      const { ev } = judged(profile)
      assert.deepEqual(MF06.judge(roundTrip(ev), profile).checks, MF06.judge(ev, profile).checks)
    }
  })

  test('fault: power-2011 frames without the required 802.1Q tag fail', ({ assert }) => {
    const r = judged(power, (_f, { vlan: _v, ...a }) => a)
    assert.equal(r.verdict, 'fail')
    assert.match(r.check('frames without the required 802.1Q tag')!.detail!, /untagged/)
  })

  test('fault: power-2011 tagged with priority 0 instead of the profile\'s fails', ({ assert }) => {
    assert.notEqual(PCP, 0)
    const r = judged(power, (_f, a) => ({ ...a, vlan: { pcp: 0, vid: 0 } }))
    assert.equal(r.check(`tagged frames with priority ≠ ${PCP}`)!.verdict, 'fail')
    assert.match(r.check(`tagged frames with priority ≠ ${PCP}`)!.detail!, /with priority 0/)
  })

  test('fault: a frame carrying an 802.1Q tag fails where the profile forbids one (gPTP, G.8275.1)', ({ assert }) => {
    for (const profile of [gptp, g82751]) {
      const r = judged(profile, (f, a) => (f.message!.type === 'Sync' ? { ...a, vlan: { pcp: 4, vid: 0 } } : a))
      assert.equal(r.check('frames carrying an 802.1Q tag')!.verdict, 'fail', profile.id)
      assert.match(r.check('frames carrying an 802.1Q tag')!.detail!, /Sync .* tagged VID 0 priority 4/)
    }
  })

  test('fault: event messages sent with DSCP 46 while the DUT is configured with 0 fail; general ones still pass', ({ assert }) => {
    const r = judged(e2e, (f, a) => (isEvent(f) ? { ...a, dscp: 46 } : a))
    assert.equal(r.verdict, 'fail')
    const c = r.check('event messages (port 319) with DSCP ≠ the configured 0')!
    assert.match(c.detail!, /Sync .* with DSCP 46/)
    assert.match(c.detail!, /dscp_event 0 \(implementation default\)/)
    assert.equal(r.check('general messages (port 320)')!.verdict, 'pass')
  })

  test('fault: general messages with another DSCP than dscp_general fail', ({ assert }) => {
    const r = judged(e2e, (f, a) => (f.message!.type === 'Announce' ? { ...a, dscp: 8 } : a))
    assert.equal(r.check('general messages (port 320)')!.verdict, 'fail')
  })

  test('the DUT is judged against what it is configured with: dscp_event 46 configured and sent passes, 0 sent fails', ({ assert }) => {
    const o = { dutOptions: { dscp_event: 46 } }
    const ok = judged(e2e, (f, a) => (isEvent(f) ? { ...a, dscp: 46 } : a), o)
    assert.equal(ok.verdict, 'pass', JSON.stringify(ok.checks))
    const bad = judged(e2e, undefined, o)
    assert.equal(bad.check('event messages (port 319) with DSCP ≠ the configured 46')!.verdict, 'fail')
  })

  test('the configuration is judged against a profile that states a DSCP (EF 46): configured 0 fails, 46 passes', ({ assert }) => {
    const ef: Profile = structuredClone(e2e)
    ef.transport.udp4!.dscpEvent = { value: 46, source: 'AES67 media profile: DSCP EF (46) [HAI]' }
    // The lab's stacks are configured with 0 unless told: the DUT marks what it is configured with, against the profile's 46.
    const zero = judged(ef)
    assert.equal(zero.check('event messages (port 319) with DSCP ≠ the configured 0')!.verdict, 'pass')
    assert.equal(zero.check("configured DSCP of event messages is the profile's")!.verdict, 'fail')
    assert.equal(zero.check("configured DSCP of general messages is the profile's")!.verdict, 'fail')
    const both = { dutOptions: { dscp_event: 46, dscp_general: 46 } }
    assert.equal(judged(ef, (_f, a) => ({ ...a, dscp: 46 }), both).verdict, 'pass')
  })

  test('noisy: UDP frames recorded without their DSCP are inconclusive; a wrong one still fails', ({ assert }) => {
    const r = judged(e2e, (_f, { dscp: _d, ...a }) => a)
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.check('event messages (port 319)')!.detail!, /without the field in the capture/)
    const mixed = judged(e2e, (f, { dscp: _d, ...a }) => (f.message!.type === 'Sync' ? { ...a, dscp: 10 } : a))
    assert.equal(mixed.verdict, 'fail')
  })

  test('an unknown configuration (a device without dscp_event in its DUT file) only reports the DSCP seen', ({ assert }) => {
    const { ev } = judged(e2e)
    delete ev.dut.dscp
    const checks = MF06.judge(ev, e2e).checks
    assert.equal(combineChecks(checks), 'not-applicable')
    assert.equal(checks.find((c) => c.name === 'DSCP of event messages (port 319)')!.measured, '0')
  })

  test('a DUT that sends no Sync fails and says what arrived', ({ assert }) => {
    const ev = envelope('MF-06', power, { observation: addressedObservation(power, { seconds: 6 }, { sendSync: false }) })
    const checks = MF06.judge(ev, power).checks
    assert.equal(combineChecks(checks), 'fail')
    assert.match(checks[0]!.detail!, /no Sync in domain/)
  })

  test('an 802.3 run of a profile without a VLAN rule has no QoS rule to judge: not applicable, saying why', ({ assert }) => {
    const ev = envelope('MF-06', e2e, { observation: addressedObservation(e2e, { seconds: 6 }, {}, { transport: 'l2' }) })
    ev.session.transport = 'l2'
    const checks = MF06.judge(ev, e2e).checks
    assert.equal(combineChecks(checks), 'not-applicable')
    assert.match(checks[0]!.detail!, /states no VLAN rule, and l2 carries no DSCP/)
    assert.deepEqual(MF06.judge(ev, e2e).measurements, { frames: MF06.judge(ev, e2e).measurements!.frames, transport: 'l2', vlanTagsSeen: [] })
  })

  test('applies where the profile has a VLAN rule or allows UDP', ({ assert }) => {
    for (const id of ['default-e2e', 'default-p2p', 'gptp', 'power-2011', 'g8275-1', 'g8275-2']) assert.isTrue(MF06.appliesTo(loadProfile(id)), id)
    const l2only: Profile = structuredClone(power)
    l2only.transport.vlan = { rule: 'optional', source: 'test' }
    assert.match(String(MF06.appliesTo(l2only)), /states no VLAN rule/)
  })
})
