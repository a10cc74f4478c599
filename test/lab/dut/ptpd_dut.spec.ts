import { test } from '@japa/runner'
import { existsSync, readFileSync } from 'node:fs'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, PtpdDut, waitForPortState, type DelayMechanismName, type Dut, type DutRole, type TransportName } from '../../../harness/dut/index.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'

const STATE = testStateDir('ptpd')

function capSysTime(pid: number): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const eff = BigInt('0x' + /^CapEff:\s*([0-9a-f]+)/m.exec(status)![1])
  const bnd = BigInt('0x' + /^CapBnd:\s*([0-9a-f]+)/m.exec(status)![1])
  return ((eff | bnd) >> 25n) & 1n ? true : false
}

const CASES: [DutRole, DelayMechanismName, TransportName][] = [
  ['master', 'E2E', 'udp4'],
  ['slave', 'E2E', 'udp4'],
  ['master', 'P2P', 'udp4'],
  ['slave', 'P2P', 'udp4'],
  ['master', 'E2E', 'l2'],
  ['slave', 'E2E', 'l2'],
  ['master', 'P2P', 'l2'],
  ['slave', 'P2P', 'l2'],
]

test.group('dut / ptpd 2.3.1 through its adapter', (group) => {
  group.teardown(() => {
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  // One lab, one case after another: the machine is shared, and each case starts its own processes.
  test('ptpd as master and as slave of ptp4l, E2E and P2P, over UDPv4 and Ethernet: state read from its status file', async ({ assert }) => {
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      for (const [role, delay, transport] of CASES) {
        const tag = `ptpd ${role} ${delay} ${transport}`
        const p = profile(delay === 'P2P' ? 'default-p2p' : 'default-e2e')
        const ptpd = new PtpdDut({ tracker: lab, label: 'pd', node: 'd1' })
        const ptp4l = new LinuxptpDut({ tracker: lab, label: 'p4', node: 'h' })
        const started = Date.now()
        try {
          // The options the session gives: the domain and 1588 names, mapped to ptpd keys by the adapter.
          await Promise.all([
            ptpd.start({ profile: p, role, transport, delayMechanism: delay, interfaces: [lab.port('d1')], options: { domainNumber: 0, ...FAST } }),
            ptp4l.start({ profile: p, role: role === 'master' ? 'slave' : 'master', transport, delayMechanism: delay, interfaces: [lab.port('h')], options: { ...FAST } }),
          ])
          const [master, slave]: Dut[] = role === 'master' ? [ptpd, ptp4l] : [ptp4l, ptpd]
          const [m, s] = await Promise.all([waitForPortState(master, 'MASTER', { timeoutMs: 20_000 }), waitForPortState(slave, 'SLAVE', { timeoutMs: 20_000 })])
          const ptpdState = await ptpd.readState()
          const masterId = clockIdentityFromMac(lab.port(role === 'master' ? 'd1' : 'h').mac)
          console.log(
            `    ${tag.padEnd(24)} MASTER ${m.elapsedMs} ms, SLAVE ${s.elapsedMs} ms; ptpd ${ptpdState.ports[0]?.portState}` +
              (role === 'slave' ? `, offset ${ptpdState.offsetFromMasterNs} ns, path delay ${ptpdState.meanPathDelayNs ?? ptpdState.ports[0]?.peerMeanPathDelayNs} ns` : '') +
              ` (${Date.now() - started} ms)`,
          )
          assert.equal(ptpdState.source, 'status-file', tag)
          assert.equal(ptpdState.ports[0]!.portState, role === 'master' ? 'MASTER' : 'SLAVE', tag)
          assert.equal(ptpdState.clockIdentity, clockIdentityFromMac(lab.port('d1').mac), tag)
          assert.deepEqual(s.state.parentPortIdentity, { clockIdentity: masterId, portNumber: 1 }, tag)
          // A master is its own grandmaster; a slave's comes from ptpd's statistics log.
          assert.equal(ptpdState.grandmasterIdentity, masterId, tag)
          const rec = ptpd.settings()!
          assert.include(rec.config, `ptpengine:transport = ${transport === 'udp4' ? 'ipv4' : 'ethernet'}\n`, tag)
          assert.include(rec.config, `ptpengine:delay_mechanism = ${delay}\n`, tag)
          assert.include(rec.config, `ptpengine:log_sync_interval = ${FAST.logSyncInterval}\n`, tag)
          assert.includeMembers(rec.argv, ['--clock:no_adjust=y', '--clock:no_reset=y', '--inh-caps=-sys_time', '--bounding-set=-sys_time'], tag)
          assert.isFalse(capSysTime(ptpd.pid!), tag)
        } finally {
          await Promise.all([ptpd.stop(), ptp4l.stop()])
        }
      }
      assert.lengthOf(lab.processes, 0)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(240_000)

  test('two ptpd in one lab keep their own lock and status files; stop by PID leaves nothing; refusals name the reason', async ({ assert }) => {
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      const p = profile('default-e2e')
      const a = new PtpdDut({ tracker: lab, label: 'a', node: 'd1' })
      const b = new PtpdDut({ tracker: lab, label: 'b', node: 'h' })
      await Promise.all([
        a.start({ profile: p, role: 'master', transport: 'udp4', interfaces: [lab.port('d1')], options: { domainNumber: 0, ...FAST } }),
        b.start({ profile: p, role: 'slave', transport: 'udp4', interfaces: [lab.port('h')], options: { domainNumber: 0, ...FAST } }),
      ])
      assert.notEqual(a.lockPath, b.lockPath)
      assert.notEqual(a.statusPath, b.statusPath)
      assert.include(a.settings()!.argv, `--global:lock_file=${a.lockPath}`)
      assert.include(b.settings()!.argv, `--global:status_file=${b.statusPath}`)
      const s = await waitForPortState(b, 'SLAVE', { timeoutMs: 20_000 })
      assert.equal(s.state.parentPortIdentity?.clockIdentity, clockIdentityFromMac(lab.port('d1').mac))
      assert.equal((await a.describe()).stateSource, 'status-file')

      const c = new PtpdDut({ tracker: lab, label: 'c', node: 'h' })
      await assert.rejects(() => c.start({ profile: p, role: 'slave', transport: 'udp6', interfaces: [lab.port('h')] }), /no udp6 transport/)
      await assert.rejects(() => c.start({ profile: p, role: 'boundary', transport: 'udp4', interfaces: [lab.port('h')] }), /ordinary clock only/)
      await assert.rejects(() => c.start({ profile: p, role: 'slave', transport: 'udp4', interfaces: [lab.port('h')], options: { logSyncInterval: -8 } }), /outside ptpd 2.3.1's range -7..7/)
      assert.isFalse(c.running)

      const pids = [a.pid!, b.pid!]
      await Promise.all([a.stop(), b.stop()])
      assert.isFalse(a.running)
      for (const pid of pids) assert.isFalse(existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ptpd'), `pid ${pid}`)
      assert.lengthOf(lab.processes, 0)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)
})
