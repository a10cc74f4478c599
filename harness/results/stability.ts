/**
 * Verdict stability over repeated runs of one profile against one DUT: per test, how often
 * the runs agreed on its verdict, and per measured check the spread of its value next to the
 * noise the harness claimed for it. A spread far above the claimed noise is what the DUT (or
 * the machine) varies by between runs; a verdict that flips is a harness problem to chase.
 * Pure: result records in, figures out (bench/stability prints them).
 */
import type { TestResult } from './record.ts'
import { outcomeOf, type Outcome, resultKey } from './diff.ts'

export interface CheckSpread {
  name: string
  unit?: string
  n: number
  min: number
  median: number
  max: number
  /** max − min. */
  spread: number
  /** Median of the noise figures the runs judged this check with. */
  noiseMedian?: number
}

export interface TestStability {
  profile: string
  id: string
  runs: number
  verdicts: Partial<Record<Outcome, number>>
  /** The most frequent verdict and the share of runs that gave it. */
  modal: Outcome
  agreement: number
  checks: CheckSpread[]
}

export interface StabilityReport {
  runs: number
  tests: TestStability[]
  /** Tests with a verdict in every run whose verdict never changed, over all such tests. */
  agreement: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export function stabilityOf(runs: readonly (readonly TestResult[])[]): StabilityReport {
  const byTest = new Map<string, TestResult[]>()
  for (const run of runs) {
    for (const r of run) {
      const list = byTest.get(resultKey(r))
      if (list) list.push(r)
      else byTest.set(resultKey(r), [r])
    }
  }
  const tests: TestStability[] = []
  for (const list of [...byTest.values()].sort((a, b) => a[0]!.id.localeCompare(b[0]!.id))) {
    const verdicts: Partial<Record<Outcome, number>> = {}
    for (const r of list) verdicts[outcomeOf(r)] = (verdicts[outcomeOf(r)] ?? 0) + 1
    const [modal, count] = (Object.entries(verdicts) as [Outcome, number][]).sort((a, b) => b[1] - a[1])[0]!
    const values = new Map<string, { unit?: string; xs: number[]; noise: number[] }>()
    for (const r of list) {
      for (const c of r.checks) {
        if (typeof c.measured !== 'number' || !Number.isFinite(c.measured)) continue
        const v = values.get(c.name) ?? { ...(c.unit ? { unit: c.unit } : {}), xs: [], noise: [] }
        v.xs.push(c.measured)
        if (typeof c.noise === 'number') v.noise.push(c.noise)
        values.set(c.name, v)
      }
    }
    const checks: CheckSpread[] = [...values.entries()].map(([name, v]) => {
      const min = Math.min(...v.xs)
      const max = Math.max(...v.xs)
      return { name, ...(v.unit ? { unit: v.unit } : {}), n: v.xs.length, min, median: median(v.xs), max, spread: max - min, ...(v.noise.length ? { noiseMedian: median(v.noise) } : {}) }
    })
    tests.push({ profile: list[0]!.profile, id: list[0]!.id, runs: list.length, verdicts, modal, agreement: count / list.length, checks })
  }
  const complete = tests.filter((t) => t.runs === runs.length)
  return { runs: runs.length, tests, agreement: complete.length ? complete.filter((t) => t.agreement === 1).length / complete.length : 1 }
}

const fmt = (x: number) => String(Number(x.toPrecision(5)))

/** The report as the bench prints it. */
export function formatStability(s: StabilityReport): string {
  const lines = [`${s.runs} runs; ${(100 * s.agreement).toFixed(1)} % of the tests gave the same verdict in every run`, '']
  for (const t of s.tests) {
    const v = Object.entries(t.verdicts).map(([k, n]) => `${k} ${n}`).join(', ')
    lines.push(`${t.id.padEnd(12)} ${t.agreement === 1 ? 'stable  ' : 'UNSTABLE'} ${v}`)
    for (const c of t.checks.filter((x) => x.spread > 0)) {
      const u = c.unit ? ` ${c.unit}` : ''
      lines.push(`    ${c.name}: median ${fmt(c.median)}${u}, ${fmt(c.min)} … ${fmt(c.max)} (spread ${fmt(c.spread)}${u}${c.noiseMedian !== undefined ? `; claimed noise ±${fmt(c.noiseMedian)}${u}` : ''}, n ${c.n})`)
    }
  }
  return lines.join('\n')
}
