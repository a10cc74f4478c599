/**
 * What changed between two runs (a baseline A and a new run B), test by test: the verdict,
 * and for each measured check its value and its margin to the limit. A margin that shrank by
 * more than the check's noise (and by more than a tenth of itself) is flagged even when both
 * runs pass: that is the early warning a regression gate wants. Pure: it compares result records, wherever they were read from.
 */
import type { SinceBaseline, TestResult } from './record.ts'
import type { Check, Verdict } from '../verdict/verdict.ts'
import { marginOf } from './margin.ts'

/** A verdict as the diff shows it: a harness error is not the DUT's verdict. */
export type Outcome = Verdict | 'harness-error'

export type TestChange = 'same' | 'regressed' | 'improved' | 'changed' | 'new' | 'gone'

export interface CheckDiff {
  name: string
  verdictA?: Verdict
  verdictB?: Verdict
  measuredA?: Check['measured']
  measuredB?: Check['measured']
  unit?: string
  limit?: string
  marginA?: number
  marginB?: number
  /** The larger of the two runs' noise figures for this check (its unit). */
  noise?: number
  /** B's margin is smaller than A's by more than the noise and by more than a tenth of A's margin. */
  marginShrank: boolean
}

export interface TestDiff {
  profile: string
  id: string
  title: string
  a?: Outcome
  b?: Outcome
  change: TestChange
  /** Checks whose verdict, value or margin differs (unchanged ones are left out). */
  checks: CheckDiff[]
}

export interface RunDiff {
  tests: TestDiff[]
  counts: Record<TestChange, number> & { marginsShrank: number }
}

/** A margin must also shrink by this fraction of its old value to be flagged. */
export const RELATIVE_SHRINK = 0.1

/** Worse to the right; not applicable and harness errors are not on this scale. */
const RANK: Partial<Record<Outcome, number>> = { pass: 0, inconclusive: 1, fail: 2 }

/** A test's identity across runs: profile and test ID. */
export function resultKey(r: Pick<TestResult, 'profile' | 'id'>): string {
  return `${r.profile}\u0000${r.id}`
}

export function outcomeOf(r: TestResult): Outcome {
  return r.harnessError ? 'harness-error' : r.verdict
}

function testChange(a: Outcome | undefined, b: Outcome | undefined): TestChange {
  if (a === undefined) return 'new'
  if (b === undefined) return 'gone'
  if (a === b) return 'same'
  const ra = RANK[a]
  const rb = RANK[b]
  if (ra === undefined || rb === undefined) return b === 'harness-error' ? 'regressed' : 'changed'
  return rb > ra ? 'regressed' : 'improved'
}

function diffChecks(a: Check[], b: Check[]): CheckDiff[] {
  const out: CheckDiff[] = []
  const byName = new Map(a.map((c) => [c.name, c]))
  const seen = new Set<string>()
  for (const cb of b) {
    const ca = byName.get(cb.name)
    seen.add(cb.name)
    const marginA = ca ? marginOf(ca) : undefined
    const marginB = marginOf(cb)
    const noiseValues = [ca?.noise, cb.noise].filter((x): x is number => typeof x === 'number')
    const noise = noiseValues.length ? Math.max(...noiseValues) : undefined
    // Only a check with a noise figure can say a shrink is beyond noise; others report the change.
    // A tenth of the old margin at least: a mean interval 0.2 ms closer to a 300 ms margin is no news.
    const marginShrank = marginA !== undefined && marginB !== undefined && noise !== undefined && marginA - marginB > Math.max(noise, RELATIVE_SHRINK * Math.abs(marginA))
    const d: CheckDiff = {
      name: cb.name,
      ...(ca ? { verdictA: ca.verdict, measuredA: ca.measured } : {}),
      verdictB: cb.verdict,
      measuredB: cb.measured,
      ...(cb.unit ? { unit: cb.unit } : {}),
      limit: cb.limit,
      ...(marginA !== undefined ? { marginA } : {}),
      ...(marginB !== undefined ? { marginB } : {}),
      ...(noise !== undefined ? { noise } : {}),
      marginShrank,
    }
    if (!ca || ca.verdict !== cb.verdict || ca.measured !== cb.measured || marginShrank) out.push(d)
  }
  for (const ca of a) if (!seen.has(ca.name)) out.push({ name: ca.name, verdictA: ca.verdict, measuredA: ca.measured, ...(ca.unit ? { unit: ca.unit } : {}), limit: ca.limit, marginShrank: false })
  return out
}

export function diffRuns(a: readonly TestResult[], b: readonly TestResult[]): RunDiff {
  const inA = new Map(a.map((r) => [resultKey(r), r]))
  const inB = new Map(b.map((r) => [resultKey(r), r]))
  const keys = [...new Set([...inA.keys(), ...inB.keys()])].sort()
  const tests: TestDiff[] = []
  for (const k of keys) {
    const ra = inA.get(k)
    const rb = inB.get(k)
    const any = (rb ?? ra)!
    const oa = ra ? outcomeOf(ra) : undefined
    const ob = rb ? outcomeOf(rb) : undefined
    tests.push({ profile: any.profile, id: any.id, title: any.title, ...(oa ? { a: oa } : {}), ...(ob ? { b: ob } : {}), change: testChange(oa, ob), checks: diffChecks(ra?.checks ?? [], rb?.checks ?? []) })
  }
  const counts = { same: 0, regressed: 0, improved: 0, changed: 0, new: 0, gone: 0, marginsShrank: 0 }
  for (const t of tests) {
    counts[t.change]++
    counts.marginsShrank += t.checks.filter((c) => c.marginShrank).length
  }
  return { tests, counts }
}

const show = (v: Check['measured'] | undefined, unit?: string) => (v === undefined ? '—' : v === null ? 'none' : `${typeof v === 'number' ? Number(v.toPrecision(6)) : v}${unit && typeof v === 'number' ? ` ${unit}` : ''}`)
export const showMargin = (m: number | undefined, unit?: string) => (m === undefined ? '—' : `${Number(m.toPrecision(4))}${unit ? ` ${unit}` : ''}`)

/** The diff as a person reads it: changed tests first, each with the checks that moved. */
export function formatRunDiff(d: RunDiff, labels: { a: string; b: string }): string {
  const lines = [`A = ${labels.a}`, `B = ${labels.b}`, '']
  const order: TestChange[] = ['regressed', 'new', 'gone', 'changed', 'improved', 'same']
  const interesting = d.tests.filter((t) => t.change !== 'same' || t.checks.some((c) => c.marginShrank || c.verdictA !== c.verdictB))
  for (const change of order) {
    for (const t of interesting.filter((x) => x.change === change)) {
      lines.push(`${change.toUpperCase().padEnd(9)} ${t.profile} ${t.id} ${t.title}: ${t.a ?? '—'} → ${t.b ?? '—'}`)
      // An unchanged test shows only the checks that matter: a verdict that moved or a margin that shrank.
      for (const c of t.change === 'same' ? t.checks.filter((x) => x.marginShrank || x.verdictA !== x.verdictB) : t.checks) {
        const moved = c.verdictA !== c.verdictB ? `${c.verdictA ?? '—'} → ${c.verdictB ?? '—'}` : c.verdictB ?? c.verdictA ?? ''
        const margin = c.marginA !== undefined || c.marginB !== undefined ? `; margin ${showMargin(c.marginA, c.unit)} → ${showMargin(c.marginB, c.unit)}${c.noise !== undefined ? ` (noise ±${showMargin(c.noise, c.unit)})` : ''}` : ''
        lines.push(`            ${c.marginShrank ? '! ' : '  '}${c.name}: ${moved}; ${show(c.measuredA, c.unit)} → ${show(c.measuredB, c.unit)}${c.limit ? ` (limit ${c.limit})` : ''}${margin}${c.marginShrank ? '; margin shrank beyond the noise' : ''}`)
      }
    }
  }
  const c = d.counts
  lines.push('', `${d.tests.length} tests: ${c.regressed} regressed, ${c.improved} improved, ${c.changed} changed, ${c.new} new, ${c.gone} gone, ${c.same} unchanged; ${c.marginsShrank} margin(s) shrank beyond the noise`)
  return lines.join('\n')
}

/** One test against its baseline run, as its record keeps it. */
export function sinceBaseline(baselineDir: string, baseline: readonly TestResult[], r: TestResult): SinceBaseline {
  const was = baseline.find((b) => b.profile === r.profile && b.id === r.id)
  const t = diffRuns(was ? [was] : [], [r]).tests[0]!
  return { baseline: baselineDir, ...(t.a ? { was: t.a } : {}), change: t.change, checks: t.checks.map(({ limit: _l, ...c }) => c) }
}
