/**
 * A DUT process that dies under a test is the DUT's failure: the verdict is FAIL naming the
 * signal and the DUT's last log lines, whether or not the acquisition noticed.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { judged } from '../../../harness/run/execute.ts'
import INT01 from '../../../suites/int/int-01-message-rates.ts'
import { envelope, simulatedObservation } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const killed = { program: 'ptp4l', code: null, signal: 'SIGKILL', atMs: Date.UTC(2026, 11, 3, 12), logTail: 'ptp4l[1.2]: port 1: MASTER' }

test.group('a DUT that dies during a test', () => {
  test('conformant evidence without an exit passes', ({ assert }) => {
    const ev = envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 30 }) })
    assert.equal(judged(INT01, ev, e2e).verdict, 'pass')
  })

  test('fault: killed by SIGKILL after a complete acquisition fails, naming the signal', ({ assert }) => {
    const ev = { ...envelope('INT-01', e2e, { observation: simulatedObservation(e2e, { seconds: 30 }) }), dutExit: killed }
    const r = judged(INT01, ev, e2e)
    assert.equal(r.verdict, 'fail')
    assert.include(r.reason, 'SIGKILL')
    assert.include(r.checks[0].detail ?? '', 'MASTER')
  })

  test('fault: an acquisition broken off by the DUT\'s exit is a FAIL, not a harness error, and survives storage', ({ assert }) => {
    const ev = { ...envelope('INT-01', e2e, null as never), dutExit: { ...killed, signal: null, code: 1 }, acquisitionError: 'the DUT sent no Sync within 30 s' }
    const r = judged(INT01, roundTrip(ev), e2e)
    assert.equal(r.verdict, 'fail')
    assert.include(r.reason, 'exited with code 1')
    assert.include(r.reason, 'no Sync within 30 s')
  })
})
