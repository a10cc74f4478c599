import { test } from '@japa/runner'
import { SeededRandom } from '../../../harness/engines/random.ts'
import {
  compareToMask,
  constantTimeError,
  highPass,
  logSpacedWindows,
  lowPass,
  maskLimitAt,
  maxAbsTimeError,
  mtie,
  mtieBruteForce,
  peakToPeak,
  tdev,
  type Mask,
} from '../../../harness/stats/time_error/index.ts'
import { logLogPlotSvg } from '../../../reports/plots/loglog.ts'

/** A standard normal draw (Box–Muller) from the seeded uniform stream; 1 − u keeps log away from 0. */
const gaussian = (r: SeededRandom) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next())

const series = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i))

/**
 * Amplitude of the f (Hz) component of y[from..]: projection onto sin and cos over whole periods,
 * exact for a pure sinusoid wherever the samples fall (a max − min would miss the peak by a sample).
 */
function amplitude(y: Float64Array, fHz: number, tau0S: number, from: number): number {
  const perPeriod = Math.round(1 / (fHz * tau0S))
  const count = Math.floor((y.length - from) / perPeriod) * perPeriod
  let s = 0
  let c = 0
  for (let i = from; i < from + count; i++) {
    s += y[i]! * Math.sin(2 * Math.PI * fHz * i * tau0S)
    c += y[i]! * Math.cos(2 * Math.PI * fHz * i * tau0S)
  }
  return (2 / count) * Math.hypot(s, c)
}

const relative = (a: number, b: number) => Math.abs(a / b - 1)

test.group('stats / time error: MTIE', () => {
  test('equals the brute-force scan exactly on a random series, for every window size tried', ({ assert }) => {
    const r = new SeededRandom(1588)
    let walk = 0
    // White phase noise on a random walk, so that windows of every length see different extremes.
    const x = series(5000, () => (walk += gaussian(r)) + 10 * gaussian(r))
    const windows = [...logSpacedWindows(x.length, 20), 7, 999, 1001, 4999, ...Array.from({ length: 10 }, () => r.int(2, 5000))]
    assert.deepEqual(mtie(x, 0.0625, windows), mtieBruteForce(Array.from(x), 0.0625, windows))
  })

  test('linear phase (frequency offset y): MTIE(τ) = y·τ', ({ assert }) => {
    // y = 1e-8 is 10 ns of time error per second; τ0 = 1/16 s.
    const tau0 = 0.0625
    const x = series(10_000, (i) => 10 * i * tau0)
    for (const p of mtie(x, tau0, logSpacedWindows(x.length))) {
      assert.equal(p.tauS, (p.samples - 1) * tau0, 'k samples span k − 1 intervals')
      assert.isBelow(relative(p.mtieNs, 10 * p.tauS), 1e-9, `τ = ${p.tauS} s`)
    }
  })

  test('a frequency step at sample m: MTIE is y × the part of the window after the step', ({ assert }) => {
    // x = 0 up to sample m = 1000, then a ramp of 10 ns per 1 s sample for 100 samples (99 intervals).
    // A window that ends after the step sees only its ramp part: 10 ns × min(k − 1, 99).
    const x = series(1100, (i) => (i < 1000 ? 0 : 10 * (i - 1000)))
    const [k2, k50, k100, k500] = mtie(x, 1, [2, 50, 100, 500])
    assert.equal(k2!.mtieNs, 10)
    assert.equal(k50!.mtieNs, 490)
    assert.equal(k100!.mtieNs, 990)
    assert.equal(k500!.mtieNs, 990, 'the window holds the whole ramp and more of the flat part')
  })

  test('a sinusoid of amplitude A: MTIE of windows of half a period or more is 2A', ({ assert }) => {
    // Period 100 samples; the phase offset keeps the peaks off the sampling instants (at worst
    // π/100 away, so the sampled peak-to-peak is ≥ 2A cos(π/100) ≈ 2A × 0.9995).
    const A = 50
    const x = series(2000, (i) => A * Math.sin((2 * Math.PI * i) / 100 + 0.3))
    for (const p of mtie(x, 1, [51, 60, 100, 500, 2000])) assert.isBelow(relative(p.mtieNs, 2 * A), 0.01, `k = ${p.samples}`)
    // A window of 10 intervals sees at most 2A sin(π·10/100) ≈ 0.31 × 2A.
    assert.isBelow(mtie(x, 1, [11])[0]!.mtieNs, 0.32 * 2 * A)
  })

  test('log-spaced windows: distinct, increasing, 10 per decade on round numbers, ending at n', ({ assert }) => {
    const w = logSpacedWindows(1000)
    assert.deepEqual(w.slice(0, 12), [2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 32])
    assert.includeMembers(w, [10, 100, 1000])
    assert.isTrue(w.every((k, i) => i === 0 || k > w[i - 1]!))
    assert.equal(logSpacedWindows(1234).at(-1), 1234)
    assert.deepEqual(logSpacedWindows(1), [])
    assert.deepEqual(mtie([1, 2, 3], 1, [4]), [], 'a window longer than the series is skipped')
    assert.throws(() => logSpacedWindows(100, 10, 1), RangeError)
    assert.throws(() => mtie([1, 2, 3], 1, [1]), RangeError)
  })
})

test.group('stats / time error: TDEV', () => {
  test('linear phase: TDEV = 0, a second difference cancels any frequency offset', ({ assert }) => {
    const tau0 = 0.0625
    const x = series(10_000, (i) => 1e6 + 10 * i * tau0)
    for (const p of tdev(x, tau0, [1, 10, 100, 1000, 3333])) assert.isBelow(p.tdevNs, 1e-6, `n = ${p.n}`)
  })

  test('quadratic phase x = D t²/2: TDEV(τ) = D τ² / √6', ({ assert }) => {
    // x_{i+2n} − 2 x_{i+n} + x_i = D (n τ0)² = D τ² for every i, so the inner sum of n of them is
    // n D τ² and TVAR = (n D τ²)² / (6 n²) = D² τ⁴ / 6: TDEV = D τ² / √6, exactly.
    const tau0 = 0.0625
    const D = 0.02 // ns/s²
    const x = series(20_000, (i) => (D * (i * tau0) ** 2) / 2)
    const points = tdev(x, tau0, [1, 10, 100, 1000, 5000])
    assert.lengthOf(points, 5)
    for (const p of points) assert.isBelow(relative(p.tdevNs, (D * p.tauS ** 2) / Math.sqrt(6)), 0.01, `n = ${p.n}`)
  })

  test('white phase noise σ: TDEV(n τ0) = σ / √n', ({ assert }) => {
    // The inner sum Σ (x_{i+2n} − 2 x_{i+n} + x_i) over n values of i is three disjoint groups of n
    // independent samples weighted 1, −2, 1: variance n σ² (1 + 4 + 1) = 6 n σ². TVAR divides its
    // mean square by 6 n², giving σ² / n. At N = 200 000 the estimate scatters by about 0.3 %.
    const r = new SeededRandom(1588)
    const sigma = 10
    const x = series(200_000, () => sigma * gaussian(r))
    for (const p of tdev(x, 1, [1, 2, 4])) assert.isBelow(relative(p.tdevNs, sigma / Math.sqrt(p.n)), 0.01, `n = ${p.n}`)
  })

  test('terms = N − 3n + 1; an n with no term is skipped', ({ assert }) => {
    const points = tdev([0, 1, 0, 1, 0, 1, 0, 1, 0], 0.5, [1, 3, 4])
    assert.deepEqual(points.map((p) => [p.n, p.tauS, p.terms]), [[1, 0.5, 7], [3, 1.5, 1]])
    assert.throws(() => tdev([1, 2, 3], 1, [0]), RangeError)
  })
})

test.group('stats / time error: filters and single figures', () => {
  const tau0 = 1 / 16
  const fc = 0.1

  test('a constant series comes out unchanged: DC gain 1, no start-up transient', ({ assert }) => {
    const x = series(1000, () => 1234.5)
    assert.isTrue(lowPass(x, fc, tau0).every((v) => v === 1234.5))
    assert.isTrue(highPass(x, fc, tau0).every((v) => v === 0))
  })

  test('low-pass: 1/√2 of the amplitude at fc, about 1/10 at 10·fc; high-pass 1/√2 at fc; low + high = input', ({ assert }) => {
    // 60 periods of 10 s; the first 10 (100 s, some 60 time constants of 1.6 s) hold the transient.
    const at = (f: number) => series(9600, (i) => 100 * Math.sin(2 * Math.PI * f * i * tau0))
    const skip = 1600
    assert.isBelow(relative(amplitude(lowPass(at(fc), fc, tau0), fc, tau0, skip), 100 / Math.SQRT2), 0.01)
    assert.isBelow(relative(amplitude(highPass(at(fc), fc, tau0), fc, tau0, skip), 100 / Math.SQRT2), 0.01)
    const attenuation = 100 / amplitude(lowPass(at(10 * fc), fc, tau0), 10 * fc, tau0, skip)
    assert.isBelow(relative(attenuation, 10), 0.05, `attenuated ${attenuation.toFixed(2)}×`)
    const r = new SeededRandom(7)
    const x = series(5000, () => 50 * gaussian(r))
    const lo = lowPass(x, fc, tau0)
    const hi = highPass(x, fc, tau0)
    assert.isTrue(x.every((v, i) => Math.abs(lo[i]! + hi[i]! - v) < 1e-9))
  })

  test('a corner at or above the Nyquist frequency is an error', ({ assert }) => {
    assert.throws(() => lowPass([1, 2], 8, tau0), RangeError)
    assert.throws(() => lowPass([1, 2], 0, tau0), RangeError)
  })

  test('cTE is the mean, max|TE| the largest magnitude, peak-to-peak max − min', ({ assert }) => {
    const x = [-30, 10, 20, 40]
    assert.equal(constantTimeError(x), 10)
    assert.equal(maxAbsTimeError(x), 40)
    assert.equal(maxAbsTimeError([-50, 10]), 50)
    assert.equal(peakToPeak(x), 70)
    assert.closeTo(constantTimeError([1e15 + 1, 1e15 + 2]), 1e15 + 1.5, 1e-9)
    assert.throws(() => constantTimeError([]), RangeError)
  })
})

test.group('stats / time error: masks', () => {
  // Made-up limits, not the standard's: flat 40 ns to 1 s, then ×10 per two decades, then flat.
  const mask: Mask = {
    points: [
      { tauS: 0.1, limitNs: 40 },
      { tauS: 1, limitNs: 40 },
      { tauS: 100, limitNs: 400 },
      { tauS: 1000, limitNs: 400 },
    ],
  }

  test('flat and sloped (straight in log-log) segments; undefined outside the τ range', ({ assert }) => {
    assert.equal(maskLimitAt(mask, 0.1), 40)
    assert.equal(maskLimitAt(mask, 0.5), 40)
    assert.equal(maskLimitAt(mask, 1), 40)
    assert.closeTo(maskLimitAt(mask, 10)!, 40 * Math.sqrt(10), 1e-9)
    assert.equal(maskLimitAt(mask, 500), 400)
    assert.equal(maskLimitAt(mask, 1000 * (1 + 1e-12)), 400, 'τ = n·τ0 rounding at the end is still on the mask')
    assert.isUndefined(maskLimitAt(mask, 0.05))
    assert.isUndefined(maskLimitAt(mask, 2000))
  })

  test('a step (two points at one τ): the lower limit applies at the step itself', ({ assert }) => {
    const step: Mask = { points: [{ tauS: 1, limitNs: 100 }, { tauS: 10, limitNs: 100 }, { tauS: 10, limitNs: 50 }, { tauS: 100, limitNs: 50 }] }
    assert.equal(maskLimitAt(step, 9.9), 100)
    assert.equal(maskLimitAt(step, 10), 50)
    assert.equal(maskLimitAt(step, 10.1), 50)
  })

  test('compareToMask: margin per point, the worst point, and whether all compared points are under', ({ assert }) => {
    const curve = [
      { tauS: 0.01, valueNs: 500 },
      { tauS: 0.5, valueNs: 30 },
      { tauS: 10, valueNs: 120 },
      { tauS: 500, valueNs: 100 },
    ]
    const c = compareToMask(curve, mask)
    assert.isUndefined(c.points[0]!.marginNs, 'outside the mask: not compared')
    assert.equal(c.points[1]!.marginNs, 10)
    assert.equal(c.compared, 3)
    assert.equal(c.worst!.tauS, 10)
    assert.closeTo(c.worst!.marginNs, 40 * Math.sqrt(10) - 120, 1e-9)
    assert.isTrue(c.allUnder)
    const over = compareToMask([...curve, { tauS: 1, valueNs: 41 }], mask)
    assert.isFalse(over.allUnder)
    assert.deepEqual(over.worst, { tauS: 1, valueNs: 41, limitNs: 40, marginNs: -1 })
    assert.isFalse(compareToMask([{ tauS: 1, valueNs: NaN }], mask).allUnder, 'NaN is not under a limit')
    const none = compareToMask([{ tauS: 5000, valueNs: 1 }], mask)
    assert.deepInclude(none, { compared: 0, worst: undefined })
  })

  test('a mask out of τ order or with a limit ≤ 0 is an error', ({ assert }) => {
    assert.throws(() => maskLimitAt({ points: [{ tauS: 10, limitNs: 1 }, { tauS: 1, limitNs: 1 }] }, 5), RangeError)
    assert.throws(() => maskLimitAt({ points: [{ tauS: 1, limitNs: 0 }] }, 1), RangeError)
  })
})

test.group('reports / log-log plot', () => {
  const lab = { label: 'MTIE lab', points: [0.1, 1, 10, 100].map((tauS) => ({ tauS, valueNs: 5 * Math.sqrt(tauS * 10) })) }
  const mask: Mask = { points: [{ tauS: 0.1, limitNs: 40 }, { tauS: 1, limitNs: 40 }, { tauS: 100, limitNs: 400 }] }

  test('curves, the mask, decade gridlines and labels, the subtitle', ({ assert }) => {
    const other = { label: 'MTIE reference', points: lab.points.map((p) => ({ ...p, valueNs: p.valueNs / 2 })) }
    const svg = logLogPlotSvg([lab, other], { title: 'MTIE', quantity: 'MTIE', subtitle: 'scaled windows (lab)', mask, maskLabel: 'made-up mask' })
    assert.isTrue(svg.startsWith('<?xml') && svg.trimEnd().endsWith('</svg>'))
    assert.lengthOf(svg.match(/<path class="series"/g) ?? [], 2)
    assert.lengthOf(svg.match(/<path class="limit"/g) ?? [], 1)
    for (const label of ['>1 ns<', '>10 ns<', '>100 ns<', '>1 µs<', '>0.1 s<', '>1 s<', '>10 s<', '>100 s<', 'scaled windows (lab)', 'made-up mask']) {
      assert.include(svg, label)
    }
  })

  test('a value of 0 is drawn on the axis floor and its legend says so', ({ assert }) => {
    const withZero = { label: 'TDEV', points: [{ tauS: 1, valueNs: 0 }, ...lab.points.slice(1)] }
    const svg = logLogPlotSvg([withZero], { title: 'TDEV', quantity: 'TDEV' })
    // Values from 10 ns up: the floor is the 10 ns decade, the bottom of the plot area (420 − 56).
    assert.include(svg, '1 value ≤ 0 drawn at the 10 ns floor')
    assert.match(svg, /<path class="series"[^>]* d="M[\d.]+,364 /)
  })

  test('text is escaped; no points gives a plot that says so', ({ assert }) => {
    const svg = logLogPlotSvg([{ ...lab, label: 'a<b' }], { title: 'Title <&>', subtitle: '"q"' })
    assert.include(svg, 'Title &lt;&amp;&gt;')
    assert.include(svg, 'a&lt;b')
    assert.notInclude(svg, '<&')
    assert.notMatch(svg, /&(?!(amp|lt|gt|quot|apos);)/, 'every & starts an entity')
    assert.include(logLogPlotSvg([{ label: 'x', points: [] }], { title: 'MTIE', quantity: 'MTIE' }), 'no MTIE points were computed')
  })
})
