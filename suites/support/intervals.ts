/**
 * Which logMessageInterval the lab DUT is configured with, and which nominal value a
 * test judges against. A profile's lab settings may differ from its defaults (faster
 * rates inside the allowed range); the nominal interval of a rate test is what the DUT
 * advertises, and MF-07 separately checks that the advertised value is allowed.
 */
import { profileIntervals } from '../../harness/engines/from_profile.ts'
import type { IntervalName, Profile } from '../../harness/profiles/types.ts'
import type { TestContext } from '../../harness/run/context.ts'

const LAB_KEY: Record<IntervalName, string> = {
  announce: 'logAnnounceInterval',
  sync: 'logSyncInterval',
  delayReq: 'logMinDelayReqInterval',
  pdelayReq: 'logMinPdelayReqInterval',
}

/** The interval (log2 s) the lab DUT runs with: the lab setting, else the profile default, else 0. */
export function labInterval(profile: Profile, which: IntervalName): number {
  return profileIntervals(profile, 'lab')[which]
}

/** Most frequent value of a list (the DUT's advertised interval across its messages). */
export function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best: number | undefined
  let n = 0
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c]
  return best
}

export function labKeyOf(which: IntervalName): string {
  return LAB_KEY[which]
}

/**
 * What the DUT is configured with, where a test needs to know it: in the lab, the value the
 * profile's lab section gives ptp4l; on a real device (configured by its owner), the profile's
 * default.
 */
export function dutInterval(ctx: TestContext, which: IntervalName): number | undefined {
  return ctx.session.mode === 'lab' ? labInterval(ctx.profile, which) : ctx.profile.intervals[which]?.default.value
}

export function dutReceiptTimeout(ctx: TestContext, which: 'announceReceiptTimeout' | 'syncReceiptTimeout'): number | undefined {
  const lab = ctx.profile.lab.ptp4l[which]
  if (ctx.session.mode === 'lab' && lab !== undefined && lab !== null) return Number(lab)
  return ctx.profile.timeouts[which]?.default.value
}
