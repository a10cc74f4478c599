/**
 * How a conformance test is written: a definition (identity, clause, applicability)
 * and one async function that measures and returns checks. A suite file
 * (`suites/<area>/<id>.ts`) default-exports one or more definitions; the Japa bridge
 * turns each into a Japa test. The test function never decides a limit itself:
 * every limit comes from the profile handed in.
 */
import { testIdMatches } from '../profiles/rules.ts'
import type { Profile } from '../profiles/types.ts'
import type { TestIdentity } from '../results/record.ts'
import type { Check } from '../verdict/verdict.ts'
import type { TestContext } from './context.ts'

/** What the test needs the DUT to be doing while it runs. */
export type Fixture =
  /** The DUT is (or becomes) grandmaster; the harness listens and acts as a slave. */
  | 'dut-master'
  /** The DUT is a slave-only clock; the harness is its grandmaster. */
  | 'dut-slave'

export interface Outcome {
  checks: Check[]
  measurements?: Record<string, unknown>
  /** Overrides the generated one-line reason. */
  reason?: string
}

export interface ConformanceTest extends Omit<TestIdentity, 'tags' | 'severity'> {
  tags?: string[]
  severity?: TestIdentity['severity']
  fixture: Fixture
  /** Rough duration, for the progress line's time-left estimate. */
  estimatedSeconds: number
  /** `true`, or the reason the test does not apply to this profile. */
  appliesTo(profile: Profile): true | string
  run(ctx: TestContext): Promise<Outcome>
}

export function conformance(def: ConformanceTest): ConformanceTest {
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

/** Per-test parameters: the test's defaults overridden by the profile's suites.overrides. */
export function testParams<T extends Record<string, unknown>>(profile: Profile, id: string, defaults: T): T {
  return { ...defaults, ...(profile.suites.overrides[id] ?? {}) } as T
}
