/**
 * One conformance TestResult (+ the run's environment) → one Allure result and
 * the attachments it refers to. Pure apart from the `exists` probe for evidence
 * files, which is injected: the writer does the copying.
 *
 * What a reader finds in Allure:
 *   tree      parentSuite = profile, suite = area, one leaf per test ID;
 *   labels    feature = area, story = test ID, severity, tags, package, `verdict`, clauses;
 *   steps     one per check: measured value, limit, unit, noise, the limit's source,
 *             and whether the limit rests on an unconfirmed profile value;
 *             then the test's phases with their times;
 *   links     the clauses checked and the external test-plan IDs;
 *   files     the test's traffic (pcapng with per-frame comments), SVG plots, measurements JSON.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { extname, isAbsolute, join } from 'node:path'
import { ContentType, LabelName, LinkType, Stage, Status } from 'allure-js-commons'
import type { Attachment, Label, Link, Parameter, StepResult, TestResult as AllureTestResult } from 'allure-js-commons'
import type { RunEnvironment, TestResult } from '../../harness/results/record.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { jsonReplacer } from '../../harness/results/writer.ts'
import { plotsFromMeasurements } from '../plots/from_measurements.ts'
import { dutName } from './environment.ts'
import { firstLine, oneLine, reportVerdict, statusMessage, statusOf, verdictWord } from './status.ts'
import { historyId, resultUuid } from './uuid.ts'

export const PCAPNG_CONTENT_TYPE = 'application/x-pcapng'
export const PCAP_CONTENT_TYPE = 'application/vnd.tcpdump.pcap'

/** An attachment file to place in allure-results next to the result. */
export interface PendingAttachment {
  /** File name inside allure-results (ends in `-attachment.<ext>`, which Allure requires). */
  source: string
  name: string
  contentType: string
  /** Either the bytes, or a file to copy. */
  content?: Buffer
  fromPath?: string
}

export interface ConvertOptions {
  /** The run's output folder: evidence paths in a TestResult are relative to it. */
  outDir: string
  environment?: RunEnvironment
  /** Probe for evidence files (injected so the conversion can be tested without files). */
  exists?: (path: string) => boolean
  /** Generate SVG plots from series in the measurements (default true). */
  plots?: boolean
}

export interface ConvertedResult {
  result: AllureTestResult
  attachments: PendingAttachment[]
  /** Problems with the record's evidence; the result is still complete otherwise. */
  warnings: string[]
}

/** Links have to carry a URL; clauses of paywalled standards have none, so they get a URN. */
export function clauseUrl(kind: 'clause' | 'test-plan', text: string): string {
  return `urn:x-ptp-conform:${kind}:${encodeURIComponent(text)}`
}

/** "IEEE 1588-2019 9.5.8; IEEE 1588-2008 7.7.2.1" → two clauses. */
export function splitClauses(clause: string): string[] {
  return clause
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)
}

export function formatMeasured(c: Pick<Check, 'measured' | 'unit'>): string {
  const m = c.measured
  const text = m === null ? 'not measured' : typeof m === 'boolean' ? (m ? 'true' : 'false') : String(m)
  return c.unit && m !== null && typeof m !== 'boolean' ? `${text} ${c.unit}` : text
}

function formatNoise(c: Pick<Check, 'noise' | 'unit'>): string | undefined {
  if (c.noise === undefined) return undefined
  return `± ${c.noise}${c.unit ? ` ${c.unit}` : ''}`
}

export function checkStepName(c: Check): string {
  const noise = formatNoise(c)
  const unconfirmed = c.unconfirmed ? ' [limit unconfirmed]' : ''
  return `${c.name}: ${formatMeasured(c)}${noise ? ` ${noise}` : ''} (limit ${c.limit})${unconfirmed}`
}

function checkStep(c: Check, at: number | undefined): StepResult {
  const params: Parameter[] = [
    { name: 'verdict', value: verdictWord[c.verdict] },
    { name: 'measured', value: formatMeasured(c) },
    { name: 'limit', value: c.limit },
  ]
  if (c.unit) params.push({ name: 'unit', value: c.unit })
  const noise = formatNoise(c)
  if (noise) params.push({ name: 'harness noise', value: noise })
  params.push({ name: 'source of limit', value: c.source })
  params.push({
    name: 'limit confirmed',
    value: c.unconfirmed ? 'no: rests on a profile value the reference could not confirm' : 'yes',
  })
  if (c.detail) params.push({ name: 'detail', value: c.detail })
  const message =
    c.detail ??
    (c.verdict === 'pass' ? undefined : `${verdictWord[c.verdict]}: measured ${formatMeasured(c)}, limit ${c.limit} (${c.source})`)
  return {
    name: checkStepName(c),
    status: statusOf[c.verdict],
    statusDetails: message ? { message: oneLine(message) } : {},
    stage: Stage.FINISHED,
    steps: [],
    attachments: [],
    parameters: params,
    start: at,
    stop: at,
  }
}

function phaseSteps(r: TestResult, start: number | undefined): StepResult | undefined {
  if (!r.steps?.length) return undefined
  const children: StepResult[] = r.steps.map((s, i) => {
    const next = r.steps[i + 1]?.atMs ?? r.durationMs
    return {
      name: `+${(s.atMs / 1000).toFixed(3)} s  ${s.text}`,
      status: Status.PASSED,
      statusDetails: {},
      stage: Stage.FINISHED,
      steps: [],
      attachments: [],
      parameters: [],
      start: start === undefined ? undefined : start + s.atMs,
      stop: start === undefined ? undefined : start + Math.max(s.atMs, next),
    }
  })
  return {
    name: `Test phases (${r.steps.length})`,
    status: Status.PASSED,
    statusDetails: {},
    stage: Stage.FINISHED,
    steps: children,
    attachments: [],
    parameters: [],
    start,
    stop: start === undefined ? undefined : start + r.durationMs,
  }
}

function mdCell(s: string): string {
  return oneLine(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|')
}

function description(r: TestResult, env: RunEnvironment | undefined, warnings: string[]): string {
  const v = reportVerdict(r)
  const lines: string[] = []
  lines.push(`**Verdict: ${verdictWord[v]}**${r.reason ? `: ${mdCell(r.reason)}` : ''}`)
  if (r.harnessError) {
    lines.push('', `**Harness error**: ${mdCell(firstLine(r.harnessError))}`)
    // The full text (a stack trace, say) as an indented code block: nothing in it can end the block.
    if (r.harnessError.trim().includes('\n')) lines.push('', ...r.harnessError.trim().split(/\r?\n/).map((l) => `    ${l}`))
  }
  lines.push('')
  lines.push(`- **Test**: ${mdCell(`${r.id} ${r.title}`)}`)
  lines.push(`- **Clause**: ${mdCell(r.clause || 'not given')}`)
  if (r.mapsTo.length) lines.push(`- **Maps to**: ${mdCell(r.mapsTo.join(', '))}`)
  lines.push(`- **Profile**: ${mdCell(r.profile)}`)
  if (env) lines.push(`- **DUT**: ${mdCell(`${dutName(env)} (${env.dut.mode})`)}`)
  lines.push(`- **Started**: ${mdCell(r.startedAt)}, ran ${(r.durationMs / 1000).toFixed(1)} s`)
  if (r.checks.length) {
    lines.push('', '| Check | Verdict | Measured | Limit | Noise | Source of limit |', '|---|---|---|---|---|---|')
    for (const c of r.checks) {
      const src = `${c.source}${c.unconfirmed ? ' (unconfirmed)' : ''}`
      lines.push(
        `| ${mdCell(c.name)} | ${verdictWord[c.verdict]} | ${mdCell(formatMeasured(c))} | ${mdCell(c.limit)} | ${mdCell(formatNoise(c) ?? '')} | ${mdCell(src)} |`,
      )
    }
  }
  const sb = r.sinceBaseline
  if (sb) {
    lines.push('', `**Since the baseline** (${mdCell(sb.baseline)}): ${sb.was ?? 'not run there'} → ${v} (${sb.change})`)
    if (sb.checks.length) {
      const val = (m: unknown, unit?: string) => (m === undefined ? '—' : m === null ? 'none' : `${String(m)}${unit && typeof m === 'number' ? ` ${unit}` : ''}`)
      const margin = (m?: number) => (m === undefined ? '—' : String(Number(m.toPrecision(4))))
      lines.push('', '| Check | Verdict | Measured | Margin to the limit | |', '|---|---|---|---|---|')
      for (const c of sb.checks) {
        lines.push(`| ${mdCell(c.name)} | ${c.verdictA ?? '—'} → ${c.verdictB ?? '—'} | ${mdCell(`${val(c.measuredA, c.unit)} → ${val(c.measuredB, c.unit)}`)} | ${margin(c.marginA)} → ${margin(c.marginB)}${c.noise !== undefined ? ` (noise ±${margin(c.noise)})` : ''} | ${c.marginShrank ? 'margin shrank beyond the noise' : ''} |`)
      }
    }
  }
  if (warnings.length) lines.push('', ...warnings.map((w) => `> Warning: ${mdCell(w)}`))
  return lines.join('\n')
}

/** Resolves an evidence path: relative to the output folder, or (older layouts) to its results folder. */
export function resolveEvidence(outDir: string, rel: string, exists: (p: string) => boolean): string | undefined {
  const candidates = isAbsolute(rel) ? [rel] : [join(outDir, rel), join(outDir, 'results', rel)]
  return candidates.find((p) => exists(p))
}

function captureContentType(path: string): string {
  return extname(path).toLowerCase() === '.pcap' ? PCAP_CONTENT_TYPE : PCAPNG_CONTENT_TYPE
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'x'
}

export function toAllureResult(r: TestResult, opts: ConvertOptions): ConvertedResult {
  const env = opts.environment
  const exists = opts.exists ?? existsSync
  const uuid = resultUuid(r.profile, r.id, r.startedAt)
  const parsedStart = Date.parse(r.startedAt)
  const start = Number.isFinite(parsedStart) ? parsedStart : undefined
  const stop = start === undefined ? undefined : start + Math.max(0, r.durationMs)
  const v = reportVerdict(r)
  const warnings: string[] = []
  const attachments: PendingAttachment[] = []
  const top: Attachment[] = []

  const attach = (a: PendingAttachment) => {
    attachments.push(a)
    top.push({ name: a.name, type: a.contentType, source: a.source })
  }

  if (r.evidence?.pcapng) {
    const path = resolveEvidence(opts.outDir, r.evidence.pcapng, exists)
    if (path) {
      const ext = extname(path).toLowerCase() === '.pcap' ? 'pcap' : 'pcapng'
      attach({
        source: `${uuid}-traffic-attachment.${ext}`,
        name: `Traffic ${r.profile}.${r.id}.${ext}`,
        contentType: captureContentType(path),
        fromPath: path,
      })
    } else {
      warnings.push(`traffic capture ${r.evidence.pcapng} is listed but was not found`)
    }
  }
  for (const [i, p] of (r.evidence?.plots ?? []).entries()) {
    const path = resolveEvidence(opts.outDir, p.file, exists)
    if (path) {
      attach({ source: `${uuid}-plot${i}-${slug(p.name)}-attachment.svg`, name: p.name, contentType: ContentType.SVG, fromPath: path })
    } else {
      warnings.push(`plot ${p.file} is listed but was not found`)
    }
  }
  for (const [i, f] of (r.evidence?.files ?? []).entries()) {
    const path = resolveEvidence(opts.outDir, f.file, exists)
    const ext = extname(f.file).toLowerCase().slice(1) || 'bin'
    if (path) attach({ source: `${uuid}-file${i}-${slug(f.name)}-attachment.${ext}`, name: f.name, contentType: ext === 'pcapng' || ext === 'pcap' ? captureContentType(path) : 'application/octet-stream', fromPath: path })
    else warnings.push(`evidence file ${f.file} is listed but was not found`)
  }
  if (r.evidence?.dutLog) {
    const path = resolveEvidence(opts.outDir, r.evidence.dutLog, exists)
    if (path) attach({ source: `${uuid}-dut-log-attachment.txt`, name: 'DUT log during the test', contentType: ContentType.TEXT, fromPath: path })
    else warnings.push(`DUT log ${r.evidence.dutLog} is listed but was not found`)
  }
  if (opts.plots !== false) {
    for (const p of plotsFromMeasurements(r.measurements)) {
      attach({ source: `${uuid}-gen-${p.slug}-attachment.svg`, name: p.name, contentType: ContentType.SVG, content: Buffer.from(p.svg) })
    }
  }
  attach({
    source: `${uuid}-measurements-attachment.json`,
    name: 'Measurements (JSON)',
    contentType: ContentType.JSON,
    content: Buffer.from(JSON.stringify(r.measurements ?? {}, jsonReplacer, 2)),
  })

  const labels: Label[] = [
    { name: LabelName.PARENT_SUITE, value: r.profile },
    { name: LabelName.SUITE, value: r.area },
    { name: LabelName.EPIC, value: r.profile },
    { name: LabelName.FEATURE, value: r.area },
    { name: LabelName.STORY, value: r.id },
    { name: LabelName.SEVERITY, value: r.severity },
    { name: LabelName.PACKAGE, value: `ptp-conform.${r.profile}.${r.area}` },
    { name: LabelName.TEST_CLASS, value: `${r.profile}.${r.area}` },
    { name: LabelName.TEST_METHOD, value: r.id },
    { name: LabelName.FRAMEWORK, value: 'ptp-conform' },
    { name: 'verdict', value: v },
    { name: 'testId', value: r.id },
    ...r.tags.map((t) => ({ name: LabelName.TAG, value: t })),
    ...splitClauses(r.clause).map((c) => ({ name: 'clause', value: c })),
    ...r.mapsTo.map((m) => ({ name: 'mapsTo', value: m })),
  ]
  if (env) labels.push({ name: 'dut', value: dutName(env) })

  const links: Link[] = [
    ...splitClauses(r.clause).map((c) => ({ type: LinkType.DEFAULT, name: c, url: clauseUrl('clause', c) })),
    ...r.mapsTo.map((m) => ({ type: LinkType.TMS, name: m, url: clauseUrl('test-plan', m) })),
  ]

  const parameters: Parameter[] = [{ name: 'profile', value: r.profile }]
  if (env) {
    parameters.push(
      { name: 'transport', value: env.transport },
      { name: 'domain', value: String(env.domainNumber) },
      { name: 'DUT', value: dutName(env) },
      { name: 'interface', value: env.interface, excluded: true },
    )
  }

  const steps: StepResult[] = r.checks.map((c) => checkStep(c, stop))
  const phases = phaseSteps(r, start)
  if (phases) steps.push(phases)

  const problemChecks = r.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive')
  const trace = r.harnessError
    ? r.harnessError
    : problemChecks.length
      ? problemChecks
          .map((c) => `${verdictWord[c.verdict]} ${c.name}: measured ${formatMeasured(c)}, limit ${c.limit} (source: ${c.source})${c.detail ? `; ${c.detail}` : ''}`)
          .join('\n')
      : undefined

  const result: AllureTestResult = {
    uuid,
    historyId: historyId(r.profile, r.id, env ? dutName(env) : undefined),
    testCaseId: createHash('md5').update(r.id).digest('hex'),
    fullName: `${r.profile}.${r.id}`,
    titlePath: [r.profile, r.area],
    name: `${r.id} ${r.title}`,
    status: statusOf[v],
    statusDetails: v === 'pass' ? {} : { message: statusMessage(r), ...(trace ? { trace } : {}) },
    stage: Stage.FINISHED,
    description: description(r, env, warnings),
    steps,
    attachments: top,
    parameters,
    labels,
    links,
    start,
    stop,
  }
  return { result, attachments, warnings }
}
