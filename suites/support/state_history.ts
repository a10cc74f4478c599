/**
 * A DUT's polled state history in words, for the FAIL that says what the DUT did instead:
 * "0.0 s LISTENING ×12 → 3.1 s no answer (timeout) ×2 → 3.4 s MASTER ×40".
 */
import type { BestMasterChange, DutState, PortTransition } from '../../harness/dut/types.ts'
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

const following = (p: string) => p === 'SLAVE' || p === 'UNCALIBRATED'
const after = (ns: bigint, fromNs: bigint) => `+${(Number(ns - fromNs) / 1e9).toFixed(3)} s`

/**
 * The DUT stayed a slave of `gm` through a phase that began at `fromNs`: every read SLAVE or
 * UNCALIBRATED of it, and no change out of those states in its own log (which sees a departure
 * between two reads). `what` says what the phase did, for the detail.
 */
export function followedThroughout(o: { name: string; reads: readonly { atNs: bigint; state?: DutState; error?: string }[]; gm: string; transitions?: readonly PortTransition[]; fromNs: bigint; source: string; what: string }): Check {
  const limit = 'every state read SLAVE/UNCALIBRATED of the harness grandmaster; no logged change out of it'
  const base = { name: o.name, limit, source: o.source }
  if (o.reads.length === 0) return { ...base, measured: 'no reads', verdict: 'fail', detail: `the DUT was never read (${o.what})` }
  const off = o.reads.filter((r) => !r.state || !r.state.ports.some((p) => following(p.portState)) || r.state.grandmasterIdentity !== o.gm)
  const left = (o.transitions ?? []).filter((t) => following(t.from) && !following(t.to))
  if (off.length || left.length) {
    const first = off[0]
    const seen = [
      first ? `${off.length} of ${o.reads.length} reads not following it, first at ${after(first.atNs, o.fromNs)}: ${first.state ? `${portStates(first.state)} of ${first.state.grandmasterIdentity ?? 'nobody'}` : `no answer (${first.error ?? 'unknown'})`}` : '',
      left.length ? `logged ${left.map((t) => `${t.from} → ${t.to} (${t.event}) at ${after(t.atNs, o.fromNs)}`).join(', ')}` : '',
    ].filter(Boolean).join('; ')
    return { ...base, measured: `${off.length + left.length} departures`, verdict: 'fail', detail: `${o.what}: ${seen}; states: ${describeStates(o.reads)}` }
  }
  return { ...base, measured: `${o.reads.length} reads, all following`, verdict: 'pass', detail: `${o.what}; ${o.reads.length} reads over ${after(o.reads.at(-1)!.atNs, o.fromNs)}${o.transitions ? `; ${o.transitions.length} logged port changes` : ''}` }
}
