/**
 * MF-01's judge on engine-made evidence: a conformant DUT master passes; each header fault —
 * each codec finding that breaks a "shall" — fails, named; advisory findings and those another
 * test owns are reported without failing. MF-01 measures no quantity with noise, so it has no
 * inconclusive case: a frame either carries the field or it does not.
 */
import { test } from '@japa/runner'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF01, { ruleOf } from '../../../suites/mf/mf-01-header-fields.ts'
import { addressedObservation } from '../../support/evidence/mf.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const gptp = loadProfile('gptp')

function judged(profile: Profile, mutations: MutationRule[] = []) {
  const ev = envelope('MF-01', profile, { observation: addressedObservation(profile, { seconds: 6 }, mutations.length ? { mutations } : {}) })
  const out = MF01.judge(ev, profile)
  return { ev, out, verdict: combineChecks(out.checks), check: (name: string) => out.checks.find((c) => c.name.startsWith(name)) }
}

test.group('judge MF-01 header fields', () => {
  test('a conformant DUT master passes (default-e2e, default-p2p, gPTP)', ({ assert }) => {
    for (const profile of [e2e, p2p, gptp]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.out.checks.filter((c) => c.verdict !== 'pass'))}`)
    }
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const { ev } = judged(gptp)
    assert.deepEqual(MF01.judge(roundTrip(ev), gptp).checks, MF01.judge(ev, gptp).checks)
  })

  test('fault: twoStepFlag set on Announce (a flag Table 37 does not define for it) fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Announce'], mutation: { kind: 'flags', set: 0x0200 } }])
    assert.equal(r.verdict, 'fail')
    assert.match(r.check('flags set on a message type')!.detail!, /Announce frame #\d+: flagField .*twoStepFlag is set in a Announce/)
  })

  test('fault: ptpTimescale set on Sync fails the same rule', ({ assert }) => {
    const r = judged(p2p, [{ messageTypes: ['Sync'], mutation: { kind: 'flags', set: 0x0008 } }])
    assert.equal(r.check('flags set on a message type')!.verdict, 'fail')
  })

  test('fault: reserved flag bits set fail', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Sync'], mutation: { kind: 'reservedBits', field: 'flagField' } }])
    assert.equal(r.check('reserved bits and fields not zero')!.verdict, 'fail')
  })

  test('fault: Announce reserved octet 46 not zero fails', ({ assert }) => {
    const r = judged(gptp, [{ messageTypes: ['Announce'], mutation: { kind: 'reservedBits', field: 'announceReserved' } }])
    assert.match(r.check('reserved bits and fields not zero')!.detail!, /reserved octet 46 of Announce/)
  })

  test('fault: messageTypeSpecific (reserved octets 16-19) not zero fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Follow_Up'], mutation: { kind: 'reservedBits', field: 'messageTypeSpecific' } }])
    assert.equal(r.check('reserved bits and fields not zero')!.verdict, 'fail')
  })

  test('fault: messageLength shorter than the frame (octets after the message) fails', ({ assert }) => {
    // gPTP Follow_Up: messageLength leaves out its 32-octet FOLLOW_UP_INFO TLV, which is still sent.
    const r = judged(gptp, [{ messageTypes: ['Follow_Up'], mutation: { kind: 'messageLength', delta: -32 } }])
    assert.match(r.check('messageLength or TLV lengthField')!.detail!, /32 octet\(s\) follow messageLength 44/)
  })

  test('fault: messageLength shorter than the message body fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Announce'], mutation: { kind: 'messageLength', delta: -2 } }])
    assert.match(r.check('messageLength or TLV lengthField')!.detail!, /messageLength 62 is shorter than the 64-octet Announce/)
  })

  test('fault: messageLength longer than the frame fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Sync'], mutation: { kind: 'messageLength', delta: 4 } }])
    assert.equal(r.check('messageLength or TLV lengthField')!.verdict, 'fail')
  })

  test('fault: correctionField ≠ 0 in Announce fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Announce'], mutation: { kind: 'correctionField', deltaScaled: 65536n } }])
    assert.equal(r.check('Announce/Signaling/Management with correctionField ≠ 0')!.verdict, 'fail')
  })

  test('fault: versionPTP 3 fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Announce'], mutation: { kind: 'versionPTP', value: 3 } }])
    assert.equal(r.check('messages with versionPTP')!.verdict, 'fail')
  })

  test('fault: mixed controlField conventions fail', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Follow_Up'], mutation: { kind: 'fields', overrides: { header: { controlField: 9 } } } }])
    assert.equal(r.check('controlField convention')!.verdict, 'fail')
  })

  test('fault: a truncated frame is undecodable and fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Announce'], mutation: { kind: 'truncate', octets: 30 } }])
    assert.equal(r.check('undecodable frames')!.verdict, 'fail')
  })

  test('fault: a DUT that sends no Sync fails and says what arrived', ({ assert }) => {
    const ev = envelope('MF-01', e2e, { observation: addressedObservation(e2e, { seconds: 6 }, { sendSync: false }) })
    const checks = MF01.judge(ev, e2e).checks
    assert.equal(combineChecks(checks), 'fail')
    assert.match(checks[0]!.detail!, /no Sync in domain/)
  })

  test('advisory: a logMessageInterval finding (MF-07\'s rule) is reported, not failed by MF-01', ({ assert }) => {
    const r = judged(p2p, [{ messageTypes: ['Pdelay_Resp'], mutation: { kind: 'logMessageInterval', value: 0 } }])
    assert.equal(r.verdict, 'pass')
    assert.include(JSON.stringify(r.out.measurements!.reportedFindings), 'judged by MF-07')
  })

  test('advisory: the 2-octet UDP/IPv6 suffix is not a length fault; on other transports it is', ({ assert }) => {
    const f = { field: 'messageLength', offset: 2, message: '2 octet(s) follow messageLength 64', clause: 'IEEE 1588-2019 13.3.2.5', severity: 'warning' as const }
    assert.equal(ruleOf(f, 'udp6').kind, 'reported')
    assert.equal(ruleOf(f, 'udp4').kind, 'shall')
  })
})
