/**
 * Deterministic identifiers for Allure results. A result's uuid derives from the
 * test and its start time, so rebuilding allure-results from `results/*.json`
 * (after a crash, or from an old run) rewrites the same files instead of adding
 * duplicates; the historyId derives from profile and test ID alone, so Allure
 * links the same test across runs.
 */
import { createHash } from 'node:crypto'

function hashToUuid(text: string): string {
  const h = createHash('sha1').update(text).digest()
  // Shaped like an RFC 9562 name-based (version 5) UUID.
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`
}

export function resultUuid(profile: string, id: string, startedAt: string): string {
  return hashToUuid(`ptp-conform\u0000result\u0000${profile}\u0000${id}\u0000${startedAt}`)
}

export function historyId(profile: string, id: string): string {
  return createHash('md5').update(`${profile}.${id}`).digest('hex')
}
