/**
 * Interval histogram as SVG: how the gaps between consecutive messages of one
 * type are distributed, with the profile's limits and the nominal interval
 * drawn in, so a person sees at once whether the spread sits inside the window.
 */
import {
  axes,
  document,
  emptyPlot,
  frame,
  niceTicks,
  parseNs,
  round,
  scale,
  unitFor,
  verticalMarkers,
  formatNumber,
  type Marker,
  type NsValue,
} from './svg.ts'

export interface HistogramOptions {
  title: string
  /** What the values are, for the x axis, e.g. "Announce interval". */
  quantity?: string
  /** Lower / upper limit and nominal value in ns; drawn as lines and kept in view. */
  loNs?: NsValue
  hiNs?: NsValue
  nominalNs?: NsValue
  /** Roughly how many bins over the shown range. */
  bins?: number
  width?: number
  height?: number
}

export interface HistogramBin {
  /** Lower edge, in the plot unit. */
  from: number
  to: number
  count: number
}

/** Bins `values` into equal-width bins of width `step` aligned to multiples of it. */
export function binValues(values: readonly number[], lo: number, hi: number, targetBins: number): { bins: HistogramBin[]; step: number } {
  const { step } = niceTicks(lo, hi, Math.max(1, targetBins))
  const start = Math.floor(lo / step) * step
  const n = Math.min(400, Math.max(1, Math.floor((hi - start) / step) + 1))
  const bins: HistogramBin[] = []
  for (let i = 0; i < n; i++) bins.push({ from: start + i * step, to: start + (i + 1) * step, count: 0 })
  for (const v of values) {
    const i = Math.min(n - 1, Math.max(0, Math.floor((v - start) / step)))
    bins[i]!.count++
  }
  return { bins, step }
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length
  if (n === 0) return NaN
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
}

export function intervalHistogramSvg(intervalsNs: readonly NsValue[], opts: HistogramOptions): string {
  const width = opts.width ?? 720
  const height = opts.height ?? 360
  const ns: bigint[] = []
  for (const v of intervalsNs) {
    const p = parseNs(v)
    if (p !== undefined) ns.push(p)
  }
  if (ns.length === 0) return emptyPlot(opts.title, 'no intervals were measured', width)

  const sortedNs = ns.map(Number).sort((a, b) => a - b)
  const unit = unitFor(median(sortedNs))
  const values = sortedNs.map((v) => v / unit.ns)
  const markers: Marker[] = []
  const lo = parseNs(opts.loNs)
  const hi = parseNs(opts.hiNs)
  const nominal = parseNs(opts.nominalNs)
  if (lo !== undefined) markers.push({ value: Number(lo) / unit.ns, label: `lower limit ${fmt(Number(lo) / unit.ns)} ${unit.symbol}`, kind: 'limit' })
  if (hi !== undefined) markers.push({ value: Number(hi) / unit.ns, label: `upper limit ${fmt(Number(hi) / unit.ns)} ${unit.symbol}`, kind: 'limit' })
  if (nominal !== undefined) {
    markers.push({ value: Number(nominal) / unit.ns, label: `nominal ${fmt(Number(nominal) / unit.ns)} ${unit.symbol}`, kind: 'nominal' })
  }

  const dataMin = values[0]!
  const dataMax = values[values.length - 1]!
  let domLo = Math.min(dataMin, ...markers.map((m) => m.value))
  let domHi = Math.max(dataMax, ...markers.map((m) => m.value))
  if (domLo === domHi) {
    const pad = domLo === 0 ? 1 : Math.abs(domLo) * 0.05
    domLo -= pad
    domHi += pad
  }
  const { bins, step: binStep } = binValues(values, domLo, domHi, opts.bins ?? 40)
  const xLo = bins[0]!.from
  const xHi = bins[bins.length - 1]!.to
  const maxCount = Math.max(...bins.map((b) => b.count))

  const f = frame(width, height)
  const x = scale(xLo, xHi, f.left, f.right)
  const yt = niceTicks(0, maxCount, 5)
  const yTop = Math.max(yt.ticks[yt.ticks.length - 1]!, 1)
  const y = scale(0, yTop, f.bottom, f.top)
  const xt = niceTicks(xLo, xHi, 8)
  const yTicks = yt.ticks.filter((t) => Number.isInteger(t))

  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const x0 = x(b.from)
      // Keep a bar visible even when the limits stretch the range far beyond the data.
      const w = Math.max(1.5, x(b.to) - x0 - 0.5)
      const y0 = y(b.count)
      return `<rect class="bar" x="${round(x0)}" y="${round(y0)}" width="${round(w)}" height="${round(f.bottom - y0)}"><title>${fmt(b.from)}–${fmt(b.to)} ${unit.symbol}: ${b.count}</title></rect>`
    })
    .join('\n')

  const quantity = opts.quantity ?? 'Interval'
  const subtitle =
    `n = ${values.length}, min ${fmt(dataMin)}, median ${fmt(median(values))}, max ${fmt(dataMax)} ${unit.symbol}; ` +
    `bin width ${formatNumber(binStep)} ${unit.symbol}`
  const body = [
    axes(f, {
      title: opts.title,
      subtitle,
      xLabel: `${quantity} (${unit.symbol})`,
      yLabel: 'Count',
      xTicks: xt.ticks,
      xStep: xt.step,
      yTicks,
      yStep: 1,
      x,
      y,
    }),
    bars,
    verticalMarkers(f, x, markers),
  ].join('\n')
  return document(f, opts.title, body)
}

function fmt(v: number): string {
  return formatNumber(v)
}
