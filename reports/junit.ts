/**
 * JUnit XML for CI systems (the Jenkins "junit-10" structure that GitLab, GitHub
 * actions and Jenkins all read): one <testsuite> per profile, one <testcase> per
 * test, classname = profile.area, name = "ID title".
 *
 * Verdicts:
 *   pass           → a plain testcase
 *   fail           → <failure type="conformance"> with the failing checks
 *   harness error  → <error type="harness-error">
 *   inconclusive   → <skipped type="inconclusive" message="Inconclusive: …">: CI must not
 *                    gate on it (the run's exit code does not either), but it is listed
 *   not-applicable → <skipped type="not-applicable" message="Not applicable: …">
 * Each testcase's <system-out> holds its checks (measured, limit, noise, source), and each
 * suite's <properties> the environment and the count of every verdict, inconclusive included.
 */
import type { RunEnvironment, TestResult } from '../harness/results/record.ts'
import { dutName } from './allure/environment.ts'
import { formatMeasured } from './allure/convert.ts'
import { oneLine, reportVerdict, statusMessage, verdictWord, type ReportVerdict } from './allure/status.ts'

/** Escapes character data; drops characters XML 1.0 cannot carry at all. */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/** Escapes an attribute value; line breaks become character references so they survive normalisation. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3)
}

/** ISO 8601 in UTC without zone designator or fraction: the form Ant's schema accepts too. */
function timestamp(iso: string | undefined): string | undefined {
  if (!iso) return undefined
  const t = Date.parse(iso)
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19) : undefined
}

function checkLines(r: TestResult): string[] {
  return r.checks.map((c) => {
    const noise = c.noise !== undefined ? ` ± ${c.noise}${c.unit ? ` ${c.unit}` : ''}` : ''
    const unconfirmed = c.unconfirmed ? ' [limit unconfirmed]' : ''
    const detail = c.detail ? `; ${oneLine(c.detail)}` : ''
    return `${verdictWord[c.verdict].padEnd(14)} ${c.name}: measured ${formatMeasured(c)}${noise}, limit ${c.limit} (source: ${c.source})${unconfirmed}${detail}`
  })
}

function systemOut(r: TestResult): string {
  const lines = [`${verdictWord[reportVerdict(r)]}${r.reason ? `: ${oneLine(r.reason)}` : ''}`]
  lines.push(`clause: ${r.clause || 'not given'}${r.mapsTo.length ? `; maps to ${r.mapsTo.join(', ')}` : ''}`)
  if (r.checks.length) lines.push('checks:', ...checkLines(r).map((l) => `  ${l}`))
  if (r.evidence?.pcapng) lines.push(`traffic: ${r.evidence.pcapng}`)
  for (const p of r.evidence?.plots ?? []) lines.push(`plot: ${p.file} (${p.name})`)
  for (const f of r.evidence?.files ?? []) lines.push(`file: ${f.file} (${f.name})`)
  if (r.evidence?.dutLog) lines.push(`DUT log: ${r.evidence.dutLog}`)
  return lines.join('\n')
}

function testcase(r: TestResult): string {
  const v = reportVerdict(r)
  const attrs = `name="${xmlAttr(`${r.id} ${r.title}`.trim())}" classname="${xmlAttr(`${r.profile}.${r.area}`)}" time="${seconds(r.durationMs)}"`
  const message = xmlAttr(statusMessage(r))
  let outcome = ''
  switch (v) {
    case 'fail': {
      const body = checkLines(r).filter((l) => l.startsWith('FAIL') || l.startsWith('INCONCLUSIVE'))
      outcome = `<failure type="conformance" message="${message}">${xmlText(body.join('\n') || oneLine(r.reason))}</failure>`
      break
    }
    case 'harness-error':
      outcome = `<error type="harness-error" message="${message}">${xmlText(r.harnessError ?? '')}</error>`
      break
    case 'inconclusive':
      outcome = `<skipped type="inconclusive" message="${message}"/>`
      break
    case 'not-applicable':
      outcome = `<skipped type="not-applicable" message="${message}"/>`
      break
    case 'pass':
      break
  }
  return `    <testcase ${attrs}>\n${outcome ? `      ${outcome}\n` : ''}      <system-out>${xmlText(systemOut(r))}</system-out>\n    </testcase>`
}

export interface VerdictCounts {
  total: number
  pass: number
  fail: number
  inconclusive: number
  'not-applicable': number
  'harness-error': number
}

export function countVerdicts(results: readonly Pick<TestResult, 'verdict' | 'harnessError'>[]): VerdictCounts {
  const c: VerdictCounts = { total: 0, pass: 0, fail: 0, inconclusive: 0, 'not-applicable': 0, 'harness-error': 0 }
  for (const r of results) {
    c.total++
    c[reportVerdict(r) as ReportVerdict]++
  }
  return c
}

function properties(profile: string, env: RunEnvironment | undefined, counts: VerdictCounts): string {
  const props: [string, string][] = [['profile', profile]]
  if (env) {
    props.push(
      ['dut', dutName(env)],
      ['dut.mode', env.dut.mode],
      ['interface', env.interface],
      ['transport', env.transport],
      ['domainNumber', String(env.domainNumber)],
      ['timestamping', env.timestamping],
      ['kernel', env.kernel],
      ['harnessVersion', env.harnessVersion],
      ['unconfirmedValues', env.unconfirmedValues.join('; ')],
    )
    if (env.harnessNoiseNs !== undefined) props.push(['harnessNoiseNs', String(env.harnessNoiseNs)])
  }
  for (const k of ['pass', 'fail', 'inconclusive', 'not-applicable', 'harness-error'] as const) {
    props.push([`verdict.${k}`, String(counts[k])])
  }
  return `    <properties>\n${props.map(([n, v]) => `      <property name="${xmlAttr(n)}" value="${xmlAttr(v)}"/>`).join('\n')}\n    </properties>`
}

export function junitXml(results: readonly TestResult[], env?: RunEnvironment): string {
  const byProfile = new Map<string, TestResult[]>()
  for (const r of results) {
    const list = byProfile.get(r.profile) ?? []
    list.push(r)
    byProfile.set(r.profile, list)
  }
  const all = countVerdicts(results)
  const totalMs = results.reduce((s, r) => s + Math.max(0, r.durationMs), 0)
  const suites: string[] = []
  let i = 0
  for (const [profile, list] of byProfile) {
    const c = countVerdicts(list)
    const ms = list.reduce((s, r) => s + Math.max(0, r.durationMs), 0)
    const ts = timestamp(env?.profile === profile ? env.startedAt : list[0]?.startedAt)
    const attrs = [
      `name="${xmlAttr(`ptp-conform ${profile}`)}"`,
      `tests="${c.total}"`,
      `failures="${c.fail}"`,
      `errors="${c['harness-error']}"`,
      `skipped="${c.inconclusive + c['not-applicable']}"`,
      `time="${seconds(ms)}"`,
      ts ? `timestamp="${ts}"` : '',
      `id="${i++}"`,
      `package="${xmlAttr(`ptp-conform.${profile}`)}"`,
    ].filter(Boolean)
    suites.push(
      `  <testsuite ${attrs.join(' ')}>\n${properties(profile, env?.profile === profile ? env : undefined, c)}\n${list.map(testcase).join('\n')}\n  </testsuite>`,
    )
  }
  const root = `<testsuites name="ptp-conform" tests="${all.total}" failures="${all.fail}" errors="${all['harness-error']}" time="${seconds(totalMs)}">`
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.join('\n')}\n</testsuites>\n`
}
