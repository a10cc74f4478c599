/**
 * BMCA-06 — the G.8275.x alternate BMCA where it differs from IEEE 1588's:
 * - priority1 is not compared: a grandmaster with a better priority1 and a worse clockClass
 *   loses (the 1588 comparison would pick it);
 * - for grandmaster-quality clocks (clockClass ≤ 127) the topology decides before the identity:
 *   of two equal clockClass-6 grandmasters the one fewer steps away wins although its identity
 *   is higher (the 1588 comparison would pick the lower identity);
 * - a masterOnly (notSlave) port never becomes SLAVE, even for a far better grandmaster; as a
 *   control the same DUT as an ordinary clock follows that grandmaster, which proves it attracts.
 * A DUT that runs the 1588 comparison under a telecom profile fails the first two.
 *
 * Not here: localPriority breaking a tie needs two DUT ports with different portDS.localPriority
 * (one link gives every Announce the same one; BMCA-01 checks that tie); clock_class_threshold
 * is a linuxptp option, not a G.8275.x attribute.
 */
import { type ChoiceInput, predictChoice } from '../../harness/bmca/predictor.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { type Check, conformance, type AnnounceDataset, logIntervalToMs, logIntervalToNs, type Profile, type Recorder } from '../kit.ts'
import { betterClass, choiceInputs, describeRead, holdPollMs, judgeFollowing, localPriorities, type MasterRecord, masterRecord, seconds, watchChoice, type WatchedChoice } from '../support/bmca_cases.ts'
import { isSlave, isSlaveOf, lockTimeoutMs, masterConfig, startMasters, type StateRead, waitForState, watchState } from '../support/grandmasters.ts'

export interface ComparisonCase extends WatchedChoice {
  attribute: 'priority1' | 'topology'
  title: string
  masters: MasterRecord[]
  inputs: ChoiceInput
}

export interface MasterOnlyRun {
  role: 'auto' | 'master'
  gm: MasterRecord
  startedNs: bigint
  endNs: bigint
  history: StateRead[]
  recorder: Recorder
}

export interface AlternateBmcaData {
  comparisons: ComparisonCase[]
  /** The control (role auto) first, then the masterOnly port; absent where the DUT cannot take the master role. */
  masterOnly: MasterOnlyRun[]
  masterOnlySkipped?: string
}

const SOURCE = 'ITU-T G.8275.1 6.3 (alternate BMCA: priority1 not compared; clockClass ≤ 127 → topology before identity; notSlave ports)'
const PRC = { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }
const HOLD_INTERVALS = 2

/** The two comparison cases: a and b conflict so that the 1588 comparison picks the other one. */
export function comparisonCases(profile: Profile): { attribute: ComparisonCase['attribute']; title: string; a: Partial<AnnounceDataset>; b: Partial<AnnounceDataset>; aIdentity: number; bIdentity: number }[] {
  const p1 = profile.priorities.priority1.default.value
  const p2 = profile.priorities.priority2.default.value
  const q = { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }
  return [
    {
      attribute: 'priority1',
      title: 'priority1 is not compared: better priority1 with a worse clockClass',
      a: { grandmasterPriority1: p1 - 1, grandmasterPriority2: p2, grandmasterClockQuality: q },
      b: { grandmasterPriority1: p1, grandmasterPriority2: p2, grandmasterClockQuality: { ...q, clockClass: betterClass(profile, q.clockClass) } },
      aIdentity: 1,
      bIdentity: 2,
    },
    {
      attribute: 'topology',
      title: 'clockClass 6 on both: fewer stepsRemoved wins before the lower identity',
      a: { grandmasterPriority1: p1, grandmasterPriority2: p2, grandmasterClockQuality: PRC, stepsRemoved: 0 },
      b: { grandmasterPriority1: p1, grandmasterPriority2: p2, grandmasterClockQuality: PRC, stepsRemoved: 2 },
      aIdentity: 2,
      bIdentity: 1,
    },
  ]
}

const GM_STATES = new Set(['MASTER', 'PRE_MASTER'])

/** The masterOnly verdict: the control shows the grandmaster attracts; the masterOnly port must never follow it, and announce itself. */
export function judgeMasterOnly(runs: readonly MasterOnlyRun[], skipped?: string): Check {
  const base = { name: 'a masterOnly (notSlave) port never becomes SLAVE', limit: 'no read SLAVE/UNCALIBRATED or naming another grandmaster; its Announces name itself', source: SOURCE }
  if (skipped) return { ...base, measured: 'not run', verdict: 'inconclusive', detail: skipped }
  const control = runs.find((r) => r.role === 'auto')
  const mo = runs.find((r) => r.role === 'master')
  if (!control || !mo) return { ...base, measured: 'not run', verdict: 'inconclusive', detail: 'the control or the masterOnly run is missing from the evidence' }
  const masters = [control.gm]
  if (!control.history.some((r) => r.state && isSlaveOf(control.gm.clockIdentity)(r.state))) {
    const last = control.history.filter((r) => r.state).at(-1)
    return { ...base, measured: 'control never followed', verdict: 'inconclusive', detail: `as an ordinary clock the DUT never followed the clockClass-6 grandmaster (last read: ${describeRead(last, masters)}), so its ignoring it as masterOnly proves nothing` }
  }
  const answered = mo.history.filter((r) => r.state)
  if (!answered.length) return { ...base, measured: 'no state read answered', verdict: 'inconclusive', detail: `${mo.history.length} reads, none answered (${mo.history[0]?.error ?? 'no read'})` }
  const bad = answered.find((r) => isSlave(r.state!) || (r.state!.grandmasterIdentity !== undefined && r.state!.grandmasterIdentity !== r.state!.clockIdentity))
  if (bad) {
    return { ...base, measured: `${describeRead(bad, masters)} at +${seconds(bad.atNs - mo.startedNs)}`, verdict: 'fail', detail: `configured masterOnly, the DUT took the grandmaster a clockClass-6 clock announced (${answered.length} reads)` }
  }
  // Its own identity as it reports it over management.
  const own = answered[0]!.state!.clockIdentity
  const announces = mo.recorder.frames.filter((f) => f.direction === 'in' && f.message?.type === 'Announce' && f.timestampNs !== null && f.timestampNs >= mo.startedNs)
  const foreign = announces.filter((f) => f.message?.type === 'Announce' && f.message.grandmasterIdentity !== own)
  if (!announces.length) {
    return { ...base, measured: 'no Announce from the DUT', verdict: 'fail', detail: `a masterOnly port is a master, yet the DUT sent no Announce in ${seconds(mo.endNs - mo.startedNs)}; states: ${[...new Set(answered.flatMap((r) => r.state!.ports.map((p) => p.portState)))].join(', ')}` }
  }
  if (foreign.length) {
    const f = foreign[0]!
    return { ...base, measured: `${foreign.length} of ${announces.length} Announces name another grandmaster`, verdict: 'fail', detail: `frame #${f.index}: grandmasterIdentity ${f.message?.type === 'Announce' ? f.message.grandmasterIdentity : '?'} instead of its own ${own}` }
  }
  const states = [...new Set(answered.flatMap((r) => r.state!.ports.map((p) => p.portState)))]
  return { ...base, measured: `${answered.length} reads: ${states.join(', ')}; ${announces.length} Announces naming itself`, verdict: states.some((s) => GM_STATES.has(s)) ? 'pass' : 'fail', detail: `the control followed it as an ordinary clock; as masterOnly the DUT stayed its own grandmaster for ${seconds(mo.endNs - mo.startedNs)}` }
}

export default conformance<AlternateBmcaData>({
  id: 'BMCA-06',
  title: 'G.8275.x alternate BMCA: priority1 ignored, topology before identity for class ≤ 127, masterOnly ports never SLAVE',
  area: 'BMCA',
  clause: 'ITU-T G.8275.1 6.3 (alternate BMCA), 6.3.1 notSlave; IEEE 1588-2019 9.2.2.2 (masterOnly)',
  mapsTo: ['linuxptp-testsuite 30-telecombmca', 'linuxptp telecom.c', 'Nokia 7705 SAR G.8275.1 guide'],
  tags: ['active', 'bmca', 'telecom'],
  severity: 'critical',
  fixture: 'dut-slave',
  // Two comparison cases and two masterOnly runs, each a fresh DUT that qualifies and holds: ≈ 4 × 3 s at 8 Announces/s.
  estimatedSeconds: 16,
  criteria: {
    pass: 'the DUT follows the clockClass-better grandmaster over one with a better priority1, the nearer of two clockClass-6 grandmasters over the one with the lower identity, and configured masterOnly never becomes SLAVE (the control follows the same grandmaster)',
    fail: 'the DUT follows the grandmaster the 1588 comparison picks (priority1 compared, identity before topology), or its masterOnly port enters SLAVE, names another grandmaster or sends no Announce',
  },
  appliesTo: (p) => (p.bmca.variant === 'g8275x' ? true : `profile ${p.id} runs the ${p.bmca.variant} BMCA, not the G.8275.x alternate one`),
  async acquire(ctx) {
    const lp = localPriorities(ctx.profile)
    const comparisons: ComparisonCase[] = []
    for (const c of comparisonCases(ctx.profile)) {
      const specs = [
        { name: 'gm-a', identity: c.aIdentity, dataset: c.a },
        { name: 'gm-b', identity: c.bIdentity, dataset: c.b },
      ]
      const masters = specs.map((s) => masterRecord(masterConfig(ctx, s)))
      const dutId = ctx.session.dutPortIdentity()?.clockIdentity ?? 'ffffff.fffe.ffffff'
      const inputs = choiceInputs(ctx.profile.bmca.variant, ctx.session.dutSettings, dutId, masters, lp)
      const expected = predictChoice(inputs).grandmasterIdentity
      ctx.step(`${c.title}: waiting for the DUT to follow ${masters.find((m) => m.clockIdentity === expected)?.name ?? expected}`)
      const w = await watchChoice(ctx, specs, expected, HOLD_INTERVALS, { log: true })
      comparisons.push({ attribute: c.attribute, title: c.title, masters, inputs, ...w })
    }
    const data: AlternateBmcaData = { comparisons, masterOnly: [] }
    const roles = (await ctx.session.dut.describe()).capabilities.roles
    if (!roles.includes('master')) {
      data.masterOnlySkipped = `the DUT cannot be configured masterOnly (its roles: ${roles.join(', ')})`
      return data
    }
    const spec = { name: 'gm-prc', identity: 3, dataset: { grandmasterClockQuality: PRC } }
    for (const role of ['auto', 'master'] as const) {
      const gm = masterRecord(masterConfig(ctx, spec))
      const timeout = lockTimeoutMs(gm.logAnnounceInterval, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings)
      ctx.step(role === 'auto' ? 'control: the DUT as an ordinary clock, a clockClass-6 grandmaster announcing' : `the DUT configured masterOnly, the same grandmaster announcing for ${timeout} ms + ${HOLD_INTERVALS} intervals`)
      const m = await startMasters(ctx, [spec], { freshDut: true, role, askDutAnnounce: true })
      const startedNs = systemTimeNs()
      const poll = holdPollMs(gm.logAnnounceInterval)
      let history: StateRead[]
      try {
        history = role === 'auto'
          ? (await waitForState(ctx, isSlaveOf(gm.clockIdentity), timeout, poll)).history
          : await watchState(ctx, timeout + HOLD_INTERVALS * logIntervalToMs(gm.logAnnounceInterval), poll)
      } finally {
        await m.close()
      }
      data.masterOnly.push({ role, gm, startedNs, endNs: systemTimeNs(), history, recorder: m.handle.recorder })
    }
    // Back to the fixture's slave for the tests that follow.
    await ctx.session.restartDut('slave', ctx.signal)
    return data
  },
  judge(ev, profile) {
    const checks: Check[] = []
    for (const c of ev.data.comparisons) {
      const prediction = predictChoice(c.inputs)
      const expected = c.masters.find((m) => m.clockIdentity === prediction.grandmasterIdentity)
      if (!expected) {
        checks.push({ name: `${c.title}: prediction`, measured: prediction.grandmasterIdentity, limit: 'one of the emulated grandmasters', source: profile.bmca.source, verdict: 'inconclusive', detail: `the ${c.inputs.variant} prediction picks no emulated grandmaster (${prediction.state})` })
        continue
      }
      const j = judgeFollowing({
        name: `${c.title}: the DUT follows ${expected.name}`,
        history: c.history,
        expected,
        masters: c.masters,
        t0: c.startedNs,
        untilNs: c.endNs,
        maxGapNs: logIntervalToNs(expected.logAnnounceInterval),
        limit: `= ${expected.name} (${expected.clockIdentity}), decided by ${prediction.decidedBy} under ${c.inputs.variant}, within ${c.lockTimeoutMs} ms and kept`,
        source: SOURCE,
        ...(c.log ? { log: c.log } : {}),
      })
      checks.push(j.check)
    }
    checks.push(judgeMasterOnly(ev.data.masterOnly, ev.data.masterOnlySkipped))
    return { checks }
  },
})
