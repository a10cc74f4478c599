import { test } from '@japa/runner'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, waitForPortState, type TransportName } from '../../../harness/dut/index.ts'
import {
  formatScaledLikePmc,
  toCurrentDataSet,
  toDefaultDataSet,
  toParentDataSet,
  toPortDataSet,
  toTimePropertiesDataSet,
  type PmcReply,
} from '../../../harness/dut/linuxptp/pmc_text.ts'
import { ManagementClient, portKey, type ManagementAnswer } from '../../../harness/management/index.ts'
import type { ManagementDataField } from '../../../harness/codec/types.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'

const STATE = testStateDir('management')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const DATASETS = ['DEFAULT_DATA_SET', 'CURRENT_DATA_SET', 'PARENT_DATA_SET', 'TIME_PROPERTIES_DATA_SET', 'PORT_DATA_SET'] as const
type DatasetName = (typeof DATASETS)[number]

/** pmc's text reply → the codec's shape (reserved fields pmc does not print are 0). */
const FROM_PMC: Record<DatasetName, (r: PmcReply) => ManagementDataField> = {
  DEFAULT_DATA_SET: toDefaultDataSet,
  CURRENT_DATA_SET: toCurrentDataSet,
  PARENT_DATA_SET: toParentDataSet,
  TIME_PROPERTIES_DATA_SET: toTimePropertiesDataSet,
  PORT_DATA_SET: toPortDataSet,
}

/**
 * Our decoded dataField at pmc's precision: reserved fields as pmc leaves them
 * (unprinted, so 0), TimeIntervals as pmc prints them (%.1f of ns; PORT_DATA_SET
 * peerMeanPathDelay as whole ns). Every other field is compared exactly.
 */
function atPmcPrecision(d: ManagementDataField): ManagementDataField {
  switch (d.name) {
    case 'DEFAULT_DATA_SET':
      return { ...d, reserved1: 0, reserved2: 0 }
    case 'PARENT_DATA_SET':
      return { ...d, reserved: 0 }
    case 'CURRENT_DATA_SET':
      return toCurrentDataSet({
        source: '', sourcePortIdentity: { clockIdentity: '', portNumber: 0 }, seq: 0, action: 'RESPONSE', error: false,
        fields: { stepsRemoved: String(d.stepsRemoved), offsetFromMaster: formatScaledLikePmc(d.offsetFromMaster), meanPathDelay: formatScaledLikePmc(d.meanPathDelay) },
      })
    case 'PORT_DATA_SET':
      return { ...d, peerMeanPathDelay: (d.peerMeanPathDelay >> 16n) << 16n }
    default:
      return d
  }
}

interface Lan {
  lab: Lab
  master: LinuxptpDut
  slave: LinuxptpDut
  client: ManagementClient
}

async function lan(transport: TransportName): Promise<Lan> {
  const lab = await Lab.up({ topology: 'lan', duts: 2, stateDir: STATE })
  const p = profile('default-e2e')
  const master = new LinuxptpDut({ tracker: lab, label: 'd1', node: 'd1' })
  const slave = new LinuxptpDut({ tracker: lab, label: 'd2', node: 'd2' })
  // A long announceReceiptTimeout on the slave keeps its datasets while the master is frozen.
  await Promise.all([
    master.start({ profile: p, role: 'master', transport, interfaces: [lab.port('d1')], options: { ...FAST } }),
    slave.start({ profile: p, role: 'slave', transport, interfaces: [lab.port('d2')], options: { ...FAST, announceReceiptTimeout: 255 } }),
  ])
  await Promise.all([waitForPortState(master, 'MASTER', { timeoutMs: 15_000 }), waitForPortState(slave, 'SLAVE', { timeoutMs: 15_000 })])
  // Wait for a delay measurement so CURRENT_DATA_SET carries real numbers.
  for (let i = 0; i < 50 && !((await slave.readState()).meanPathDelayNs! > 0n); i++) await sleep(100)
  const client = ManagementClient.open({ interface: lab.port('h').ifname, netns: lab.netns('h'), transport, timeoutMs: 1000 })
  return { lab, master, slave, client }
}

/** GETs `id` on the wire and through pmc on one DUT's UDS, and compares that DUT's answers field by field. */
async function compare(assert: any, tag: string, client: ManagementClient, dut: LinuxptpDut, id: DatasetName, expect: number): Promise<number> {
  const wire = await client.get(id, { expect })
  const pmc = await dut.pmcGet(id)
  const clock = pmc[0]!.sourcePortIdentity.clockIdentity
  const ours = wire.answers.filter((a: ManagementAnswer) => a.source.clockIdentity === clock)
  assert.lengthOf(ours, pmc.length, `${tag} ${id}: answers from ${clock}`)
  let fields = 0
  for (const reply of pmc) {
    // pmc over UDS names the UDS port (0) for clock-level ids; on the wire the answer comes from the PTP port.
    const match = id === 'PORT_DATA_SET' ? ours.find((a) => portKey(a.source) === reply.source) : ours[0]
    assert.exists(match, `${tag} ${id}: no wire answer for ${reply.source}`)
    assert.isUndefined(match!.error, `${tag} ${id}`)
    assert.deepEqual(match!.findings, [], `${tag} ${id}: decoder findings`)
    const expected = FROM_PMC[id](reply)
    assert.deepEqual(atPmcPrecision(match!.data!), expected, `${tag} ${id} from ${reply.source}`)
    fields += Object.keys(reply.fields).length
  }
  return fields
}

test.group('management / on the wire, against pmc', (group) => {
  group.teardown(() => {
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  test('GETs over L2, UDPv4 and UDPv6 equal pmc\'s answers field by field, two clocks kept apart', async ({ assert }) => {
    const counts = await Promise.all(
      (['l2', 'udp4', 'udp6'] as const).map(async (transport) => {
        const l = await lan(transport)
        let fields = 0
        try {
          const ids = [clockIdentityFromMac(l.lab.port('d1').mac), clockIdentityFromMac(l.lab.port('d2').mac)]
          // One multicast GET, two clocks: both answers come back, told apart by sourcePortIdentity.
          const both = await l.client.get('DEFAULT_DATA_SET', { expect: 2 })
          assert.sameMembers(both.answers.map((a) => a.source.clockIdentity), ids, transport)
          // While both run: every dataset of the master is static, and all but CURRENT_DATA_SET of the slave.
          for (const id of DATASETS) fields += await compare(assert, transport, l.client, l.master, id, 2)
          for (const id of DATASETS.filter((x) => x !== 'CURRENT_DATA_SET')) fields += await compare(assert, transport, l.client, l.slave, id, 2)
          // Frozen master: the slave's offset and delay stop changing, so the two readings must agree exactly.
          l.master.suspend()
          await sleep(300)
          try {
            for (const id of DATASETS) fields += await compare(assert, `${transport} frozen`, l.client, l.slave, id, 1)
            const cds = (await l.client.get('CURRENT_DATA_SET', { expect: 1 })).answers[0]!.data!
            assert.equal(cds.name, 'CURRENT_DATA_SET')
            if (cds.name === 'CURRENT_DATA_SET') {
              assert.equal(cds.stepsRemoved, 1)
              assert.notEqual(cds.meanPathDelay, 0n, `${transport}: the compared CURRENT_DATA_SET must carry a measured delay`)
            }
          } finally {
            l.master.resume()
          }
        } finally {
          l.client.close()
          await l.lab.down()
        }
        return fields
      }),
    )
    console.log(`    fields compared with pmc: L2 ${counts[0]}, UDPv4 ${counts[1]}, UDPv6 ${counts[2]}`)
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)

  test('errors, targets and timeouts: NOT_SUPPORTED for network SET, NO_SUCH_ID, a targeted GET, silence', async ({ assert }) => {
    const l = await lan('udp4')
    try {
      const set = await l.client.set('PRIORITY1', { name: 'PRIORITY1', value: 1, reserved: 0 }, { expect: 2 })
      assert.lengthOf(set.answers, 2)
      for (const a of set.answers) {
        assert.equal(a.error?.name, 'NOT_SUPPORTED')
        assert.equal(a.managementId, 0x2005)
      }
      assert.equal((await l.slave.readState()).priority1, profile('default-e2e').priorities.priority1.default.value, 'a refused SET changes nothing')

      const unknown = await l.client.get(0x7777, { expect: 2 })
      assert.deepEqual(unknown.answers.map((a) => a.error?.name), ['NO_SUCH_ID', 'NO_SUCH_ID'])
      const unsupported = await l.client.get('ALTERNATE_MASTER', { expect: 2 })
      assert.deepEqual(unsupported.answers.map((a) => a.error?.name), ['NOT_SUPPORTED', 'NOT_SUPPORTED'])

      const slavePort = { clockIdentity: clockIdentityFromMac(l.lab.port('d2').mac), portNumber: 1 }
      const targeted = await l.client.get('PORT_DATA_SET', { target: slavePort, timeoutMs: 500 })
      assert.deepEqual(targeted.answers.map((a) => a.sourceKey), [portKey(slavePort)])

      // Nobody listens on domain 99: no answer, after the whole response window.
      const other = ManagementClient.open({ interface: l.lab.port('h').ifname, netns: l.lab.netns('h'), transport: 'l2', domainNumber: 99, timeoutMs: 300 })
      try {
        const t0 = Date.now()
        const silent = await other.get('DEFAULT_DATA_SET')
        assert.lengthOf(silent.answers, 0)
        assert.isAtLeast(Date.now() - t0, 300)
      } finally {
        other.close()
      }
    } finally {
      l.client.close()
      await l.lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(40_000)
})
