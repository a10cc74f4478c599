/**
 * In-process hand-off of finished test results. The conformance wrapper publishes a
 * TestResult the moment a test ends (after it is on disk); reporters subscribe. Kept
 * separate from Japa's own events because a Japa test only knows pass/fail, while a
 * conformance verdict also knows inconclusive and not-applicable.
 */
import type { RunEnvironment, TestResult } from './record.ts'

type ResultListener = (result: TestResult) => void | Promise<void>
type EnvironmentListener = (env: RunEnvironment, outDir: string) => void | Promise<void>

const resultListeners = new Set<ResultListener>()
const environmentListeners = new Set<EnvironmentListener>()

export const resultBus = {
  onResult(fn: ResultListener): () => void {
    resultListeners.add(fn)
    return () => resultListeners.delete(fn)
  },
  onEnvironment(fn: EnvironmentListener): () => void {
    environmentListeners.add(fn)
    return () => environmentListeners.delete(fn)
  },
  async publishResult(r: TestResult): Promise<void> {
    for (const fn of resultListeners) await fn(r)
  },
  async publishEnvironment(env: RunEnvironment, outDir: string): Promise<void> {
    for (const fn of environmentListeners) await fn(env, outDir)
  },
}
