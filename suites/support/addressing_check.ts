/**
 * One check over the DUT's frames for a per-frame rule (addressing, tagging, DSCP): any
 * wrong frame fails it, with a count and an example; frames whose field the capture did not
 * keep leave it inconclusive, because the harness could not see them.
 */
import type { Check } from '../../harness/verdict/verdict.ts'

export function addressingCheck(name: string, limit: string, source: string, wrong: string[], unmeasured: string[], judged: number): Check {
  const verdict = wrong.length ? 'fail' : unmeasured.length ? 'inconclusive' : 'pass'
  const detail = [
    wrong.length ? `${wrong.length} of ${judged + unmeasured.length}, e.g. ${wrong[0]}` : undefined,
    unmeasured.length ? `${unmeasured.length} frame(s) without the field in the capture (e.g. ${unmeasured[0]}): the harness could not see it` : undefined,
  ]
    .filter(Boolean)
    .join('; ')
  return { name, measured: wrong.length, limit, source, verdict, ...(detail ? { detail } : {}) }
}
