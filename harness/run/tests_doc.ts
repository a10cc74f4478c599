/**
 * docs/TESTS.md, generated from the test definitions and the reference DUT's fault
 * catalogue, so the list a lab engineer reads is the list the harness runs. A unit test
 * fails when the checked-in file differs from what this produces (`npm run docs:tests`).
 */
import type { Profile } from '../profiles/types.ts'
import type { Fault } from '../refdut/faults.ts'
import { type ConformanceTest, profileApplies } from './definition.ts'
import { CLOCK_NAMES } from './session_types.ts'

/** Area codes spelled out. */
export const AREAS: Record<string, string> = {
  MF: 'Message format and transport',
  INT: 'Message intervals and timeouts',
  BMCA: 'Best master clock algorithm',
  E2E: 'End-to-end delay mechanism',
  P2P: 'Peer-to-peer delay mechanism',
  TLV: 'Profile TLVs',
  MGT: 'Management',
  TE: 'Offset and time error',
  ROB: 'Robustness',
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

const ROLE_TEXT: Record<ConformanceTest['fixture'], (def: ConformanceTest) => string> = {
  'dut-master': () => 'grandmaster (the harness listens and probes as a slave)',
  'dut-slave': () => 'slave (the harness is its grandmaster)',
  'dut-relay': (def) => `${(def.relayClocks ?? []).map((k) => CLOCK_NAMES[k]).join(' or ')} between two harness ports (grandmaster upstream, slave downstream; \`--dut-clock ${(def.relayClocks ?? []).join('|')}\`)`,
}

export function testsMarkdown(tests: readonly { file: string; def: ConformanceTest }[], profiles: readonly Profile[], faults: readonly Fault[]): string {
  const out: string[] = [
    '# Conformance tests',
    '',
    'Generated from the test definitions (`suites/`) and the reference DUT\'s fault catalogue',
    '(`harness/refdut/faults.ts`) by `npm run docs:tests`; a unit test keeps it current.',
    'Every test is an acquisition (what the harness does on the network) and a pure judge;',
    '"proven by" lists the reference-DUT faults that `ptp-conform selftest` shows the test fails on,',
    'and for boundary and transparent clocks the lab DUTs standing in for a faulty one.',
    '',
  ]
  const byArea = new Map<string, { file: string; def: ConformanceTest }[]>()
  for (const t of [...tests].sort((a, b) => a.def.id.localeCompare(b.def.id, 'en', { numeric: true }))) {
    const list = byArea.get(t.def.area) ?? []
    list.push(t)
    byArea.set(t.def.area, list)
  }
  for (const [area, list] of byArea) {
    out.push(`## ${area} — ${AREAS[area] ?? area}`, '')
    for (const { file, def } of list) {
      const applies = profiles.filter((p) => profileApplies(def, p) === true).map((p) => p.id)
      const proven = faults.filter((f) => f.targets.includes(def.id))
      out.push(`### ${def.id} ${def.title}`, '')
      out.push('| | |', '|---|---|')
      out.push(`| clause | ${cell(def.clause)} |`)
      out.push(`| maps to | ${cell(def.mapsTo.join(', ') || '—')} |`)
      out.push(`| DUT role | ${ROLE_TEXT[def.fixture](def)} |`)
      out.push(`| applies to | ${applies.join(', ') || 'no shipped profile'} |`)
      out.push(`| passes when | ${cell(def.criteria.pass)} |`)
      out.push(`| fails when | ${cell(def.criteria.fail)} |`)
      const shown = [...proven.map((f) => `\`${f.id}\` (${cell(f.title)})`), ...(def.liveFaults ?? []).map(cell)]
      out.push(`| proven by | ${shown.length ? shown.join('; ') : '—'} |`)
      out.push(`| file | \`${file}\` |`, '')
    }
  }
  return out.join('\n')
}
