/**
 * The allure-results the single-file report is built from. Allure's single-file
 * mode inlines every attachment as base64 into one HTML page: with a run's
 * traffic captures that page grows past what a browser or an e-mail takes, and
 * past V8's string limit Allure ends the process. So captures are inlined only
 * within a byte budget (in test order); a capture beyond it is replaced by a
 * short text attachment that says where the file is. Every other file is
 * hard-linked (copied where links are not possible), so the view costs no space.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Attachment, TestResult as AllureTestResult } from 'allure-js-commons'
import { PCAP_CONTENT_TYPE, PCAPNG_CONTENT_TYPE } from './convert.ts'

/** Captures inlined into the single file, in total. */
export const DEFAULT_CAPTURE_BUDGET_BYTES = 16 * 1024 * 1024

export interface SingleFileView {
  dir: string
  inlined: number
  omitted: { test: string; attachment: string; bytes: number }[]
}

function isCapture(a: Attachment): boolean {
  return a.type === PCAPNG_CONTENT_TYPE || a.type === PCAP_CONTENT_TYPE
}

function place(from: string, to: string): void {
  try {
    linkSync(from, to)
  } catch {
    copyFileSync(from, to)
  }
}

export function buildSingleFileView(srcDir: string, dstDir: string, budgetBytes = DEFAULT_CAPTURE_BUDGET_BYTES): SingleFileView {
  rmSync(dstDir, { recursive: true, force: true })
  mkdirSync(dstDir, { recursive: true })
  const files = readdirSync(srcDir).sort()
  const results: [string, AllureTestResult][] = files
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(srcDir, f), 'utf8')) as AllureTestResult])
  results.sort((a, b) => (a[1].start ?? 0) - (b[1].start ?? 0) || a[0].localeCompare(b[0]))

  const view: SingleFileView = { dir: dstDir, inlined: 0, omitted: [] }
  const dropped = new Set<string>()
  let used = 0
  for (const [file, r] of results) {
    let changed = false
    const kept: Attachment[] = []
    for (const a of r.attachments ?? []) {
      if (!isCapture(a)) {
        kept.push(a)
        continue
      }
      let bytes = 0
      try {
        bytes = statSync(join(srcDir, a.source)).size
      } catch {
        // Missing source: Allure shows it as missing either way.
      }
      if (used + bytes <= budgetBytes) {
        used += bytes
        view.inlined++
        kept.push(a)
        continue
      }
      changed = true
      dropped.add(a.source)
      view.omitted.push({ test: r.name ?? r.uuid, attachment: a.name, bytes })
      const note = `${a.source.replace(/-attachment\.[a-z]+$/, '')}-note-attachment.txt`
      writeFileSync(
        join(dstDir, note),
        `${a.name} (${(bytes / 1e6).toFixed(1)} MB) is not inlined in the single-file report: its traffic captures ` +
          `would exceed ${(budgetBytes / 1e6).toFixed(0)} MB.\n` +
          `Open it from the multi-file report (report/index.html) or from the run folder's evidence/.\n`,
      )
      kept.push({ name: `${a.name} (not inlined, see the run folder)`, type: 'text/plain', source: note })
    }
    if (changed) writeFileSync(join(dstDir, file), JSON.stringify({ ...r, attachments: kept }))
    else place(join(srcDir, file), join(dstDir, file))
  }
  for (const f of files) {
    if (f.endsWith('-result.json') || dropped.has(f)) continue
    place(join(srcDir, f), join(dstDir, f))
  }
  return view
}
