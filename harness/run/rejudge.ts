/**
 * Judging a stored run again with today's code: every result that carries evidence
 * (`evidence/<profile>.<ID>.evidence.json`) is judged by the current definition of its
 * test against the profile the run used; results without evidence (not applicable,
 * never run) are kept as recorded. The output folder gets the same files as `run`
 * writes: result records, summary, Allure results, HTML and JUnit.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadProfile } from '../profiles/index.ts'
import type { TestResult } from '../results/record.ts'
import { summarize } from '../results/summary.ts'
import { ResultsWriter } from '../results/writer.ts'
import { loadRun } from '../../reports/load.ts'
import { decodeEvidence } from './evidence_codec.ts'
import type { Evidence } from './evidence.ts'
import { judged } from './execute.ts'
import { allDefinitions } from './suite_files.ts'

export interface RejudgeChange {
  id: string
  before: TestResult['verdict']
  after: TestResult['verdict']
  reason: string
}

export interface RejudgeOutcome {
  results: TestResult[]
  changes: RejudgeChange[]
  /** Results kept as recorded, with why. */
  kept: { id: string; why: string }[]
  problems: { file: string; reason: string }[]
}

export async function rejudgeRun(inDir: string, outDir: string, o: { profileDirs?: string[] } = {}): Promise<RejudgeOutcome> {
  const src = resolve(inDir)
  const dst = resolve(outDir)
  const run = loadRun(src)
  if (!run.environment) throw new Error(`${src} has no environment.json: it is not a ptp-conform run folder`)
  const env = run.environment
  const profile = loadProfile(env.profileFile && existsSync(env.profileFile) ? env.profileFile : env.profile, { profileDirs: o.profileDirs })
  const defs = new Map((await allDefinitions()).map(({ def }) => [def.id, def]))
  if (src !== dst) {
    for (const part of ['evidence', 'environment.json']) if (existsSync(join(src, part))) cpSync(join(src, part), join(dst, part), { recursive: true })
  }
  const writer = new ResultsWriter(dst)
  const out: RejudgeOutcome = { results: [], changes: [], kept: [], problems: run.problems }
  for (const r of run.results) {
    const def = defs.get(r.id)
    const file = r.evidence?.json
    let next = r
    if (!def) out.kept.push({ id: r.id, why: 'no test of that ID exists any more' })
    else if (!file) out.kept.push({ id: r.id, why: r.verdict === 'not-applicable' ? 'not applicable' : 'no evidence was stored' })
    else {
      const ev = decodeEvidence<Evidence>(readFileSync(join(src, file), 'utf8'))
      next = { ...r, ...judged(def, ev, profile) }
      if (next.verdict !== r.verdict) out.changes.push({ id: r.id, before: r.verdict, after: next.verdict, reason: next.reason })
    }
    writer.result(next)
    out.results.push(next)
  }
  writer.summary(summarize(env, out.results, run.summary?.ending === 'interrupted'))
  return out
}
