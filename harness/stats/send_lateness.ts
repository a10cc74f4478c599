/**
 * How late the harness's own scheduled sends left, from a recording alone: each outgoing frame
 * with a planned send time, its TX timestamp minus that time. The usual lateness is the
 * scheduler's own path (µs); the worst one beyond it is how long the machine stalled the
 * harness during this very test. In the lab the DUT runs on the same vCPUs, so a DUT's send may
 * have been held as long: the noise probes, taken in half a second before the test, see only
 * the stalls of that half second. Pure, so it runs on stored evidence.
 */
import type { RecordedFrame } from '../recorder/frame.ts'
import { medianNs } from './robust.ts'
import { formatNs } from '../time/format.ts'

export interface SendLateness {
  /** Scheduled sends with a TX timestamp. */
  count: number
  medianNs: bigint
  maxNs: bigint
  /** The worst send's lateness beyond the usual: the longest stall seen. */
  worstStallNs: bigint
}

export function sendLateness(frames: readonly RecordedFrame[]): SendLateness | undefined {
  const late = frames.flatMap((f) => (f.direction === 'out' && f.plannedAt !== undefined && f.timestampNs !== null ? [f.timestampNs - f.plannedAt] : []))
  if (!late.length) return undefined
  const median = medianNs(late)
  const max = late.reduce((a, b) => (b > a ? b : a))
  return { count: late.length, medianNs: median, maxNs: max, worstStallNs: max > median ? max - median : 0n }
}

/**
 * In a lab run only (the DUT on the harness's vCPUs): the machine's worst stall during the test
 * and how it was measured, the allowance of an extreme statistic the DUT's sends make.
 */
export function labStall(mode: 'lab' | 'device', frames: readonly RecordedFrame[]): { ns: bigint; how: string } | undefined {
  if (mode !== 'lab') return undefined
  const l = sendLateness(frames)
  return l && { ns: l.worstStallNs, how: `the harness's ${l.count} scheduled sends in this test left a median ${formatNs(l.medianNs)} and at worst ${formatNs(l.maxNs)} after their planned time; the DUT shares the lab's vCPUs` }
}
