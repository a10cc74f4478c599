/**
 * Fuzzing live. Always: a reproducer made sans-IO (the campaign loop against the simulated
 * reference DUT with crashes-on-tlv-overrun) is replayed in the lab: the reference DUT with that
 * fault dies on it (exit 1, "reproduced: crashed"), the fault-free one stays well (exit 0), and no
 * namespace is left. With PTPC_LAB_FULL=1 also the whole cycle (~2 min): `fuzz` finds the crash,
 * minimises it and writes the reproducer, and `replay` of that file crashes the DUT again.
 */
import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { simulatedCampaign } from '../../support/evidence/fuzz.ts'
import { runCli } from '../../support/run/cli.ts'
import { HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'

const isRoot = process.getuid?.() === 0
const full = process.env.PTPC_LAB_FULL === '1'
const netnsLeft = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('pcl-'))

test.group('run / fuzz and replay', () => {
  test('a reproducer made sans-IO crashes the fragile reference DUT live and leaves the fault-free one well', async ({ assert }) => {
    const { files } = await simulatedCampaign(loadProfile('default-e2e'), { minutes: 0.1 }, { faults: ['crashes-on-tlv-overrun'] })
    const [name, bytes] = [...files.entries()][0]!
    const file = join(mkdtempSync(join(tmpdir(), 'ptpc-replay-')), name)
    writeFileSync(file, bytes)
    const before = netnsLeft()
    const crash = await runCli(['replay', file, '--lab', '--dut-impl', 'reference', '--dut-fault', 'crashes-on-tlv-overrun'], { timeoutMs: 90_000 })
    assert.equal(crash.code, 1, crash.stdout + crash.stderr)
    assert.match(crash.stdout, /reproduced: crashed: the DUT process exited with code 139/)
    assert.match(crash.stdout, /runs \d+ octets past messageLength/, 'the DUT log names the frame')
    const well = await runCli(['replay', file, '--lab', '--dut-impl', 'reference'], { timeoutMs: 90_000 })
    assert.equal(well.code, 0, well.stdout + well.stderr)
    // The replay's grandmaster takes the identity the reproducer's frames carry (the simulation's).
    assert.include(well.stdout, `SLAVE of ${HARNESS_IDENTITY(1)})`)
    assert.match(well.stdout, /not reproduced: the DUT stayed well \(Delay_Req ×\d+, SLAVE of /)
    assert.deepEqual(netnsLeft().filter((n) => !before.includes(n)), [])
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(200_000)

  test('fuzz finds, minimises and writes the crash; replay of its reproducer crashes the DUT again', async ({ assert }) => {
    const out = mkdtempSync(join(tmpdir(), 'ptpc-fuzz-'))
    const r = await runCli(['fuzz', '--profile', 'default', '--lab', '--dut-impl', 'reference', '--dut-fault', 'crashes-on-tlv-overrun', '--minutes', '0.2', '--max-failures', '1', '--no-report', '--out', out], { timeoutMs: 600_000 })
    assert.equal(r.code, 1, r.stdout + r.stderr)
    assert.match(r.stdout, /failure: batch \d+: crashed → \d+\.\d+ \(evidence\/default-e2e\.ROB-08\.fuzz-failure-1-seed1-batch\d+\.pcapng\)/)
    const file = readdirSync(join(out, 'evidence')).find((f) => f.includes('fuzz-failure-1'))!
    const again = await runCli(['replay', join(out, 'evidence', file), '--lab', '--dut-impl', 'reference', '--dut-fault', 'crashes-on-tlv-overrun'], { timeoutMs: 90_000 })
    assert.equal(again.code, 1, again.stdout + again.stderr)
    assert.match(again.stdout, /reproduced: crashed/)
  })
    .skip(!isRoot || !full, isRoot ? 'PTPC_LAB_FULL=1 runs it (~2 min; outside the 20-minute test run)' : 'needs root for network namespaces')
    .timeout(700_000)
})
