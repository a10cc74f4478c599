/**
 * MGT-03's judge, on answers the reference DUT's management responder gives (encoded and
 * decoded as on the wire): a conformant responder passes; each of its faults — silence on an
 * unknown id, NOT_SUPPORTED instead of NO_SUCH_ID, silence on a defined id it does not
 * implement — fails the check it targets; no answer from a DUT that claims wire management
 * fails; requests the harness could not send are inconclusive.
 */
import { test } from '@japa/runner'
import { buildManagement, decodeMessage, encodeMessage } from '../../../harness/codec/index.ts'
import type { ManagementMessage } from '../../../harness/codec/types.ts'
import { profileHeader } from '../../../harness/engines/from_profile.ts'
import { managementAnswer } from '../../../harness/management/client.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { answerManagement, type ManagementErrorFault } from '../../../harness/refdut/management.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import T, { DEFINED_GET_IDS, type Probe, probeAnswer, UNASSIGNED_IDS } from '../../../suites/mgt/mgt-03-management-errors.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, envelope, HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const dutPort = { clockIdentity: DUT_IDENTITY, portNumber: 1 }
const quality = { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }

function respond(req: ManagementMessage, errors?: ManagementErrorFault): ManagementMessage | undefined {
  return answerManagement(req, {
    portIdentity: dutPort,
    header: profileHeader(e2e),
    state: {
      source: 'management-wire',
      readAt: 0,
      clockIdentity: DUT_IDENTITY,
      domainNumber: 0,
      priority1: 128,
      priority2: 128,
      clockQuality: quality,
      grandmasterIdentity: DUT_IDENTITY,
      grandmasterPriority1: 128,
      grandmasterPriority2: 128,
      grandmasterClockQuality: quality,
      parentPortIdentity: dutPort,
      ports: [{ portNumber: 1, portState: 'MASTER' }],
    },
    timeProperties: { currentUtcOffset: 37, flagField: 0, timeSource: 0xa0 },
    twoStep: true,
    disagree: false,
    ...(errors ? { errors } : {}),
  })
}

/** Each request as the harness sends it, answered by the reference responder through the codec. */
function probes(errors?: ManagementErrorFault): Probe[] {
  const plan = [...UNASSIGNED_IDS.map((id) => ({ id, name: `unassigned ${id}`, kind: 'unassigned' as const })), ...DEFINED_GET_IDS.map((d) => ({ ...d, kind: 'defined' as const }))]
  return plan.map((p, i) => {
    const req = buildManagement({ actionField: 'GET', managementId: p.id, header: { domainNumber: 0, sourcePortIdentity: { clockIdentity: HARNESS_IDENTITY(7), portNumber: 2 }, sequenceId: i } })
    const back = respond(decodeMessage(encodeMessage(req)).message as ManagementMessage, errors)
    const answers = back ? [managementAnswer(decodeMessage(encodeMessage(back)).message as ManagementMessage, [], 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n)!] : []
    return { managementId: p.id, name: p.name, kind: p.kind, sentAtMs: i * 5, timeoutMs: 500, answers: answers.map(probeAnswer), undecodable: [] }
  })
}

const judged = (ps: Probe[], claimsWireManagement = true) => {
  const e = envelope('MGT-03', e2e, { claimsWireManagement, implementation: 'reference 1', dutClockIdentity: DUT_IDENTITY, domainNumber: 0, probes: ps })
  const out = T.judge(e, e2e)
  return { e, out, verdict: combineChecks(out.checks), checks: out.checks, failed: out.checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge MGT-03 management errors', () => {
  test('a responder that refuses unknown ids with NO_SUCH_ID and answers every defined id passes, also after a round trip', ({ assert }) => {
    const r = judged(probes())
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks, UNASSIGNED_IDS.length + 1)
    assert.deepEqual(T.judge(roundTrip(r.e), e2e).checks, r.checks)
  })

  test('fault: silence on an unassigned managementId fails both unassigned checks', ({ assert }) => {
    const r = judged(probes('unknown-id-silent'))
    assert.deepEqual(r.failed, ['GET of unassigned managementId 0x1FFF refused with NO_SUCH_ID', 'GET of unassigned managementId 0x3FFF refused with NO_SUCH_ID'])
    assert.equal(r.checks[0]!.measured, 'no answer')
  })

  test('fault: NOT_SUPPORTED instead of NO_SUCH_ID fails, saying what came back', ({ assert }) => {
    const r = judged(probes('unknown-id-not-supported'))
    assert.lengthOf(r.failed, UNASSIGNED_IDS.length)
    assert.equal(r.checks[0]!.measured, 'RESPONSE MANAGEMENT_ERROR_STATUS NOT_SUPPORTED')
  })

  test('fault: silence on a defined id the DUT does not implement fails, naming the ids and times', ({ assert }) => {
    const r = judged(probes('unimplemented-silent'))
    assert.deepEqual(r.failed, ['every GET of a managementId 1588 defines is answered (data or MANAGEMENT_ERROR_STATUS)'])
    const c = r.checks.find((x) => x.verdict === 'fail')!
    assert.match(c.detail!, /no answer within 500 ms to GET NULL_MANAGEMENT \(0x0000\) at 10 ms, CLOCK_DESCRIPTION/)
    assert.notMatch(c.detail!, / DEFAULT_DATA_SET/)
  })

  test('fault: data in answer to an unassigned id fails', ({ assert }) => {
    const ps = probes().map((p) => (p.kind === 'unassigned' ? { ...p, answers: p.answers.map((a) => ({ ...a, error: undefined, data: 'RAW' })) } : p))
    assert.lengthOf(judged(ps).failed, UNASSIGNED_IDS.length)
  })

  test('fault: a DUT claiming wire management that answers nothing fails with the request count', ({ assert }) => {
    const r = judged(probes().map((p) => ({ ...p, answers: [] })))
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /claims wire management; \d+ GETs in domain 0 .*no answer from the DUT \(020000\.fffe\.000001\)/)
  })

  test('a DUT that does not claim wire management and answers nothing is not applicable', ({ assert }) => {
    assert.equal(judged(probes().map((p) => ({ ...p, answers: [] })), false).verdict, 'not-applicable')
  })

  test('answers from another clock are not the DUT\'s', ({ assert }) => {
    const other = probes().map((p) => ({ ...p, answers: p.answers.map((a) => ({ ...a, sourceKey: '020000.fffe.0000aa-1' })) }))
    assert.equal(judged(other).verdict, 'fail')
  })

  test('insufficient: requests the harness could not send are inconclusive', ({ assert }) => {
    const r = judged(probes().map((p) => ({ ...p, answers: [], sendError: 'sending GET on veth0: ENETDOWN' })))
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /ENETDOWN/)
  })
})
