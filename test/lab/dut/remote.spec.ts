import { test } from '@japa/runner'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Lab, clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { LinuxptpDut, PtpdDut, RemoteDut, parseDutFile, waitForPortState, type DutState } from '../../../harness/dut/index.ts'
import { FAST, isRoot, NEEDS_ROOT, profile, removeStateDir, testStateDir } from '../../support/lab/env.ts'

const STATE = testStateDir('remote')

test.group('dut / remote device from a DUT file', (group) => {
  group.teardown(() => {
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  test('state by management on the wire, hooks for restart and configuration, refusals without hooks', async ({ assert }) => {
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      // The "real device" is a ptp4l the test starts; the remote adapter only talks to it.
      const device = new LinuxptpDut({ tracker: lab, label: 'device', node: 'd1' })
      await device.start({ profile: profile('default-e2e'), role: 'auto', transport: 'l2', interfaces: [lab.port('d1')], options: { ...FAST } })
      await waitForPortState(device, 'MASTER', { timeoutMs: 15_000 })
      const marker = join(lab.runDir, 'hooks.log')
      const file = join(lab.runDir, 'device.yaml')
      writeFileSync(
        file,
        [
          'name: lab ptp4l posing as a device',
          'vendor: linuxptp',
          'firmware: "3.1.1"',
          `interface: ${lab.port('h').ifname}`,
          `netns: ${lab.netns('h')}`,
          `mac: ${lab.port('d1').mac}`,
          `clockIdentity: ${clockIdentityFromMac(lab.port('d1').mac)}`,
          'capabilities:',
          '  roles: [auto, master, slave]',
          '  transports: [l2, udp4]',
          '  delayMechanisms: [E2E]',
          '  oneStep: false',
          '  twoStep: true',
          'management:',
          '  enabled: true',
          '  transport: l2',
          'hooks:',
          `  start: echo "start $PTP_CONFORM_ROLE $PTP_CONFORM_PROFILE $PTP_CONFORM_TRANSPORT" >> ${marker}`,
          `  restart: echo restart >> ${marker}`,
          `  configure: echo "$PTP_CONFORM_SETTING=$PTP_CONFORM_VALUE" >> ${marker}; echo configured`,
          '  timeoutMs: 5000',
          '',
        ].join('\n'),
      )
      const remote = new RemoteDut({ dut: file })
      const d = await remote.describe()
      assert.equal(d.stateSource, 'management-wire')
      assert.equal(d.implementation, 'linuxptp')
      assert.isTrue(d.notes.some((n) => /no kill hook/.test(n)))

      await remote.start({ profile: profile('default-e2e'), role: 'auto', transport: 'l2', interfaces: [] })
      const wire: DutState = await remote.readState()
      const uds = await device.readState()
      assert.equal(wire.source, 'management-wire')
      assert.equal(wire.clockIdentity, uds.clockIdentity)
      assert.equal(wire.ports[0]!.portState, 'MASTER')
      assert.equal(wire.ports[0]!.portState, uds.ports[0]!.portState)
      assert.equal(wire.grandmasterIdentity, uds.grandmasterIdentity)
      assert.equal(wire.priority1, uds.priority1)

      await remote.restart()
      assert.deepEqual(await remote.set('priority2', 99), { setting: 'priority2', value: 99, applied: 'hook' })
      await assert.rejects(() => remote.kill(), /no kill hook/)
      assert.deepEqual(readFileSync(marker, 'utf8').trim().split('\n'), ['start auto default-e2e l2', 'restart', 'priority2=99'])
      assert.include(await remote.logs(), 'configured')
      assert.equal(remote.settings()!.config, readFileSync(file, 'utf8'))
      assert.equal(remote.settings()!.options.priority2, 99)

      await assert.rejects(() => remote.start({ profile: profile('default-e2e'), role: 'boundary', interfaces: [] }), /cannot act as boundary/)
      await assert.rejects(() => remote.start({ profile: profile('default-e2e'), role: 'auto', transport: 'udp6', interfaces: [] }), /does not speak udp6/)
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(40_000)

  test('ptpd 2.3.1 answers no GET addressed to its clockIdentity (all ports), only the wildcard: state reads fall back to it, take only its clock\'s answers, and the DUT log says so', async ({ assert }) => {
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      const device = new PtpdDut({ tracker: lab, label: 'device', node: 'd1' })
      await device.start({ profile: profile('default-e2e'), role: 'auto', transport: 'udp4', interfaces: [lab.port('d1')] })
      const d1 = lab.port('d1')
      const file = parseDutFile(
        'ptpd.yaml',
        [
          'name: lab ptpd posing as a device',
          `interface: ${lab.port('h').ifname}`,
          `netns: ${lab.netns('h')}`,
          `clockIdentity: ${clockIdentityFromMac(d1.mac)}`,
          `ipv4: ${d1.ipv4Address}`,
          'capabilities:',
          '  roles: [auto]',
          '  transports: [udp4]',
          '  delayMechanisms: [E2E]',
          '  oneStep: false',
          '  twoStep: true',
          'management:',
          '  enabled: true',
          '  transport: udp4',
          '',
        ].join('\n'),
      )
      const remote = new RemoteDut({ dut: file })
      await remote.start({ profile: profile('default-e2e'), role: 'auto', transport: 'udp4', interfaces: [] })
      const st = await remote.readState()
      assert.equal(st.clockIdentity, clockIdentityFromMac(d1.mac))
      assert.lengthOf(st.ports, 1)
      // The configured interval comes back over management: what the harness judges the device against.
      const configured = Number(/^ptpengine:log_announce_interval = (-?\d+)$/m.exec(device.settings()!.config)![1])
      assert.equal(st.ports[0]!.logAnnounceInterval, configured)
      assert.include(await remote.logs(), 'only the all-ones wildcard')
      const t0 = Date.now()
      await remote.readState()
      assert.isBelow(Date.now() - t0, 450, 'once learnt, a read waits for no silence (the response window is 500 ms)')
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(40_000)

  test('a device that answers no management: passive observation only, and the adapter says so', async ({ assert }) => {
    const dut = parseDutFile(
      'passive.yaml',
      ['name: silent GM', 'interface: eth9', 'capabilities:', '  roles: [master]', '  transports: [l2]', '  delayMechanisms: [P2P]', '  oneStep: true', '  twoStep: false', ''].join('\n'),
    )
    const remote = new RemoteDut({ dut })
    const d = await remote.describe()
    assert.equal(d.stateSource, 'passive')
    assert.isFalse(d.capabilities.wireManagement)
    await assert.rejects(() => remote.readState(), /passive observation only/)
    const seen: DutState = { source: 'passive', readAt: 1, ports: [{ portNumber: 1, portState: 'MASTER' }] }
    remote.observe(() => seen)
    assert.strictEqual(await remote.readState(), seen)
    await assert.rejects(() => remote.restart(), /no restart hook/)
    await assert.rejects(() => remote.set('priority1', 1), /no configure hook/)
  })
})
