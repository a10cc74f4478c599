import { test } from '@japa/runner'
import { bestMasterChangesFromLog, portStatesFromLog, portTransitionsFromLog } from '../../../harness/dut/linuxptp/log_states.ts'

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

  test('timed transitions: ptp4l\'s monotonic [s.ms] mapped onto the timestamp clock, 1 ms resolution, with the event', ({ assert }) => {
    const log = [
      'ptp4l[10660.666]: ptp4l port 0: INITIALIZING to LISTENING on INIT_COMPLETE',
      'ptp4l[10662.911]: ptp4l port 1: LISTENING to UNCALIBRATED on RS_SLAVE',
      'ptp4l[10662.911]: ptp4l selected best master clock 025043.fffe.000142',
      'ptp4l[10670.377]: ptp4l port 1: SLAVE to GRAND_MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES',
    ].join('\n')
    const offset = 1_796_000_000_000_000_000n
    const t = portTransitionsFromLog(log, offset)
    assert.deepEqual(t.map((x) => [x.port, x.from, x.to, x.event]), [[1, 'LISTENING', 'UNCALIBRATED', 'RS_SLAVE'], [1, 'SLAVE', 'MASTER', 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES']])
    assert.equal(t[1]!.atNs, offset + 10_670_377_000_000n)
    assert.equal(t[1]!.resolutionNs, 1_000_000n)
  })

  test('best-master choices: "selected best master clock X", timed the same way', ({ assert }) => {
    const log = 'ptp4l[10662.911]: ptp4l selected best master clock 025043.fffe.000142\nptp4l[10662.911]: ptp4l foreign master not using PTP timescale\nptp4l[10670.021]: d1 selected best master clock 025043.fffe.000143\nptp4l[10673.500]: d1 selected local clock 025043.fffe.001101 as best master'
    const c = bestMasterChangesFromLog(log, 5n)
    assert.deepEqual(c.map((x) => [x.clockIdentity, x.atNs]), [['025043.fffe.000142', 10_662_911_000_005n], ['025043.fffe.000143', 10_670_021_000_005n], ['025043.fffe.001101', 10_673_500_000_005n]])
  })
})
