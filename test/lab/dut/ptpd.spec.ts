import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, PtpdDut, waitForPortState, type DutRole, type TransportName } from '../../../harness/dut/index.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'

const STATE = testStateDir('ptpd')

async function mixed(ptpdRole: DutRole, transport: TransportName) {
  const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
  const p = profile('default-e2e')
  const ptp4l = new LinuxptpDut({ tracker: lab, label: 'p4', node: 'h' })
  const ptpd = new PtpdDut({ tracker: lab, label: 'pd', node: 'd1' })
  await Promise.all([
    ptp4l.start({ profile: p, role: ptpdRole === 'slave' ? 'master' : 'slave', transport, interfaces: [lab.port('h')], options: { ...FAST } }),
    ptpd.start({ profile: p, role: ptpdRole, transport, interfaces: [lab.port('d1')], options: { 'ptpengine:log_sync_interval': -3, 'ptpengine:log_announce_interval': -2 } }),
  ])
  return { lab, ptp4l, ptpd, startedAt: Date.now() }
}

test.group('dut / ptpd with ptp4l', (group) => {
  group.teardown(() => {
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  test('ptpd interoperates with ptp4l over UDPv4 (ptpd slave, then ptpd master) and over Ethernet', async ({ assert }) => {
    const runs = await Promise.all(
      ([['slave', 'udp4'], ['master', 'udp4'], ['slave', 'l2']] as [DutRole, TransportName][]).map(async ([role, transport]) => {
        const { lab, ptp4l, ptpd, startedAt } = await mixed(role, transport)
        try {
          const slave = role === 'slave' ? ptpd : ptp4l
          const master = role === 'slave' ? ptp4l : ptpd
          const [m, s] = await Promise.all([waitForPortState(master, 'MASTER', { timeoutMs: 20_000 }), waitForPortState(slave, 'SLAVE', { timeoutMs: 20_000 })])
          const masterId = clockIdentityFromMac(lab.port(role === 'slave' ? 'h' : 'd1').mac)
          const slaveState = s.state
          console.log(`    ptpd ${role.padEnd(6)} over ${transport}: MASTER ${m.elapsedMs} ms, SLAVE ${s.elapsedMs} ms after start (${Date.now() - startedAt} ms total)`)
          return { role, transport, slaveState, masterId, ptpdState: await ptpd.readState(), ptpdPid: ptpd.pid!, record: ptpd.settings()! }
        } finally {
          await lab.down()
        }
      }),
    )
    for (const r of runs) {
      const tag = `ptpd ${r.role} ${r.transport}`
      assert.deepEqual(r.slaveState.parentPortIdentity, { clockIdentity: r.masterId, portNumber: 1 }, tag)
      assert.equal(r.ptpdState.source, 'status-file', tag)
      assert.equal(r.ptpdState.ports[0]!.portState, r.role === 'slave' ? 'SLAVE' : 'MASTER', tag)
      // Never adjusting the clock: on the command line, where no config file or option can undo it.
      assert.includeMembers(r.record.argv, ['--clock:no_adjust=y', '--clock:no_reset=y', '--inh-caps=-sys_time', '--bounding-set=-sys_time'], tag)
      assert.include(r.record.config, `ptpengine:transport = ${r.transport === 'udp4' ? 'ipv4' : 'ethernet'}`)
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)

  test('ptpd runs without CAP_SYS_TIME with its own lock and status files; what it cannot do is refused', async ({ assert }) => {
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      const a = new PtpdDut({ tracker: lab, label: 'a', node: 'd1' })
      const p = profile('default-e2e')
      await a.start({ profile: p, role: 'master', transport: 'udp4', interfaces: [lab.port('d1')] })
      const status = readFileSync(`/proc/${a.pid}/status`, 'utf8')
      const eff = BigInt('0x' + /^CapEff:\s*([0-9a-f]+)/m.exec(status)![1])
      assert.equal((eff >> 25n) & 1n, 0n)
      assert.include(a.settings()!.argv, `--global:lock_file=${a.lockPath}`)
      assert.include(a.settings()!.argv, `--global:status_file=${a.statusPath}`)
      assert.equal((await a.describe()).stateSource, 'status-file')
      const b = new PtpdDut({ tracker: lab, label: 'b', node: 'h' })
      await assert.rejects(() => b.start({ profile: p, role: 'slave', transport: 'udp6', interfaces: [lab.port('h')] }), /no udp6 transport/)
      await assert.rejects(() => b.start({ profile: p, role: 'boundary', transport: 'udp4', interfaces: [lab.port('h')] }), /ordinary clock only/)
      await a.stop()
      assert.isFalse(a.running)
      assert.lengthOf(lab.processes, 0)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)
})
