/**
 * A lab DUT that dies in the middle of a test is the DUT's failure: the test FAILs with the
 * signal and the DUT's last log lines in its record and evidence, and the run exits 1 — a CI
 * gate must not stay green (nor report a harness error) because the device crashed.
 */
import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readResults, runCli } from '../../support/run/cli.ts'

const isRoot = process.getuid?.() === 0

/** SIGKILL the ptp4l running in this lab's DUT namespace (`<prefix>d1`); returns its PID. */
function killDut(stdoutSoFar: string): number | undefined {
  const m = /\(netns (pcl-[a-z0-9]+-)h\)/.exec(stdoutSoFar)
  if (!m) return undefined
  const pids = execFileSync('ip', ['netns', 'pids', `${m[1]}d1`], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)
  const dut = pids.find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'ptp4l')
  if (dut) process.kill(dut, 'SIGKILL')
  return dut
}

test.group('run / the lab DUT dies under a test', () => {
  test('ptp4l killed with SIGKILL during INT-01 fails INT-01 naming the signal; exit 1', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpc-crash-'))
    let killed: number | undefined
    const r = await runCli(['run', '--profile', 'default', '--lab', '--tests', 'INT-01', '--out', dir, '--no-report'], {
      timeoutMs: 180_000,
      onStderr: (chunk, _child, stdout) => {
        if (killed === undefined && /INT-01: observing the DUT/.test(chunk)) killed = killDut(stdout)
      },
    })
    assert.isDefined(killed, `the run reached INT-01's observation and its ptp4l was found:\n${r.stdout}\n${r.stderr}`)
    const [int01] = readResults(dir)
    assert.equal(int01!.verdict, 'fail', int01!.reason)
    assert.isUndefined(int01!.harnessError)
    assert.include(int01!.reason, 'SIGKILL')
    const ev = JSON.parse(readFileSync(join(dir, int01!.evidence.json!), 'utf8'))
    assert.equal(ev.dutExit.signal, 'SIGKILL')
    assert.equal(r.code, 1)
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(240_000)
})
