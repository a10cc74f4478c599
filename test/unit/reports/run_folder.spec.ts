import { test } from '@japa/runner'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Emitter, Runner } from '@japa/core'
import { loadRun, validateResult } from '../../../reports/load.ts'
import { fileFor } from '../../../reports/serve.ts'
import { stripAnalytics } from '../../../reports/html.ts'
import { buildSingleFileView } from '../../../reports/allure/single_file_view.ts'
import { AllureResultsWriter } from '../../../reports/allure/results_writer.ts'
import { allureReporter } from '../../../reports/japa_reporter.ts'
import { resultBus } from '../../../harness/results/result_bus.ts'
import { ResultsWriter } from '../../../harness/results/writer.ts'
import { fixtureEnvironment, fixtureResults, writeFixtureRun } from '../../support/reports/fixtures.ts'

function tempDir(cleanup: (fn: () => void) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptpc-reports-'))
  cleanup(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test.group('reports / reading a run folder', () => {
  test('loads environment, summary and every readable result; names the unreadable ones', ({ assert, cleanup }) => {
    const dir = tempDir(cleanup)
    writeFixtureRun(dir)
    writeFileSync(join(dir, 'results', 'default-e2e.BROKEN.json'), '{"id": "X", "profi')
    writeFileSync(join(dir, 'results', 'default-e2e.ODD.json'), JSON.stringify({ id: 'ODD-1', profile: 'p', verdict: 'maybe' }))
    const run = loadRun(dir)
    assert.equal(run.environment?.dut.implementation, 'ptp4l')
    assert.equal(run.summary?.ending, 'completed')
    assert.lengthOf(run.results, 6)
    assert.deepEqual(
      run.problems.map((p) => [p.file.split('/').pop(), p.reason.startsWith('unknown verdict') || p.reason.includes('JSON')]),
      [
        ['default-e2e.BROKEN.json', true],
        ['default-e2e.ODD.json', true],
      ],
    )
    // Records come back with bigint series as decimal strings, as written.
    const int01 = run.results.find((r) => r.id === 'INT-01')!
    assert.isString((int01.measurements.announceIntervalsNs as unknown[])[0])
  })

  test('a minimal record gets defaults for everything but id, profile and verdict', ({ assert }) => {
    const v = validateResult({ id: 'MF-09', profile: 'gptp', verdict: 'pass', checks: [{ verdict: 'weird' }] })
    assert.isTrue(v.ok)
    if (!v.ok) return
    assert.equal(v.result.area, 'MF')
    assert.deepEqual(v.result.tags, [])
    assert.equal(v.result.checks[0]!.verdict, 'inconclusive')
    assert.include(v.result.checks[0]!.detail!, 'recorded verdict "weird" is unknown')
    assert.isFalse(validateResult({ id: 'X', verdict: 'pass' }).ok)
    assert.isFalse(validateResult([]).ok)
  })
})

test.group('reports / serving and page hygiene', () => {
  test('request paths stay inside the report folder', ({ assert, cleanup }) => {
    const root = tempDir(cleanup)
    assert.equal(fileFor(root, '/'), join(root, 'index.html'))
    assert.equal(fileFor(root, '/data/x.json?v=1'), join(root, 'data/x.json'))
    assert.equal(fileFor(root, '/../../etc/passwd'), join(root, 'etc/passwd'))
    assert.equal(fileFor(root, '/%2e%2e/%2e%2e/etc/passwd'), join(root, 'etc/passwd'))
    assert.equal(fileFor(root, '/..%2f..%2fetc/passwd'), join(root, 'etc/passwd'))
    assert.isUndefined(fileFor(root, '/a%00b'))
    assert.isUndefined(fileFor(root, '/%zz'))
  })

  test("Allure's analytics loader is removed from a page, the report's own scripts stay", ({ assert }) => {
    const page = `<body><div id="app"></div><script src="app-1.js"></script>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
    </script>
    <script>window.allureReportData = {"a": "b"}</script></body>`
    const clean = stripAnalytics(page)
    assert.notInclude(clean, 'googletagmanager')
    assert.notInclude(clean, 'dataLayer')
    assert.include(clean, '<script src="app-1.js"></script>')
    assert.include(clean, 'window.allureReportData')
  })
})

test.group('reports / single-file view', () => {
  test('inlines captures within the budget in test order, replaces the rest by a note', ({ assert, cleanup }) => {
    const dir = tempDir(cleanup)
    writeFixtureRun(dir) // four tests with the same capture
    const src = join(dir, 'allure-results')
    const w = new AllureResultsWriter(src)
    for (const r of loadRun(dir).results) w.writeTest(r, { outDir: dir, environment: fixtureEnvironment() })
    const captureBytes = readFileSync(join(dir, 'evidence', 'default-e2e.MF-01.pcapng')).length

    const view = buildSingleFileView(src, join(dir, 'single-view'), 2 * captureBytes + 1)
    assert.equal(view.inlined, 2)
    assert.deepEqual(
      view.omitted.map((o) => [o.test, o.bytes]),
      [
        ['INT-02 Delay_Req spacing', captureBytes],
        ['TE-02 Time error of a DUT master', captureBytes],
      ],
    )
    const viewFiles = readdirSync(view.dir)
    assert.lengthOf(viewFiles.filter((f) => f.endsWith('.pcapng')), 2)
    const te02 = viewFiles
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(view.dir, f), 'utf8')))
      .find((r) => r.name.startsWith('TE-02'))
    const note = te02.attachments.find((a: { type: string }) => a.type === 'text/plain')
    assert.match(note.name, /^Traffic default-e2e\.TE-02\.pcapng \(not inlined/)
    assert.include(readFileSync(join(view.dir, note.source), 'utf8'), 'evidence/')
    // The source folder is untouched.
    assert.lengthOf(readdirSync(src).filter((f) => f.endsWith('.pcapng')), 4)
  })
})

test.group('reports / japa reporter', () => {
  test('writes each result as it arrives, then the reports at runner end', async ({ assert, cleanup }) => {
    const dir = tempDir(cleanup)
    const reporter = allureReporter({ html: false })
    const emitter = new Emitter()
    await reporter.handler(new Runner(emitter), emitter)

    const env = fixtureEnvironment()
    const writer = new ResultsWriter(dir)
    writer.environment(env)
    await resultBus.publishEnvironment(env, dir)
    const allureDir = join(dir, 'allure-results')
    assert.isTrue(existsSync(join(allureDir, 'environment.properties')))
    assert.isTrue(existsSync(join(allureDir, 'categories.json')))

    const results = fixtureResults()
    for (const [i, r] of results.entries()) {
      writer.result(r)
      await resultBus.publishResult(r)
      const written = readdirSync(allureDir).filter((f) => f.endsWith('-result.json'))
      assert.lengthOf(written, i + 1, `after ${r.id}`)
    }
    assert.isFalse(existsSync(join(dir, 'junit.xml')), 'JUnit waits for the end of the run')

    await emitter.emit('runner:end', { hasError: false })
    const final = await reporter.finalized
    assert.equal(final.junit, join(dir, 'junit.xml'))
    assert.include(readFileSync(final.junit, 'utf8'), 'INT-02 Delay_Req spacing')
    assert.equal(final.counts.total, 6)
    assert.include(final.summaryText, '6 tests: 2 pass, 1 fail, 1 inconclusive')
    // Evidence files were not written in this test: each is a warning, not a failure.
    assert.isTrue(final.warnings.some((w) => w.includes('MF-01') && w.includes('not found')))
    assert.lengthOf(
      readdirSync(allureDir).filter((f) => f.endsWith('-result.json')),
      6,
      'finalizing does not duplicate results',
    )

    // Unsubscribed at the end: a later result is not picked up.
    await resultBus.publishResult({ ...results[0]!, startedAt: '2030-01-01T00:00:00.000Z' })
    assert.lengthOf(
      readdirSync(allureDir).filter((f) => f.endsWith('-result.json')),
      6,
    )
  })

  test("with finalizeAt 'manual' the reports wait for finalize(), which runs once", async ({ assert, cleanup }) => {
    const dir = tempDir(cleanup)
    const reporter = allureReporter({ outDir: dir, html: false, finalizeAt: 'manual' })
    const emitter = new Emitter()
    await reporter.handler(new Runner(emitter), emitter)
    writeFixtureRun(dir)
    await resultBus.publishEnvironment(fixtureEnvironment(), dir)
    await emitter.emit('runner:end', { hasError: false })
    assert.isFalse(existsSync(join(dir, 'junit.xml')))
    const a = reporter.finalize()
    const b = reporter.finalize()
    assert.strictEqual(a, b)
    const done = await a
    assert.isTrue(existsSync(done.junit))
    assert.notInclude(done.summaryText, 'run ended: unknown')
    assert.lengthOf(
      readdirSync(join(dir, 'allure-results')).filter((f) => f.endsWith('-result.json')),
      6,
      'results not published on the bus are written from results/',
    )
  })
})
