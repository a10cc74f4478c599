import { test } from '@japa/runner'
import { binValues, intervalHistogramSvg } from '../../../reports/plots/histogram.ts'
import { offsetLinePlotSvg, reduceForDisplay } from '../../../reports/plots/line.ts'
import { humanize, plotsFromMeasurements } from '../../../reports/plots/from_measurements.ts'
import { niceTicks, unitFor } from '../../../reports/plots/svg.ts'
import { allElements, parseXml, textOf } from '../../support/reports/xml_check.ts'
import { lcg } from '../../support/reports/fixtures.ts'

function texts(svg: string): string[] {
  return allElements(parseXml(svg))
    .filter((e) => e.name === 'text' || e.name === 'title')
    .map(textOf)
}

test.group('reports / plots / axes', () => {
  test('nice ticks are 1, 2 or 5 × 10^k and cover the range', ({ assert }) => {
    for (const [lo, hi] of [
      [0, 1],
      [0.7, 1.3],
      [-1234, 987],
      [999.2, 1000.8],
      [5, 5],
    ] as const) {
      const { ticks, step } = niceTicks(lo, hi, 6)
      const mantissa = step / 10 ** Math.floor(Math.log10(step))
      assert.include([1, 2, 5], Math.round(mantissa * 1e9) / 1e9, `step ${step}`)
      assert.isAtMost(ticks[0]!, lo)
      assert.isAtLeast(ticks[ticks.length - 1]!, hi)
    }
  })

  test('unit follows the magnitude: ns, µs, ms, s', ({ assert }) => {
    assert.deepEqual(
      [500, 1_500, 2_000_000, 1_000_000_000].map((v) => unitFor(v).symbol),
      ['ns', 'µs', 'ms', 's'],
    )
  })
})

test.group('reports / plots / interval histogram', () => {
  test('bins hold every value exactly once', ({ assert }) => {
    const rnd = lcg(3)
    const values = Array.from({ length: 1000 }, () => rnd() * 2000)
    const { bins, step } = binValues(values, 0, 2000, 40)
    assert.equal(
      bins.reduce((s, b) => s + b.count, 0),
      1000,
    )
    for (const b of bins) assert.approximately(b.to - b.from, step, 1e-9)
    for (const v of values) {
      const b = bins.find((x) => v >= x.from && v < x.to) ?? bins[bins.length - 1]!
      assert.isAtLeast(v, b.from)
    }
  })

  test('is well-formed SVG with title, axis labels, statistics and limit lines', ({ assert }) => {
    const intervals = Array.from({ length: 100 }, (_, i) => String(1_000_000_000 + (i - 50) * 10_000))
    const svg = intervalHistogramSvg(intervals, {
      title: 'Announce intervals',
      quantity: 'Announce interval',
      loNs: 700_000_000n,
      hiNs: '1300000000',
      nominalNs: 1_000_000_000,
    })
    const root = parseXml(svg)
    assert.equal(root.name, 'svg')
    assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg')
    const t = texts(svg)
    assert.include(t, 'Announce intervals')
    assert.include(t, 'Announce interval (ms)')
    assert.include(t, 'Count')
    assert.include(t, 'lower limit 700 ms')
    assert.include(t, 'upper limit 1300 ms')
    assert.include(t, 'nominal 1000 ms')
    assert.isTrue(t.some((x) => x.startsWith('n = 100, min 999.5')), t.join(' | '))
    const bars = allElements(root).filter((e) => e.name === 'rect' && e.attrs.class === 'bar')
    const counted = bars.map((b) => Number(/: (\d+)$/.exec(textOf(b))![1]))
    assert.equal(
      counted.reduce((a, b) => a + b, 0),
      100,
    )
  })

  test('escapes text and survives empty or unparsable input', ({ assert }) => {
    const svg = intervalHistogramSvg(['x', 'NaN'], { title: 'Sync <&> "intervals"' })
    assert.include(texts(svg), 'Sync <&> "intervals"')
    assert.include(texts(svg), 'no intervals were measured')
    const one = intervalHistogramSvg([125_000_000n], { title: 'one' })
    parseXml(one)
    assert.include(texts(one).join(' '), 'n = 1')
  })
})

test.group('reports / plots / offset line plot', () => {
  test('plots epoch-ns series relative to the first sample, with ± limit lines', ({ assert }) => {
    const t0 = 1_736_933_400_000_000_000n // beyond 2^53: must be subtracted in bigint
    const series = Array.from({ length: 50 }, (_, i) => [String(t0 + BigInt(i) * 1_000_000_000n), String((i % 5) * 100 - 200)] as const)
    const svg = offsetLinePlotSvg(series, { title: 'Offset over time', quantity: 'Offset', limitNs: 1000 })
    const t = texts(svg)
    assert.include(t, 'Offset over time')
    assert.include(t, 'Time since first sample (s)')
    assert.include(t, 'Offset (µs)')
    assert.include(t, '+1 µs limit')
    assert.include(t, '−1 µs limit')
    assert.isTrue(t.some((x) => x.startsWith('n = 50 over 49 s')), t.join(' | '))
    const path = allElements(parseXml(svg)).find((e) => e.name === 'path' && e.attrs.class === 'series')!
    assert.lengthOf(path.attrs.d!.match(/[ML]/g)!, 50)
  })

  test('display reduction keeps the first, last, minimum and maximum samples', ({ assert }) => {
    const rnd = lcg(11)
    const pts = Array.from({ length: 20_000 }, (_, i) => [i, rnd() * 100 - 50] as const)
    const spikeMax = [12_345, 500] as const
    const spikeMin = [777, -500] as const
    pts[12_345] = spikeMax
    pts[777] = spikeMin
    const r = reduceForDisplay(pts, 600)
    assert.isAtMost(r.length, 2 * 600 + 2)
    assert.deepEqual(r[0], pts[0])
    assert.deepEqual(r[r.length - 1], pts[pts.length - 1])
    assert.isTrue(r.includes(spikeMax))
    assert.isTrue(r.includes(spikeMin))
    for (let i = 1; i < r.length; i++) assert.isAtLeast(r[i]![0], r[i - 1]![0])
  })
})

test.group('reports / plots / from measurements', () => {
  test('finds interval and series keys, per message type, with their limits', ({ assert }) => {
    const plots = plotsFromMeasurements({
      intervalsNs: { Announce: ['1000000000', '1000000100'], Sync: [125_000_000n] },
      intervalsNsLimits: { Announce: { loNs: 700_000_000, hiNs: 1_300_000_000 } },
      delayReqIntervalsNs: [1n, 2n],
      timeErrorSeriesNs: [[0n, 10n]],
      timeErrorSeriesNsLimits: { limitNs: 1000 },
      frames: 40,
      notASeriesNs: 'text',
    })
    assert.deepEqual(
      plots.map((p) => p.name),
      ['Announce intervals', 'Sync intervals', 'Delay_Req intervals', 'Time error over time'],
    )
    assert.deepEqual(
      plots.map((p) => p.slug),
      ['announce-intervals', 'sync-intervals', 'delay-req-intervals', 'time-error-over-time'],
    )
    assert.include(texts(plots[0]!.svg), 'upper limit 1.3 s')
    assert.notInclude(texts(plots[1]!.svg).join(' '), 'limit')
    assert.include(texts(plots[3]!.svg), '+1 µs limit')
  })

  test('names come from the key', ({ assert }) => {
    assert.equal(humanize('announceIntervalsNs'), 'Announce')
    assert.equal(humanize('timeErrorSeriesNs'), 'Time error')
    assert.equal(humanize('delayReqIntervalsNs'), 'Delay_Req')
    assert.equal(humanize('pdelayRespFollowUpIntervalsNs'), 'Pdelay_Resp_Follow_Up')
    assert.equal(humanize('syncRxIntervalsNs'), 'Sync rx')
    assert.equal(humanize('synchronizedSeriesNs'), 'Synchronized')
    assert.equal(humanize('dutTEOffsetSeriesNs'), 'Dut TE offset')
    assert.equal(humanize('intervalsNs'), '')
    assert.lengthOf(plotsFromMeasurements(undefined), 0)
  })

  test('an MTIE or TDEV curve becomes a log-log plot with its mask and the window note', ({ assert }) => {
    const plots = plotsFromMeasurements({
      dteLMtieCurveNs: [[0.0625, 500], [1, 1800], [10, 2600], [60, 3800]],
      dteLMtieCurveNsMask: { points: [{ tauS: 1, limitNs: 40 }, { tauS: 1000, limitNs: 40 }] },
      dteLTdevCurveNs: [[0.0625, 100], [10, 470]],
      dteLTdevCurveNsMask: null,
      curveNote: 'scaled lab window: 60 s of 1000 s',
    })
    assert.deepEqual(plots.map((p) => p.name), ['dTE_L MTIE', 'dTE_L TDEV'])
    assert.include(texts(plots[0]!.svg), 'scaled lab window: 60 s of 1000 s')
    assert.include(texts(plots[0]!.svg), 'limit (profile)')
    assert.notInclude(texts(plots[1]!.svg), 'limit (profile)')
  })
})
