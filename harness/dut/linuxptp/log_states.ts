/**
 * Port states from ptp4l's own log, for the one case management cannot tell
 * them: a linuxptp transparent clock answers no management at all (not on
 * the wire, not on its UDS socket), but it logs every transition as
 *
 *   ptp4l[1790.642]: d1 port 1: LISTENING to UNCALIBRATED on RS_SLAVE
 *
 * The last transition of each port is its state. Port 0 is the UDS port.
 */
import type { PortStateName } from '../types.ts'

const TRANSITION = /\bport (\d+): ([A-Z_]+) to ([A-Z_]+) on\b/

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
