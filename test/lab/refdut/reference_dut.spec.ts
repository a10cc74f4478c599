/**
 * The reference DUT in the virtual lab: against ptp4l as its peer (it follows a ptp4l
 * master; a ptp4l slave follows it), answering management GETs on the wire, and through
 * `ptp-conform run --dut-impl reference`: a fast subset passes without faults and INT-01
 * fails with `--dut-fault sync-rate-double`. No namespace or process is left behind.
 */
import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, ReferenceDut, waitForPortState, waitForState } from '../../../harness/dut/index.ts'
import { ManagementClient } from '../../../harness/management/client.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'
import { readResults, runCli } from '../../support/run/cli.ts'

const STATE = testStateDir('refdut')

function labPrefixOf(stdout: string): string {
  const m = /\(netns (pcl-[a-z0-9]+)-h\)/.exec(stdout)
  if (!m) throw new Error(`the run did not name its lab:\n${stdout}`)
  return `${m[1]}-`
}

function leftovers(prefix: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix))
}

test.group('refdut / against ptp4l in the lab', (group) => {
  group.teardown(() => {
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  test('follows a ptp4l master (SLAVE, offset and path delay), then leads a ptp4l slave; management GET on the wire', async ({ assert }) => {
    const p = profile('default-e2e')
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      const ptp4l = new LinuxptpDut({ tracker: lab, label: 'h', node: 'h' })
      const ref = new ReferenceDut({ tracker: lab, label: 'd1', node: 'd1' })
      await ptp4l.start({ profile: p, role: 'master', transport: 'udp4', interfaces: [lab.port('h')], options: { ...FAST } })
      await ref.start({ profile: p, role: 'slave', transport: 'udp4', interfaces: [lab.port('d1')], options: { ...FAST } })
      await waitForPortState(ref, 'SLAVE', { timeoutMs: 15_000 })
      const { state } = await waitForState(ref, (s) => (s.meanPathDelayNs ?? 0n) > 0n, 'reference DUT path delay', { timeoutMs: 10_000 })
      assert.equal(state.parentPortIdentity?.clockIdentity, clockIdentityFromMac(lab.port('h').mac))
      // Both ends timestamp on the same CLOCK_REALTIME: the offset is the lab's noise.
      assert.isBelow(Number(state.offsetFromMasterNs! < 0n ? -state.offsetFromMasterNs! : state.offsetFromMasterNs!), 1_000_000)
      await ptp4l.stop()
      await ref.stop()

      await ref.start({ profile: p, role: 'master', transport: 'udp4', interfaces: [lab.port('d1')], options: { ...FAST } })
      await ptp4l.start({ profile: p, role: 'slave', transport: 'udp4', interfaces: [lab.port('h')], options: { ...FAST } })
      await Promise.all([waitForPortState(ref, 'MASTER', { timeoutMs: 15_000 }), waitForPortState(ptp4l, 'SLAVE', { timeoutMs: 15_000 })])
      const slave = await ptp4l.readState()
      assert.equal(slave.grandmasterIdentity, clockIdentityFromMac(lab.port('d1').mac))
      await ptp4l.stop()

      const client = ManagementClient.open({ interface: lab.port('h').ifname, netns: lab.port('h').netns, transport: 'udp4', domainNumber: 0 })
      try {
        const r = await client.get('DEFAULT_DATA_SET')
        assert.isAbove(r.answers.length, 0, `no answer to GET DEFAULT_DATA_SET (${r.undecodable.length} undecodable)`)
        assert.equal(r.answers[0]!.action, 'RESPONSE')
        assert.equal(r.answers[0]!.source.clockIdentity, clockIdentityFromMac(lab.port('d1').mac))
      } finally {
        client.close()
      }
      await ref.stop()
      assert.isFalse(ref.running)
    } finally {
      await lab.down()
    }
  }).skip(!isRoot, NEEDS_ROOT).timeout(90_000)
})

test.group('refdut / ptp-conform run --dut-impl reference', () => {
  test('INT-01, MF-05, E2E-01 pass without faults; INT-01 fails with --dut-fault sync-rate-double', async ({ assert }) => {
    const ok = mkdtempSync(join(tmpdir(), 'ptpc-refdut-'))
    const r = await runCli(['run', '--profile', 'default', '--lab', '--dut-impl', 'reference', '--tests', 'INT-01,MF-05,E2E-01', '--no-report', '--out', ok], { timeoutMs: 240_000 })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    for (const x of readResults(ok)) assert.equal(x.verdict, 'pass', `${x.id}: ${x.reason}`)
    assert.lengthOf(leftovers(labPrefixOf(r.stdout)), 0)

    const bad = mkdtempSync(join(tmpdir(), 'ptpc-refdut-'))
    const f = await runCli(['run', '--profile', 'default', '--lab', '--dut-impl', 'reference', '--dut-fault', 'sync-rate-double', '--tests', 'INT-01', '--no-report', '--out', bad], { timeoutMs: 240_000 })
    assert.equal(f.code, 1, f.stdout + f.stderr)
    const int01 = readResults(bad).find((x) => x.id === 'INT-01')!
    assert.equal(int01.verdict, 'fail', int01.reason)
    assert.lengthOf(leftovers(labPrefixOf(f.stdout)), 0)
  }).skip(!isRoot, NEEDS_ROOT).timeout(600_000)

  test('an unknown --dut-fault is a usage error listing the known faults', async ({ assert }) => {
    const r = await runCli(['run', '--profile', 'default', '--lab', '--dut-impl', 'reference', '--dut-fault', 'no-such-fault', '--tests', 'INT-01'], { timeoutMs: 60_000 })
    assert.equal(r.code, 2)
    assert.match(r.stderr + r.stdout, /unknown fault 'no-such-fault'; known: .*sync-rate-double/)
  }).timeout(60_000)
})
