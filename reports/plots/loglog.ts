/**
 * MTIE or TDEV against the observation interval τ as an SVG log-log plot: one or more curves,
 * an optional mask drawn as its limit line (flat, sloped or stepped, straight in log-log as the
 * mask itself is), gridlines and labels at every decade. A log axis has no place for 0 or a
 * negative value: such a point is drawn on the axis floor and its legend entry says so.
 */
import type { CurvePoint, Mask } from '../../harness/stats/time_error/masks.ts'
import { axes, document, emptyPlot, escapeXml, formatNumber, frame, round, scale, unitFor } from './svg.ts'

export interface LogLogCurve {
  label: string
  points: readonly CurvePoint[]
}

export interface LogLogOptions {
  title: string
  /** A note under the title, e.g. "scaled windows (lab)". */
  subtitle?: string
  /** What the curves are, for the y axis: "MTIE", "TDEV". */
  quantity?: string
  mask?: Mask
  maskLabel?: string
  width?: number
  /** Of the plot without its legend, which adds a row per entry below. */
  height?: number
}

const COLOURS = ['#4a78c2', '#e08a1e', '#2a9d4a', '#8e44ad', '#17a2b8', '#8c564b', '#555']
const LEGEND_ROW = 16

/** "1 ns", "10 ns", "1 µs" for the decade 10^d ns. */
function nsDecadeLabel(d: number): string {
  const unit = unitFor(10 ** d)
  return `${formatNumber(10 ** d / unit.ns)} ${unit.symbol}`
}

const sDecadeLabel = (d: number): string => `${formatNumber(10 ** d)} s`

/** Whole decades [lo, hi] around the positive values, at least one decade wide. */
function decades(values: readonly number[]): { lo: number; hi: number } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v))
  if (!positive.length) return { lo: 0, hi: 1 }
  const lo = Math.floor(Math.log10(Math.min(...positive)))
  const hi = Math.ceil(Math.log10(Math.max(...positive)))
  return { lo, hi: Math.max(hi, lo + 1) }
}

export function logLogPlotSvg(curves: readonly LogLogCurve[], opts: LogLogOptions): string {
  const width = opts.width ?? 720
  const height = opts.height ?? 420
  const quantity = opts.quantity ?? 'Time error'
  const drawn = curves.map((c) => {
    const points = c.points.filter((p) => p.tauS > 0 && Number.isFinite(p.tauS) && Number.isFinite(p.valueNs))
    return { label: c.label, points, dropped: c.points.length - points.length, clamped: points.filter((p) => p.valueNs <= 0).length }
  })
  if (!drawn.some((c) => c.points.length)) return emptyPlot(opts.title, `no ${quantity} points were computed`, width)

  const maskPoints = opts.mask?.points ?? []
  const xd = decades([...drawn.flatMap((c) => c.points.map((p) => p.tauS)), ...maskPoints.map((p) => p.tauS)])
  const yd = decades([...drawn.flatMap((c) => c.points.map((p) => p.valueNs)), ...maskPoints.map((p) => p.limitNs)])
  const f = frame(width, height)
  const lx = scale(xd.lo, xd.hi, f.left, f.right)
  const ly = scale(yd.lo, yd.hi, f.bottom, f.top)
  const x = (tauS: number) => round(lx(Math.log10(tauS)))
  // Zero and negative values sit on the floor, 10^lo.
  const y = (ns: number) => round(ly(ns > 0 ? Math.max(yd.lo, Math.log10(ns)) : yd.lo))

  const grid: string[] = []
  for (let d = yd.lo; d <= yd.hi; d++) {
    const py = round(ly(d))
    grid.push(`<line class="grid" x1="${f.left}" y1="${py}" x2="${f.right}" y2="${py}"/>`)
    grid.push(`<text class="tick" x="${f.left - 6}" y="${py + 4}" text-anchor="end">${escapeXml(nsDecadeLabel(d))}</text>`)
  }
  for (let d = xd.lo; d <= xd.hi; d++) {
    const px = round(lx(d))
    grid.push(`<line class="grid" x1="${px}" y1="${f.top}" x2="${px}" y2="${f.bottom}"/>`)
    grid.push(`<text class="tick" x="${px}" y="${f.bottom + 18}" text-anchor="middle">${escapeXml(sDecadeLabel(d))}</text>`)
  }

  const legend: { text: string; swatch: string }[] = []
  const lines = drawn.map((c, i) => {
    const colour = COLOURS[i % COLOURS.length]!
    const d = c.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.tauS)},${y(p.valueNs)}`).join(' ')
    const dots = c.points.length <= 200 ? c.points.map((p) => `<circle class="point" style="fill:${colour}" cx="${x(p.tauS)}" cy="${y(p.valueNs)}" r="2"/>`).join('') : ''
    const notes = [
      c.clamped ? `${c.clamped} value${c.clamped > 1 ? 's' : ''} ≤ 0 drawn at the ${nsDecadeLabel(yd.lo)} floor` : '',
      c.dropped ? `${c.dropped} point${c.dropped > 1 ? 's' : ''} with τ ≤ 0 or not finite not drawn` : '',
    ].filter(Boolean)
    legend.push({ text: notes.length ? `${c.label} (${notes.join('; ')})` : c.label, swatch: `class="series" style="stroke:${colour}"` })
    return `<path class="series" style="stroke:${colour}" d="${d}"/>${dots}`
  })
  let maskPath = ''
  if (maskPoints.length) {
    maskPath = `<path class="limit" fill="none" d="${maskPoints.map((p, j) => `${j ? 'L' : 'M'}${x(p.tauS)},${y(p.limitNs)}`).join(' ')}"/>`
    legend.push({ text: opts.maskLabel ?? 'mask', swatch: 'class="limit"' })
  }

  // The legend goes below the axis label, one row per entry, so it never hides a curve.
  const legendRows = legend.map((e, r) => {
    const ly0 = height + 4 + r * LEGEND_ROW
    return (
      `<line ${e.swatch} x1="${f.left}" y1="${ly0}" x2="${f.left + 24}" y2="${ly0}"/>` +
      `<text class="label" x="${f.left + 30}" y="${ly0 + 4}">${escapeXml(e.text)}</text>`
    )
  })
  const body = [
    ...grid,
    axes(f, {
      title: opts.title,
      subtitle: opts.subtitle,
      xLabel: 'Observation interval τ',
      yLabel: quantity,
      xTicks: [],
      xStep: 1,
      yTicks: [],
      yStep: 1,
      x: lx,
      y: ly,
    }),
    ...lines,
    maskPath,
    ...legendRows,
  ].join('\n')
  return document({ ...f, height: height + legend.length * LEGEND_ROW + 8 }, opts.title, body)
}
