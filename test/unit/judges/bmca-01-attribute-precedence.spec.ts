/**
 * BMCA-01's judge on evidence built from the grandmasters' real data sets and a DUT model that
 * compares attributes in a given order: the conformant order passes under each variant; a DUT
 * comparing in the wrong order or ignoring an attribute fails in the case that targets it;
 * choosing nobody or leaving the choice fails; sparse state reads are inconclusive.
 */
import { test } from '@japa/runner'
import { predictChoice } from '../../../harness/bmca/predictor.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA01 from '../../../suites/bmca/bmca-01-attribute-precedence.ts'
import { attributeCases, choiceInputs, localPriorities, type MasterRecord } from '../../../suites/support/bmca_cases.ts'
import { type Choice, gmConfig, ms, polled, recordOf, s, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')
const g8275 = loadProfile('g8275-1')
/** G.8275.1 without its BMCA-01 override, so the priority1 case runs too. */
const g8275All: Profile = { ...g8275, suites: { ...g8275.suites, overrides: {} } }

type Attr = 'priority1' | 'clockClass' | 'clockAccuracy' | 'offsetScaledLogVariance' | 'priority2' | 'identity'
const ORDER_1588: Attr[] = ['priority1', 'clockClass', 'clockAccuracy', 'offsetScaledLogVariance', 'priority2', 'identity']
const ORDER_TELECOM: Attr[] = ['clockClass', 'clockAccuracy', 'offsetScaledLogVariance', 'priority2', 'identity']

const value = (m: MasterRecord, a: Exclude<Attr, 'identity'>) => (a === 'priority1' ? m.priority1 : a === 'priority2' ? m.priority2 : m.clockQuality[a])
/** A DUT model: compares the attributes in `order` (lower wins), identity last. */
const byOrder = (order: Attr[]) => (masters: MasterRecord[]) =>
  [...masters].sort((x, y) => {
    for (const a of order) {
      if (a === 'identity') return x.clockIdentity < y.clockIdentity ? -1 : 1
      const d = value(x, a) - value(y, a)
      if (d) return d
    }
    return 0
  })[0]

interface Model {
  pick: (masters: MasterRecord[]) => MasterRecord | undefined
  pollMs?: number
  /** The DUT's own log of its BMCA choices: 'chosen' names only the chosen one; 'switch' then another at +4 s. */
  log?: 'chosen' | 'switch'
  /** The DUT leaves its choice this long after making it. */
  leaveAfterS?: number
  noAnswers?: boolean
}

function evidence(profile: Profile, m: Model) {
  const lp = localPriorities(profile)
  const dut = dutSettingsFor(profile)
  const cases = attributeCases(profile, (profile.suites.overrides['BMCA-01']?.attributes as string[] | undefined) ?? []).map((c, i) => {
    const start = START_NS + s(60 * i)
    const [aId, bId] = c.aHasLowerIdentity ? [1, 2] : [2, 1]
    const masters = [recordOf(gmConfig(profile, 'gm-a', aId, c.a)), recordOf(gmConfig(profile, 'gm-b', bId, c.b))]
    const chosen = m.pick(masters)
    const T = logIntervalToNs(masters[0]!.logAnnounceInterval)
    const choices: Choice[] = [{ atNs: start, portState: 'LISTENING', grandmaster: DUT_IDENTITY }]
    if (m.noAnswers) choices[0] = { atNs: start, error: 'management timeout' }
    else if (chosen) choices.push({ atNs: start + s(2.5), portState: 'SLAVE', grandmaster: chosen.clockIdentity })
    if (m.leaveAfterS !== undefined) choices.push({ atNs: start + s(2.5 + m.leaveAfterS), portState: 'LISTENING', grandmaster: DUT_IDENTITY })
    const endNs = start + s(2.5) + 2n * T + ms(100)
    const other = masters.find((x) => x !== chosen)!
    const log = m.log && chosen ? [{ atNs: start + s(2.4), resolutionNs: ms(1), clockIdentity: chosen.clockIdentity }, ...(m.log === 'switch' ? [{ atNs: start + s(4), resolutionNs: ms(1), clockIdentity: other.clockIdentity }] : [])] : undefined
    return { attribute: c.attribute, title: c.title, masters, inputs: choiceInputs(profile.bmca.variant, dut, DUT_IDENTITY, masters, lp), startedNs: start, endNs, lockTimeoutMs: 14_000, history: polled(choices, start, endNs, m.pollMs ?? 50), ...(log ? { log } : {}), recorder: new Recorder() }
  })
  return envelope('BMCA-01', profile, { cases })
}

const verdictOf = (profile: Profile, m: Model) => {
  const checks = BMCA01.judge(evidence(profile, m), profile).checks
  return { verdict: combineChecks(checks), checks, failed: checks.filter((c) => c.verdict === 'fail') }
}

test.group('judge BMCA-01 attribute precedence', () => {
  test('the cases conflict as designed: each variant decides by the attribute under test', ({ assert }) => {
    for (const profile of [e2e, gptp, g8275All]) {
      const lp = localPriorities(profile)
      for (const c of attributeCases(profile)) {
        const [aId, bId] = c.aHasLowerIdentity ? [1, 2] : [2, 1]
        const masters = [recordOf(gmConfig(profile, 'gm-a', aId, c.a)), recordOf(gmConfig(profile, 'gm-b', bId, c.b))]
        const p = predictChoice(choiceInputs(profile.bmca.variant, dutSettingsFor(profile), DUT_IDENTITY, masters, lp))
        assert.equal(p.decidedBy, c.decidedBy, `${profile.id} ${c.title}`)
        // Only "priority1 is not compared" under G.8275.x sends the DUT to b (the lower identity).
        assert.equal(p.parent?.name, c.decidedBy === 'grandmasterIdentity' && !c.aHasLowerIdentity ? 'gm-b' : 'gm-a', `${profile.id} ${c.title}`)
      }
    }
  })

  test("the profile's suites.overrides['BMCA-01'].attributes selects the cases (G.8275.1: no priority1, localPriority)", ({ assert }) => {
    assert.deepEqual(evidence(g8275, { pick: byOrder(ORDER_TELECOM) }).data.cases.map((c) => c.attribute), ['clockClass', 'clockAccuracy', 'offsetScaledLogVariance', 'priority2', 'localPriority'])
    assert.include(evidence(g8275, { pick: byOrder(ORDER_TELECOM) }).data.cases[4]!.inputs, { portLocalPriority: 128 })
  })

  test('a conformant DUT passes under default-1588, 802.1AS and G.8275.x', ({ assert }) => {
    assert.equal(verdictOf(e2e, { pick: byOrder(ORDER_1588) }).verdict, 'pass')
    assert.equal(verdictOf(gptp, { pick: byOrder(ORDER_1588) }).verdict, 'pass')
    assert.equal(verdictOf(g8275, { pick: byOrder(ORDER_TELECOM) }).verdict, 'pass')
    assert.equal(verdictOf(g8275All, { pick: byOrder(ORDER_TELECOM) }).verdict, 'pass')
  })

  test('the judge gives the same checks on evidence stored and loaded again', ({ assert }) => {
    const ev = evidence(e2e, { pick: byOrder(ORDER_1588) })
    assert.deepEqual(BMCA01.judge(roundTrip(ev), e2e).checks, BMCA01.judge(ev, e2e).checks)
  })

  test('fault: a DUT comparing clockClass before priority1 fails the priority1 case, naming whom it followed', ({ assert }) => {
    const r = verdictOf(e2e, { pick: byOrder(['clockClass', 'priority1', 'clockAccuracy', 'offsetScaledLogVariance', 'priority2', 'identity']) })
    assert.equal(r.verdict, 'fail')
    assert.deepEqual(r.failed.map((c) => c.name), ['better priority1 with worse clockClass: the DUT follows gm-a'])
    assert.match(String(r.failed[0]!.measured), /never followed gm-a; last: gm-b \(020000\.fffe\.000041\) as SLAVE/)
  })

  test('fault: a DUT ignoring priority2 fails the priority2 case', ({ assert }) => {
    const r = verdictOf(e2e, { pick: byOrder(['priority1', 'clockClass', 'clockAccuracy', 'offsetScaledLogVariance', 'identity']) })
    assert.deepEqual(r.failed.map((c) => c.name), ['better priority2 with a higher clockIdentity: the DUT follows gm-a'])
  })

  test('fault: a DUT comparing offsetScaledLogVariance before clockAccuracy fails the clockAccuracy case', ({ assert }) => {
    const r = verdictOf(gptp, { pick: byOrder(['priority1', 'clockClass', 'offsetScaledLogVariance', 'clockAccuracy', 'priority2', 'identity']) })
    assert.deepEqual(r.failed.map((c) => c.name), ['better clockAccuracy with worse offsetScaledLogVariance: the DUT follows gm-a'])
  })

  test('fault: a DUT ignoring clockClass fails the clockClass case (and the priority1 case is unaffected)', ({ assert }) => {
    const r = verdictOf(e2e, { pick: byOrder(['priority1', 'clockAccuracy', 'offsetScaledLogVariance', 'priority2', 'identity']) })
    assert.deepEqual(r.failed.map((c) => c.name), ['better clockClass with worse clockAccuracy: the DUT follows gm-a'])
  })

  test('fault: a G.8275.x DUT that compares priority1 fails "priority1 is not compared"', ({ assert }) => {
    const r = verdictOf(g8275All, { pick: byOrder(ORDER_1588) })
    assert.deepEqual(r.failed.map((c) => c.name), ['priority1 is not compared: better priority1, all else equal: the DUT follows gm-b'])
  })

  test('fault: a DUT that never follows any grandmaster fails every case, saying what it reported', ({ assert }) => {
    const r = verdictOf(e2e, { pick: () => undefined })
    assert.equal(r.verdict, 'fail')
    assert.lengthOf(r.failed, attributeCases(e2e).length)
    assert.match(String(r.failed[0]!.measured), /never followed gm-a; last: itself as LISTENING/)
  })

  test('fault: a DUT that follows the right grandmaster, then leaves it, fails naming when', ({ assert }) => {
    const r = verdictOf(e2e, { pick: byOrder(ORDER_1588), leaveAfterS: 1 })
    assert.equal(r.verdict, 'fail')
    assert.match(String(r.failed[0]!.measured), /followed gm-a at \+2\.5\d* s, then left it at \+3\.5\d* s for itself as LISTENING/)
  })

  test('noisy: state reads 3 s apart cannot show the DUT kept its choice: inconclusive with the gap', ({ assert }) => {
    const r = verdictOf(e2e, { pick: byOrder(ORDER_1588), pollMs: 3000 })
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /largest gap between answered state reads \d\.\d+ s exceeds 1\.000 s/)
  })

  test('sparse reads with the DUT\'s own BMCA log: a log naming no other grandmaster passes, one naming a switch fails', ({ assert }) => {
    const kept = verdictOf(e2e, { pick: byOrder(ORDER_1588), pollMs: 3000, log: 'chosen' })
    assert.equal(kept.verdict, 'pass', kept.checks.map((c) => c.detail).join('\n'))
    const switched = verdictOf(e2e, { pick: byOrder(ORDER_1588), pollMs: 3000, log: 'switch' })
    assert.equal(switched.verdict, 'fail')
    assert.match(String(switched.failed[0]!.measured), /then its log chose/)
  })

  test('noisy: a DUT whose management never answers is inconclusive, not a DUT fault', ({ assert }) => {
    const r = verdictOf(e2e, { pick: byOrder(ORDER_1588), noAnswers: true })
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /none answered \(management timeout\)/)
  })
})
