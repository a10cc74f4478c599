/**
 * MF-04's judge on engine-made evidence: a conformant DUT master passes and its FF-FE identity
 * is reported as deprecated, not failed; each fault fails — an all-zeros or all-ones identity,
 * an Announce naming another grandmaster at stepsRemoved 0. Identities are read exactly: no
 * inconclusive case.
 */
import { test } from '@japa/runner'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import MF04 from '../../../suites/mf/mf-04-clock-identity.ts'
import { envelope, simulatedObservation } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const p2p = loadProfile('default-p2p')

function judged(profile: Profile, mutations: MutationRule[] = [], clockIdentity?: string) {
  const fault = { ...(mutations.length ? { mutations } : {}), ...(clockIdentity ? { clockIdentity } : {}) }
  const ev = envelope('MF-04', profile, { observation: simulatedObservation(profile, { seconds: 10 }, fault) })
  const out = MF04.judge(ev, profile)
  return { ev, out, verdict: combineChecks(out.checks), check: (name: string) => out.checks.find((c) => c.name.startsWith(name))! }
}
const identity = (id: string): MutationRule => ({ messageTypes: ['Announce', 'Sync', 'Follow_Up', 'Delay_Resp', 'Pdelay_Req', 'Pdelay_Resp', 'Pdelay_Resp_Follow_Up'], mutation: { kind: 'fields', overrides: { header: { sourcePortIdentity: { clockIdentity: id } } } } })

test.group('judge MF-04 clockIdentity form', () => {
  test('a conformant DUT master passes (default-e2e, default-p2p), also on stored evidence', ({ assert }) => {
    for (const profile of [e2e, p2p]) {
      const r = judged(profile)
      assert.equal(r.verdict, 'pass', `${profile.id}: ${JSON.stringify(r.out.checks.filter((c) => c.verdict !== 'pass'))}`)
      assert.equal(r.check('grandmasterIdentity of its own Announce').verdict, 'pass')
      assert.deepEqual(MF04.judge(roundTrip(r.ev), profile).checks, r.out.checks)
    }
  })

  test('an FF-FE identity built from an EUI-48 is reported as deprecated, not failed; a native EUI-64 is not reported', ({ assert }) => {
    const ffFe = judged(e2e, [], '020000.fffe.000001').check('clockIdentity built from an EUI-48')
    assert.deepInclude(ffFe, { verdict: 'pass', measured: 'yes' })
    assert.equal(judged(e2e, [], '0a1b2c.3d4e.5f6071').check('clockIdentity built from an EUI-48').measured, 'no')
  })

  test('fault: an all-zeros or all-ones clockIdentity fails', ({ assert }) => {
    for (const id of ['000000.0000.000000', 'ffffff.ffff.ffffff']) {
      const r = judged(e2e, [identity(id)])
      assert.equal(r.check('clockIdentity is not a reserved value').verdict, 'fail', id)
    }
  })

  test('fault: an Announce at stepsRemoved 0 naming another clock as grandmasterIdentity fails', ({ assert }) => {
    const r = judged(e2e, [{ messageTypes: ['Announce'], mutation: { kind: 'fields', overrides: { grandmasterIdentity: '020000.fffe.0000ee' } } }])
    const c = r.check('grandmasterIdentity of its own Announce')
    assert.equal(c.verdict, 'fail')
    assert.match(c.detail!, /names 020000\.fffe\.0000ee/)
  })
})
