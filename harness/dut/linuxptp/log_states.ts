/**
 * Port states from ptp4l's own log, for the one case management cannot tell
 * them: a linuxptp transparent clock answers no management at all (not on
 * the wire, not on its UDS socket), but it logs every transition as
 *
 *   ptp4l[1790.642]: d1 port 1: LISTENING to UNCALIBRATED on RS_SLAVE
 *
 * The last transition of each port is its state. Port 0 is the UDS port.
 *
 * The bracket is ptp4l's CLOCK_MONOTONIC time in ms (print.c), so the log also times each
 * transition to the millisecond: mapped onto CLOCK_REALTIME with the offset between the two
 * clocks (one kernel, every namespace), it brackets a state change far tighter than a
 * management read can (INT-03/INT-04).
 */
import type { BestMasterChange, PortStateName, PortTransition } from '../types.ts'

const TRANSITION = /\bport (\d+): ([A-Z_]+) to ([A-Z_]+) on\b/
// clock.c: "selected best master clock X", or "selected local clock X as best master" (itself).
const BEST_MASTER = /^\S*?\[(\d+)\.(\d{3})\]: .*\bselected (?:best master|local) clock ([0-9a-f]{6}\.[0-9a-f]{4}\.[0-9a-f]{6})/
const TIMED_TRANSITION = /^\S*?\[(\d+)\.(\d{3})\]: .*\bport (\d+): ([A-Z_]+) to ([A-Z_]+) on (\S+)/
const LOG_RESOLUTION_NS = 1_000_000n

/** A `[s.ms]` stamp (ptp4l's CLOCK_MONOTONIC) on the timestamp clock (CLOCK_REALTIME). */
const stampNs = (s: string, ms: string, realtimeMinusMonotonicNs: bigint) => BigInt(s) * 1_000_000_000n + BigInt(ms) * LOG_RESOLUTION_NS + realtimeMinusMonotonicNs

/** ptp4l's names (ps_str) to IEEE 1588 port states; GRAND_MASTER is a MASTER port of a grandmaster. */
const NAMES: Record<string, PortStateName> = {
  INITIALIZING: 'INITIALIZING',
  FAULTY: 'FAULTY',
  DISABLED: 'DISABLED',
  LISTENING: 'LISTENING',
  PRE_MASTER: 'PRE_MASTER',
  MASTER: 'MASTER',
  GRAND_MASTER: 'MASTER',
  PASSIVE: 'PASSIVE',
  UNCALIBRATED: 'UNCALIBRATED',
  SLAVE: 'SLAVE',
}

export function portStatesFromLog(log: string): Map<number, PortStateName> {
  const out = new Map<number, PortStateName>()
  for (const line of log.split('\n')) {
    const m = TRANSITION.exec(line)
    if (!m) continue
    const port = Number(m[1])
    const to = NAMES[m[3]!]
    if (port > 0 && to) out.set(port, to)
  }
  return out
}

/** Timed transitions of ports > 0, with `realtimeMinusMonotonicNs` mapping ptp4l's monotonic ms onto CLOCK_REALTIME. */
export function portTransitionsFromLog(log: string, realtimeMinusMonotonicNs: bigint): PortTransition[] {
  const out: PortTransition[] = []
  for (const line of log.split('\n')) {
    const m = TIMED_TRANSITION.exec(line)
    if (!m) continue
    const port = Number(m[3])
    const from = NAMES[m[4]!]
    const to = NAMES[m[5]!]
    if (port === 0 || !from || !to) continue
    out.push({ atNs: stampNs(m[1]!, m[2]!, realtimeMinusMonotonicNs), resolutionNs: LOG_RESOLUTION_NS, port, from, to, event: m[6]! })
  }
  return out
}

/** ptp4l's "selected best master clock X" / "selected local clock X as best master" lines (clock.c, each time its BMCA picks another grandmaster, itself included), timed like the transitions. */
export function bestMasterChangesFromLog(log: string, realtimeMinusMonotonicNs: bigint): BestMasterChange[] {
  const out: BestMasterChange[] = []
  for (const line of log.split('\n')) {
    const m = BEST_MASTER.exec(line)
    if (!m) continue
    out.push({ atNs: stampNs(m[1]!, m[2]!, realtimeMinusMonotonicNs), resolutionNs: LOG_RESOLUTION_NS, clockIdentity: m[3]! })
  }
  return out
}
