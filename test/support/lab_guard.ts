/**
 * Whole-run guards around the test command.
 *
 * The lab must never move this machine's clock: we snapshot the kernel's
 * time-adjustment state (adjtimex) before the run and compare it after.
 * Filled in by the lab work; until then these are no-ops that report nothing.
 */
export const labGuard = {
  async setup(): Promise<void> {},
  async teardown(): Promise<void> {},
}
