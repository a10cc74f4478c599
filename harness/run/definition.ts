/**
 * How a conformance test is written: a definition (identity, clause, applicability), an
 * `acquire` that drives the network and returns evidence, and a pure `judge` that turns
 * evidence and profile into checks. The same judge runs live, on stored evidence
 * (`ptp-conform rejudge`) and in unit tests on evidence built without a network. A suite
 * file (`suites/<area>/<id>-<what>.ts`) default-exports one or more definitions; the Japa
 * bridge turns each into a Japa test. Every limit comes from the profile handed to judge.
 */
import { testIdMatches } from '../profiles/rules.ts'
import type { Profile } from '../profiles/types.ts'
import type { TestIdentity } from '../results/record.ts'
import type { Check } from '../verdict/verdict.ts'
import type { TestContext } from './context.ts'
import { CLOCK_NAMES, type DutClockType } from './session_types.ts'
import type { Evidence } from './evidence.ts'

/** What the test needs the DUT to be doing while it runs. */
export type Fixture =
  /** The DUT is (or becomes) grandmaster; the harness listens and acts as a slave. */
  | 'dut-master'
  /** The DUT is a slave-only clock; the harness is its grandmaster. */
  | 'dut-slave'
  /** The DUT is a boundary or transparent clock between two harness ports (`relayClocks` says which). */
  | 'dut-relay'

export interface Outcome {
  checks: Check[]
  measurements?: Record<string, unknown>
  /** Overrides the generated one-line reason. */
  reason?: string
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ConformanceTest<D = any> extends Omit<TestIdentity, 'tags' | 'severity'> {
  tags?: string[]
  severity?: TestIdentity['severity']
  fixture: Fixture
  /** Rough duration, for the progress line's time-left estimate. */
  estimatedSeconds: number
  /** For a 'dut-relay' test: the kinds of clock it tests. */
  relayClocks?: readonly Exclude<DutClockType, 'ordinary'>[]
  /**
   * Lab DUTs other than the reference DUT the test is shown failing on (a relay test's reference
   * DUT does not exist): the command line and what is wrong, for docs/TESTS.md.
   */
  liveFaults?: readonly string[]
  /** `true`, or the reason the test does not apply to this profile. */
  appliesTo(profile: Profile): true | string
  /** Drive the network and record what happened; never judges. Evidence is JSON-serialisable (evidence_codec). */
  acquire(ctx: TestContext): Promise<D>
  /** Pure: the same evidence and profile always give the same checks. */
  judge(evidence: Evidence<D>, profile: Profile): Outcome
  /** What passes and what fails, in a sentence each, for docs/TESTS.md. */
  criteria: { pass: string; fail: string }
  /**
   * The judge needs only the DUT's own frames (its data is `{ observation }` and nothing the
   * harness sent decides it), so it also runs on a capture from any network (`analyze`).
   */
  capturable?: boolean
  /**
   * `true` (the default), or why the fault-free reference DUT cannot be shown to pass under this
   * profile (a limit below what its software clock achieves, a window edge it sits on): selftest
   * then leaves the test out of the fault-free case and says why, and still proves its faults.
   */
  referenceBaseline?(profile: Profile): true | string
  /**
   * The parameters a profile may override (`suites.overrides[ID]`), with their defaults: the
   * one owner of their names, read through `testParams` and checked when a profile is loaded.
   */
  params?: Record<string, unknown>
}

export function conformance<D>(def: ConformanceTest<D>): ConformanceTest<D> {
  if (!/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{2}$/.test(def.id)) throw new Error(`malformed test ID '${def.id}'`)
  return def
}

/** Whether a test ID is selected by a glob (`INT-*`), case-insensitively. */
export function matchesGlob(id: string, pattern: string): boolean {
  return testIdMatches(pattern.toUpperCase(), id.toUpperCase())
}

export interface Selection {
  tests?: string[]
  tags?: string[]
  suites?: string[]
}

/** Does the user's selection (--tests, --tags, --suites) pick this test? */
export function selected(def: ConformanceTest, sel: Selection): boolean {
  if (sel.tests?.length && !sel.tests.some((p) => matchesGlob(def.id, p))) return false
  if (sel.suites?.length && !sel.suites.some((s) => s.toLowerCase() === def.area.toLowerCase())) return false
  if (sel.tags?.length && !sel.tags.some((t) => (def.tags ?? []).includes(t))) return false
  return true
}

/** The profile's own rule: is the test in suites.apply and not in suites.skip? */
export function profileApplies(def: ConformanceTest, profile: Profile): true | string {
  const apply = profile.suites.apply
  if (apply.length && !apply.some((p) => matchesGlob(def.id, p))) return `profile ${profile.id} does not list ${def.id} in suites.apply`
  if (profile.suites.skip.some((p) => matchesGlob(def.id, p))) return `profile ${profile.id} lists ${def.id} in suites.skip`
  return def.appliesTo(profile)
}

/**
 * Whether the test fits the kind of clock the session's DUT is: ordinary-clock tests need one
 * port facing the harness, relay tests a boundary or transparent clock of the kind they test.
 */
export function clockApplies(def: ConformanceTest, clock: DutClockType): true | string {
  if (def.fixture !== 'dut-relay') return clock === 'ordinary' ? true : `${def.id} tests an ordinary clock; this run's DUT is ${CLOCK_NAMES[clock]} (run it with --dut-clock ordinary)`
  const kinds = def.relayClocks ?? []
  const wanted = kinds.map((k) => CLOCK_NAMES[k]).join(' or ')
  if (clock === 'ordinary') return `${def.id} tests ${wanted} between two harness ports; this run's DUT is an ordinary clock (run it with --dut-clock ${kinds[0] ?? 'boundary'})`
  return kinds.includes(clock) ? true : `${def.id} tests ${wanted}, not ${CLOCK_NAMES[clock]}`
}

/** Whether the test applies in this run: the profile's rule, then the kind of clock the DUT is. */
export function runApplies(def: ConformanceTest, profile: Profile, clock: DutClockType): true | string {
  const fits = profileApplies(def, profile)
  return fits === true ? clockApplies(def, clock) : fits
}

/** Per-test parameters: the test's defaults overridden by the profile's suites.overrides (IDs compared case-insensitively). */
export function testParams<T extends Record<string, unknown>>(profile: Profile, id: string, defaults: T): T {
  return { ...defaults, ...(profile.suites.overrides[id] ?? {}) } as T
}
