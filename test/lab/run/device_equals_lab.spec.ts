/**
 * The real-device path gives the lab's verdicts. A ptp4l started by the test is from then on
 * treated only as a device: a DUT file with role `auto` (its BMCA decides), management on the
 * wire, no hooks. The default-e2e suite run through `--interface` must give the same verdict
 * as a lab run of the same stack, test by test; a test that needs control only the lab has may
 * differ only as "not applicable" with its reason, and a margin inside the measured noise
 * may be inconclusive on one side (never pass against fail). INT-02 is left out here only for CI time
 * (256 Delay_Req at the profile's 1 s take 4.6 min per run); it has its own lab runs.
 */
import { test } from '@japa/runner'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LinuxptpDut } from '../../../harness/dut/index.ts'
import { Lab } from '../../../harness/lab/index.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { readResults, runCli } from '../../support/run/cli.ts'
import { writeDeviceFile } from '../../support/run/device_file.ts'

const isRoot = process.getuid?.() === 0
const TESTS = 'MF-*,INT-01,INT-03,BMCA-*,E2E-01,MGT-01,TE-08'

test.group('run / the device path equals the lab', () => {
  test('default-e2e (all but INT-02): ptp4l as a device earns the verdicts it earns in the lab', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpc-dev-eq-'))
    const labOut = join(dir, 'lab')
    const devOut = join(dir, 'device')
    // The two runs are independent labs (their own namespaces): run them side by side, as the
    // selftest matrices and the main job's repeat runs were measured (two labs at once).
    const inTheLab = runCli(['run', '--profile', 'default', '--lab', '--tests', TESTS, '--no-report', '--out', labOut], { timeoutMs: 600_000 })
    const asDevice = (async () => {
      const net = await Lab.up({ topology: 'pair', stateDir: join(dir, 'state') })
      const dut = new LinuxptpDut({ tracker: net, node: 'd1' })
      try {
        const h = net.port('h')
        const d = net.port('d1')
        await dut.start({ profile: loadProfile('default-e2e'), role: 'auto', interfaces: [{ ifname: d.ifname, netns: d.netns, mac: d.mac }] })
        return await runCli(
          ['run', '--profile', 'default', '--interface', h.ifname, '--dut', writeDeviceFile(dir, h, d, { name: 'ptp4l treated as a device', roles: ['auto'] }), '--allow-net', '192.0.2.0/24', '--allow-net', '2001:db8::/32', '--tests', TESTS, '--no-report', '--out', devOut],
          { netns: h.netns, timeoutMs: 600_000 },
        )
      } finally {
        await dut.stop().catch(() => undefined)
        await net.down()
      }
    })()
    const [lab, r] = await Promise.all([inTheLab, asDevice])
    assert.oneOf(lab.code, [0, 1], lab.stdout + lab.stderr)
    assert.oneOf(r.code, [0, 1], r.stdout + r.stderr)

    const inLab = new Map(readResults(labOut).map((x) => [x.id, x]))
    const differences: string[] = []
    for (const x of readResults(devOut)) {
      assert.isUndefined(x.harnessError, `${x.id}: ${x.reason}`)
      const l = inLab.get(x.id)!
      if (x.verdict === l.verdict) continue
      if (x.verdict === 'not-applicable') continue
      // A timing margin inside the measured noise may fall either side of it from run to run: an
      // inconclusive that states its noise against a decisive verdict is not a contradiction.
      const undecided = [x, l].find((r) => r.verdict === 'inconclusive')
      const deciding = undecided?.checks.find((c) => c.verdict === 'inconclusive')
      if (deciding?.noise !== undefined && [x, l].some((r) => r.verdict === 'pass')) continue
      differences.push(`${x.id}: lab ${l.verdict} (${l.reason}) / device ${x.verdict} (${x.reason})`)
    }
    assert.deepEqual(differences, [])
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(1_300_000)
})
