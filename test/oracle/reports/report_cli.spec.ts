/**
 * End to end: a run folder written through ResultsWriter, then
 * `node bin/ptp-conform.js report DIR`, checked with outside tools: tshark opens
 * every pcapng attachment and shows our per-frame comments, xmllint validates the
 * JUnit file against the Jenkins JUnit schema and parses every SVG.
 */
import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFixtureRun } from '../../support/reports/fixtures.ts'

const ROOT = new URL('../../../', import.meta.url).pathname
const XSD = join(ROOT, 'test/support/reports/junit-jenkins.xsd')

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/ptp-conform.js'), ...args], { encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function xmllint(...args: string[]) {
  return spawnSync('xmllint', args, { encoding: 'utf8' })
}

interface AllureResultFile {
  name: string
  status: string
  labels: { name: string; value: string }[]
  attachments: { name: string; type: string; source: string }[]
}

function allureResults(dir: string): AllureResultFile[] {
  const d = join(dir, 'allure-results')
  return readdirSync(d)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(d, f), 'utf8')) as AllureResultFile)
}

test.group('reports / ptp-conform report DIR', (group) => {
  let dir = ''
  let first: ReturnType<typeof cli>

  group.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptpc-report-cli-'))
    writeFixtureRun(dir)
    first = cli('report', dir)
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('exits 0 and prints the summary with every non-pass test', ({ assert }) => {
    assert.equal(first.code, 0, first.stderr)
    assert.include(first.stdout, '6 tests: 2 pass, 1 fail, 1 inconclusive, 1 not applicable, 1 harness error')
    assert.match(first.stdout, /HARNESS ERROR\s+default-e2e BMCA-03/)
    assert.match(first.stdout, /INCONCLUSIVE\s+default-e2e TE-02/)
    assert.include(first.stdout, `HTML report: ${join(dir, 'report', 'index.html')}`)
  }).timeout(120_000)

  test('allure-results: one result per test, each with its labels and attachments on disk', ({ assert }) => {
    const results = allureResults(dir)
    assert.lengthOf(results, 6)
    const stories = results.map((r) => r.labels.find((l) => l.name === 'story')!.value).sort()
    assert.deepEqual(stories, ['BMCA-03', 'INT-01', 'INT-02', 'MF-01', 'TE-02', 'TLV-GPTP-01'])
    for (const r of results) {
      for (const a of r.attachments) assert.isTrue(existsSync(join(dir, 'allure-results', a.source)), `${r.name}: ${a.source}`)
    }
    const withTraffic = results.filter((r) => r.attachments.some((a) => a.type === 'application/x-pcapng'))
    assert.lengthOf(withTraffic, 4)
    assert.isTrue(existsSync(join(dir, 'allure-results', 'environment.properties')))
    const categories = JSON.parse(readFileSync(join(dir, 'allure-results', 'categories.json'), 'utf8')) as { name: string }[]
    assert.deepEqual(
      categories.map((c) => c.name),
      ['Conformance failures', 'Inconclusive results', 'Harness errors'],
    )
  })

  test('every pcapng attachment opens in tshark with the per-frame comments', ({ assert }) => {
    const d = join(dir, 'allure-results')
    const captures = readdirSync(d).filter((f) => f.endsWith('.pcapng'))
    assert.lengthOf(captures, 4)
    for (const f of captures) {
      const r = spawnSync('tshark', ['-r', join(d, f), '-T', 'fields', '-e', 'frame.comment', '-e', 'ptp.v2.messagetype'], {
        encoding: 'utf8',
      })
      assert.equal(r.status, 0, r.stderr)
      const rows = r.stdout.trim().split('\n')
      assert.lengthOf(rows, 12, f)
      assert.deepEqual(rows[0]!.split('\t'), ['Announce seq 0: rx by test slave', '0x0b'])
      assert.deepEqual(rows[1]!.split('\t'), ['Sync seq 1: rx by test slave', '0x00'])
    }
  }).skip(!have('tshark'), 'tshark is not installed')

  test('junit.xml is valid against the Jenkins JUnit schema', ({ assert }) => {
    const junit = join(dir, 'junit.xml')
    const ok = xmllint('--noout', '--schema', XSD, junit)
    assert.equal(ok.status, 0, ok.stderr)
    // The schema can fail: a counter that is not a number is rejected.
    const broken = join(dir, 'junit-broken.xml')
    writeFileSync(broken, readFileSync(junit, 'utf8').replace(/failures="1"/, 'failures="one"'))
    const bad = xmllint('--noout', '--schema', XSD, broken)
    assert.notEqual(bad.status, 0)
    assert.include(bad.stderr, 'failures')
  }).skip(!have('xmllint'), 'xmllint is not installed (Debian package libxml2-utils)')

  test('every SVG plot is well-formed XML', ({ assert }) => {
    const d = join(dir, 'allure-results')
    const svgs = readdirSync(d).filter((f) => f.endsWith('.svg'))
    assert.lengthOf(svgs, 4) // 3 generated from measurements + 1 evidence plot
    const r = xmllint('--noout', ...svgs.map((f) => join(d, f)))
    assert.equal(r.status, 0, r.stderr)
  }).skip(!have('xmllint'), 'xmllint is not installed (Debian package libxml2-utils)')

  test('HTML report and single file exist and load nothing from the internet', ({ assert }) => {
    for (const f of [join(dir, 'report', 'index.html'), join(dir, 'report-single', 'index.html')]) {
      const html = readFileSync(f, 'utf8')
      assert.notMatch(html, /<script[^>]+src="https?:/, f)
      assert.notInclude(html, 'googletagmanager', f)
    }
    assert.isTrue(readdirSync(join(dir, 'report')).some((f) => f.startsWith('app-') && f.endsWith('.js')))
    assert.isFalse(readdirSync(dir).some((f) => f.startsWith('.report-staging')), 'staging folder removed')
  })

  test('running it again rewrites the same results, and survives a broken record', ({ assert }) => {
    const before = readdirSync(join(dir, 'allure-results')).sort()
    writeFileSync(join(dir, 'results', 'default-e2e.HALF.json'), '{"id":"HALF","prof')
    const again = cli('report', dir)
    assert.equal(again.code, 0, again.stderr)
    assert.include(again.stderr, 'default-e2e.HALF.json')
    assert.deepEqual(readdirSync(join(dir, 'allure-results')).sort(), before)
    rmSync(join(dir, 'results', 'default-e2e.HALF.json'))
  }).timeout(120_000)

  test('usage errors exit 2', ({ assert }) => {
    assert.equal(cli('report').code, 2)
    assert.equal(cli('report', join(dir, 'nope')).code, 2)
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    const r = cli('report', empty)
    assert.equal(r.code, 2)
    assert.include(r.stderr, 'not a ptp-conform output folder')
    assert.equal(cli('report', dir, '--port', '8080').code, 2)
  }).timeout(60_000)
})
