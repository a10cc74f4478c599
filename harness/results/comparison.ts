/**
 * A verdict table with a column per run (one profile against several implementations, or
 * several DUTs): the form of the README's verdict table, built from the runs' records. A
 * test not run in a column shows "—"; a harness error shows as such, never as a verdict.
 */
import type { TestResult } from './record.ts'
import { outcomeOf, type Outcome } from './diff.ts'

const SHOWN: Record<Outcome, string> = { pass: 'pass', fail: '**fail**', inconclusive: 'inconcl.', 'not-applicable': 'n/a', 'harness-error': 'harness error' }

/** Test IDs in catalogue order (area order of the README, then number). */
const AREAS = ['MF', 'INT', 'BMCA', 'ROB', 'E2E', 'P2P', 'TLV', 'MGT', 'TE']
function order(a: string, b: string): number {
  const area = (id: string) => {
    const i = AREAS.indexOf(id.split('-')[0]!)
    return i < 0 ? AREAS.length : i
  }
  return area(a) - area(b) || a.localeCompare(b, 'en', { numeric: true })
}

export function comparisonTable(columns: readonly { label: string; results: readonly TestResult[] }[]): string {
  const ids = [...new Set(columns.flatMap((c) => c.results.map((r) => r.id)))].sort(order)
  const lines = [`| test | ${columns.map((c) => c.label).join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`]
  for (const id of ids) {
    const cells = columns.map((c) => {
      const r = c.results.find((x) => x.id === id)
      return r ? SHOWN[outcomeOf(r)] : '—'
    })
    lines.push(`| ${id} | ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}
