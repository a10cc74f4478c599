/**
 * The project's own test command (`npm test`).
 *
 * Japa runs three suites:
 *   unit  – pure functions (codec, BMCA, statistics, profiles); no sockets, no root.
 *   oracle – our decoder against tshark on frames we build; needs tshark.
 *   lab   – network namespaces, native ports and real ptp4l/ptpd; needs root.
 * After Japa's own summary we print one plain line `N passed, N failed, N skipped`
 * so that any CI can read the result without knowing Japa.
 */
import { assert } from '@japa/assert'
import { configure, processCLIArgs, run } from '@japa/runner'
import { spec } from '@japa/runner/reporters'
import type { Runner } from '@japa/core'
import { labGuard } from '../test/support/lab_guard.ts'

let activeRunner: Runner<any> | undefined

processCLIArgs(process.argv.splice(2))
configure({
  suites: [
    { name: 'unit', files: ['test/unit/**/*.spec.ts'], timeout: 60_000 },
    { name: 'oracle', files: ['test/oracle/**/*.spec.ts'], timeout: 300_000 },
    { name: 'lab', files: ['test/lab/**/*.spec.ts'], timeout: 600_000 },
  ],
  plugins: [assert()],
  reporters: {
    activated: ['spec', 'tally'],
    list: [
      spec(),
      {
        name: 'tally',
        handler: (runner) => {
          activeRunner = runner as unknown as Runner<any>
        },
      },
    ],
  },
  setup: [labGuard.setup],
  teardown: [labGuard.teardown],
  forceExit: false,
})

await run()

const summary = activeRunner?.getSummary()
if (summary) {
  const a = summary.aggregates
  // A whole-run guard (the clock guard) that failed counts as one more failure.
  const guardFailed = process.exitCode === 1 && a.failed === 0 ? 1 : 0
  // Japa counts todo tests separately; they did not run, so they are skipped.
  console.log(`${a.passed + a.regression} passed, ${a.failed + guardFailed} failed, ${a.skipped + a.todo} skipped`)
} else {
  console.log('0 passed, 1 failed, 0 skipped')
  process.exitCode = 1
}
// Native ports or child processes left open by a broken test must not hang CI.
setTimeout(() => process.exit(), 2000).unref()
