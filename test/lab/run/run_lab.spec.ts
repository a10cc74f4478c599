/**
 * `ptp-conform run` against ptp4l in the virtual lab, as CI runs it: a fast subset of
 * the default profile passes; the verdicts that must fail (G.8275.1 Delay_Req spacing,
 * power-2017 C37.238 TLVs from ptp4l 3.1.1) fail; results, evidence and reports are
 * written; Ctrl-C still leaves a record for every selected test and no lab behind.
 */
import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { readResults, runCli, verdicts } from '../../support/run/cli.ts'

const isRoot = process.getuid?.() === 0

/** The lab this run built, from the line that names the harness port's namespace. */
function labPrefixOf(stdout: string): string {
  const m = /\(netns (pcl-[a-z0-9]+)-h\)/.exec(stdout)
  if (!m) throw new Error(`the run did not name its lab:\n${stdout}`)
  return `${m[1]}-`
}

/** Namespaces of that lab still present (other labs may come and go in parallel). */
function leftovers(prefix: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(prefix))
}

function out(): string {
  return mkdtempSync(join(tmpdir(), 'ptpc-run-lab-'))
}

test.group('run / virtual lab', () => {
  test('default profile, fast subset: every test passes (inconclusive only with the measured noise that justifies it), with evidence and reports', async ({ assert }) => {
    const dir = out()
    const r = await runCli(['run', '--profile', 'default', '--lab', '--tests', 'MF-01,MF-05,MF-07,INT-01,E2E-01,MGT-01,BMCA-02', '--out', dir], { timeoutMs: 240_000 })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const results = readResults(dir)
    assert.sameMembers(results.map((x) => x.id), ['MF-01', 'MF-05', 'MF-07', 'INT-01', 'E2E-01', 'MGT-01', 'BMCA-02'])
    for (const x of results) {
      assert.isAbove(x.checks.length, 0, x.id)
      if (x.verdict === 'inconclusive') {
        // Only a timing margin inside the harness's measured noise may leave a test undecided, and it says so.
        const deciding = x.checks.find((c) => c.verdict === 'inconclusive')!
        assert.isNumber(deciding.noise, `${x.id}: ${x.reason}`)
        assert.isAtMost(Math.abs(Number(deciding.measured)), deciding.noise! * 2 + 1, `${x.id}: inconclusive only within the noise`)
      } else assert.equal(x.verdict, 'pass', `${x.id}: ${x.reason}`)
      // Every check names where its limit comes from.
      for (const c of x.checks) assert.isAbove(c.source.length, 0, `${x.id} / ${c.name}`)
      // Each test's noise is probed from the harness port into the DUT's namespace: sent from the DUT's port, where
      // ptp4l's packet socket is open, the probes' TX stamps come late (a delay of the DUT's node, not the harness's).
      assert.match(x.noise!.method, /L2 probes from pcl-\S+-h-1 \(software TX timestamps\) to pcl-\S+-d1-1 /, x.id)
    }
    const mf01 = results.find((x) => x.id === 'MF-01')!
    assert.include(JSON.stringify(mf01.measurements), '1588-2008', 'the edition ptp4l 3.1.1 speaks is reported')
    // The evidence opens in tshark, with our per-frame comments on what the harness sent.
    const pcap = join(dir, results.find((x) => x.id === 'E2E-01')!.evidence.pcapng!)
    const comments = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8' })
    assert.match(comments, /sent by test-slave: Delay_Req/)
    // ptp4l's own log during BMCA-02 is kept with it: the grandmaster its BMCA selected.
    const bmca02 = results.find((x) => x.id === 'BMCA-02')!
    assert.match(readFileSync(join(dir, bmca02.evidence.dutLog!), 'utf8'), /selected best master clock/)
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
    assert.equal(summary.ending, 'completed')
    // JUnit that a schema validator accepts, one Allure result per test, and the HTML report.
    execFileSync('xmllint', ['--noout', '--schema', join(process.cwd(), 'test/support/reports/junit-jenkins.xsd'), join(dir, 'junit.xml')], { stdio: 'pipe' })
    const allure = readdirSync(join(dir, 'allure-results')).filter((f) => f.endsWith('-result.json'))
    assert.lengthOf(allure, results.length)
    assert.isTrue(existsSync(join(dir, 'report', 'index.html')))
    assert.include(readFileSync(join(dir, 'environment.json'), 'utf8'), 'linuxptp')
    assert.deepEqual(leftovers(labPrefixOf(r.stdout)), [], 'the lab is torn down')
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(300_000)

  test('G.8275.1: ptp4l spaces Delay_Req uniformly, so INT-02 fails (exit 1)', async ({ assert }) => {
    const dir = out()
    const r = await runCli(['run', '--profile', 'telecom', '--lab', '--tests', 'INT-02', '--out', dir, '--no-report'], { timeoutMs: 180_000 })
    const res = readResults(dir)[0]!
    assert.equal(res.verdict, 'fail', res.reason)
    // The reason quotes the profile's own spacing rule.
    assert.include(res.reason, `±${loadProfile('g8275-1').tolerances.delayReqSpacing!.pct!.value} %`)
    assert.equal(r.code, 1)
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(240_000)

  test('power-2017: ptp4l 3.1.1 sends no C37.238 TLV, so TLV-PWR-01 fails; ATOI is optional in 2017 and no local time is configured', async ({ assert }) => {
    const dir = out()
    const r = await runCli(['run', '--profile', 'power', '--lab', '--tests', 'TLV-PWR-01,TLV-PWR-02', '--out', dir, '--no-report'], { timeoutMs: 180_000 })
    assert.deepEqual(verdicts(dir), { 'TLV-PWR-01': 'fail', 'TLV-PWR-02': 'not-applicable' })
    assert.equal(r.code, 1)
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(240_000)

  test('Ctrl-C: results for every selected test, summary marked interrupted, lab torn down', async ({ assert }) => {
    const dir = out()
    let sent = false
    const r = await runCli(['run', '--profile', 'default', '--lab', '--tests', 'BMCA-01,INT-03', '--out', dir, '--no-report'], {
      timeoutMs: 180_000,
      onStderr: (chunk, child) => {
        if (!sent && /BMCA-01: .*two grandmasters/.test(chunk)) {
          sent = true
          child.kill('SIGINT')
        }
      },
    })
    assert.isTrue(sent, 'the run reached BMCA-01')
    assert.equal(r.code, 130)
    const results = readResults(dir)
    assert.sameMembers(results.map((x) => x.id), ['BMCA-01', 'INT-03'])
    for (const x of results) assert.equal(x.harnessError, 'interrupted', x.id)
    assert.equal(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).ending, 'interrupted')
    assert.deepEqual(leftovers(labPrefixOf(r.stdout)), [], 'the lab is torn down')
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(240_000)
})
