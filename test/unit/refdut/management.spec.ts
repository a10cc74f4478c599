import { test } from '@japa/runner'
import { buildManagement } from '../../../harness/codec/messages/management.ts'
import { decodeMessage, encodeMessage } from '../../../harness/codec/message.ts'
import type { ManagementMessage } from '../../../harness/codec/types.ts'
import type { SendAction } from '../../../harness/engines/actions.ts'
import { HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'
import { refLab, SECOND } from '../../support/refdut/clock.ts'

function get(lab: ReturnType<typeof refLab>, id: 'DEFAULT_DATA_SET' | 'CURRENT_DATA_SET' | 'PARENT_DATA_SET' | 'TIME_PROPERTIES_DATA_SET' | 'PORT_DATA_SET' | 'CLOCK_DESCRIPTION', domainNumber = 0) {
  const req = buildManagement({ actionField: 'GET', managementId: id, header: { domainNumber, sequenceId: 42, sourcePortIdentity: { clockIdentity: HARNESS_IDENTITY(5), portNumber: 7 } } })
  // Through the codec both ways, as on the wire.
  const rx = decodeMessage(encodeMessage(req)).message as ManagementMessage
  const out = lab.dut.onMessage({ message: rx, rxTimestampNs: lab.link.now }, lab.link.now) as SendAction[]
  if (out.length === 0) return undefined
  const answer = decodeMessage(encodeMessage(out[0]!.message)).message as ManagementMessage
  return answer
}

const field = (m: ManagementMessage | undefined) => {
  const t = m?.tlvs[0]
  return t && t.kind === 'MANAGEMENT' ? (t.dataField as unknown as Record<string, unknown>) : undefined
}

test.group('refdut / management responder', () => {
  test('GET of the five data sets answered with RESPONSE matching the Announce and the state', ({ assert }) => {
    const lab = refLab('default-e2e')
    lab.link.advance(6n * SECOND)
    const ann = lab.sentOf('Announce').at(-1)!.message as { grandmasterPriority1: number; currentUtcOffset: number; grandmasterClockQuality: { clockClass: number } }
    const dds = get(lab, 'DEFAULT_DATA_SET')!
    assert.equal(dds.actionField, 2)
    assert.equal(dds.header.sequenceId, 42)
    assert.deepEqual(dds.targetPortIdentity, { clockIdentity: HARNESS_IDENTITY(5), portNumber: 7 })
    assert.equal(field(dds)!.priority1, ann.grandmasterPriority1)
    assert.equal((field(dds)!.clockQuality as { clockClass: number }).clockClass, ann.grandmasterClockQuality.clockClass)
    assert.equal(field(get(lab, 'PARENT_DATA_SET'))!.grandmasterPriority1, ann.grandmasterPriority1)
    assert.equal(field(get(lab, 'TIME_PROPERTIES_DATA_SET'))!.currentUtcOffset, ann.currentUtcOffset)
    assert.equal(field(get(lab, 'PORT_DATA_SET'))!.portState, 6)
    assert.equal(field(get(lab, 'CURRENT_DATA_SET'))!.stepsRemoved, 0)
  })

  test('unsupported ids get MANAGEMENT_ERROR_STATUS; other domains get nothing', ({ assert }) => {
    const lab = refLab('default-e2e')
    lab.link.advance(SECOND)
    assert.equal(get(lab, 'CLOCK_DESCRIPTION')!.tlvs[0]!.kind, 'MANAGEMENT_ERROR_STATUS')
    assert.isUndefined(get(lab, 'DEFAULT_DATA_SET', 5))
  })

  test('fault: management-disagrees → priority1, grandmasterPriority1 and currentUtcOffset differ from the wire', ({ assert }) => {
    const lab = refLab('default-e2e', { faults: ['management-disagrees'] })
    lab.link.advance(6n * SECOND)
    const ann = lab.sentOf('Announce').at(-1)!.message as { grandmasterPriority1: number; currentUtcOffset: number }
    assert.equal(field(get(lab, 'DEFAULT_DATA_SET'))!.priority1, ann.grandmasterPriority1 + 1)
    assert.equal(field(get(lab, 'PARENT_DATA_SET'))!.grandmasterPriority1, ann.grandmasterPriority1 + 1)
    assert.equal(field(get(lab, 'TIME_PROPERTIES_DATA_SET'))!.currentUtcOffset, ann.currentUtcOffset + 1)
  })
})
