/**
 * The DUT's own log lines written during one test, kept as that test's evidence (ptp4l's state
 * transitions and BMCA choices, the reference DUT's diagnostics) next to its traffic.
 */

/** Of the DUT's log read before and after a test: the lines added, or all of `after` when the DUT was restarted in between (its log began anew). */
export function logDuring(before: string, after: string): string {
  return after.startsWith(before) ? after.slice(before.length) : after
}
