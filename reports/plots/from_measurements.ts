/**
 * Finds plottable series in a test's measurements by naming convention and turns
 * each into an SVG plot, so a test only has to record its series to get a picture:
 *
 *   `<name>IntervalsNs`: ns intervals (array, or a record of arrays per message type)
 *                        → interval histogram;
 *   `<name>SeriesNs`:    [tNs, valueNs] pairs (array, or a record of arrays)
 *                        → line plot over time;
 *   `<name>CurveNs`:     [τ s, valueNs] pairs of an MTIE or TDEV curve (`<name>` ends in Mtie
 *                        or Tdev) → log-log plot, with the mask in `<key>Mask` ({ points })
 *                        and `curveNote` as the subtitle (e.g. a scaled lab window).
 *
 * Optional limits sit next to the series under `<key>Limits`:
 * `{ loNs?, hiNs?, nominalNs?, limitNs? }` (or a record of those keyed like the series).
 * Values may be bigint (in memory), decimal strings (on disk) or numbers.
 */
import { intervalHistogramSvg } from './histogram.ts'
import { offsetLinePlotSvg, type SeriesPoint } from './line.ts'
import { logLogPlotSvg } from './loglog.ts'
import type { Mask } from '../../harness/stats/time_error/masks.ts'
import type { NsValue } from './svg.ts'

export interface GeneratedPlot {
  /** Human title, also the attachment name. */
  name: string
  /** A file-name-safe slug, unique within one test. */
  slug: string
  svg: string
}

interface Limits {
  loNs?: NsValue
  hiNs?: NsValue
  nominalNs?: NsValue
  limitNs?: NsValue
}

const INTERVALS_KEY = /(?:^intervals|Intervals)Ns$/
const SERIES_KEY = /(?:^series|Series)Ns$/
const CURVE_KEY = /^(.*?)(Mtie|Tdev)CurveNs$/

/** "dteL" → "dTE_L" (G.8273.2's names), anything else humanized. */
function curveSubject(prefix: string): string {
  const m = /^dte([LH])$/i.exec(prefix)
  return m ? `dTE_${m[1]!.toUpperCase()}` : humanize(`${prefix}SeriesNs`)
}

function asMask(v: unknown): Mask | undefined {
  if (!isRecord(v) || !Array.isArray(v.points)) return undefined
  const points = v.points.filter((p): p is { tauS: number; limitNs: number } => isRecord(p) && typeof p.tauS === 'number' && typeof p.limitNs === 'number')
  return points.length ? { points } : undefined
}
const LIMIT_KEYS = ['loNs', 'hiNs', 'nominalNs', 'limitNs'] as const

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function asLimits(v: unknown): Limits | undefined {
  if (!isRecord(v)) return undefined
  const out: Limits = {}
  for (const k of LIMIT_KEYS) {
    const x = v[k]
    if (typeof x === 'bigint' || typeof x === 'string' || typeof x === 'number') out[k] = x
  }
  return Object.keys(out).length ? out : undefined
}

/** PTP message names as IEEE 1588 writes them, longest first. */
const MESSAGE_NAMES = [
  'Pdelay_Resp_Follow_Up',
  'Pdelay_Resp',
  'Pdelay_Req',
  'Delay_Resp',
  'Delay_Req',
  'Follow_Up',
  'Announce',
  'Signaling',
  'Management',
  'Sync',
]

/** "announceIntervalsNs" → "Announce", "delayReqIntervalsNs" → "Delay_Req", "timeErrorSeriesNs" → "Time error". */
export function humanize(key: string): string {
  const base = key.replace(/(?:^intervals|Intervals|^series|Series)Ns$/, '')
  if (!base) return ''
  let message = ''
  let rest = base
  for (const name of MESSAGE_NAMES) {
    const flat = name.replace(/_/g, '')
    // A message name at the start, ending where the key ends or a new word begins.
    if (base.toLowerCase().startsWith(flat.toLowerCase()) && !/^[a-z0-9]/.test(base.slice(flat.length))) {
      message = name
      rest = base.slice(flat.length)
      break
    }
  }
  const words = rest
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    // Keep acronyms as written (TE, PTP); lower-case ordinary words after the first.
    .map((w) => (/^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase()))
  const text = [message, ...words].filter(Boolean).join(' ')
  return message ? text : text.charAt(0).toUpperCase() + text.slice(1)
}

function slugify(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'plot'
}

/** Every series under `value`: a plain array, or a record of arrays keyed by e.g. message type. */
function entries(value: unknown): [string | undefined, unknown[]][] {
  if (Array.isArray(value)) return [[undefined, value]]
  if (isRecord(value)) {
    return Object.entries(value)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, v as unknown[]])
  }
  return []
}

function limitsFor(measurements: Record<string, unknown>, key: string, sub: string | undefined): Limits | undefined {
  const raw = measurements[`${key}Limits`]
  if (sub !== undefined && isRecord(raw) && isRecord(raw[sub])) return asLimits(raw[sub])
  return asLimits(raw)
}

export function plotsFromMeasurements(measurements: Record<string, unknown> | undefined): GeneratedPlot[] {
  if (!measurements) return []
  const plots: GeneratedPlot[] = []
  const used = new Set<string>()
  const add = (name: string, svg: string) => {
    let slug = slugify(name)
    for (let i = 2; used.has(slug); i++) slug = `${slugify(name)}-${i}`
    used.add(slug)
    plots.push({ name, slug, svg })
  }
  for (const [key, value] of Object.entries(measurements)) {
    if (INTERVALS_KEY.test(key)) {
      for (const [sub, arr] of entries(value)) {
        const base = [sub, humanize(key)].filter(Boolean).join(' ')
        const title = `${base || 'Message'} intervals`
        const l = limitsFor(measurements, key, sub)
        add(
          title,
          intervalHistogramSvg(arr as NsValue[], {
            title,
            quantity: `${base || 'Message'} interval`,
            loNs: l?.loNs,
            hiNs: l?.hiNs,
            nominalNs: l?.nominalNs,
          }),
        )
      }
    } else if (CURVE_KEY.test(key) && Array.isArray(value)) {
      const [, prefix, kind] = CURVE_KEY.exec(key)!
      const quantity = kind!.toUpperCase()
      const title = `${[curveSubject(prefix!), quantity].filter(Boolean).join(' ')}`
      const mask = asMask(measurements[`${key}Mask`])
      const note = measurements.curveNote
      const points = (value as unknown[]).filter((p): p is [number, number] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number').map(([tauS, valueNs]) => ({ tauS, valueNs }))
      add(title, logLogPlotSvg([{ label: title, points }], { title, quantity, ...(typeof note === 'string' ? { subtitle: note } : {}), ...(mask ? { mask, maskLabel: 'limit (profile)' } : {}) }))
    } else if (SERIES_KEY.test(key)) {
      for (const [sub, arr] of entries(value)) {
        const base = [sub, humanize(key)].filter(Boolean).join(' ') || 'Value'
        const title = `${base} over time`
        const l = limitsFor(measurements, key, sub)
        add(
          title,
          offsetLinePlotSvg(arr as SeriesPoint[], {
            title,
            quantity: base,
            limitNs: l?.limitNs,
            loNs: l?.loNs,
            hiNs: l?.hiNs,
          }),
        )
      }
    }
  }
  return plots
}
