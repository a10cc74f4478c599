/**
 * TLV-TEL-01's judge on negotiation evidence made by the engines: conformant TLVs pass; a wrong
 * lengthField, a grant without renewalInvited, Signaling sent multicast or without unicastFlag,
 * and a DUT that sends no negotiation TLV at all each fail, naming what was seen.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks, type Check } from '../../../harness/verdict/verdict.ts'
import TLVTEL01 from '../../../suites/tlv/tlv-tel-01-unicast-negotiation-tlvs.ts'
import { FLAG_UNICAST } from '../../../harness/codec/constants.ts'
import { capturedObservation, negotiationCapture, negotiationEvidence, type NegotiationFaults } from '../../support/evidence/negotiation.ts'
import { envelope, HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'
import { buildAcknowledgeCancelUnicastTransmissionTlv, buildGrantUnicastTransmissionTlv } from '../../../harness/codec/tlvs/unicast.ts'
import { MessageType } from '../../../harness/codec/constants.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const g2 = loadProfile('g8275-2')

function judged(f: NegotiationFaults = {}) {
  const checks = TLVTEL01.judge(roundTrip(negotiationEvidence('TLV-TEL-01', g2, f)), g2).checks
  const check = (re: RegExp): Check => checks.find((x) => re.test(x.name))!
  return { checks, verdict: combineChecks(checks), check, failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge TLV-TEL-01 unicast negotiation TLVs', () => {
  test('the engines\' TLVs pass every rule, both sides counted', ({ assert }) => {
    const r = judged()
    assert.equal(r.verdict, 'pass', r.checks.map((c) => `${c.name}: ${c.verdict} ${c.measured}`).join('\n'))
    assert.match(String(r.check(/lengthField and reserved/).measured), /REQUEST.*GRANT.*CANCEL.*ACKNOWLEDGE_CANCEL/)
  })

  test('a GRANT whose lengthField is 2 octets long fails with the codec\'s finding', ({ assert }) => {
    const r = judged({ masterFault: { mutations: [{ messageTypes: ['Signaling'], mutation: { kind: 'tlvLength', delta: 2 } }] } })
    assert.include(r.failed, 'lengthField and reserved fields of each TLV')
    assert.match(String(r.check(/lengthField and reserved/).measured), /lengthField is 10, expected 8/)
  })

  test('a grant without renewalInvited fails (marked unconfirmed)', ({ assert }) => {
    const r = judged({ grantor: { renewalInvited: false } })
    const c = r.check(/renewalInvited/)
    assert.equal(c.verdict, 'fail')
    assert.isTrue(c.unconfirmed)
  })

  test('Signaling sent to the multicast address, or without unicastFlag, fails', ({ assert }) => {
    const multicast = judged({ masterFault: { destinations: { Signaling: { kind: 'primary' } } } })
    assert.include(multicast.failed, 'the Signaling carrying them goes unicast with unicastFlag set')
    const noFlag = judged({ masterFault: { mutations: [{ messageTypes: ['Signaling'], mutation: { kind: 'flags', clear: FLAG_UNICAST } }] } })
    assert.match(String(noFlag.check(/unicastFlag/).measured), /flagField 0x0/)
  })

  test('on a capture (analyze): the chosen clock\'s TLVs are judged by sender, peers are whoever spoke to it', ({ assert }) => {
    const asCapture = (f: NegotiationFaults) => TLVTEL01.judge(roundTrip(envelope('TLV-TEL-01', g2, { observation: negotiationCapture(g2, f) })), g2).checks
    assert.equal(combineChecks(asCapture({})), 'pass', asCapture({}).map((c) => `${c.name}: ${c.verdict} ${c.measured}`).join('\n'))
    const noR = asCapture({ grantor: { renewalInvited: false } })
    assert.equal(noR.find((c) => /renewalInvited/.test(c.name))!.verdict, 'fail')
    const empty = TLVTEL01.judge(envelope('TLV-TEL-01', g2, { observation: capturedObservation(new Recorder()) }), g2).checks
    assert.equal(empty[0]!.verdict, 'inconclusive')
  })

  test('a negotiation TLV outside Signaling, one for a type no service exists for, an acknowledgement of what nobody cancelled, and Signaling to another port each fail', ({ assert }) => {
    const grant = buildGrantUnicastTransmissionTlv({ messageType: MessageType.Sync, logInterMessagePeriod: -4, durationField: 60 })
    const outside = judged({ masterFault: { mutations: [{ messageTypes: ['Announce'], mutation: { kind: 'appendTlvs', tlvs: [grant] } }] } })
    assert.match(String(outside.check(/ride only in Signaling/).measured), /^\d+: Announce #\d+/)
    const followUp = buildGrantUnicastTransmissionTlv({ messageType: MessageType.Follow_Up, logInterMessagePeriod: -4, durationField: 60 })
    const type = judged({ masterFault: { mutations: [{ messageTypes: ['Signaling'], mutation: { kind: 'appendTlvs', tlvs: [followUp] } }] } })
    assert.match(String(type.check(/negotiable service/).measured), /GRANT_UNICAST_TRANSMISSION messageType 0x8/)
    const ack = buildAcknowledgeCancelUnicastTransmissionTlv({ messageType: MessageType.Announce })
    const acked = judged({ masterFault: { mutations: [{ messageTypes: ['Signaling'], mutation: { kind: 'appendTlvs', tlvs: [ack] } }] } })
    assert.include(acked.failed, 'ACKNOWLEDGE_CANCEL names a type the peer cancelled')
    const elsewhere = judged({ masterFault: { mutations: [{ messageTypes: ['Signaling'], mutation: { kind: 'fields', overrides: { targetPortIdentity: { clockIdentity: HARNESS_IDENTITY(7), portNumber: 1 } } } }] } })
    assert.include(elsewhere.failed, 'targetPortIdentity names the peer (or all ports)')
  })

  test('a DUT that sends no negotiation TLV fails', ({ assert }) => {
    const r = judged({ grantor: { decisions: { Announce: { kind: 'ignore' }, Sync: { kind: 'ignore' }, Delay_Resp: { kind: 'ignore' } }, acknowledgeCancel: false }, requester: { services: [], acknowledgeCancel: false } })
    assert.deepEqual(r.failed, ['the DUT sends negotiation TLVs'])
  })
})
