/**
 * Writes results as they happen: `<out>/environment.json` at the start,
 * `<out>/results/<profile>.<id>.json` (+ its pcapng and plots) at the end of each test,
 * `<out>/summary.json` at the end. Files are written whole and renamed into place so
 * a reader never sees half a record.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunEnvironment, RunSummary, TestResult } from './record.ts'

export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, data)
  renameSync(tmp, path)
}

export class ResultsWriter {
  readonly resultsDir: string
  readonly evidenceDir: string
  readonly written: TestResult[] = []

  constructor(readonly outDir: string) {
    this.resultsDir = join(outDir, 'results')
    this.evidenceDir = join(outDir, 'evidence')
    mkdirSync(this.resultsDir, { recursive: true })
    mkdirSync(this.evidenceDir, { recursive: true })
  }

  environment(env: RunEnvironment): void {
    writeFileAtomic(join(this.outDir, 'environment.json'), JSON.stringify(env, jsonReplacer, 2))
  }

  /** Store an evidence file and return its path relative to the output folder. */
  evidence(name: string, data: string | Uint8Array): string {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_')
    writeFileAtomic(join(this.evidenceDir, safe), data)
    return join('evidence', safe)
  }

  result(r: TestResult): void {
    this.written.push(r)
    writeFileAtomic(join(this.resultsDir, `${r.profile}.${r.id}.json`), JSON.stringify(r, jsonReplacer, 2))
  }

  summary(s: RunSummary): void {
    writeFileAtomic(join(this.outDir, 'summary.json'), JSON.stringify(s, jsonReplacer, 2))
  }
}
