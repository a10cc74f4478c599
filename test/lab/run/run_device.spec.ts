/**
 * `ptp-conform run --interface IF --dut FILE`, the real-device path, proven in the
 * lab: a ptp4l the test starts itself plays the "device", described only by a DUT
 * file; the run is made from inside the harness node's namespace as an engineer would
 * on a test bench. The safety check refuses the interface until its addresses are on
 * the allow-list.
 */
import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LinuxptpDut } from '../../../harness/dut/index.ts'
import { Lab } from '../../../harness/lab/index.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { readResults, runCli } from '../../support/run/cli.ts'
import { writeDeviceFile } from '../../support/run/device_file.ts'

const isRoot = process.getuid?.() === 0

/**
 * `noisePort`: the device sits on a LAN (a bridge) and the harness node has a second port on
 * it, as a bench's second NIC port, for `--noise-port`.
 */
async function withDevice(fn: (o: { lab: Lab; dutFile: string; hIf: string; hNs: string; noiseIf?: string }) => Promise<void>, o: { noisePort?: boolean } = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ptpc-device-'))
  const lab = await Lab.up(o.noisePort ? { topology: 'lan', duts: 1, harnessNoisePort: true, stateDir: join(dir, 'state') } : { topology: 'pair', stateDir: join(dir, 'state') })
  const dut = new LinuxptpDut({ tracker: lab, node: 'd1' })
  try {
    const h = lab.port('h')
    const d = lab.port('d1')
    await dut.start({ profile: loadProfile('default-e2e'), role: 'auto', interfaces: [{ ifname: d.ifname, netns: d.netns, mac: d.mac }] })
    const dutFile = writeDeviceFile(dir, h, d, { name: 'lab ptp4l playing a device', roles: ['master', 'slave', 'auto'] })
    await fn({ lab, dutFile, hIf: h.ifname, hNs: h.netns, ...(o.noisePort ? { noiseIf: lab.port('h', 2).ifname } : {}) })
  } finally {
    await dut.stop().catch(() => undefined)
    await lab.down()
  }
}

test.group('run / real-device path (a lab ptp4l described by a DUT file)', () => {
  test('refuses an interface whose addresses are not on the allow-list (exit 2)', async ({ assert }) => {
    await withDevice(async ({ dutFile, hIf, hNs }) => {
      const r = await runCli(['run', '--profile', 'default', '--interface', hIf, '--dut', dutFile, '--tests', 'MF-01', '--no-report', '--out', mkdtempSync(join(tmpdir(), 'ptpc-dev-out-'))], { netns: hNs, timeoutMs: 60_000 })
      assert.equal(r.code, 2, r.stdout + r.stderr)
      assert.include(r.stdout, 'outside the allow-list')
      assert.include(r.stderr, 'refusing to transmit')
    })
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(120_000)

  test('--timestamping hardware on an interface without it (a veth) is refused (exit 2), naming the interface', async ({ assert }) => {
    await withDevice(async ({ dutFile, hIf, hNs }) => {
      const out = mkdtempSync(join(tmpdir(), 'ptpc-dev-out-'))
      const r = await runCli(['run', '--profile', 'default', '--interface', hIf, '--dut', dutFile, '--timestamping', 'hardware', '--allow-net', '192.0.2.0/24', '--allow-net', '2001:db8::/32', '--tests', 'MF-01', '--no-report', '--out', out], { netns: hNs, timeoutMs: 60_000 })
      assert.equal(r.code, 2, r.stdout + r.stderr)
      assert.match(r.stderr, new RegExp(`--timestamping hardware: .*${hIf}`))
    })
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(120_000)

  test('with the test network allowed, it certifies the device through its DUT file, its noise measured over the receive path from a second port', async ({ assert }) => {
    await withDevice(
      async ({ dutFile, hIf, hNs, noiseIf }) => {
        const out = mkdtempSync(join(tmpdir(), 'ptpc-dev-out-'))
        const r = await runCli(
          ['run', '--profile', 'default', '--interface', hIf, '--noise-port', noiseIf!, '--dut', dutFile, '--allow-net', '192.0.2.0/24', '--allow-net', '2001:db8::/32', '--tests', 'MF-01,MF-05,INT-01,MGT-01', '--no-report', '--out', out],
          { netns: hNs, timeoutMs: 180_000 },
        )
        assert.equal(r.code, 0, r.stdout + r.stderr)
        const results = readResults(out)
        assert.sameMembers(results.map((x) => x.id), ['MF-01', 'MF-05', 'INT-01', 'MGT-01'])
        for (const x of results) {
          assert.oneOf(x.verdict, ['pass', 'inconclusive'], `${x.id}: ${x.reason}`)
          // Each test's own noise, measured from the second port into the test interface.
          assert.include(x.noise?.method, `from ${noiseIf} (software TX timestamps) to ${hIf} (software RX timestamps), TX and RX paths both`)
        }
        assert.include(r.stdout, `transmitting only on ${hIf} (noise probes also from ${noiseIf}`)
      },
      { noisePort: true },
    )
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(240_000)

  test('a session that cannot be set up exits 3 and still records every selected test', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpc-dev-broken-'))
    const dutFile = join(dir, 'gone.yaml')
    // The DUT file names a namespace that does not exist: the harness port cannot open.
    writeFileSync(dutFile, ['name: device behind a vanished namespace', 'interface: lo', 'netns: pcl-gone-0', 'capabilities:', '  roles: [master]', '  transports: [l2]', '  delayMechanisms: [E2E]', '  oneStep: false', '  twoStep: true', ''].join('\n'))
    const out = join(dir, 'out')
    const r = await runCli(['run', '--profile', 'default', '--interface', 'lo', '--dut', dutFile, '--transport', 'l2', '--tests', 'MF-01,INT-01', '--no-report', '--out', out], { timeoutMs: 60_000 })
    assert.equal(r.code, 3, r.stdout + r.stderr)
    const results = readResults(out)
    assert.sameMembers(results.map((x) => x.id), ['MF-01', 'INT-01'])
    for (const x of results) {
      assert.equal(x.verdict, 'inconclusive')
      assert.match(x.reason, /^not run: the session could not be set up/)
    }
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(90_000)
})
