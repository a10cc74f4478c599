/**
 * A DUT's polled state history in words, for the FAIL that says what the DUT did instead:
 * "0.0 s LISTENING ×12 → 3.1 s no answer (timeout) ×2 → 3.4 s MASTER ×40".
 */
import type { DutState } from '../../harness/dut/types.ts'

export const portStates = (s: DutState | undefined) => (s ? s.ports.map((p) => p.portState).join('/') || 'no ports' : 'no answer')

export function describeStates(reads: readonly { atNs: bigint; state?: DutState; error?: string }[]): string {
  if (!reads.length) return 'no state was read'
  const t0 = reads[0]!.atNs
  const runs: { at: bigint; what: string; count: number }[] = []
  for (const r of reads) {
    const what = r.state ? portStates(r.state) : `no answer (${r.error ?? '?'})`
    const last = runs[runs.length - 1]
    if (last?.what === what) last.count++
    else runs.push({ at: r.atNs, what, count: 1 })
  }
  return runs.map((r) => `${(Number(r.at - t0) / 1e9).toFixed(1)} s ${r.what} ×${r.count}`).join(' → ')
}
