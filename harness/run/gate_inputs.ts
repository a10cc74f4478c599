/**
 * The gate's inputs for a run (`--baseline DIR`, `--known-failures FILE`), read before the
 * lab is built so that a wrong path or a broken file is a usage error (exit 2), not a
 * surprise after the run.
 */
import { existsSync } from 'node:fs'
import { loadRun } from '../../reports/load.ts'
import { type GateDecision, gate, type KnownFailure } from '../results/gate.ts'
import { KnownFailuresError, readKnownFailures } from '../results/known_failures.ts'
import type { TestResult } from '../results/record.ts'
import { CliError, ExitCode } from './exit_codes.ts'
import type { RunOptions } from './options.ts'

export interface GateInputs {
  baseline?: { dir: string; results: TestResult[] }
  known?: KnownFailure[]
}

export function readGateInputs(o: Pick<RunOptions, 'baseline' | 'knownFailures'>): GateInputs | undefined {
  if (!o.baseline && !o.knownFailures) return undefined
  const out: GateInputs = {}
  if (o.baseline) {
    if (!existsSync(o.baseline)) throw new CliError(`--baseline: no such folder: ${o.baseline}`, ExitCode.usage)
    const run = loadRun(o.baseline)
    if (!run.results.length) throw new CliError(`--baseline: no test results in ${o.baseline}/results`, ExitCode.usage)
    for (const p of run.problems) console.error(`warning: baseline ${p.file}: ${p.reason}`)
    out.baseline = { dir: o.baseline, results: run.results }
  }
  if (o.knownFailures) {
    try {
      out.known = readKnownFailures(o.knownFailures)
    } catch (err) {
      if (err instanceof KnownFailuresError) throw new CliError(`--known-failures:\n${err.message}`, ExitCode.usage)
      throw err
    }
  }
  return out
}

/** The gate over this run's records, today by this machine's clock (UTC date). */
export function gateRun(results: readonly TestResult[], inputs: GateInputs, o: { inconclusive: boolean; margins: boolean }, now = new Date()): GateDecision {
  return gate({ results, ...(inputs.baseline ? { baseline: inputs.baseline.results } : {}), ...(inputs.known ? { known: inputs.known } : {}), today: now.toISOString().slice(0, 10), ...o })
}
