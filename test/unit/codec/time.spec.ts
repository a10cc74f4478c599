import { test } from '@japa/runner'
import { logIntervalToMs, logIntervalToNs } from '../../../harness/time/log_interval.ts'
import {
  correctionRemainder,
  correctionToNs,
  formatNs,
  formatTimestamp,
  nsToCorrection,
  nsToTimestamp,
  timestampToNs,
} from '../../../harness/time/timestamp.ts'

test.group('time / timestamp', () => {
  test('timestampToNs and nsToTimestamp are inverse at nanosecond resolution', ({ assert }) => {
    const ts = { secondsField: 1_700_000_000n, nanosecondsField: 123_456_789 }
    assert.equal(timestampToNs(ts), 1_700_000_000_123_456_789n)
    assert.deepEqual(nsToTimestamp(1_700_000_000_123_456_789n), ts)
    assert.deepEqual(nsToTimestamp(0n), { secondsField: 0n, nanosecondsField: 0 })
  })

  test('the largest 48-bit secondsField converts; one more second overflows', ({ assert }) => {
    const max = ((1n << 48n) - 1n) * 1_000_000_000n + 999_999_999n
    assert.deepEqual(nsToTimestamp(max), { secondsField: (1n << 48n) - 1n, nanosecondsField: 999_999_999 })
    assert.throws(() => nsToTimestamp(max + 1n), RangeError)
  })

  test('negative times have no PTP Timestamp', ({ assert }) => {
    assert.throws(() => nsToTimestamp(-1n), RangeError)
  })

  test('correctionToNs floors, so quotient and remainder rebuild the value for negatives too', ({ assert }) => {
    assert.equal(correctionToNs(0x10000n), 1n)
    assert.equal(correctionToNs(0x18000n), 1n) // 1.5 ns
    assert.equal(correctionToNs(-0x8000n), -1n) // -0.5 ns floors to -1
    assert.equal(correctionRemainder(-0x8000n), 0x8000)
    for (const x of [-0x18001n, -1n, 0n, 1n, 0x7fffffffffffffffn, -0x8000000000000000n]) {
      assert.equal(correctionToNs(x) * 65536n + BigInt(correctionRemainder(x)), x)
    }
  })

  test('nsToCorrection scales by 2^16 and rejects values beyond Integer64', ({ assert }) => {
    assert.equal(nsToCorrection(-3n), -196608n)
    assert.equal(nsToCorrection((1n << 47n) - 1n), ((1n << 47n) - 1n) << 16n)
    assert.throws(() => nsToCorrection(1n << 47n), RangeError)
  })

  test('formatNs picks the unit and keeps every digit', ({ assert }) => {
    assert.equal(formatNs(999n), '999 ns')
    assert.equal(formatNs(1500n), '1.500 µs')
    assert.equal(formatNs(-2_000_000_123n), '-2.000000123 s')
    assert.equal(formatNs(12_345_678n), '12.345678 ms')
    assert.equal(formatTimestamp({ secondsField: 5n, nanosecondsField: 42 }), '5.000000042')
  })
})

test.group('time / log intervals (1588-2019 7.7.2.1)', () => {
  test('2^log seconds exact in ns, rounding down below 1 ns', ({ assert }) => {
    assert.equal(logIntervalToNs(0), 1_000_000_000n)
    assert.equal(logIntervalToNs(1), 2_000_000_000n)
    assert.equal(logIntervalToNs(-3), 125_000_000n)
    assert.equal(logIntervalToNs(-7), 7_812_500n)
    assert.equal(logIntervalToNs(-30), 0n)
    assert.equal(logIntervalToMs(-7), 7.8125)
    assert.equal(logIntervalToMs(4), 16_000)
  })
  test('a value that is not an Integer8 is refused', ({ assert }) => {
    assert.throws(() => logIntervalToNs(0.5), RangeError)
    assert.throws(() => logIntervalToNs(128), RangeError)
  })
})
