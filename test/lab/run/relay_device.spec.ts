/**
 * A boundary or transparent clock as a real two-port device: a DUT file with `clock` and
 * `ports` (which harness interface faces which DUT port, each cable's delay as characterised),
 * run through `--interface`. The "device" is ptp4l (or a plain bridge) on the dual topology, started by the
 * test and from then on known only through that file and the wire; the "cables" are the
 * veths, characterised by the test's own probes before the DUT starts, as a lab engineer
 * characterises real ones.
 *
 * Always: a plain bridge described as a P2P transparent clock fails E2E-03 through the device
 * path (it forwards the peer-delay messages a P2P TC answers itself; its residence is never
 * passed). With PTPC_LAB_FULL=1 also (~2 min): ptp4l as an E2E transparent clock is never failed
 * by E2E-03, and as a boundary clock passes BMCA-09 as a device (BMCA-08 is inconclusive there:
 * ptp4l answers a management GET for its port 2 only on port 2's link, so the wire never shows it).
 */
import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LinuxptpDut, type Dut } from '../../../harness/dut/index.ts'
import { BridgeDut } from '../../../harness/dut/bridge/adapter.ts'
import { Lab, type LabPort } from '../../../harness/lab/index.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { measureLinkNoise } from '../../../harness/run/noise.ts'
import { LAB_PATH_ASYMMETRY_NS } from '../../../harness/verdict/lab_allowances.ts'
import { readResults, runCli } from '../../support/run/cli.ts'
import { type RelayPortFacts, writeRelayDeviceFile } from '../../support/run/device_file.ts'

const isRoot = process.getuid?.() === 0
const full = process.env.PTPC_LAB_FULL === '1'
const FULL_SKIP = isRoot ? 'PTPC_LAB_FULL=1 runs it (~1 min; outside the 20-minute test run)' : 'needs root for network namespaces'
const netnsLeft = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('pcl-'))

/**
 * A "cable" characterised from probes both ways (the DUT not yet running): the mean one-way delay;
 * its ± the probes' ±, half their difference, and the lab's path allowance, since a veth's software
 * paths differ by direction (and by socket) by up to that much, as a real cable's PHYs do by ns.
 */
async function characterise(a: LabPort, b: LabPort): Promise<{ linkDelayNs: bigint; linkUncertaintyNs: bigint }> {
  const ab = await measureLinkNoise({ ifname: a.ifname, netns: a.netns }, { ifname: b.ifname, netns: b.netns }, 100)
  const ba = await measureLinkNoise({ ifname: b.ifname, netns: b.netns }, { ifname: a.ifname, netns: a.netns }, 100)
  const la = ab.latencyNs ?? 0n
  const lb = ba.latencyNs ?? 0n
  const half = (la > lb ? la - lb : lb - la) / 2n
  return { linkDelayNs: (la + lb) / 2n, linkUncertaintyNs: (ab.ns > ba.ns ? ab.ns : ba.ns) + half + LAB_PATH_ASYMMETRY_NS }
}

type Clock = 'boundary' | 'e2e-tc' | 'p2p-tc'

/** Runs `tests` against a dual-topology DUT described only by a relay DUT file (default-p2p for a P2P TC, else default-e2e). */
async function asDevice(clock: Clock, impl: 'ptp4l' | 'bridge', tests: string) {
  const profile = clock === 'p2p-tc' ? 'default-p2p' : 'default-e2e'
  const delayMechanism = clock === 'p2p-tc' ? 'P2P' : 'E2E'
  const dir = mkdtempSync(join(tmpdir(), `ptpc-relay-dev-${impl}-`))
  const net = await Lab.up({ topology: 'dual', stateDir: join(dir, 'state') })
  const [ha, p1, p2, hb] = [net.port('ha'), net.port('d1', 1), net.port('d1', 2), net.port('hb')]
  const dut: Dut = impl === 'bridge' ? new BridgeDut({ netns: p1.netns! }) : new LinuxptpDut({ tracker: net, node: 'd1' })
  try {
    const up: RelayPortFacts = { harness: { ifname: ha.ifname, netns: ha.netns }, dut: p1, port: 1, ...(await characterise(ha, p1)) }
    const down: RelayPortFacts = { harness: { ifname: hb.ifname, netns: hb.netns }, dut: p2, port: 2, ...(await characterise(p2, hb)) }
    await dut.start({
      profile: loadProfile(profile),
      role: clock,
      transport: 'udp4',
      delayMechanism,
      interfaces: [p1, p2].map((p) => ({ ifname: p.ifname, netns: p.netns, mac: p.mac })),
      options: { domainNumber: '0' },
    })
    const file = writeRelayDeviceFile(dir, clock, up, down, { name: `${impl} as ${clock}, treated as a device`, transport: 'udp4', delayMechanism })
    const out = join(dir, 'out')
    const r = await runCli(
      ['run', '--profile', profile, '--transport', 'udp4', '--tests', tests, '--no-report', '--interface', ha.ifname, '--dut', file, '--allow-net', '192.0.2.0/24', '--allow-net', '198.51.100.0/24', '--allow-net', '2001:db8::/32', '--out', out],
      { netns: ha.netns, timeoutMs: 300_000 },
    )
    return { r, results: Object.fromEntries(readResults(out).map((x) => [x.id, x])) }
  } finally {
    await dut.stop().catch(() => undefined)
    await net.down()
  }
}

test.group('run / a boundary or transparent clock as a two-port device', () => {
  test('E2E-03 through the device path fails a plain bridge described as a P2P transparent clock', async ({ assert }) => {
    const before = netnsLeft()
    // A switch forwards the peer-delay messages of the ports on either side, which a P2P TC answers itself.
    const bridge = await asDevice('p2p-tc', 'bridge', 'E2E-03')
    assert.equal(bridge.r.code, 1, bridge.r.stdout + bridge.r.stderr)
    const b = bridge.results['E2E-03']!
    assert.isUndefined(b.harnessError, b.reason)
    assert.equal(b.verdict, 'fail', JSON.stringify(b.checks, null, 1))
    // Two phases (two-step and one-step grandmaster), each judged on its own.
    const pdelay = b.checks.filter((c) => c.name.endsWith('peer-delay messages not forwarded'))
    assert.isTrue(pdelay.length === 2 && pdelay.every((c) => c.verdict === 'fail'), JSON.stringify(pdelay, null, 1))
    const residence = b.checks.filter((c) => c.name.includes('residence'))
    assert.isTrue(residence.length === 2 && residence.every((c) => c.verdict !== 'pass'), JSON.stringify(b.checks, null, 1))
    const syncs = b.checks.filter((c) => c.name.endsWith('every Sync forwarded downstream'))
    assert.isTrue(syncs.length === 2 && syncs.every((c) => c.verdict === 'pass'))
    assert.deepEqual(netnsLeft().filter((n) => !before.includes(n)), [])
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(300_000)

  test('E2E-03 through the device path never fails ptp4l as an E2E transparent clock', async ({ assert }) => {
    const tc = await asDevice('e2e-tc', 'ptp4l', 'E2E-03')
    assert.equal(tc.r.code, 0, tc.r.stdout + tc.r.stderr)
    const e = tc.results['E2E-03']!
    assert.isUndefined(e.harnessError, e.reason)
    assert.include(['pass', 'inconclusive'], e.verdict, JSON.stringify(e.checks, null, 1))
    // Per phase: every Sync, Sync/Follow_Up unchanged, Delay_Req/Delay_Resp; and a residence check per message kind.
    const forwarded = e.checks.filter((c) => c.name.includes('forwarded'))
    assert.isTrue(forwarded.length === 6 && forwarded.every((c) => c.verdict === 'pass'), JSON.stringify(e.checks, null, 1))
    assert.lengthOf(e.checks.filter((c) => c.name.includes('residence')), 4)
  })
    .skip(!isRoot || !full, FULL_SKIP)
    .timeout(300_000)

  test('ptp4l as boundary clock passes BMCA-09 as a device; BMCA-08 cannot read its port 2 on the wire and says so', async ({ assert }) => {
    const bc = await asDevice('boundary', 'ptp4l', 'BMCA-08,BMCA-09')
    assert.oneOf(bc.r.code, [0], bc.r.stdout + bc.r.stderr)
    assert.equal(bc.results['BMCA-09']!.verdict, 'pass', JSON.stringify(bc.results['BMCA-09']!.checks, null, 1))
    // ptp4l answers a GET for all ports on each port's own link: through port 1 the harness hears port 1 only.
    const b8 = bc.results['BMCA-08']!
    assert.equal(b8.verdict, 'inconclusive', JSON.stringify(b8.checks, null, 1))
    assert.match(b8.checks[0]!.detail!, /held port 2's state/)
  })
    .skip(!isRoot || !full, FULL_SKIP)
    .timeout(400_000)
})
