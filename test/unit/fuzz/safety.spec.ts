/** The last word on a fuzz frame: the run's domain, and a Management frame only asks (GET) unless --allow-set. */
import { test } from '@japa/runner'
import { encodeMessage } from '../../../harness/codec/message.ts'
import { buildManagement } from '../../../harness/codec/messages/management.ts'
import { ACTION_OCTET, replayRefusal, safeFuzzFrame } from '../../../harness/fuzz/safety.ts'

const mgmt = (action: 'GET' | 'SET' | 'COMMAND', domainNumber = 24) =>
  encodeMessage(buildManagement({ actionField: action, managementId: 0x2005, header: { domainNumber, sourcePortIdentity: { clockIdentity: '020000.fffe.000043', portNumber: 1 }, sequenceId: 1 } }))

test('a frame that left the run\'s domain is put back in it, and says so', ({ assert }) => {
  const f = mgmt('GET', 7)
  const s = safeFuzzFrame(f, { domainNumber: 24, allowManagementSet: false })
  assert.equal(s.octets[4], 24)
  assert.deepEqual(s.changed, ['domainNumber 7 → 24 (the run\'s)'])
  assert.equal(f[4], 7, 'the input is not changed')
})

test('a Management SET or COMMAND becomes a GET without --allow-set, and stays with it', ({ assert }) => {
  for (const a of ['SET', 'COMMAND'] as const) {
    const s = safeFuzzFrame(mgmt(a), { domainNumber: 24, allowManagementSet: false })
    assert.equal(s.octets[ACTION_OCTET]! & 0x0f, 0)
    assert.match(s.changed[0]!, new RegExp(`${a} → GET`))
    assert.equal(safeFuzzFrame(mgmt(a), { domainNumber: 24, allowManagementSet: true }).octets[ACTION_OCTET]! & 0x0f, a === 'SET' ? 1 : 3)
  }
  assert.deepEqual(safeFuzzFrame(mgmt('GET'), { domainNumber: 24, allowManagementSet: false }).changed, [])
})

test('a frame too short to name a domain is refused', ({ assert }) => {
  assert.throws(() => safeFuzzFrame(new Uint8Array(4), { domainNumber: 0, allowManagementSet: false }), /names no domain/)
})

test('replay refuses frames of another domain and a SET without --allow-set, with why', ({ assert }) => {
  assert.match(replayRefusal(mgmt('GET', 7), { domainNumber: 24, allowManagementSet: false })!, /domainNumber 7, the run's is 24/)
  assert.match(replayRefusal(mgmt('SET'), { domainNumber: 24, allowManagementSet: false })!, /SET \(pass --allow-set/)
  assert.isUndefined(replayRefusal(mgmt('SET'), { domainNumber: 24, allowManagementSet: true }))
  assert.isUndefined(replayRefusal(mgmt('GET'), { domainNumber: 24, allowManagementSet: false }))
})
