/**
 * ROB-04's judge on the reference DUT run sans-IO: the conformant clock ignores the masters in
 * another domain, with another majorSdoId or versionPTP 1, and passes; each accepts-other-*
 * fault fails the case it targets (and only that one is named as followed); a state source
 * that stops answering during the watch is inconclusive.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import ROB04, { otherNetworkCases } from '../../../suites/rob/rob-04-other-ptp-network.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { judgedUnusable, unusableEvidence } from '../../support/evidence/unusable.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')
const judged = (o: { faults?: string[]; pollMs?: number; unreadableWatch?: boolean; profile?: typeof e2e } = {}) => judgedUnusable(ROB04, o.profile ?? e2e, otherNetworkCases(o.profile ?? e2e, 0), o)

test.group('judge ROB-04 other PTP network', () => {
  test('a clock that ignores other domains, SDOs and versions passes; also after a round trip', ({ assert }) => {
    const r = judged()
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks, 5)
    assert.deepEqual(ROB04.judge(roundTrip(r.e), e2e).checks, r.checks)
  })

  test('passes on a peer-delay link too', ({ assert }) => {
    assert.equal(judged({ profile: p2p }).verdict, 'pass')
  })

  for (const [fault, name] of [
    ['accepts-other-domain', 'not used: Announce, Sync and Follow_Up in domain 1'],
    ['accepts-other-sdo', 'not used: Announce, Sync and Follow_Up with majorSdoId 1'],
    ['accepts-other-version', 'not used: Announce, Sync and Follow_Up with versionPTP 1'],
  ] as const) {
    test(`fault ${fault}: its case fails`, ({ assert }) => {
      const r = judged({ faults: [fault] })
      assert.deepEqual(r.failed, [name])
    })
  }

  test('a read naming the case master only as parent (no grandmaster yet, as ptpd\'s status file can) still names the case', ({ assert }) => {
    const e = unusableEvidence('ROB-04', e2e, otherNetworkCases(e2e, 0), { faults: ['accepts-other-sdo'] })
    const sdo = e.data.cases.find((c) => c.key === 'other-sdo')!.master.clockIdentity
    const i = e.data.watchHistory.findIndex((r) => r.state?.grandmasterIdentity === sdo)
    e.data.watchHistory[i] = { ...e.data.watchHistory[i]!, state: { ...e.data.watchHistory[i]!.state!, grandmasterIdentity: undefined, parentPortIdentity: { clockIdentity: sdo, portNumber: 1 } } }
    const failed = ROB04.judge(e, e2e).checks.filter((c) => c.verdict === 'fail').map((c) => c.name)
    assert.deepEqual(failed, ['not used: Announce, Sync and Follow_Up with majorSdoId 1'])
  })

  test('G.8275.1 (125 ms announce interval): reads 150 ms apart still show the DUT stayed, since a switch would last', ({ assert }) => {
    const r = judged({ profile: loadProfile('g8275-1'), pollMs: 150 })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
  })

  test('insufficient: no state read answered while the masters announced is inconclusive, saying so', ({ assert }) => {
    const r = judged({ unreadableWatch: true })
    assert.equal(r.verdict, 'inconclusive')
    assert.match(JSON.stringify(r.checks), /no answered state read after/)
  })

  test('reads 3 s apart still pass: a switch to a master that keeps announcing would show in a later read', ({ assert }) => {
    assert.equal(judged({ pollMs: 3000 }).verdict, 'pass')
  })
})
