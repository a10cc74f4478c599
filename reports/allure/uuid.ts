/**
 * Deterministic identifiers for Allure results. A result's uuid derives from the
 * test and its start time, so rebuilding allure-results from `results/*.json`
 * (after a crash, or from an old run) rewrites the same files instead of adding
 * duplicates; the historyId derives from profile, test ID and DUT, so Allure
 * links the same test of the same DUT across runs, and keeps DUTs apart in a merged report.
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

/** With the DUT's name: in a report merged from several DUTs' runs, each DUT's test has its own history. */
export function historyId(profile: string, id: string, dut?: string): string {
  return createHash('md5').update(`${profile}.${id}${dut ? `\u0000${dut}` : ''}`).digest('hex')
}
