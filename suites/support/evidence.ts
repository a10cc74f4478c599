/** Small helpers for evidence files. */

/**
 * Join several pcapng captures into one file. A pcapng file may hold several sections,
 * each starting with its own Section Header Block, so plain concatenation is a valid
 * capture that Wireshark and tshark read as one (one section per scenario).
 */
export function joinPcapngSections(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
