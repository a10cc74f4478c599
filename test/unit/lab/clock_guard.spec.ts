import { test } from '@japa/runner'
import { compareClockState, readClockState, type ClockState } from '../../../harness/lab/clock_guard.ts'

const base: ClockState = { state: 5, offset: 0, freq: 0, status: 0x40, tick: 10000, constant: 2, tai: 0, realtimeMinusMonotonicNs: '1795274850571263239', windowNs: 300 }

test.group('lab / clock guard', () => {
  test('identical states compare clean; read jitter within tolerance is not a step', ({ assert }) => {
    assert.deepEqual(compareClockState(base, { ...base }), [])
    assert.deepEqual(compareClockState(base, { ...base, realtimeMinusMonotonicNs: '1795274850571273239' }), [])
  })

  test('a frequency change, a status change and a step are each reported', ({ assert }) => {
    const d = compareClockState(base, { ...base, freq: 655360, status: 0x41, realtimeMinusMonotonicNs: '1795274850671263239' })
    assert.lengthOf(d, 3)
    assert.match(d[0]!, /freq changed from 0 to 655360/)
    assert.match(d[1]!, /status changed/)
    assert.match(d[2]!, /stepped by 100000000 ns/)
  })

  test('reading the real state works and does not change it (modes = 0)', ({ assert }) => {
    const a = readClockState()
    const b = readClockState()
    assert.deepEqual(compareClockState(a, b), [])
    assert.isAbove(a.tick, 0)
  })
})
