/**
 * The harness noise from self-check latencies: a few vCPU stalls must not inflate the ±
 * (the p99 figure moved 100× between runs), and the run summary shows the spread across tests.
 */
import { test } from '@japa/runner'
import { noiseFromLatencies, TIMESTAMP_FLOOR_NS } from '../../../harness/run/noise.ts'
import { noiseSpread } from '../../../harness/results/summary.ts'
import type { TestResult } from '../../../harness/results/record.ts'

/** Deterministic latencies around 40 µs with ~±3 µs jitter (LCG), plus `stalls` of 3 ms. */
function latencies(n: number, stalls: number, seed = 7): bigint[] {
  let x = seed
  const out: bigint[] = []
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    out.push(40_000n + BigInt(Math.round((x / 2 ** 31 - 0.5) * 6_000)))
  }
  for (let i = 0; i < stalls; i++) out[(i * 37) % n] = 3_000_000n
  return out
}
const describe = (p50: bigint, p99: bigint) => `p50 ${p50} ns, p99 ${p99} ns`

test.group('harness noise from latencies', () => {
  test('three stalled probes of 100 leave the ± within 3× of a clean series, and are counted', ({ assert }) => {
    const clean = noiseFromLatencies(latencies(100, 0), describe)
    const stalled = noiseFromLatencies(latencies(100, 3), describe)
    assert.isBelow(Number(stalled.ns), 3 * Number(clean.ns))
    assert.equal(stalled.stalls, 3)
    assert.include(stalled.method, '3 of 100 probes stalled')
    assert.isAbove(Number(clean.ns), 2_000, 'uniform ±3 µs jitter gives a 3σ of several µs')
  })

  test('the tail (the ± of an extreme) is how late the slowest probe came after the median, stalls included', ({ assert }) => {
    const lat = [...Array.from({ length: 99 }, () => 5_000n), 45_000n]
    const n = noiseFromLatencies(lat, describe)
    assert.equal(n.tailNs, 40_000n)
    assert.equal(n.stalls, 1)
    assert.isBelow(Number(n.ns), 2_000, 'the per-timestamp ± leaves the stall out')
    assert.equal(noiseFromLatencies(Array.from({ length: 50 }, () => 10_000n), describe).tailNs, 1000n, 'never below the per-timestamp ±')
  })

  test('never claims better than 1 µs with software timestamps, nor 8 ns with hardware ones', ({ assert }) => {
    const still = Array.from({ length: 50 }, () => 10_000n)
    assert.equal(noiseFromLatencies(still, describe).ns, 1000n)
    assert.equal(noiseFromLatencies(still, describe, { floorNs: TIMESTAMP_FLOOR_NS.hardware }).ns, 8n)
    // Hardware stamps with 12 ns of jitter keep their own measured ± above the floor.
    const jittery = Array.from({ length: 50 }, (_, i) => 10_000n + BigInt((i % 5) * 6))
    const hw = noiseFromLatencies(jittery, describe, { floorNs: TIMESTAMP_FLOOR_NS.hardware })
    assert.isAbove(Number(hw.ns), 8)
    assert.isBelow(Number(hw.ns), 100)
  })

  test('stamps from two clocks (two PHCs): the median latency holds their offset, so the time-error floor is the spread alone', ({ assert }) => {
    const lat = Array.from({ length: 50 }, (_, i) => 3_600_000_000_000n + BigInt((i % 5) * 6))
    const n = noiseFromLatencies(lat, describe, { floorNs: TIMESTAMP_FLOOR_NS.hardware, latencyIsTimeError: false })
    assert.equal(n.timeErrorFloorNs, n.ns)
    const same = noiseFromLatencies(Array.from({ length: 50 }, () => 10_000n), describe)
    assert.equal(same.timeErrorFloorNs, 11_000n, 'one clock: the median latency plus the ±')
  })

  test('the run summary gives min, median and max of the per-test figures', ({ assert }) => {
    const r = (ns: number, stalls = 0) => ({ noise: { ns, timeErrorFloorNs: ns, method: '', stalls } }) as TestResult
    assert.deepEqual(noiseSpread([r(4000), r(2000, 2), r(9000), {} as TestResult]), { tests: 3, minNs: 2000, medianNs: 4000, maxNs: 9000, stalls: 2 })
    assert.isUndefined(noiseSpread([]))
  })
})
