/**
 * Prints how long the reports of a run take to build and how big they are.
 * A synthetic run: the six fixture tests repeated to TESTS tests (default 60),
 * each with a pcapng of FRAMES frames (default 2000).
 *
 *   node --import tsx bench/reports/generate.ts [TESTS] [FRAMES]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ResultsWriter } from '../../harness/results/writer.ts'
import { regenerateReports } from '../../reports/finalize.ts'
import { fixtureEnvironment, fixturePcapng, fixtureResults } from '../../test/support/reports/fixtures.ts'

const tests = Number(process.argv[2] ?? 60)
const frames = Number(process.argv[3] ?? 2000)

function size(path: string): number {
  const s = statSync(path)
  if (!s.isDirectory()) return s.size
  return readdirSync(path).reduce((sum, f) => sum + size(join(path, f)), 0)
}
const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`

const dir = mkdtempSync(join(tmpdir(), 'ptpc-bench-reports-'))
try {
  const w = new ResultsWriter(dir)
  w.environment(fixtureEnvironment())
  const pcap = fixturePcapng(frames)
  const base = fixtureResults()
  for (let i = 0; i < tests; i++) {
    const r = structuredClone(base[i % base.length]!)
    r.id = `${r.id}-${Math.floor(i / base.length)}`
    if (r.evidence.pcapng) r.evidence.pcapng = w.evidence(`${r.profile}.${r.id}.pcapng`, pcap)
    r.evidence.plots = []
    w.result(r)
  }
  const t0 = performance.now()
  const res = await regenerateReports(dir)
  const total = performance.now() - t0
  console.log(`run: ${tests} tests, pcapng ${mb(pcap.length)} each (${frames} frames)`)
  console.log(
    `reports total ${(total / 1000).toFixed(2)} s, of which Allure HTML ${((res.htmlGenerationMs ?? 0) / 1000).toFixed(2)} s ` +
      `(multi-file) + ${((res.singleFileGenerationMs ?? 0) / 1000).toFixed(2)} s (single file)`,
  )
  for (const w of res.warnings) console.log(`note: ${w}`)
  console.log(`allure-results ${mb(size(res.allureResults))}`)
  console.log(`report/ ${mb(size(res.htmlDir!))}`)
  console.log(`report-single/index.html ${mb(size(res.singleFile!))}`)
  console.log(`junit.xml ${mb(size(res.junit))}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
