/**
 * A DUT's polled state history in words, for the FAIL that says what the DUT did instead:
 * "0.0 s LISTENING ×12 → 3.1 s no answer (timeout) ×2 → 3.4 s MASTER ×40".
 */
import type { BestMasterChange, DutState } from '../../harness/dut/types.ts'
import type { Check } from '../../harness/verdict/verdict.ts'

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

/** The FAIL of a DUT slave that never followed the harness grandmaster (with `needs` reported), naming its states. */
export function neverFollowedCheck(lock: readonly { atNs: bigint; state?: DutState; error?: string }[], needs = 'an offsetFromMaster', context = ''): Check {
  return { name: 'DUT follows the harness grandmaster', measured: 'never', limit: `SLAVE or UNCALIBRATED, with ${needs}`, source: 'IEEE 1588-2019 9.2.5 (state decision), 8.2.2 (currentDS)', verdict: 'fail', detail: `${context}its states: ${describeStates(lock)}` }
}

/**
 * How far a time the DUT logged (ptp4l, 1 ms) may sit outside the bracket of the state reads
 * that show the same change and still be taken as that change: read latency and the
 * monotonic-to-realtime mapping.
 */
export const LOG_SLACK_NS = 5_000_000n

/** The DUT's logged choice of `gm` that lies between the read before (`prevNs`) and the read showing it (`shownNs`). */
export function loggedChoice(log: readonly BestMasterChange[] | undefined, gm: string, prevNs: bigint, shownNs: bigint): BestMasterChange | undefined {
  return log?.find((x) => x.clockIdentity === gm && x.atNs + x.resolutionNs >= prevNs - LOG_SLACK_NS && x.atNs <= shownNs + LOG_SLACK_NS)
}
