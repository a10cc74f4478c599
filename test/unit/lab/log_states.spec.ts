import { test } from '@japa/runner'
import { portStatesFromLog } from '../../../harness/dut/linuxptp/log_states.ts'

test.group('dut / ptp4l log port states', () => {
  test('the last transition of each port wins; port 0 (UDS) and other lines are ignored', ({ assert }) => {
    const log = [
      'ptp4l[1790.028]: d1 port 1: INITIALIZING to LISTENING on INIT_COMPLETE',
      'ptp4l[1790.073]: d1 port 2: INITIALIZING to LISTENING on INIT_COMPLETE',
      'ptp4l[1790.074]: d1 port 0: INITIALIZING to LISTENING on INIT_COMPLETE',
      'ptp4l[1790.642]: d1 selected best master clock 025043.fffe.000101',
      'ptp4l[1790.642]: d1 port 1: LISTENING to UNCALIBRATED on RS_SLAVE',
      'ptp4l[1791.040]: d1 port 2: LISTENING to GRAND_MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES',
      'ptp4l[1791.540]: d1 port 1: UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED',
    ].join('\n')
    assert.deepEqual([...portStatesFromLog(log)], [[1, 'SLAVE'], [2, 'MASTER']])
    assert.equal(portStatesFromLog('').size, 0)
  })
})
