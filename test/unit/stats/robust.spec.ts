import { test } from '@japa/runner'
import { mad, madNs, median, medianNs, medianStandardError, medianStandardErrorNs } from '../../../harness/stats/robust.ts'

test.group('stats / robust location and spread', () => {
  test('median and MAD of ns and of floats; two stalls move neither', ({ assert }) => {
    const ns = [10n, 12n, 11n, 9n, 5_000_000n, 13n, 4_000_000n]
    assert.equal(medianNs(ns), 12n)
    assert.equal(madNs(ns), 2n)
    assert.equal(median([1, 3, 2]), 2)
    assert.equal(mad([1, 2, 3, 100]), 2, "upper median 3; deviations 2, 1, 0, 97")
  })
  test('no values is an error, not a silent 0', ({ assert }) => {
    assert.throws(() => medianNs([]), RangeError)
    assert.throws(() => median([]), RangeError)
  })

  test('standard error of the median: 1.2533 × 1.4826 × MAD / √n, the same for numbers and bigint ns', ({ assert }) => {
    // MAD of [0, 2, 4, 6, 8, 10, 12, 14, 16] is 4; n = 9.
    const v = [0, 2, 4, 6, 8, 10, 12, 14, 16]
    assert.closeTo(medianStandardError(v), (1.2533 * 1.4826 * 4) / 3, 1e-9)
    assert.closeTo(medianStandardErrorNs(v.map(BigInt)), medianStandardError(v), 1e-9)
    assert.equal(medianStandardError([5, 5, 5, 5]), 0)
  })
})
