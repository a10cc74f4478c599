/**
 * Runs the selected conformance tests as Japa tests through Japa's programmatic API.
 * Japa supplies ordering, timeouts, reporters and the test lifecycle; the verdict
 * itself (which Japa cannot express: inconclusive, not applicable) travels in our
 * TestResult. A conformance `fail` also fails the Japa test so Japa's own summary
 * and any Japa reporter agree with the verdicts.
 */
import { configure, processCLIArgs, run, test } from '@japa/runner'
import type { NamedReporterContract } from '@japa/runner/types'
import { pathToFileURL } from 'node:url'
import type { ConformanceTest } from './definition.ts'
import { executeTest, type ExecuteOptions } from './execute.ts'
import type { TestResult } from '../results/record.ts'

export interface JapaRunInput {
  /** Tests in run order, with the file each came from. */
  tests: { file: string; def: ConformanceTest }[]
  execute: ExecuteOptions
  reporters: NamedReporterContract[]
  onStart?: (def: ConformanceTest) => void
  onEnd?: (def: ConformanceTest, r: TestResult) => void
  /** Runs after the last test and before the reporters' end of run (e.g. to write the summary they read). */
  beforeReportersEnd?: (results: TestResult[]) => void | Promise<void>
}

export async function runWithJapa(input: JapaRunInput): Promise<TestResult[]> {
  const results: TestResult[] = []
  const byFile = new Map<string, ConformanceTest[]>()
  for (const t of input.tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t.def])

  processCLIArgs([])
  configure({
    files: () => [...byFile.keys()].map((f) => pathToFileURL(f)),
    // Register only what was selected, in the order given, instead of whatever the file exports.
    importer: async (url: URL) => {
      for (const def of byFile.get(decodeURIComponent(url.pathname)) ?? []) {
        test(`${def.id} ${def.title}`, async () => {
          input.onStart?.(def)
          const r = await executeTest(def, input.execute)
          results.push(r)
          input.onEnd?.(def, r)
          if (r.verdict === 'fail') throw new Error(`${def.id} failed: ${r.reason}`)
          // Our own limit (timeLimitMs, between steps) aborts the acquisition and waits for it; Japa
          // must never give up first, or it would start the next test while this one drives the port.
        }).disableTimeout()
      }
    },
    teardown: [async () => input.beforeReportersEnd?.(results)],
    reporters: { activated: input.reporters.map((r) => r.name), list: input.reporters },
    forceExit: false,
  })
  await run()
  return results
}
