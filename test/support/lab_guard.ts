/**
 * Whole-run guards around the test command.
 *
 * The lab must never move this machine's clock: we snapshot the kernel's
 * time-keeping state (adjtimex, read-only) and the realtime-minus-monotonic
 * distance before the run and compare after it (harness/lab/clock_guard.ts).
 * Any difference fails the run loudly: a DUT escaped its sandbox.
 */
import { compareClockState, readClockState, type ClockState } from '../../harness/lab/clock_guard.ts'

let before: ClockState | undefined

export const labGuard = {
  async setup(): Promise<void> {
    before = readClockState()
  },
  async teardown(): Promise<void> {
    if (!before) return
    const after = readClockState()
    const diffs = compareClockState(before, after)
    if (diffs.length === 0) {
      console.log(`clock guard: system clock untouched (adjtimex freq ${after.freq}, offset ${after.offset}, status 0x${after.status.toString(16)}; no step)`)
      return
    }
    const banner = [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! CLOCK GUARD: the system clock was changed during this test run.',
      ...diffs.map((d) => `!!   ${d}`),
      '!! Something ran with CAP_SYS_TIME or without free_running/no_adjust.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n')
    console.error(banner)
    process.exitCode = 1
    throw new Error(`clock guard: ${diffs.join('; ')}`)
  },
}
