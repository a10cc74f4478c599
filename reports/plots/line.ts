/**
 * Offset-over-time line plot as SVG: a series of (time, value) pairs in ns, such
 * as the DUT's reported offsetFromMaster or the time error the test slave measured,
 * with ± limit lines. Times are plotted relative to the first sample, so epoch
 * timestamps (beyond 2^53 ns) keep their precision: the subtraction is done in bigint.
 */
import {
  axes,
  document,
  emptyPlot,
  formatNumber,
  frame,
  horizontalMarkers,
  niceTicks,
  parseNs,
  round,
  scale,
  unitFor,
  type Marker,
  type NsValue,
} from './svg.ts'

export interface LinePlotOptions {
  title: string
  /** What the values are, for the y axis, e.g. "Offset from master". */
  quantity?: string
  /** Symmetric limit |value| ≤ limitNs, drawn at ±limit. */
  limitNs?: NsValue
  /** Asymmetric limits, drawn where given. */
  loNs?: NsValue
  hiNs?: NsValue
  width?: number
  height?: number
  /** Above this many samples the line is reduced to min/max per pixel column. */
  maxPoints?: number
}

export type SeriesPoint = readonly [NsValue, NsValue]

/**
 * Keeps the first and last sample and, per pixel column, the minimum and the
 * maximum: the drawn envelope is the same as with every sample, at a fraction of the size.
 */
export function reduceForDisplay(points: readonly (readonly [number, number])[], columns: number): (readonly [number, number])[] {
  if (points.length <= columns * 2) return points.slice()
  const t0 = points[0]![0]
  const t1 = points[points.length - 1]![0]
  const span = t1 - t0 || 1
  const out: (readonly [number, number])[] = []
  let col = -1
  let lo: readonly [number, number] | undefined
  let hi: readonly [number, number] | undefined
  const flush = () => {
    if (lo && hi) {
      if (lo === hi) out.push(lo)
      else if (lo[0] <= hi[0]) out.push(lo, hi)
      else out.push(hi, lo)
    }
  }
  for (const p of points) {
    const c = Math.min(columns - 1, Math.floor(((p[0] - t0) / span) * columns))
    if (c !== col) {
      flush()
      col = c
      lo = hi = p
    } else {
      if (p[1] < lo![1]) lo = p
      if (p[1] > hi![1]) hi = p
    }
  }
  flush()
  if (out[0] !== points[0]) out.unshift(points[0]!)
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]!)
  return out
}

export function offsetLinePlotSvg(series: readonly SeriesPoint[], opts: LinePlotOptions): string {
  const width = opts.width ?? 720
  const height = opts.height ?? 360
  const parsed: [bigint, bigint][] = []
  for (const p of series) {
    if (!Array.isArray(p) || p.length < 2) continue
    const t = parseNs(p[0])
    const v = parseNs(p[1])
    if (t !== undefined && v !== undefined) parsed.push([t, v])
  }
  if (parsed.length === 0) return emptyPlot(opts.title, 'no samples were measured', width)
  parsed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))

  const t0 = parsed[0]![0]
  const spanNs = Number(parsed[parsed.length - 1]![0] - t0)
  const tUnit = unitFor(spanNs)
  const maxAbs = Math.max(...parsed.map(([, v]) => Math.abs(Number(v))))
  const limit = parseNs(opts.limitNs)
  const lo = parseNs(opts.loNs)
  const hi = parseNs(opts.hiNs)
  const vUnit = unitFor(Math.max(maxAbs, limit !== undefined ? Number(limit < 0n ? -limit : limit) : 0))
  const pts = parsed.map(([t, v]) => [Number(t - t0) / tUnit.ns, Number(v) / vUnit.ns] as const)

  const markers: Marker[] = []
  if (limit !== undefined) {
    const l = Math.abs(Number(limit)) / vUnit.ns
    markers.push({ value: l, label: `+${formatNumber(l)} ${vUnit.symbol} limit`, kind: 'limit' })
    markers.push({ value: -l, label: `−${formatNumber(l)} ${vUnit.symbol} limit`, kind: 'limit' })
  }
  if (lo !== undefined) markers.push({ value: Number(lo) / vUnit.ns, label: `lower limit ${formatNumber(Number(lo) / vUnit.ns)} ${vUnit.symbol}`, kind: 'limit' })
  if (hi !== undefined) markers.push({ value: Number(hi) / vUnit.ns, label: `upper limit ${formatNumber(Number(hi) / vUnit.ns)} ${vUnit.symbol}`, kind: 'limit' })

  const values = pts.map((p) => p[1])
  const yMin = Math.min(...values, ...markers.map((m) => m.value), 0)
  const yMax = Math.max(...values, ...markers.map((m) => m.value), 0)
  const xMax = pts[pts.length - 1]![0]

  const f = frame(width, height)
  const xt = niceTicks(0, xMax || 1, 8)
  const yt = niceTicks(yMin, yMax, 6)
  const x = scale(xt.ticks[0]!, xt.ticks[xt.ticks.length - 1]!, f.left, f.right)
  const y = scale(yt.ticks[0]!, yt.ticks[yt.ticks.length - 1]!, f.bottom, f.top)

  const shown = reduceForDisplay(pts, opts.maxPoints ? Math.ceil(opts.maxPoints / 2) : Math.ceil(f.right - f.left))
  const path = shown.map((p, i) => `${i ? 'L' : 'M'}${round(x(p[0]))},${round(y(p[1]))}`).join(' ')
  const dots =
    pts.length <= 200 ? pts.map((p) => `<circle class="point" cx="${round(x(p[0]))}" cy="${round(y(p[1]))}" r="2"/>`).join('') : ''

  const sortedAbs = values.map(Math.abs).sort((a, b) => a - b)
  const subtitle =
    `n = ${pts.length} over ${formatNumber(xMax)} ${tUnit.symbol}; min ${formatNumber(Math.min(...values))}, ` +
    `max ${formatNumber(Math.max(...values))}, max |value| ${formatNumber(sortedAbs[sortedAbs.length - 1]!)} ${vUnit.symbol}`
  const quantity = opts.quantity ?? 'Offset'
  const body = [
    axes(f, {
      title: opts.title,
      subtitle,
      xLabel: `Time since first sample (${tUnit.symbol})`,
      yLabel: `${quantity} (${vUnit.symbol})`,
      xTicks: xt.ticks,
      xStep: xt.step,
      yTicks: yt.ticks,
      yStep: yt.step,
      x,
      y,
    }),
    `<line class="axis" x1="${f.left}" y1="${round(y(0))}" x2="${f.right}" y2="${round(y(0))}" stroke-opacity="0.4"/>`,
    `<path class="series" d="${path}"/>`,
    dots,
    horizontalMarkers(f, y, markers),
  ].join('\n')
  return document(f, opts.title, body)
}
