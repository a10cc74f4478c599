/**
 * Reads a run's output folder back: environment.json, results/*.json and
 * summary.json. Whatever is unreadable is reported by file and reason and the
 * rest is still loaded, so a report can be rebuilt from what a dead run left.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunEnvironment, RunSummary, TestResult } from '../harness/results/record.ts'
import type { Check } from '../harness/verdict/verdict.ts'

export interface LoadedRun {
  outDir: string
  environment?: RunEnvironment
  summary?: RunSummary
  /** Sorted by profile, then start time, then ID. */
  results: TestResult[]
  /** Files that could not be used, with why. */
  problems: { file: string; reason: string }[]
}

const VERDICTS = new Set(['pass', 'fail', 'inconclusive', 'not-applicable'])

/** The fields a report cannot do without; everything else gets a default. */
export function validateResult(x: unknown): { ok: true; result: TestResult } | { ok: false; reason: string } {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, reason: 'not a JSON object' }
  const o = x as Record<string, unknown>
  for (const k of ['id', 'profile', 'verdict'] as const) {
    if (typeof o[k] !== 'string' || !o[k]) return { ok: false, reason: `field "${k}" is missing or not a string` }
  }
  if (!VERDICTS.has(o.verdict as string)) return { ok: false, reason: `unknown verdict "${String(o.verdict)}"` }
  const r: TestResult = {
    id: o.id as string,
    title: typeof o.title === 'string' ? o.title : '',
    area: typeof o.area === 'string' && o.area ? o.area : String(o.id).replace(/-.*$/, ''),
    clause: typeof o.clause === 'string' ? o.clause : '',
    mapsTo: Array.isArray(o.mapsTo) ? o.mapsTo.map(String) : [],
    tags: Array.isArray(o.tags) ? o.tags.map(String) : [],
    severity: (['blocker', 'critical', 'normal', 'minor', 'trivial'] as const).find((s) => s === o.severity) ?? 'normal',
    profile: o.profile as string,
    verdict: o.verdict as TestResult['verdict'],
    reason: typeof o.reason === 'string' ? o.reason : '',
    checks: Array.isArray(o.checks) ? o.checks.filter(isObject).map(normalizeCheck) : [],
    measurements: typeof o.measurements === 'object' && o.measurements !== null ? (o.measurements as Record<string, unknown>) : {},
    steps: Array.isArray(o.steps) ? (o.steps as TestResult['steps']) : [],
    startedAt: typeof o.startedAt === 'string' ? o.startedAt : '',
    durationMs: typeof o.durationMs === 'number' && Number.isFinite(o.durationMs) ? o.durationMs : 0,
    evidence: typeof o.evidence === 'object' && o.evidence !== null ? (o.evidence as TestResult['evidence']) : {},
  }
  if (typeof o.harnessError === 'string' && o.harnessError) r.harnessError = o.harnessError
  if (isObject(o.noise) && typeof o.noise.ns === 'number' && typeof o.noise.timeErrorFloorNs === 'number') r.noise = o.noise as unknown as TestResult['noise']
  if (isObject(o.sinceBaseline) && typeof o.sinceBaseline.change === 'string' && Array.isArray(o.sinceBaseline.checks)) r.sinceBaseline = o.sinceBaseline as unknown as TestResult['sinceBaseline']
  return { ok: true, result: r }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** A check read from disk, with the fields the reports print always present. */
function normalizeCheck(c: Record<string, unknown>): Check {
  const m = c.measured
  const check: Check = {
    name: typeof c.name === 'string' ? c.name : 'unnamed check',
    verdict: VERDICTS.has(c.verdict as string) ? (c.verdict as Check['verdict']) : 'inconclusive',
    measured: typeof m === 'string' || typeof m === 'number' || typeof m === 'boolean' ? m : null,
    limit: typeof c.limit === 'string' ? c.limit : String(c.limit ?? ''),
    source: typeof c.source === 'string' ? c.source : String(c.source ?? ''),
  }
  if (typeof c.unit === 'string') check.unit = c.unit
  if (c.unconfirmed === true) check.unconfirmed = true
  if (typeof c.noise === 'number') check.noise = c.noise
  if (typeof c.detail === 'string') check.detail = c.detail
  if (!VERDICTS.has(c.verdict as string)) check.detail = `${check.detail ?? ''} (recorded verdict "${String(c.verdict)}" is unknown)`.trim()
  return check
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}

export function loadRun(outDir: string): LoadedRun {
  const run: LoadedRun = { outDir, results: [], problems: [] }
  const envPath = join(outDir, 'environment.json')
  if (existsSync(envPath)) {
    try {
      run.environment = readJson(envPath) as RunEnvironment
    } catch (err) {
      run.problems.push({ file: envPath, reason: (err as Error).message })
    }
  }
  const summaryPath = join(outDir, 'summary.json')
  if (existsSync(summaryPath)) {
    try {
      run.summary = readJson(summaryPath) as RunSummary
    } catch (err) {
      run.problems.push({ file: summaryPath, reason: (err as Error).message })
    }
  }
  const resultsDir = join(outDir, 'results')
  const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort() : []
  for (const f of files) {
    const path = join(resultsDir, f)
    try {
      const v = validateResult(readJson(path))
      if (v.ok) run.results.push(v.result)
      else run.problems.push({ file: path, reason: v.reason })
    } catch (err) {
      run.problems.push({ file: path, reason: (err as Error).message })
    }
  }
  run.results.sort(
    (a, b) => a.profile.localeCompare(b.profile) || a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
  )
  return run
}
