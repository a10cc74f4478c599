/**
 * How a conformance verdict shows in Allure and in the categories.
 *
 * Allure knows four statuses; a conformance run has four verdicts plus harness
 * errors. The mapping keeps what a reader must act on visible:
 *   pass           → passed
 *   fail           → failed   (the DUT does not conform: the only red)
 *   inconclusive   → broken   (the harness could not decide; it is not a pass and
 *                              must not hide among skipped tests)
 *   not-applicable → skipped
 *   harness error  → broken
 * Inconclusive results and harness errors share "broken"; the status message
 * prefix and the `verdict` label tell them apart, and the categories use both.
 */
import { Status } from 'allure-js-commons'
import type { Verdict } from '../../harness/verdict/verdict.ts'
import type { TestResult } from '../../harness/results/record.ts'

/** The verdict of a result as the reports name it: a harness error outranks the verdict it carries. */
export type ReportVerdict = Verdict | 'harness-error'

export function reportVerdict(r: Pick<TestResult, 'verdict' | 'harnessError'>): ReportVerdict {
  return r.harnessError ? 'harness-error' : r.verdict
}

export const statusOf: Record<ReportVerdict, Status> = {
  pass: Status.PASSED,
  fail: Status.FAILED,
  inconclusive: Status.BROKEN,
  'not-applicable': Status.SKIPPED,
  'harness-error': Status.BROKEN,
}

/** Status-message prefixes; the categories match on them, so they are part of the contract. */
export const messagePrefix: Record<ReportVerdict, string> = {
  pass: 'Pass',
  fail: 'Conformance failure',
  inconclusive: 'Inconclusive',
  'not-applicable': 'Not applicable',
  'harness-error': 'Harness error',
}

/** How each verdict is written for people (console, JUnit messages, step names). */
export const verdictWord: Record<ReportVerdict, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  'not-applicable': 'NOT APPLICABLE',
  'harness-error': 'HARNESS ERROR',
}

/** One line: Allure shows the message in lists, and Allure 2 matches categories line by line. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/** The first line of a harness error: its message, without the stack trace that may follow. */
export function firstLine(s: string): string {
  return (s.split(/\r?\n/).find((l) => l.trim()) ?? '').trim()
}

/** Why a result is what it is, in one line: the reason, or for a harness error its message. */
export function whyLine(r: Pick<TestResult, 'verdict' | 'harnessError' | 'reason'>): string {
  const why = r.harnessError ? firstLine(r.harnessError) : oneLine(r.reason)
  return why || '(no reason given)'
}

export function statusMessage(r: Pick<TestResult, 'verdict' | 'harnessError' | 'reason'>): string {
  return `${messagePrefix[reportVerdict(r)]}: ${whyLine(r)}`
}
