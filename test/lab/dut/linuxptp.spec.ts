import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, waitForPortState, waitForState, type DelayMechanismName, type DutRole, type TransportName } from '../../../harness/dut/index.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'

const STATE = testStateDir('linuxptp')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function capSysTime(pid: number): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const eff = BigInt('0x' + /^CapEff:\s*([0-9a-f]+)/m.exec(status)![1])
  const bnd = BigInt('0x' + /^CapBnd:\s*([0-9a-f]+)/m.exec(status)![1])
  return ((eff | bnd) >> 25n) & 1n ? true : false
}

interface Pair {
  lab: Lab
  master: LinuxptpDut
  slave: LinuxptpDut
  /** Lab up, ms. */
  labMs: number
  /** Date.now() when both ptp4l had been started. */
  startedAt: number
}

async function pair(profileId: string, transport: TransportName, delay: DelayMechanismName, roles: [DutRole, DutRole] = ['master', 'slave'], extra: Record<string, number> = {}): Promise<Pair> {
  const t0 = Date.now()
  const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
  const labMs = Date.now() - t0
  const master = new LinuxptpDut({ tracker: lab, label: 'h', node: 'h' })
  const slave = new LinuxptpDut({ tracker: lab, label: 'd1', node: 'd1' })
  const p = profile(profileId)
  await Promise.all([
    master.start({ profile: p, role: roles[0], transport, delayMechanism: delay, interfaces: [lab.port('h')], options: { ...FAST, ...extra } }),
    slave.start({ profile: p, role: roles[1], transport, delayMechanism: delay, interfaces: [lab.port('d1')], options: { ...FAST } }),
  ])
  return { lab, master, slave, labMs, startedAt: Date.now() }
}

test.group('dut / linuxptp in the lab', (group) => {
  group.teardown(() => {
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  test('two ptp4l reach MASTER and SLAVE over L2, UDPv4 and UDPv6 with E2E and P2P', async ({ assert }) => {
    const combos: [TransportName, DelayMechanismName][] = [
      ['l2', 'E2E'], ['udp4', 'E2E'], ['udp6', 'E2E'],
      ['l2', 'P2P'], ['udp4', 'P2P'], ['udp6', 'P2P'],
    ]
    // In parallel labs: the configurations are independent and each waits mostly on timers.
    const results = await Promise.all(
      combos.map(async ([transport, delay]) => {
        const { lab, master, slave, labMs, startedAt } = await pair(delay === 'E2E' ? 'default-e2e' : 'default-p2p', transport, delay)
        try {
          // Both watched at once: each time is from the moment both ptp4l were running.
          const [m, s] = await Promise.all([waitForPortState(master, 'MASTER', { timeoutMs: 15_000 }), waitForPortState(slave, 'SLAVE', { timeoutMs: 15_000 })])
          // A delay measurement has happened once the path delay is non-zero.
          const { state: measured } = await waitForState(slave, (x) => (delay === 'E2E' ? (x.meanPathDelayNs ?? 0n) > 0n : (x.ports[0]?.peerMeanPathDelayNs ?? 0n) > 0n), `${transport}/${delay} path delay`, { timeoutMs: 10_000 })
          const masterState = await master.readState()
          return { transport, delay, labMs, masterMs: m.elapsedMs, slaveMs: s.elapsedMs, measured, masterState, lab, startedAt }
        } finally {
          await lab.down()
        }
      }),
    )
    for (const r of results) {
      const tag = `${r.transport}/${r.delay}`
      const masterId = clockIdentityFromMac(r.lab.port('h').mac)
      assert.equal(r.masterState.clockIdentity, masterId, tag)
      assert.equal(r.masterState.ports[0]!.portState, 'MASTER', tag)
      assert.equal(r.measured.ports[0]!.portState, 'SLAVE', tag)
      assert.equal(r.measured.grandmasterIdentity, masterId, tag)
      assert.deepEqual(r.measured.parentPortIdentity, { clockIdentity: masterId, portNumber: 1 }, tag)
      assert.equal(r.measured.stepsRemoved, 1, tag)
      assert.equal(r.measured.ports[0]!.delayMechanism, r.delay, tag)
      assert.equal(r.measured.ports[0]!.logSyncInterval, FAST.logSyncInterval, tag)
      // veth software timestamps: microseconds, not milliseconds.
      const delayNs = r.delay === 'E2E' ? r.measured.meanPathDelayNs! : r.measured.ports[0]!.peerMeanPathDelayNs!
      assert.isBelow(Number(delayNs), 1_000_000, `${tag} path delay ${delayNs} ns`)
      console.log(`    ${tag.padEnd(9)} lab up ${r.labMs} ms; after start: MASTER ${r.masterMs} ms, SLAVE ${r.slaveMs} ms; path delay ${delayNs} ns`)
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)

  test('gPTP (transportSpecific 1, pmc -t 1): asCapable and SLAVE with the lab threshold', async ({ assert }) => {
    const { lab, master, slave } = await pair('gptp', 'l2', 'P2P')
    try {
      await waitForPortState(slave, 'SLAVE', { timeoutMs: 15_000 })
      const s = await slave.readState()
      assert.isTrue(s.ports[0]!.asCapable)
      assert.equal(slave.pmcTarget.transportSpecific, 1)
      assert.equal(s.priority1, profile('gptp').priorities.priority1.default.value)
      assert.equal((await master.readState()).ports[0]!.portState, 'MASTER')
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('the DUT cannot touch the clock: no CAP_SYS_TIME, free_running 1; the settings in force are recorded', async ({ assert }) => {
    const { lab, master, slave } = await pair('default-e2e', 'udp4', 'E2E')
    try {
      for (const d of [master, slave]) {
        assert.isFalse(capSysTime(d.pid!), `${d.label} holds CAP_SYS_TIME`)
        const rec = d.settings()!
        assert.equal(rec.implementation, 'linuxptp')
        assert.equal(rec.version, '3.1.1')
        assert.equal(rec.config, readFileSync(d.configPath, 'utf8'))
        assert.match(rec.config, /^free_running 1$/m)
        assert.match(rec.config, /^time_stamping software$/m)
        assert.deepEqual(rec.options, { ...FAST })
        assert.deepEqual(rec.argv.slice(0, 4), ['ip', 'netns', 'exec', d === master ? lab.netns('h') : lab.netns('d1')])
        assert.includeMembers(rec.argv, ['setpriv', '--inh-caps=-sys_time', '--bounding-set=-sys_time', '-S'])
      }
      const described = await slave.describe()
      assert.equal(described.stateSource, 'management-uds')
      assert.isFalse(described.capabilities.oneStep)
      // The lab's record names the DUT processes, so `lab down` would stop them.
      assert.sameMembers(lab.processes.map((p) => p.pid), [master.pid!, slave.pid!])
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('set(): priority1 at run time over UDS; an interval by config change and restart', async ({ assert }) => {
    const { lab, master, slave } = await pair('default-e2e', 'udp4', 'E2E')
    try {
      await waitForPortState(slave, 'SLAVE', { timeoutMs: 15_000 })
      const r1 = await slave.set('priority1', 77)
      assert.deepEqual(r1, { setting: 'priority1', value: 77, applied: 'runtime' })
      assert.equal((await slave.readState()).priority1, 77)
      const before = master.pid
      const r2 = await master.set('logSyncInterval', -2)
      assert.equal(r2.applied, 'restart')
      assert.notEqual(master.pid, before)
      const m = await waitForPortState(master, 'MASTER', { timeoutMs: 15_000 })
      assert.equal(m.state.ports[0]!.logSyncInterval, -2)
      assert.equal(master.settings()!.options.logSyncInterval, -2)
      assert.match(master.settings()!.config, /^logSyncInterval -2$/m)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(40_000)

  test('kill() is SIGKILL: the slave loses its master and takes over; restart() brings the master back', async ({ assert }) => {
    const { lab, master, slave } = await pair('default-e2e', 'l2', 'E2E', ['auto', 'auto'], { priority1: 100 })
    try {
      await waitForPortState(slave, 'SLAVE', { timeoutMs: 15_000 })
      const pid = master.pid!
      await master.kill()
      assert.isFalse(master.running)
      assert.throws(() => readFileSync(`/proc/${pid}/cmdline`))
      const t0 = Date.now()
      await waitForPortState(slave, 'MASTER', { timeoutMs: 10_000 })
      const failoverMs = Date.now() - t0
      await master.restart()
      await waitForPortState(slave, 'SLAVE', { timeoutMs: 15_000 })
      console.log(`    failover after SIGKILL: ${failoverMs} ms (announce interval 250 ms, announceReceiptTimeout ${profile('default-e2e').timeouts.announceReceiptTimeout.default.value})`)
      const logs = await slave.logs()
      assert.match(logs, /to SLAVE on/)
      assert.match(logs, /to MASTER on/)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)

  test('a pass-through option reproduces a misconfigured device: masterOnly keeps the worse clock MASTER', async ({ assert }) => {
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      const good = new LinuxptpDut({ tracker: lab, label: 'good', node: 'h' })
      const bad = new LinuxptpDut({ tracker: lab, label: 'bad', node: 'd1' })
      const p = profile('default-e2e')
      await good.start({ profile: p, role: 'auto', interfaces: [lab.port('h')], options: { ...FAST, priority1: 100 } })
      await bad.start({ profile: p, role: 'auto', interfaces: [lab.port('d1')], options: { ...FAST, priority1: 200, masterOnly: 1 } })
      await waitForPortState(good, 'MASTER', { timeoutMs: 15_000 })
      await waitForPortState(bad, 'MASTER', { timeoutMs: 15_000 })
      await sleep(1500)
      // The better clock stays MASTER (the bad one's Announce are worse); the worse one never becomes SLAVE.
      assert.equal((await bad.readState()).ports[0]!.portState, 'MASTER')
      assert.equal((await good.readState()).ports[0]!.portState, 'MASTER')
      assert.match(bad.settings()!.config, /# option: pass-through option\nmasterOnly 1\n/)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(40_000)

  test('boundary clock and transparent clocks on the dual topology', async ({ assert }) => {
    const run = async (role: DutRole, profileId: string, delay: DelayMechanismName) => {
      const lab = await Lab.up({ topology: 'dual', stateDir: STATE })
      try {
        const p = profile(profileId)
        const gm = new LinuxptpDut({ tracker: lab, label: 'ha', node: 'ha' })
        const dut = new LinuxptpDut({ tracker: lab, label: 'd1', node: 'd1' })
        const end = new LinuxptpDut({ tracker: lab, label: 'hb', node: 'hb' })
        const common = { profile: p, transport: 'l2' as const, delayMechanism: delay, options: { ...FAST } }
        await Promise.all([
          gm.start({ ...common, role: 'master', interfaces: [lab.port('ha')] }),
          dut.start({ ...common, role, interfaces: [lab.port('d1', 1), lab.port('d1', 2)] }),
          end.start({ ...common, role: 'slave', interfaces: [lab.port('hb')] }),
        ])
        const gmId = clockIdentityFromMac(lab.port('ha').mac)
        // The far slave may first follow the DUT itself (a BC is its own grandmaster until it hears ha): wait for the real one.
        const s = await waitForState(end, (x) => x.ports[0]?.portState === 'SLAVE' && x.grandmasterIdentity === gmId, `SLAVE to ${gmId}`, { timeoutMs: 20_000 })
        const dutState = await dut.readState()
        return { s: s.state, gmId, dutState, dutId: clockIdentityFromMac(lab.port('d1', 1).mac) }
      } finally {
        await lab.down()
      }
    }
    const [bc, e2e, p2p] = await Promise.all([run('boundary', 'default-e2e', 'E2E'), run('e2e-tc', 'default-e2e', 'E2E'), run('p2p-tc', 'default-p2p', 'P2P')])
    // Through a boundary clock the far slave's parent is the BC, two steps from the grandmaster.
    assert.equal(bc.s.grandmasterIdentity, bc.gmId)
    assert.equal(bc.s.parentPortIdentity!.clockIdentity, bc.dutId)
    assert.equal(bc.s.stepsRemoved, 2)
    assert.equal(bc.dutState.source, 'management-uds')
    assert.sameMembers(bc.dutState.ports.map((p) => p.portState), ['SLAVE', 'MASTER'])
    // Through a transparent clock the far slave sees the grandmaster itself, one step away.
    for (const tc of [e2e, p2p]) {
      // A linuxptp TC answers no management: its state comes from its log.
      assert.equal(tc.dutState.source, 'log')
      assert.lengthOf(tc.dutState.ports, 2)
      assert.equal(tc.s.grandmasterIdentity, tc.gmId)
      assert.equal(tc.s.parentPortIdentity!.clockIdentity, tc.gmId)
      assert.equal(tc.s.stepsRemoved, 1)
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)
})
