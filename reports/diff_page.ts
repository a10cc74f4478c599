/**
 * The diff of two runs (harness/results/diff.ts) as one self-contained HTML page: changed tests
 * first, each with the checks that moved — verdicts, values, margins to their limits and the
 * noise, a margin that shrank beyond it marked. No script, no external resource: it opens from
 * disk or a CI artifact like the single-file report it sits beside.
 */
import { type CheckDiff, type RunDiff, showMargin, type TestChange } from '../harness/results/diff.ts'

const ORDER: TestChange[] = ['regressed', 'new', 'gone', 'changed', 'improved', 'same']
const COLOUR: Record<TestChange, string> = { regressed: '#c62828', new: '#6a1b9a', gone: '#555', changed: '#ef6c00', improved: '#2e7d32', same: '#777' }

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function value(v: CheckDiff['measuredA'], unit?: string): string {
  if (v === undefined) return '—'
  if (v === null) return 'none'
  return `${typeof v === 'number' ? Number(v.toPrecision(6)) : String(v)}${unit && typeof v === 'number' ? ` ${unit}` : ''}`
}

function checkRow(c: CheckDiff): string {
  const verdict = c.verdictA !== c.verdictB ? `${c.verdictA ?? '—'} → ${c.verdictB ?? '—'}` : (c.verdictB ?? c.verdictA ?? '')
  const margin = c.marginA !== undefined || c.marginB !== undefined ? `${showMargin(c.marginA, c.unit)} → ${showMargin(c.marginB, c.unit)}` : ''
  return `<tr${c.marginShrank ? ' class="shrank"' : ''}><td>${esc(c.name)}</td><td>${esc(verdict)}</td><td>${esc(value(c.measuredA, c.unit))} → ${esc(value(c.measuredB, c.unit))}</td><td>${esc(c.limit ?? '')}</td><td>${esc(margin)}${c.noise !== undefined ? ` <span class="noise">(±${esc(showMargin(c.noise, c.unit))})</span>` : ''}${c.marginShrank ? ' <b>shrank beyond the noise</b>' : ''}</td></tr>`
}

export function runDiffHtml(d: RunDiff, labels: { a: string; b: string }, title = 'ptp-conform: what changed'): string {
  const interesting = d.tests.filter((t) => t.change !== 'same' || t.checks.some((c) => c.marginShrank || c.verdictA !== c.verdictB))
  const sections = ORDER.flatMap((change) =>
    interesting
      .filter((t) => t.change === change)
      .map((t) => {
        const checks = t.change === 'same' ? t.checks.filter((c) => c.marginShrank || c.verdictA !== c.verdictB) : t.checks
        const table = checks.length ? `<table><tr><th>check</th><th>verdict</th><th>measured A → B</th><th>limit</th><th>margin A → B (noise)</th></tr>${checks.map(checkRow).join('')}</table>` : ''
        return `<section><h2><span class="tag" style="background:${COLOUR[change]}">${change}</span> ${esc(t.profile)} ${esc(t.id)} ${esc(t.title)}: ${esc(t.a ?? '—')} → ${esc(t.b ?? '—')}</h2>${table}</section>`
      }),
  )
  const c = d.counts
  const counts = `${d.tests.length} tests: ${c.regressed} regressed, ${c.improved} improved, ${c.changed} changed, ${c.new} new, ${c.gone} gone, ${c.same} unchanged; ${c.marginsShrank} margin(s) shrank beyond the noise`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.05em;margin:1.4em 0 .4em}
.tag{color:#fff;border-radius:3px;padding:1px 6px;font-size:.85em;text-transform:uppercase}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}tr.shrank td{background:#fff3e0}.noise{color:#777}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}
</style></head><body>
<h1>${esc(title)}</h1>
<dl><dt>A (baseline)</dt><dd>${esc(labels.a)}</dd><dt>B</dt><dd>${esc(labels.b)}</dd></dl>
<p>${esc(counts)}</p>
${sections.join('\n') || '<p>Nothing changed: every test kept its verdict and no margin shrank beyond its noise.</p>'}
</body></html>
`
}
