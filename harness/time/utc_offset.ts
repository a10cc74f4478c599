/**
 * TAI − UTC: what a grandmaster on the PTP timescale must announce as currentUtcOffset while
 * it says the offset is valid (IEEE 1588-2019 7.2.3, 8.2.4.2). The steps since 2006, from IERS
 * Bulletin C; 37 s since 2017-01-01, and no leap second has been announced after it as of
 * Bulletin C 70 (2025). A leap second announced later must be added here.
 */
export const TAI_MINUS_UTC_SOURCE = 'IERS Bulletin C (TAI − UTC = 37 s since 2017-01-01); IEEE 1588-2019 7.2.3, 8.2.4.2'

/** [UTC seconds since 1970 at which the offset took effect, TAI − UTC in s], oldest first. */
const STEPS: ReadonlyArray<readonly [bigint, number]> = [
  [1_136_073_600n, 33], // 2006-01-01
  [1_230_768_000n, 34], // 2009-01-01
  [1_341_100_800n, 35], // 2012-07-01
  [1_435_708_800n, 36], // 2015-07-01
  [1_483_228_800n, 37], // 2017-01-01
]

/** The offset today's table gives when no time is known (what emulated grandmasters announce). */
export const CURRENT_TAI_MINUS_UTC = STEPS[STEPS.length - 1]![1]

/** TAI − UTC in seconds at a UTC instant (ns since 1970); undefined before 2006, which the table does not hold. */
export function taiMinusUtcAt(utcNs: bigint): number | undefined {
  const s = utcNs / 1_000_000_000n
  let out: number | undefined
  for (const [from, offset] of STEPS) if (s >= from) out = offset
  return out
}
