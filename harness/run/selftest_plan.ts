/**
 * What `ptp-conform selftest` runs and how it reads the answers: against the reference
 * DUT, every applicable test must pass without faults, and every test a fault targets must
 * fail with that fault. Pure: the plan from definitions, profile and fault catalogue; the
 * matrix from the verdicts the runs produced.
 */
import type { Profile } from '../profiles/types.ts'
import type { Verdict } from '../verdict/verdict.ts'
import type { Fault } from '../refdut/faults.ts'
import { type ConformanceTest, runApplies } from './definition.ts'

export interface SelftestCase {
  /** undefined = the reference DUT without faults. */
  fault?: Fault
  tests: string[]
  expect: 'pass' | 'fail'
}

export interface SelftestPlan {
  profile: string
  cases: SelftestCase[]
  /** Faults of the catalogue left out under this profile, with why. */
  skipped: { fault: string; why: string }[]
  /** Tests left out of the fault-free case (the reference DUT cannot be shown to pass them here), with why. */
  baselineSkipped: { test: string; why: string }[]
}

export function planSelftest(profile: Profile, defs: readonly ConformanceTest[], faults: readonly Fault[], only?: { tests?: string[]; faults?: string[] }): SelftestPlan {
  // The reference DUT is an ordinary clock: relay tests are proven against ptp4l and a plain bridge instead.
  const applicableDefs = defs.filter((d) => runApplies(d, profile, 'ordinary') === true && (!only?.tests?.length || only.tests.includes(d.id)))
  const applicable = applicableDefs.map((d) => d.id)
  const plan: SelftestPlan = { profile: profile.id, cases: [], skipped: [], baselineSkipped: [] }
  const baseline: string[] = []
  for (const d of applicableDefs) {
    const why = d.referenceBaseline ? d.referenceBaseline(profile) : true
    if (why === true) baseline.push(d.id)
    else plan.baselineSkipped.push({ test: d.id, why })
  }
  if (baseline.length) plan.cases.push({ tests: baseline, expect: 'pass' })
  for (const f of faults) {
    if (only?.faults?.length && !only.faults.includes(f.id)) continue
    const ok = f.appliesTo ? f.appliesTo(profile) : true
    if (ok !== true) {
      plan.skipped.push({ fault: f.id, why: ok })
      continue
    }
    const tests = (f.targetsFor ? f.targetsFor(profile) : f.targets).filter((t) => applicable.includes(t))
    if (tests.length) plan.cases.push({ fault: f, tests, expect: 'fail' })
    else plan.skipped.push({ fault: f.id, why: `none of its targets (${f.targets.join(', ')}) applies to ${profile.id}` })
  }
  return plan
}

export interface SelftestCell {
  fault: string
  test: string
  expected: 'pass' | 'fail'
  got: Verdict | 'missing'
  reason: string
}

export const matches = (c: SelftestCell) => c.got === c.expected

/** The matrix as text: one line per (fault, test), mismatches marked, then the tally. */
export function matrixText(profile: string, cells: readonly SelftestCell[]): string {
  const lines = [`selftest ${profile}: fault × test → expected / got`]
  for (const c of cells) {
    lines.push(`  ${matches(c) ? '  ' : '✗ '}${c.fault.padEnd(34)} ${c.test.padEnd(12)} ${c.expected.padEnd(5)} ${c.got}${matches(c) ? '' : `  (${c.reason})`}`)
  }
  const bad = cells.filter((c) => !matches(c)).length
  const faults = new Set(cells.map((c) => c.fault)).size
  const tests = new Set(cells.map((c) => c.test)).size
  lines.push(`  ${cells.length} cells (${faults} DUT variants × ${tests} tests), ${bad} mismatches`)
  return lines.join('\n')
}
