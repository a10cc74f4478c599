/**
 * The regression gate of a CI run (`run --fail-on new-failures`): a failure the team already
 * knows does not fail the build; a new one does. A measured margin that shrank beyond its
 * noise since the baseline is listed, and fails the build with `--fail-on margin-regressions`. Known means: listed in a known-failures file with a
 * reason and an expiry date that has not passed, or failing the same way in the baseline run.
 * Pure: records in, a decision with one line per finding out. Harness errors are not judged
 * here: they stay the harness's exit code 3.
 */
import type { TestResult } from './record.ts'
import { diffRuns, outcomeOf, type Outcome, resultKey, showMargin } from './diff.ts'

export interface KnownFailure {
  /** Test ID ("TLV-GEN-01"). */
  test: string
  /** Only under this profile; any profile when absent. */
  profile?: string
  reason: string
  /** YYYY-MM-DD: the entry counts up to and including this day, then the failure is new again. */
  expires: string
}

export type GateStatus = 'new failure' | 'known (baseline)' | 'known (listed)' | 'expired' | 'margin regression'

export interface GateFinding {
  profile: string
  id: string
  outcome: Outcome
  status: GateStatus
  detail: string
}

export interface GateDecision {
  /** False when a new failure or an expired known one is found (a margin regression too, where asked). */
  passed: boolean
  findings: GateFinding[]
}

export interface GateInput {
  results: readonly TestResult[]
  baseline?: readonly TestResult[]
  known?: readonly KnownFailure[]
  /** Today, YYYY-MM-DD (the caller's clock: the gate itself reads none). */
  today: string
  /** Inconclusive gates too (`--fail-on inconclusive`). */
  inconclusive?: boolean
  /**
   * A margin regression fails the gate (`--fail-on margin-regressions`); otherwise it is
   * listed only. What a standard randomises moves margins between identical runs: ptp4l's
   * announce timeout of N + U(0, 1] intervals took BMCA-03's margin from 218 ms to 10 ms
   * between two runs against the same ptp4l, with ±0.5 ms of measurement noise.
   */
  margins?: boolean
}

const failing = (o: Outcome, inconclusive: boolean) => o === 'fail' || (inconclusive && o === 'inconclusive')

export function gate(i: GateInput): GateDecision {
  const findings: GateFinding[] = []
  const base = new Map((i.baseline ?? []).map((r) => [resultKey(r), r]))
  const knownFor = (r: TestResult) => (i.known ?? []).find((k) => k.test === r.id && (!k.profile || k.profile === r.profile))
  for (const r of i.results) {
    const o = outcomeOf(r)
    if (!failing(o, i.inconclusive ?? false)) continue
    const k = knownFor(r)
    const b = base.get(resultKey(r))
    let status: GateStatus
    let detail: string
    if (k && k.expires >= i.today) {
      status = 'known (listed)'
      detail = `${k.reason} (listed until ${k.expires})`
    } else if (b && outcomeOf(b) === o) {
      status = 'known (baseline)'
      detail = `${o} in the baseline too: ${b.reason || 'no reason recorded'}`
    } else if (k) {
      status = 'expired'
      detail = `listed as known until ${k.expires}, which has passed: ${k.reason}`
    } else {
      status = 'new failure'
      detail = `${b ? `${outcomeOf(b)} in the baseline, ` : i.baseline ? 'not in the baseline, ' : ''}${o} now: ${r.reason}`
    }
    findings.push({ profile: r.profile, id: r.id, outcome: o, status, detail })
  }
  if (i.baseline) {
    for (const t of diffRuns(i.baseline, i.results).tests) {
      // A failing test is judged above (known or new); its margins say nothing more.
      if (t.b === undefined || failing(t.b, i.inconclusive ?? false)) continue
      for (const c of t.checks.filter((x) => x.marginShrank)) {
        findings.push({
          profile: t.profile,
          id: t.id,
          outcome: t.b,
          status: 'margin regression',
          detail: `${c.name}: margin ${showMargin(c.marginA, c.unit)} → ${showMargin(c.marginB, c.unit)}, more than the noise ±${showMargin(c.noise, c.unit)}`,
        })
      }
    }
  }
  const blocking = (f: GateFinding) => f.status === 'new failure' || f.status === 'expired' || (f.status === 'margin regression' && (i.margins ?? false))
  return { passed: !findings.some(blocking), findings }
}

/** The gate's lines as the run prints them. */
export function formatGate(d: GateDecision): string {
  const lines = d.findings.map((f) => `  ${f.status.padEnd(17)} ${f.profile} ${f.id} (${f.outcome}): ${f.detail}`)
  const count = (s: GateStatus) => d.findings.filter((f) => f.status === s).length
  const known = count('known (baseline)') + count('known (listed)')
  lines.push(`gate: ${d.passed ? 'passed' : 'FAILED'}: ${count('new failure')} new failure(s), ${count('expired')} expired known failure(s), ${count('margin regression')} margin regression(s), ${known} known failure(s) ignored`)
  return lines.join('\n')
}
