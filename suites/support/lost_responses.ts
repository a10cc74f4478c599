/**
 * Whether a DUT master's Sync stops when its Pdelay exchanges fail, counted on the wire (P2P-05
 * lost responses, P2P-03 invalid and multiple responses). An 802.1AS port that is not asCapable
 * sends no Sync (802.1AS-2020 10.2); a failed exchange is noticed when the next Pdelay_Req goes
 * out, so "Sync stopped after k failed exchanges" = k of the DUT's Pdelay_Req in the faulty
 * phase came before its last Sync there.
 */
import type { Check } from '../../harness/verdict/verdict.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import { formatNs } from '../../harness/time/format.ts'
import { logIntervalToNs } from '../../harness/time/log_interval.ts'
import type { TestContext } from '../../harness/run/context.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'

/** The DUT's frames of one type in [fromNs, toNs) (timestamp clock). */
export const inbound = (rec: Recorder | undefined, type: 'Sync' | 'Pdelay_Req', fromNs: bigint, toNs: bigint): RecordedFrame[] =>
  (rec?.frames ?? []).filter((f) => f.direction === 'in' && f.message?.type === type && f.timestampNs !== null && f.timestampNs >= fromNs && f.timestampNs < toNs)

const at = (f: RecordedFrame, t0: bigint) => `#${f.index} at +${formatNs(f.timestampNs! - t0)}`

export interface SyncStopRule {
  name: string
  /** How the phase's requests were answered, e.g. 'unanswered', 'answered with a wrong sequenceId'. */
  answered: string
  /** Fewest and most failed exchanges before the last Sync that pass. */
  minBefore: number
  maxBefore: number
  source: string
}

/** Sync must stop after between minBefore and maxBefore failed exchanges of [fromNs, toNs), and stay stopped. */
export function syncStopsCheck(rec: Recorder | undefined, fromNs: bigint, toNs: bigint, rule: SyncStopRule): Check {
  const syncs = inbound(rec, 'Sync', fromNs, toNs)
  const reqs = inbound(rec, 'Pdelay_Req', fromNs, toNs)
  const last = syncs.at(-1)
  const limit = rule.minBefore === rule.maxBefore - 1
    ? `${rule.minBefore} or ${rule.maxBefore} Pdelay_Req ${rule.answered} before the last Sync, none after the next one`
    : `${rule.minBefore} to ${rule.maxBefore} Pdelay_Req ${rule.answered} before the last Sync, none after the next one`
  if (!reqs.length) {
    return { name: rule.name, measured: 'no Pdelay_Req', limit, source: rule.source, verdict: 'fail', detail: `the DUT sent no Pdelay_Req in the ${formatNs(toNs - fromNs)} of this phase` }
  }
  const before = last ? reqs.filter((r) => r.timestampNs! < last.timestampNs!).length : 0
  const stopped = last !== undefined && last.timestampNs! < (reqs[rule.maxBefore]?.timestampNs ?? toNs)
  const measured = `${before} ${rule.answered} before the last Sync`
  const detail = `${reqs.length} Pdelay_Req ${rule.answered} (first ${at(reqs[0]!, fromNs)}); ${syncs.length} Sync in the phase${last ? `, last ${at(last, fromNs)}` : ''}`
  if (last === undefined || before < rule.minBefore) {
    return { name: rule.name, measured, limit, source: rule.source, verdict: 'fail', detail: `${detail}: asCapable dropped after fewer than ${rule.minBefore} failed exchanges` }
  }
  if (!stopped || before > rule.maxBefore) {
    return { name: rule.name, measured, limit, source: rule.source, verdict: 'fail', detail: `${detail}: Sync went on beyond ${rule.maxBefore} failed exchanges` }
  }
  return { name: rule.name, measured, limit, source: rule.source, verdict: 'pass', detail }
}

/** Exchanges the DUT gets to resume Sync once it is answered correctly again. */
export const RESUME_EXCHANGES = 16

/** Sync must resume within RESUME_EXCHANGES Pdelay_Req intervals of [resumedAtNs, endNs). */
export function syncResumesCheck(rec: Recorder | undefined, resumedAtNs: bigint, endNs: bigint, logPdelayReqInterval: number, source: string, name = `responses again: Sync resumes within ${RESUME_EXCHANGES} Pdelay_Req intervals`): Check {
  const windowNs = BigInt(RESUME_EXCHANGES) * logIntervalToNs(logPdelayReqInterval)
  const first = inbound(rec, 'Sync', resumedAtNs, endNs)[0]
  const ok = first !== undefined && first.timestampNs! - resumedAtNs <= windowNs
  return { name, measured: first ? at(first, resumedAtNs) : 'no Sync', limit: `≤ ${formatNs(windowNs)}`, source, verdict: ok ? 'pass' : 'fail', detail: first ? `first Sync ${at(first, resumedAtNs)}` : `no Sync in ${formatNs(endNs - resumedAtNs)}` }
}

/**
 * After valid answers return at `fromNs`: wait for the DUT's first Sync, then 1 s more so a
 * following phase begins with Sync running. The judge allows RESUME_EXCHANGES intervals; the wait
 * goes on twice as long, so a DUT that resumes late (ptp4l 3.1.1: FAULTY for 16 s on a stray
 * Pdelay_Resp) fails that check but still gets its next phase judged.
 */
export async function waitForResumedSync(ctx: TestContext, rec: Recorder, fromNs: bigint, intervalMs: number): Promise<void> {
  const t0 = Date.now()
  while (Date.now() - t0 < 2 * RESUME_EXCHANGES * intervalMs + 4000 && !ctx.signal.aborted && !inbound(rec, 'Sync', fromNs, systemTimeNs()).length) await ctx.sleep(100)
  await ctx.sleep(1000)
}

/** The DUT's allowedLostResponses and Pdelay_Req interval, which the asCapable tests count in. */
export function lostResponseSettings(ctx: TestContext): { allowed: number; logPdelayReqInterval: number; intervalMs: number } {
  const s = ctx.session.dutSettings
  const allowed = s.allowedLostResponses?.value
  if (allowed === undefined) throw new Error('the DUT settings hold no allowedLostResponses although the profile defines one')
  const logPdelayReqInterval = s.intervals.pdelayReq.value
  return { allowed, logPdelayReqInterval, intervalMs: Number(logIntervalToNs(logPdelayReqInterval) / 1_000_000n) }
}
