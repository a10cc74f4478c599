/**
 * MF-05's judge on engine-made evidence with live-like addressing (test/support/evidence/mf.ts):
 * a conformant DUT passes on each profile's transport; each addressing fault fails; frames the
 * capture kept no addressing for are inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF05 from '../../../suites/mf/mf-05-addressing.ts'
import { addressedObservation, ethernetFrame, type FrameFault } from '../../support/evidence/mf.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const gptp = loadProfile('gptp')
const power = loadProfile('power-2011')

function judged(profile: Profile, edit?: FrameFault) {
  const ev = envelope('MF-05', profile, { observation: addressedObservation(profile, { seconds: 6 }, {}, edit ? { edit } : {}) })
  const checks = MF05.judge(ev, profile).checks
  return { ev, checks, verdict: combineChecks(checks), check: (prefix: string) => checks.find((c) => c.name.startsWith(prefix)) }
}

test.group('judge MF-05 addressing', () => {
  test('a conformant DUT passes: default-e2e and default-p2p over UDP/IPv4, gPTP and power-2011 over 802.3', ({ assert }) => {
    for (const profile of [e2e, p2p, gptp, power]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.checks.filter((c) => c.verdict !== 'pass'))}`)
    }
    // The L2 checks rest on the recorded EtherType and VLAN tag, not only on the destination.
    assert.isDefined(judged(gptp).check('frames with EtherType'))
    // The 802.1Q tag is MF-06's.
    assert.isUndefined(judged(power).check('frames without the required 802.1Q tag'))
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const { ev } = judged(power)
    assert.deepEqual(MF05.judge(roundTrip(ev), power).checks, MF05.judge(ev, power).checks)
  })

  test('fault: gPTP Pdelay_Req sent to the primary 01-1B-19-00-00-00 instead of 01-80-C2-00-00-0E fails', ({ assert }) => {
    const r = judged(gptp, (f, a) => (f.message!.type === 'Pdelay_Req' ? { ...a, dstMac: '01:1b:19:00:00:00' } : a))
    assert.equal(r.verdict, 'fail')
    assert.match(r.check('frames to a wrong destination MAC')!.detail!, /Pdelay_Req #\d+ .* to 01:1b:19:00:00:00 \(expected 01:80:c2:00:00:0e/)
  })

  test('fault: default-p2p over 802.3, Announce to the peer-delay MAC fails', ({ assert }) => {
    const ev = envelope('MF-05', p2p, {
      observation: addressedObservation(p2p, { seconds: 6 }, {}, { transport: 'l2', edit: (f, a) => (f.message!.type === 'Announce' ? { ...a, dstMac: '01:80:c2:00:00:0e' } : a) }),
    })
    ev.session.transport = 'l2'
    const c = MF05.judge(ev, p2p).checks.find((x) => x.name === 'frames to a wrong destination MAC')!
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /Announce/)
  })

  test('fault: unicast destination MAC under gPTP (unicast forbidden) fails', ({ assert }) => {
    const r = judged(gptp, (f, a) => (f.message!.type === 'Sync' ? { ...a, dstMac: '02:00:00:00:00:40' } : a))
    assert.equal(r.check('frames to a wrong destination MAC')!.verdict, 'fail')
  })

  test('fault: a frame with another EtherType than 0x88F7 fails', ({ assert }) => {
    const r = judged(gptp, (f, a) => (f.message!.type === 'Announce' ? { ...a, raw: ethernetFrame(a.dstMac!, a.srcMac!, undefined, 0x88f8, f.bytes) } : a))
    assert.equal(r.verdict, 'fail')
    assert.match(r.check('frames with EtherType')!.detail!, /EtherType 0x88f8/)
  })

  test('fault: Announce (general) sent to UDP port 319 fails', ({ assert }) => {
    const r = judged(e2e, (f, a) => (f.message!.type === 'Announce' ? { ...a, dstPort: 319 } : a))
    assert.equal(r.verdict, 'fail')
    assert.match(r.check('frames to a wrong UDP port')!.detail!, /Announce .* to port 319 \(expected 320, general message\)/)
  })

  test('fault: default-p2p Pdelay_Req to 224.0.1.129 instead of 224.0.0.107 fails', ({ assert }) => {
    const r = judged(p2p, (f, a) => (f.message!.type === 'Pdelay_Req' ? { ...a, dstIp: '224.0.1.129' } : a))
    assert.equal(r.verdict, 'fail')
    assert.match(r.check('frames to a wrong multicast group')!.detail!, /expected 224\.0\.0\.107/)
  })

  test('fault: a transport the profile does not allow (UDP under gPTP) fails', ({ assert }) => {
    const ev = envelope('MF-05', gptp, { observation: addressedObservation(gptp, { seconds: 6 }, {}, { transport: 'l2' }) })
    ev.session.transport = 'udp4'
    const checks = MF05.judge(ev, gptp).checks
    assert.equal(checks[0]!.verdict, 'fail')
  })

  test('fault: a DUT that sends no Sync fails and says what arrived', ({ assert }) => {
    const ev = envelope('MF-05', gptp, { observation: addressedObservation(gptp, { seconds: 6 }, { sendSync: false }) })
    const checks = MF05.judge(ev, gptp).checks
    assert.equal(combineChecks(checks), 'fail')
    assert.match(checks[0]!.detail!, /no Sync in domain/)
  })

  test('noisy: a capture that kept no destination MAC is inconclusive, with how many frames it lacked', ({ assert }) => {
    const r = judged(gptp, (_f, { dstMac: _d, raw: _r, ...a }) => a)
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.check('frames to a wrong destination MAC')!.detail!, /\d+ frame\(s\) without the field in the capture/)
  })

  test('noisy: UDP frames recorded without a destination port are inconclusive, a wrong one still fails', ({ assert }) => {
    assert.equal(judged(e2e, (_f, { dstPort: _p, ...a }) => a).verdict, 'inconclusive')
    const mixed = judged(e2e, (f, { dstPort: _p, ...a }) => (f.message!.type === 'Sync' ? { ...a, dstPort: 320 } : a))
    assert.equal(mixed.check('frames to a wrong UDP port')!.verdict, 'fail')
  })
})
