/**
 * How a test slave spaces its Delay_Req / Pdelay_Req messages.
 *
 * - 'uniform-0-2x': each interval uniform in (0, 2·T], T = 2^logMinDelayReqInterval
 *   (IEEE 1588-2008 9.5.11.2; what linuxptp 3.1.1, statime and ptpd do for Delay_Req).
 * - 'pct-of-nominal': uniform in [T·(1 − pct/100), T·(1 + pct/100)] (ITU-T G.8275.1 6.2.8, ±30 %).
 * - 'fixed': exactly T (linuxptp's Pdelay_Req).
 */
import type { SeededRandom } from './random.ts'
import { logIntervalToNs } from '../time/log_interval.ts'

export type RequestSpacing =
  | { rule: 'uniform-0-2x' }
  | { rule: 'pct-of-nominal'; pct: number }
  | { rule: 'fixed' }

export function nextRequestInterval(spacing: RequestSpacing, logInterval: number, rng: SeededRandom): bigint {
  const t = logIntervalToNs(logInterval)
  switch (spacing.rule) {
    case 'fixed':
      return t
    case 'uniform-0-2x':
      return rng.uniformNs(0n, 2n * t)
    case 'pct-of-nominal': {
      if (!(spacing.pct >= 0 && spacing.pct < 100)) throw new RangeError(`pct ${spacing.pct} outside 0..100`)
      const delta = (t * BigInt(Math.round(spacing.pct * 1000))) / 100_000n
      if (delta === 0n) return t
      return rng.uniformNs(t - delta - 1n, t + delta)
    }
  }
}

/** The spacing a profile's delayReqSpacing rule asks for (profile field tolerances.delayReqSpacing). */
export function spacingFromProfileRule(rule: { rule: 'uniform-0-2x' | 'pct-of-nominal'; pct?: { value: number } } | undefined): RequestSpacing {
  if (!rule) return { rule: 'uniform-0-2x' }
  if (rule.rule === 'pct-of-nominal') return { rule: 'pct-of-nominal', pct: rule.pct?.value ?? 30 }
  return { rule: 'uniform-0-2x' }
}
