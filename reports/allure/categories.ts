/**
 * Categories that separate what a reader must do about a non-pass result:
 * a conformance failure goes to the DUT's vendor, an inconclusive result asks for
 * a better measurement setup, a harness error goes to the harness.
 *
 * Written twice from one table: as categories.json in allure-results (the
 * Allure 2 format, matched on status and message) and as Allure 3 category rules
 * (matched on status and the `verdict` label, which no message text can fool).
 */
import { Status } from 'allure-js-commons'
import type { Category } from 'allure-js-commons/sdk'
import { messagePrefix, type ReportVerdict } from './status.ts'

interface CategoryRow {
  id: string
  name: string
  description: string
  verdict: ReportVerdict
  status: Status
}

const ROWS: CategoryRow[] = [
  {
    id: 'conformance-failures',
    name: 'Conformance failures',
    description: 'The DUT did not meet a limit of the profile: a finding against the device.',
    verdict: 'fail',
    status: Status.FAILED,
  },
  {
    id: 'inconclusive-results',
    name: 'Inconclusive results',
    description: "The harness could not measure well enough to decide (its noise exceeds the margin); not a pass.",
    verdict: 'inconclusive',
    status: Status.BROKEN,
  },
  {
    id: 'harness-errors',
    name: 'Harness errors',
    description: 'The harness itself failed (lab, interface, process); nothing is known about the DUT from this test.',
    verdict: 'harness-error',
    status: Status.BROKEN,
  },
]

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** categories.json: Allure 2 matches `messageRegex` against the whole message. */
export function allure2Categories(): Category[] {
  return ROWS.map((r) => ({
    name: r.name,
    description: r.description,
    matchedStatuses: [r.status],
    messageRegex: `${escapeRegex(messagePrefix[r.verdict])}: .*`,
  }))
}

/** The same categories as Allure 3 rules (config `categories`). */
export function allure3CategoryRules(): {
  id: string
  name: string
  matchers: { statuses: Status[]; labels: Record<string, string> }
  expand: boolean
}[] {
  return ROWS.map((r) => ({
    id: r.id,
    name: r.name,
    matchers: { statuses: [r.status], labels: { verdict: `^${escapeRegex(r.verdict)}$` } },
    expand: true,
  }))
}
