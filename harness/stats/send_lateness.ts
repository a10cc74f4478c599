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
