/**
 * Writes allure-results through allure-js-commons' FileSystemWriter: each result
 * and its attachments, environment.properties and categories.json. Files are
 * written whole and renamed into place by that writer, so a run that dies leaves
 * no half-written result.
 */
import { existsSync, readdirSync } from 'node:fs'
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter'
import type { RunEnvironment, TestResult } from '../../harness/results/record.ts'
import { allure2Categories } from './categories.ts'
import { toAllureResult, type ConvertOptions } from './convert.ts'
import { environmentInfo } from './environment.ts'
import { resultUuid } from './uuid.ts'

export interface WrittenResult {
  uuid: string
  warnings: string[]
}

export class AllureResultsWriter {
  private readonly fs: FileSystemWriter

  constructor(readonly dir: string) {
    this.fs = new FileSystemWriter({ resultsDir: dir })
  }

  /** Whether this test's result (same test, same start) is already in the folder. */
  has(r: Pick<TestResult, 'profile' | 'id' | 'startedAt'>): boolean {
    return existsSync(`${this.dir}/${resultUuid(r.profile, r.id, r.startedAt)}-result.json`)
  }

  writeTest(r: TestResult, opts: ConvertOptions): WrittenResult {
    const { result, attachments, warnings } = toAllureResult(r, opts)
    const failed = new Set<string>()
    // Attachments first: a result file never points at an attachment that is not there yet.
    for (const a of attachments) {
      try {
        if (a.content) this.fs.writeAttachment(a.source, a.content)
        else if (a.fromPath) this.fs.writeAttachmentFromPath(a.source, a.fromPath)
      } catch (err) {
        failed.add(a.source)
        warnings.push(`could not attach ${a.name}: ${(err as Error).message}`)
      }
    }
    if (failed.size) result.attachments = result.attachments.filter((a) => !failed.has(a.source))
    this.fs.writeResult(result)
    return { uuid: result.uuid, warnings }
  }

  writeEnvironment(env: RunEnvironment): void {
    this.fs.writeEnvironmentInfo(environmentInfo(env))
  }

  writeCategories(): void {
    this.fs.writeCategoriesDefinitions(allure2Categories())
  }

  /** Number of result files in the folder. */
  resultCount(): number {
    if (!existsSync(this.dir)) return 0
    return readdirSync(this.dir).filter((f) => f.endsWith('-result.json')).length
  }
}
