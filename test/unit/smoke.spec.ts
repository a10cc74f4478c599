import { test } from '@japa/runner'

test.group('skeleton', () => {
  test('bigint arithmetic is exact at nanosecond scale', ({ assert }) => {
    const t = 1_700_000_000n * 1_000_000_000n + 123_456_789n
    assert.equal(t % 1_000_000_000n, 123_456_789n)
  })
})
