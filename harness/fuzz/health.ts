/**
 * Is the DUT still well after a batch of fuzz cases? Pure: what was observed from the end of the
 * batch until the DUT was seen well again (or the recovery time ran out) in, problems out. Well
 * means all of: its process runs (where the harness started it), it still asks for delay
 * measurement (Delay_Req / Pdelay_Req: it answers the grandmaster's Sync), and, where it answered
 * management before fuzzing, it still answers and is a slave of the grandmaster.
 */
import type { ClockIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import { formatDuration } from '../time/format.ts'
import { delayRequestName, type FuzzTarget } from './target.ts'

/** What the health check needs of the target: the grandmaster, and the link's delay mechanism. */
export type HealthTarget = Pick<FuzzTarget, 'grandmaster' | 'delayMechanism'>

export interface HealthObservation {
  /** The check's window on the timestamp clock: from the batch's last frame to the verdict. */
  fromNs: bigint
  toNs: bigint
  /** The DUT process's exit the harness did not ask for. */
  exit?: { how: string; logTail: string }
  /** The DUT's delay requests in the window. */
  requests: number
  /** State reads in the window: asked, answered, and the last answer. */
  reads: number
  answered: number
  last?: { portStates: string[]; grandmasterIdentity?: ClockIdentity; parent?: ClockIdentity }
  /** The DUT answered state reads before fuzzing: only then is its silence here a problem. */
  stateExpected: boolean
}

export type HealthProblemKind = 'crashed' | 'silent' | 'management-silent' | 'left-grandmaster'

export interface HealthProblem {
  kind: HealthProblemKind
  detail: string
}

/** Adds to an observation what was seen since its start: the DUT's delay requests, and a state read (undefined: no answer). */
export function noteSeen(o: HealthObservation, requestTimes: readonly bigint[], read?: { answered: boolean; portStates?: string[]; grandmasterIdentity?: ClockIdentity | undefined; parent?: ClockIdentity | undefined }): void {
  o.requests = requestTimes.filter((t) => t >= o.fromNs).length
  if (!read) return
  o.reads++
  if (!read.answered) return
  o.answered++
  o.last = { portStates: read.portStates ?? [], ...(read.grandmasterIdentity ? { grandmasterIdentity: read.grandmasterIdentity } : {}), ...(read.parent ? { parent: read.parent } : {}) }
}

const SLAVE_STATES = new Set(['SLAVE', 'UNCALIBRATED'])

/**
 * A slave of the grandmaster: its port SLAVE (or UNCALIBRATED) and the grandmaster the one it
 * names, or, where it names none (ptpd's status file gives only its parent), its parent: the
 * emulated grandmaster is one hop away.
 */
export function slaveOf(last: HealthObservation['last'], gm: ClockIdentity): boolean {
  const is = (id: ClockIdentity | undefined) => !!id && normalizeClockIdentity(id) === normalizeClockIdentity(gm)
  if (!last || !last.portStates.some((s) => SLAVE_STATES.has(s))) return false
  return last.grandmasterIdentity ? is(last.grandmasterIdentity) : is(last.parent)
}

/** Whether the observation already shows a well DUT (the live check stops waiting then). */
export function looksWell(o: HealthObservation, t: HealthTarget): boolean {
  return !o.exit && o.requests > 0 && (!o.stateExpected || slaveOf(o.last, t.grandmaster.clockIdentity))
}

export function assessHealth(o: HealthObservation, t: HealthTarget): HealthProblem[] {
  const gm = t.grandmaster.clockIdentity
  const span = formatDuration(((o.toNs - o.fromNs) / 1_000_000n) * 1_000_000n, false)
  // A process that died explains its silence: the crash is the finding.
  if (o.exit) return [{ kind: 'crashed', detail: `the DUT process ${o.exit.how}` }]
  const out: HealthProblem[] = []
  if (o.requests === 0) out.push({ kind: 'silent', detail: `no ${delayRequestName(t)} from the DUT in the ${span} after the batch` })
  if (o.stateExpected && o.answered === 0) out.push({ kind: 'management-silent', detail: `none of ${o.reads} state reads answered in ${span} (it answered before fuzzing)` })
  else if (o.stateExpected && !slaveOf(o.last, gm)) {
    const l = o.last
    out.push({ kind: 'left-grandmaster', detail: `after ${span} its port is ${l?.portStates.join('/') ?? 'unknown'} with parent ${l?.parent ?? 'unknown'} and grandmaster ${l?.grandmasterIdentity ?? 'unknown'}, not a slave of ${gm}` })
  }
  return out
}

export function describeProblems(p: readonly HealthProblem[]): string {
  return p.length === 0 ? 'well' : p.map((x) => `${x.kind}: ${x.detail}`).join('; ')
}
