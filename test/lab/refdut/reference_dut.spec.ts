/**
 * The reference DUT in the virtual lab: against ptp4l as its peer (it follows a ptp4l
 * master; a ptp4l slave follows it), answering management GETs on the wire, and through
 * `ptp-conform selftest`: one slice per profile (default-e2e, default-p2p, gptp, power-2011)
 * where the fault-free DUT passes and each fault fails its test. No namespace is left behind.
 */
import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, ReferenceDut, waitForPortState, waitForState } from '../../../harness/dut/index.ts'
import { ManagementClient } from '../../../harness/management/client.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'
import { runCli } from '../../support/run/cli.ts'

const STATE = testStateDir('refdut')

/** The lab prefixes (pcl-xxxxxx-) of every run folder under a selftest --out folder. */
function labsNamedIn(dir: string): string[] {
  const found: string[] = []
  for (const e of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!e.endsWith('environment.json')) continue
    const m = /\(netns (pcl-[a-z0-9]+)-h\)/.exec(readFileSync(join(dir, e), 'utf8'))
    if (m) found.push(`${m[1]}-`)
  }
  return found
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
  // One slice of `selftest` per profile the issue names, run side by side (each case is its own
  // lab): the fault-free reference DUT passes the tests, each fault fails the test it targets.
  // The slices hold tests whose verdict does not depend on timing noise, so four labs at once
  // cannot turn a cell inconclusive.
  // The whole matrix is `ptp-conform selftest` (10–20 min per profile), run outside CI.
  const SLICES: { profile: string; tests: string; faults: string }[] = [
    { profile: 'default-e2e', tests: 'INT-01,MF-03', faults: 'sync-rate-double,followup-sequence-mismatch' },
    { profile: 'default-p2p', tests: 'MF-02,MF-04,MGT-03', faults: 'utc-offset-wrong,gm-identity-not-own,management-unknown-id-silent' },
    { profile: 'gptp', tests: 'TLV-GPTP-02,ROB-04', faults: 'path-trace-wrong,accepts-other-version' },
    { profile: 'power-2011', tests: 'TLV-PWR-01', faults: 'c37238-tlv-missing' },
  ]
  test('selftest slices of default-e2e, default-p2p, gptp and power-2011: every cell as expected, no lab left behind', async ({ assert }) => {
    const runs = await Promise.all(
      SLICES.map(async (s) => {
        const out = mkdtempSync(join(tmpdir(), `ptpc-selftest-${s.profile}-`))
        return { s, out, r: await runCli(['selftest', '--profile', s.profile, '--tests', s.tests, '--faults', s.faults, '--out', out], { timeoutMs: 480_000 }) }
      }),
    )
    for (const { s, r } of runs) {
      const text = r.stdout + r.stderr
      assert.equal(r.code, 0, `${s.profile}:\n${text}`)
      const summary = /(\d+) cells \((\d+) DUT variants × (\d+) tests\), (\d+) mismatches/.exec(text)
      assert.isNotNull(summary, text)
      assert.equal(summary![4], '0', text)
      // Baseline + one variant per fault, each judged on its tests.
      assert.equal(Number(summary![2]), 1 + s.faults.split(',').length, text)
    }
    // Every case's lab, named in its environment.json, is gone.
    const labs = runs.flatMap(({ out }) => labsNamedIn(out))
    assert.isAtLeast(labs.length, SLICES.length * 2)
    for (const prefix of labs) assert.lengthOf(leftovers(prefix), 0, prefix)
  }).skip(!isRoot, NEEDS_ROOT).timeout(600_000)

  test('an unknown --dut-fault is a usage error listing the known faults', async ({ assert }) => {
    const r = await runCli(['run', '--profile', 'default', '--lab', '--dut-impl', 'reference', '--dut-fault', 'no-such-fault', '--tests', 'INT-01'], { timeoutMs: 60_000 })
    assert.equal(r.code, 2)
    assert.match(r.stderr + r.stdout, /unknown fault 'no-such-fault'; known: .*sync-rate-double/)
  }).timeout(60_000)
})
