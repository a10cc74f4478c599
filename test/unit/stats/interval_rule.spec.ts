import { test } from '@japa/runner'
import { scoreIntervalRule, type IntervalRule } from '../../../harness/stats/interval_rule.ts'
import { scoreDelayReqSpacing, ksUniform } from '../../../harness/stats/delay_req_spacing.ts'
import { logIntervalToNs, summarize, intervals } from '../../../harness/stats/percentiles.ts'
import { combineChecks, judgeBound } from '../../../harness/verdict/verdict.ts'
import { seededRandom } from '../../support/random/seeded.ts'

const rule: IntervalRule = { meanPct: 30, fractionWithin: 0.9, withinPct: 30, maxGapFactor: 2, minSamples: 10, source: 'IEEE 1588-2019 9.5.8' }
const T = logIntervalToNs(0)

function series(n: number, f: (i: number) => bigint): bigint[] {
  return Array.from({ length: n }, (_, i) => f(i))
}

test.group('stats / interval rule (1588-2019 9.5.8)', () => {
  test('logIntervalToNs is exact for negative and positive logs', ({ assert }) => {
    assert.equal(logIntervalToNs(-3), 125_000_000n)
    assert.equal(logIntervalToNs(-7), 7_812_500n)
    assert.equal(logIntervalToNs(4), 16_000_000_000n)
  })

  test('a steady 1 s series passes every check', ({ assert }) => {
    const checks = scoreIntervalRule('Announce', series(60, () => T + 500_000n), T, rule, 10_000n)
    assert.equal(combineChecks(checks), 'pass')
    assert.lengthOf(checks, 3)
  })

  test('a series 40 % slow fails on the mean and the fraction', ({ assert }) => {
    const checks = scoreIntervalRule('Announce', series(60, () => (T * 14n) / 10n), T, rule, 10_000n)
    assert.equal(checks[0]!.verdict, 'fail')
    assert.equal(checks[1]!.verdict, 'fail')
    assert.equal(combineChecks(checks), 'fail')
  })

  test('one gap above 2× fails the gap check only', ({ assert }) => {
    const s = series(60, (i) => (i === 30 ? T * 3n : T))
    const checks = scoreIntervalRule('Announce', s, T, rule, 10_000n)
    assert.equal(checks.find((c) => c.name.includes('gap'))!.verdict, 'fail')
    assert.equal(checks.find((c) => c.name.includes('within'))!.verdict, 'pass')
  })

  test('a mean on the limit with noise larger than the margin is inconclusive, never pass', ({ assert }) => {
    const s = series(60, () => (T * 13n) / 10n)
    const checks = scoreIntervalRule('Sync', s, T, { ...rule, maxGapFactor: undefined }, 1_000_000n)
    assert.equal(checks[0]!.verdict, 'inconclusive')
    assert.notEqual(combineChecks(checks), 'pass')
  })

  test('too few samples is inconclusive', ({ assert }) => {
    const checks = scoreIntervalRule('Announce', [T, T], T, rule, 0n)
    assert.equal(combineChecks(checks), 'inconclusive')
  })

  test('judgeBound puts the noise band on the right side', ({ assert }) => {
    assert.equal(judgeBound(90, 100, 5, 'max'), 'pass')
    assert.equal(judgeBound(98, 100, 5, 'max'), 'inconclusive')
    assert.equal(judgeBound(106, 100, 5, 'max'), 'fail')
    assert.equal(judgeBound(106, 100, 5, 'min'), 'pass')
  })

  test('summary and intervals are exact integers', ({ assert }) => {
    const s = summarize(intervals([0n, 10n, 30n, 60n]))
    assert.deepEqual([s.min, s.max, s.mean, s.p50], [10n, 30n, 20n, 20n])
  })
})

test.group('stats / Delay_Req spacing', () => {
  const uniform = (seed: number, n: number, nominal: bigint) => {
    const r = seededRandom(seed)
    return series(n, () => BigInt(Math.max(1, Math.floor(r() * 2 * Number(nominal)))))
  }
  const T8 = logIntervalToNs(-3)

  test('uniform (0, 2T] spacing passes the default rule', ({ assert }) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const checks = scoreDelayReqSpacing(uniform(seed, 400, T8), T8, { rule: 'uniform-0-2x', source: 'IEEE 1588-2008 9.5.11.2', minSamples: 30 }, 10_000n)
      assert.equal(combineChecks(checks), 'pass', `seed ${seed}`)
    }
  })

  test('uniform (0, 2T] spacing fails the G.8275.1 ±30 % rule', ({ assert }) => {
    const checks = scoreDelayReqSpacing(uniform(7, 400, T8), T8, { rule: 'pct-of-nominal', pct: 30, fractionWithin: 0.9, source: 'ITU-T G.8275.1 6.2.8', minSamples: 30 }, 10_000n)
    assert.equal(combineChecks(checks), 'fail')
  })

  test('fixed spacing at T fails the uniform rule (not randomised) and passes ±30 %', ({ assert }) => {
    const fixed = series(400, () => T8)
    const u = scoreDelayReqSpacing(fixed, T8, { rule: 'uniform-0-2x', source: 's', minSamples: 30 }, 10_000n)
    assert.equal(u.find((c) => c.name.includes('Kolmogorov'))!.verdict, 'fail')
    const p = scoreDelayReqSpacing(fixed, T8, { rule: 'pct-of-nominal', pct: 30, fractionWithin: 0.9, source: 's', minSamples: 30 }, 10_000n)
    assert.equal(combineChecks(p), 'pass')
  })

  test('KS statistic of a perfect grid is about 1/n', ({ assert }) => {
    const grid = series(100, (i) => (BigInt(i) * 2n * T8) / 100n + T8 / 100n)
    assert.isBelow(ksUniform(grid, 2n * T8), 0.011)
  })
})
