/**
 * Japa reporter that writes the reports of a conformance run.
 *
 * Japa itself only knows pass/fail, so the reporter does not listen to Japa's
 * test events: it subscribes to the result bus, where each finished test's
 * TestResult arrives (already on disk), and writes its Allure result at once.
 * When the runner ends (or when `finalize()` is called, with `finalizeAt: 'manual'`)
 * it completes the rest from `<out>/results/`: environment, categories, JUnit XML,
 * the HTML reports and the console summary.
 *
 *   const reporter = allureReporter({ outDir, finalizeAt: 'manual' })
 *   configure({ reporters: { activated: ['allure'], list: [reporter] } })
 *   … run, write summary.json …
 *   const reports = await reporter.finalize()
 */
import { join } from 'node:path'
import type { NamedReporterContract } from '@japa/runner/types'
import type { RunEnvironment, TestResult } from '../harness/results/record.ts'
import { resultBus } from '../harness/results/result_bus.ts'
import { AllureResultsWriter } from './allure/results_writer.ts'
import { ALLURE_RESULTS_DIR, finalizeReports, type FinalizeOptions, type FinalizeResult } from './finalize.ts'

export interface AllureReporterOptions extends FinalizeOptions {
  /** The run's output folder; when absent, the one published with the run's environment. */
  outDir?: string
  /** Called with the reports once they are written. */
  onFinalized?: (result: FinalizeResult) => void
  /**
   * 'runner-end' (default): write the reports when Japa's runner ends.
   * 'manual': only when `finalize()` is called, e.g. after summary.json and the
   * final environment.json are written, so that the reports include them.
   */
  finalizeAt?: 'runner-end' | 'manual'
}

export interface AllureReporter extends NamedReporterContract {
  /** Settles when the reports are written; rejects if they could not be. */
  readonly finalized: Promise<FinalizeResult>
  /** Writes the reports now (once; later calls return the same promise). */
  finalize(): Promise<FinalizeResult>
  /** Problems met while writing single results (missing evidence and the like). */
  readonly warnings: string[]
}

export function allureReporter(options: AllureReporterOptions = {}): AllureReporter {
  let resolveFinal!: (r: FinalizeResult) => void
  let rejectFinal!: (e: unknown) => void
  const finalized = new Promise<FinalizeResult>((res, rej) => {
    resolveFinal = res
    rejectFinal = rej
  })
  // The caller may never await it; an unobserved rejection must not kill the process.
  finalized.catch(() => {})
  const warnings: string[] = []

  let outDir = options.outDir
  let environment: RunEnvironment | undefined
  let writer: AllureResultsWriter | undefined
  const pending: TestResult[] = []

  const writerFor = (dir: string): AllureResultsWriter => (writer ??= new AllureResultsWriter(join(dir, ALLURE_RESULTS_DIR)))

  const write = (r: TestResult) => {
    if (!outDir) {
      // A result before the environment: keep it until we know where to write.
      pending.push(r)
      return
    }
    try {
      const w = writerFor(outDir).writeTest(r, { outDir, environment })
      warnings.push(...w.warnings.map((x) => `${r.profile}.${r.id}: ${x}`))
    } catch (err) {
      // The record is on disk already; finalize rebuilds what is missing here.
      warnings.push(`${r.profile}.${r.id}: allure result not written: ${(err as Error).message}`)
    }
  }

  let unsubscribe = () => {}
  let started = false
  const finalize = (): Promise<FinalizeResult> => {
    if (started) return finalized
    started = true
    unsubscribe()
    if (!outDir) {
      rejectFinal(new Error('no output folder: neither given to the reporter nor published with the environment'))
      return finalized
    }
    finalizeReports(outDir, { ...options, live: true }).then(
      (result) => {
        result.warnings.unshift(...warnings)
        options.onFinalized?.(result)
        resolveFinal(result)
      },
      (err) => {
        console.error(`ptp-conform: reports could not be written: ${(err as Error).message}`)
        rejectFinal(err)
      },
    )
    return finalized
  }

  return {
    name: 'allure',
    finalized,
    warnings,
    finalize,
    handler(_runner, emitter) {
      const offEnvironment = resultBus.onEnvironment((env, dir) => {
        environment = env
        outDir ??= dir
        try {
          const w = writerFor(outDir)
          w.writeEnvironment(env)
          w.writeCategories()
        } catch (err) {
          warnings.push(`environment not written to allure-results: ${(err as Error).message}`)
        }
        for (const r of pending.splice(0)) write(r)
      })
      const offResult = resultBus.onResult(write)
      unsubscribe = () => {
        offEnvironment()
        offResult()
      }

      emitter.on('runner:end', async () => {
        if (options.finalizeAt === 'manual') return
        // Japa waits for this: the process does not end before the reports are on disk.
        await finalize().catch(() => {})
      })
    },
  }
}
