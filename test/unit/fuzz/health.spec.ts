/** The health check's verdict on one observation: well, crashed, silent, not answering, left its grandmaster. */
import { test } from '@japa/runner'
import { assessHealth, describeProblems, type HealthObservation, looksWell, noteSeen } from '../../../harness/fuzz/health.ts'

const GM = '020000.fffe.000041'
const E2E = { grandmaster: { clockIdentity: GM, portNumber: 1 }, delayMechanism: 'E2E' as const }
const P2P = { ...E2E, delayMechanism: 'P2P' as const }
const well: HealthObservation = {
  fromNs: 0n, toNs: 900_000_000n, requests: 1, reads: 6, answered: 6,
  last: { portStates: ['SLAVE'], grandmasterIdentity: GM }, stateExpected: true,
}
const kinds = (o: HealthObservation) => assessHealth(o, E2E).map((p) => p.kind)

test('a slave of its grandmaster that still asks for delay is well', ({ assert }) => {
  assert.deepEqual(kinds(well), [])
  assert.isTrue(looksWell(well, E2E))
  assert.equal(describeProblems([]), 'well')
})

test('a crash is the finding (its silence follows from it)', ({ assert }) => {
  const p = assessHealth({ ...well, requests: 0, exit: { how: 'exited with code 139', logTail: '…' } }, E2E)
  assert.deepEqual(p, [{ kind: 'crashed', detail: 'the DUT process exited with code 139' }])
})

test('no delay request after the batch is silence, with the window', ({ assert }) => {
  const p = assessHealth({ ...well, requests: 0, toNs: 14_000_000_000n }, P2P)
  assert.deepEqual(p.map((x) => x.kind), ['silent'])
  assert.match(p[0]!.detail, /no Pdelay_Req from the DUT in the 14(\.0+)? s after the batch/)
})

test('a DUT that answered state reads before and stops is not answering; one that never did is not judged on them', ({ assert }) => {
  assert.deepEqual(kinds({ ...well, answered: 0, last: undefined }), ['management-silent'])
  assert.deepEqual(kinds({ ...well, answered: 0, last: undefined, stateExpected: false }), [])
})

test('another grandmaster, or no longer a slave, is leaving the grandmaster', ({ assert }) => {
  assert.deepEqual(kinds({ ...well, last: { portStates: ['SLAVE'], grandmasterIdentity: '020000.fffe.000043' } }), ['left-grandmaster'])
  assert.deepEqual(kinds({ ...well, last: { portStates: ['MASTER'], grandmasterIdentity: GM } }), ['left-grandmaster'])
  assert.isFalse(looksWell({ ...well, last: { portStates: ['LISTENING'] } }, E2E))
})

test('what is seen is added: requests since the start only, reads asked and answered, the last answer', ({ assert }) => {
  const o: HealthObservation = { fromNs: 1_000n, toNs: 1_000n, requests: 0, reads: 0, answered: 0, stateExpected: true }
  noteSeen(o, [500n, 1_200n, 1_900n], { answered: false })
  assert.deepInclude(o, { requests: 2, reads: 1, answered: 0 })
  noteSeen(o, [500n, 1_200n, 1_900n], { answered: true, portStates: ['SLAVE'], grandmasterIdentity: GM })
  assert.deepInclude(o, { reads: 2, answered: 1, last: { portStates: ['SLAVE'], grandmasterIdentity: GM } })
  noteSeen(o, [500n], undefined)
  assert.equal(o.reads, 2, 'no read: nothing asked')
  assert.equal(o.requests, 0)
})

test('a DUT that names no grandmaster (ptpd\'s status file) is judged by its parent; one that names another is not well', ({ assert }) => {
  assert.deepEqual(kinds({ ...well, last: { portStates: ['SLAVE'], parent: GM } }), [])
  assert.deepEqual(kinds({ ...well, last: { portStates: ['SLAVE'], parent: '020000.fffe.000043' } }), ['left-grandmaster'])
  assert.deepEqual(kinds({ ...well, last: { portStates: ['SLAVE'], parent: GM, grandmasterIdentity: 'ffffff.ffff.ffffff' } }), ['left-grandmaster'])
  assert.match(assessHealth({ ...well, last: { portStates: ['SLAVE'] } }, E2E)[0]!.detail, /parent unknown and grandmaster unknown/)
})
