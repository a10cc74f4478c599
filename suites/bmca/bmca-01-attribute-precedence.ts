/**
 * BMCA-01 — the DUT (slave-only) follows the grandmaster the data set comparison of its
 * profile's BMCA variant picks, and compares the attributes in the right order: every case
 * is two grandmasters that CONFLICT (better in the attribute under test, worse in the next
 * one compared, higher identity), so a DUT comparing in the wrong order, skipping an
 * attribute or falling back to identity follows the other one. The judge re-runs the
 * prediction (harness/bmca/predictor.ts) on the stored data sets and reads the DUT's choice
 * from its polled PARENT_DATA_SET / port states.
 */
import { type ChoiceInput, predictChoice } from '../../harness/bmca/predictor.ts'
import { type Check, conformance, logIntervalToNs, type Profile, testParams } from '../kit.ts'
import { attributeCases, choiceInputs, judgeFollowing, localPriorities, type MasterRecord, masterRecord, watchChoice, type WatchedChoice } from '../support/bmca_cases.ts'
import { masterConfig } from '../support/grandmasters.ts'

/** `attributes`: the cases to run (suites.overrides['BMCA-01']); default all of the variant's. */
const DEFAULTS: { attributes: string[]; holdIntervals: number } = { attributes: [], holdIntervals: 2 }

/** One case: its grandmasters, the prediction's inputs (the judge computes it again) and what was watched. */
export interface CaseEvidence extends WatchedChoice {
  attribute: string
  title: string
  masters: MasterRecord[]
  inputs: ChoiceInput
}

const cases = (profile: Profile) => attributeCases(profile, testParams(profile, 'BMCA-01', DEFAULTS).attributes)

export default conformance<{ cases: CaseEvidence[] }>({
  id: 'BMCA-01',
  title: 'The DUT compares grandmaster attributes in its BMCA variant\'s order',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.4 (data set comparison), 9.3.3 (state decision); ITU-T G.8275.1 6.3; IEEE 802.1AS-2020 10.3.5',
  mapsTo: ['linuxptp-testsuite 05-clockclass', 'linuxptp-testsuite 30-telecombmca', 'UNH PWR.c.2.x'],
  tags: ['active', 'bmca'],
  severity: 'critical',
  fixture: 'dut-slave',
  // Each case restarts the DUT: ~0.1 s start, ~2 s to qualify and select (2 Announces at 1 s), 2 s of hold: ≈ 5 s (lab: 28 s for 6).
  params: DEFAULTS,
  estimatedSeconds: 6 * 5,
  criteria: {
    pass: 'in every conflicting-attribute case the DUT follows the grandmaster the profile\'s BMCA variant predicts and stays with it',
    fail: 'the DUT follows the other grandmaster (wrong attribute order, an attribute ignored), follows none, or leaves its choice',
  },
  appliesTo: (profile) => (cases(profile).length ? true : 'suites.overrides selects no BMCA-01 case for this variant'),
  async acquire(ctx) {
    const p = testParams(ctx.profile, 'BMCA-01', DEFAULTS)
    const out: CaseEvidence[] = []
    const lp = localPriorities(ctx.profile)
    for (const c of cases(ctx.profile)) {
      // Harness identities 1 < 2: `a` (better in the attribute) takes the higher one unless identity is the attribute.
      const [aId, bId] = c.aHasLowerIdentity ? [1, 2] : [2, 1]
      const specs = [
        { name: 'gm-a', identity: aId, dataset: c.a },
        { name: 'gm-b', identity: bId, dataset: c.b },
      ]
      const masters = specs.map((s) => masterRecord(masterConfig(ctx, s)))
      const dutId = ctx.session.dutPortIdentity()?.clockIdentity ?? 'ffffff.fffe.ffffff'
      const inputs = choiceInputs(ctx.profile.bmca.variant, ctx.session.dutSettings, dutId, masters, lp)
      const expected = predictChoice(inputs).grandmasterIdentity
      ctx.step(`${c.title}: two grandmasters, waiting for the DUT to follow ${masters.find((m) => m.clockIdentity === expected)?.name ?? expected}`)
      // The DUT's own log of its BMCA choices (lab ptp4l) sees a switch the reads could fall between.
      const w = await watchChoice(ctx, specs, expected, p.holdIntervals, { log: true })
      out.push({ attribute: c.attribute, title: c.title, masters, inputs, startedNs: w.startedNs, endNs: w.endNs, lockTimeoutMs: w.lockTimeoutMs, history: w.history, ...(w.log ? { log: w.log } : {}), recorder: w.recorder })
    }
    return { cases: out }
  },
  judge(ev, profile) {
    const checks: Check[] = []
    const choices: Record<string, unknown>[] = []
    for (const c of ev.data.cases) {
      const prediction = predictChoice(c.inputs)
      const expected = c.masters.find((m) => m.clockIdentity === prediction.grandmasterIdentity)
      if (!expected) {
        checks.push({ name: `${c.title}: prediction`, measured: prediction.grandmasterIdentity, limit: 'one of the emulated grandmasters', source: profile.bmca.source, verdict: 'inconclusive', detail: `the ${c.inputs.variant} prediction picks no emulated grandmaster (${prediction.state}); the case cannot be judged` })
        continue
      }
      const interval = logIntervalToNs(expected.logAnnounceInterval)
      const lp = c.inputs.portLocalPriority !== undefined ? `, port localPriority ${c.inputs.portLocalPriority}` : ''
      const j = judgeFollowing({
        name: `${c.title}: the DUT follows ${expected.name}`,
        history: c.history,
        expected,
        masters: c.masters,
        t0: c.startedNs,
        untilNs: c.endNs,
        // A switch away lasts at least until the next Announce: reads closer than one interval see it.
        maxGapNs: interval,
        limit: `= ${expected.name} (${expected.clockIdentity}), decided by ${prediction.decidedBy} under ${c.inputs.variant}${lp}, within ${c.lockTimeoutMs} ms and kept`,
        source: profile.bmca.source,
        ...(c.log ? { log: c.log } : {}),
      })
      checks.push(j.check)
      choices.push({ attribute: c.attribute, expected: expected.name, decidedBy: prediction.decidedBy, followedAfterMs: j.atNs === undefined ? null : Number((j.atNs - c.startedNs) / 1_000_000n), verdict: j.check.verdict })
    }
    return { checks, measurements: { choices } }
  },
})
