/**
 * Hand-written SVG primitives for the report plots: escaping, "nice" axis ticks,
 * number formatting and the plot frame with labelled axes. No plotting library:
 * a plot in a conformance report must render the same in any browser, in the
 * Allure attachment viewer and when opened as a file, and must not pull scripts.
 */

/** Escapes text for use in XML character data and attribute values. */
export function escapeXml(s: string): string {
  // Control characters other than tab/LF/CR are not allowed in XML 1.0 at all.
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** A nanosecond value as stored in results: bigint in memory, decimal string on disk. */
export type NsValue = bigint | string | number

/** Parses an ns value; returns undefined for anything that is not an integer or finite number. */
export function parseNs(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.round(v)) : undefined
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim())
  return undefined
}

export interface TimeUnit {
  symbol: string
  /** Nanoseconds per unit. */
  ns: number
}

const UNITS: TimeUnit[] = [
  { symbol: 'ns', ns: 1 },
  { symbol: 'µs', ns: 1e3 },
  { symbol: 'ms', ns: 1e6 },
  { symbol: 's', ns: 1e9 },
]

/** The largest unit in which `magnitudeNs` is still ≥ 1 (ns for anything below 1 µs). */
export function unitFor(magnitudeNs: number): TimeUnit {
  const m = Math.abs(magnitudeNs)
  let best = UNITS[0]!
  for (const u of UNITS) if (m >= u.ns) best = u
  return best
}

/** Ticks at 1, 2 or 5 × 10^k covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 6): { ticks: number[]; step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0], step: 1 }
  if (max < min) [min, max] = [max, min]
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    min -= pad
    max += pad
  }
  const raw = (max - min) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const norm = raw / mag
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag
  const first = Math.floor(min / step) * step
  const last = Math.ceil(max / step) * step
  const ticks: number[] = []
  // Rounding to the step's precision keeps labels like 0.30000000000000004 out.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1)
  for (let i = 0, t = first; t <= last + step / 2 && i < 1000; i++, t = first + i * step) {
    ticks.push(Number(t.toFixed(decimals)))
  }
  return { ticks, step }
}

/** Formats a tick or statistic with no more digits than the step needs. */
export function formatNumber(v: number, step?: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (step !== undefined && step > 0) {
    const decimals = Math.max(0, Math.min(9, -Math.floor(Math.log10(step))))
    return v.toFixed(decimals)
  }
  // Six significant digits, trailing zeros dropped: 0.7, 1.3, 999.812, 1.00002.
  return String(Number(v.toPrecision(6)))
}

export interface Frame {
  width: number
  height: number
  /** Plot area inside the margins. */
  left: number
  top: number
  right: number
  bottom: number
}

export function frame(width: number, height: number): Frame {
  return { width, height, left: 72, top: 44, right: width - 24, bottom: height - 56 }
}

/** Maps a data range onto a pixel range. */
export function scale(d0: number, d1: number, p0: number, p1: number): (v: number) => number {
  const span = d1 - d0 || 1
  return (v) => p0 + ((v - d0) / span) * (p1 - p0)
}

export interface AxesSpec {
  title: string
  subtitle?: string
  xLabel: string
  yLabel: string
  xTicks: number[]
  xStep: number
  yTicks: number[]
  yStep: number
  x: (v: number) => number
  y: (v: number) => number
}

/** Title, grid, tick marks, tick labels and axis labels. Returns SVG elements. */
export function axes(f: Frame, a: AxesSpec): string {
  const parts: string[] = []
  parts.push(`<text class="title" x="${f.width / 2}" y="20" text-anchor="middle">${escapeXml(a.title)}</text>`)
  if (a.subtitle) {
    parts.push(`<text class="subtitle" x="${f.width / 2}" y="36" text-anchor="middle">${escapeXml(a.subtitle)}</text>`)
  }
  for (const t of a.yTicks) {
    const py = round(a.y(t))
    if (py < f.top - 0.5 || py > f.bottom + 0.5) continue
    parts.push(`<line class="grid" x1="${f.left}" y1="${py}" x2="${f.right}" y2="${py}"/>`)
    parts.push(`<text class="tick" x="${f.left - 6}" y="${py + 4}" text-anchor="end">${escapeXml(formatNumber(t, a.yStep))}</text>`)
  }
  for (const t of a.xTicks) {
    const px = round(a.x(t))
    if (px < f.left - 0.5 || px > f.right + 0.5) continue
    parts.push(`<line class="axis" x1="${px}" y1="${f.bottom}" x2="${px}" y2="${f.bottom + 5}"/>`)
    parts.push(`<text class="tick" x="${px}" y="${f.bottom + 18}" text-anchor="middle">${escapeXml(formatNumber(t, a.xStep))}</text>`)
  }
  parts.push(`<line class="axis" x1="${f.left}" y1="${f.bottom}" x2="${f.right}" y2="${f.bottom}"/>`)
  parts.push(`<line class="axis" x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.bottom}"/>`)
  parts.push(
    `<text class="label" x="${(f.left + f.right) / 2}" y="${f.height - 14}" text-anchor="middle">${escapeXml(a.xLabel)}</text>`,
  )
  const cy = (f.top + f.bottom) / 2
  parts.push(
    `<text class="label" x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${escapeXml(a.yLabel)}</text>`,
  )
  return parts.join('\n')
}

export interface Marker {
  /** Data value (in plot units) where the line is drawn. */
  value: number
  label: string
  kind: 'limit' | 'nominal'
}

/** Vertical marker lines (limits, nominal values) with their labels, inside the plot area. */
export function verticalMarkers(f: Frame, x: (v: number) => number, markers: Marker[]): string {
  // Labels go on the first row where they do not run into another label (about 6 px per character).
  const rowEnds: number[] = []
  const placed = markers
    .map((m) => ({ m, px: round(x(m.value)) }))
    .filter(({ px }) => px >= f.left && px <= f.right)
    .sort((a, b) => a.px - b.px)
    .map(({ m, px }) => {
      const width = m.label.length * 6
      const anchor = px + 4 + width > f.right ? 'end' : 'start'
      const x0 = anchor === 'end' ? px - 4 - width : px + 4
      let row = rowEnds.findIndex((end) => end < x0 - 4)
      if (row < 0) row = rowEnds.push(0) - 1
      rowEnds[row] = x0 + width
      return { m, px, anchor, row }
    })
  return placed
    .map(
      ({ m, px, anchor, row }) =>
        `<line class="${m.kind}" x1="${px}" y1="${f.top}" x2="${px}" y2="${f.bottom}"/>` +
        `<text class="marker" x="${anchor === 'end' ? px - 4 : px + 4}" y="${f.top + 12 + row * 12}" text-anchor="${anchor}">${escapeXml(m.label)}</text>`,
    )
    .join('\n')
}

/** Horizontal marker lines. */
export function horizontalMarkers(f: Frame, y: (v: number) => number, markers: Marker[]): string {
  return markers
    .map((m) => {
      const py = round(y(m.value))
      if (py < f.top || py > f.bottom) return ''
      return (
        `<line class="${m.kind}" x1="${f.left}" y1="${py}" x2="${f.right}" y2="${py}"/>` +
        `<text class="marker" x="${f.right - 4}" y="${py - 4}" text-anchor="end">${escapeXml(m.label)}</text>`
      )
    })
    .join('\n')
}

const STYLE = `
  text { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; fill: #222; }
  .title { font-size: 14px; font-weight: 600; }
  .subtitle { font-size: 11px; fill: #555; }
  .label { font-size: 12px; }
  .tick { font-size: 10px; fill: #444; }
  .marker { font-size: 10px; fill: #a00; }
  .axis { stroke: #333; stroke-width: 1; }
  .grid { stroke: #ddd; stroke-width: 1; }
  .bar { fill: #4a78c2; stroke: #2d528f; stroke-width: 0.5; }
  .series { fill: none; stroke: #4a78c2; stroke-width: 1.2; }
  .point { fill: #4a78c2; }
  .limit { stroke: #c00; stroke-width: 1.2; stroke-dasharray: 6 3; }
  .nominal { stroke: #2a2; stroke-width: 1.2; stroke-dasharray: 2 2; }
  .empty { font-size: 13px; fill: #777; }
`

/** Wraps elements into a standalone SVG document with its own style (no external resources). */
export function document(f: Frame, title: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img">\n` +
    `<title>${escapeXml(title)}</title>\n` +
    `<style>${STYLE}</style>\n` +
    `<rect x="0" y="0" width="${f.width}" height="${f.height}" fill="#fff"/>\n` +
    `${body}\n</svg>\n`
  )
}

/** A plot with no data still says what it would have shown. */
export function emptyPlot(title: string, message: string, width = 720, height = 200): string {
  const f = frame(width, height)
  return document(
    f,
    title,
    `<text class="title" x="${width / 2}" y="20" text-anchor="middle">${escapeXml(title)}</text>\n` +
      `<text class="empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">${escapeXml(message)}</text>`,
  )
}

export function round(v: number): number {
  return Math.round(v * 100) / 100
}
