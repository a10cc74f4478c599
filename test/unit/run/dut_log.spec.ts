/** The DUT's log lines of one test: what it wrote during the test, or the new log of a DUT restarted by it. */
import { test } from '@japa/runner'
import { logDuring } from '../../../harness/run/dut_log.ts'

test.group('run / the DUT log of one test', () => {
  test('the lines added during the test', ({ assert }) => {
    const before = 'ptp4l[1.0]: port 1: INITIALIZING to LISTENING on INIT_COMPLETE\n'
    const added = 'ptp4l[4.1]: port 1: LISTENING to MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES\n'
    assert.equal(logDuring(before, before + added), added)
    assert.equal(logDuring(before, before), '')
  })

  test('a DUT restarted during the test began a new log: all of it', ({ assert }) => {
    assert.equal(logDuring('ptp4l[1.0]: old process\n', 'ptp4l[0.2]: new process\n'), 'ptp4l[0.2]: new process\n')
  })
})
