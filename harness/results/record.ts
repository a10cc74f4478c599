/**
 * The result record of one conformance test: what the reports render and what CI
 * gates on. One JSON file per test is written to `<out>/results/` the moment the test
 * ends, so a run that dies still leaves everything it finished.
 */
import type { Check, Verdict } from '../verdict/verdict.ts'
import type { CheckDiff } from './diff.ts'

/** One test compared with the same test of a baseline run (harness/results/diff.ts). */
export interface SinceBaseline {
  /** The baseline's folder. */
  baseline: string
  /** Its verdict there ('harness-error' for a harness error); absent when it did not run there. */
  was?: Verdict | 'harness-error'
  change: 'same' | 'regressed' | 'improved' | 'changed' | 'new' | 'gone'
  /** Checks whose verdict or value moved, or whose margin shrank beyond the noise. */
  checks: Omit<CheckDiff, 'limit'>[]
}

export interface TestIdentity {
  /** Stable ID, e.g. "BMCA-03"; never changes meaning once published. */
  id: string
  title: string
  /** Area the ID belongs to (MF, INT, BMCA, E2E, P2P, TLV, MGT, TE). */
  area: string
  /** Clause(s) of the standard the test checks. */
  clause: string
  /** External test-plan IDs it corresponds to, e.g. ["UNH PWR.c.1.2"]. */
  mapsTo: string[]
  tags: string[]
  severity: 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial'
}

export interface Evidence {
  /** pcapng of the test's traffic, relative to the results folder. */
  pcapng?: string
  /** The test's evidence (JSON, evidence_codec), what `rejudge` judges again. */
  json?: string
  /** SVG plots, relative to the results folder. */
  plots?: { name: string; file: string }[]
  /** The DUT's own log lines written during the test (a DUT the harness started), relative to the results folder. */
  dutLog?: string
  /** Further files the test kept (a fuzz failure's reproducer), relative to the results folder. */
  files?: { name: string; file: string }[]
}

export interface TestResult extends TestIdentity {
  profile: string
  verdict: Verdict
  /** One line saying why, always present for fail, inconclusive and not-applicable. */
  reason: string
  checks: Check[]
  /** Raw measurements (series, counts, identities) kept for the JSON attachment. */
  measurements: Record<string, unknown>
  /** Narrative phases the test went through, with times relative to its start. */
  steps: { atMs: number; text: string }[]
  startedAt: string
  durationMs: number
  evidence: Evidence
  /** Set when the harness, not the DUT, failed (exit code 3 territory). */
  harnessError?: string
  /** Against `run --baseline DIR`: this test's verdict there and the checks that moved since. */
  sinceBaseline?: SinceBaseline
  /** The harness noise measured for this test and used by its judge. */
  noise?: { ns: number; timeErrorFloorNs: number; tailNs?: number; stalls?: number; method: string }
}

/** What the whole run ran against; the same for every test of the run. */
export interface RunEnvironment {
  harnessVersion: string
  profile: string
  profileFile: string
  /** Profile values marked unconfirmed that the run relied on. */
  unconfirmedValues: string[]
  interface: string
  transport: string
  domainNumber: number
  timestamping: string
  kernel: string
  node: string
  dut: { implementation: string; version: string; settings: Record<string, string>; mode: string }
  /** The harness's timestamp noise at session start, ns (3σ from the MAD of a self-loop); tests re-measure. */
  harnessNoiseNs?: number
  /** The harness's time-error floor, ns (where a software timestamp may sit from the wire). */
  harnessTimeErrorFloorNs?: number
  startedAt: string
}

export interface RunSummary {
  environment: RunEnvironment
  counts: Record<Verdict, number> & { harnessErrors: number }
  tests: { id: string; verdict: Verdict; reason: string; durationMs: number }[]
  /** The per-test noise figures across the run (ns): their spread says how steady the harness was. */
  noise?: { tests: number; minNs: number; medianNs: number; maxNs: number; stalls: number }
  finishedAt: string
  /** How the run ended: normally, by Ctrl-C, or by a harness error. */
  ending: 'completed' | 'interrupted' | 'harness-error'
}
