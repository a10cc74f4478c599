import { test } from '@japa/runner'
import { generatePtpdConfig } from '../../../harness/dut/ptpd/config.ts'
import { parsePtpdPortId, parsePtpdStatus, ptpdStatusToState, secondsToNs } from '../../../harness/dut/ptpd/status.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'

// A ptpd 2.3.1 status file from a lab slave.
const SLAVE = `Host info          :  vm, PID 15429
Local time         :  Sat Nov 21 15:40:09 UTC 2026
Interface          :  pcl-00bu10-d1-1
Preset             :  slaveonly
Transport          :  ipv4, multicast
Delay mechanism    :  E2E
Sync mode          :  TWO_STEP
PTP domain         :  0
Port state         :  PTP_SLAVE
Local port ID      :  025043fffe001101(unknown)/1
Best master ID     :  025043fffe000101(unknown)/1
Best master IP     :  192.0.2.1
GM priority        :  Priority1 128, Priority2 128, clockClass 248
Offset from Master : -0.000000282 s, mean  0.000000136 s, dev  0.000000710 s
Mean Path Delay    :  0.000002885 s, mean  0.000002414 s, dev  0.000000210 s
Clock status       :  in control, read-only
`

const MASTER = `PTP domain         :  0
Port state         :  PTP_MASTER
Local port ID      :  025043fffe001101(unknown)/1
Best master ID     :  025043fffe001101(unknown)/1 (self)
Priority1          :  128
Priority2          :  127
ClockClass         :  13
`

test.group('dut / ptpd status file', () => {
  test('a slave: state, identities, offset and delay (exact ns from the decimal text)', ({ assert }) => {
    const st = parsePtpdStatus(SLAVE)
    assert.equal(st.portState, 'SLAVE')
    assert.deepEqual(st.localPort, { clockIdentity: '025043.fffe.001101', portNumber: 1 })
    assert.deepEqual(st.bestMaster, { clockIdentity: '025043.fffe.000101', portNumber: 1 })
    assert.isFalse(st.bestMasterIsSelf)
    assert.equal(st.offsetFromMasterNs, -282n)
    assert.equal(st.meanPathDelayNs, 2885n)
    assert.equal(st.gmClockClass, 248)
    const s = ptpdStatusToState(st, 1, 'eth1')
    assert.equal(s.source, 'status-file')
    assert.equal(s.ports[0]!.portState, 'SLAVE')
    assert.equal(s.ports[0]!.ifname, 'eth1')
    assert.deepEqual(s.parentPortIdentity, { clockIdentity: '025043.fffe.000101', portNumber: 1 })
    // The status file names the parent, not the grandmaster: not guessed.
    assert.isUndefined(s.grandmasterIdentity)
  })

  test('a master is its own best master: grandmaster = itself, stepsRemoved 0', ({ assert }) => {
    const s = ptpdStatusToState(parsePtpdStatus(MASTER), 1)
    assert.equal(s.ports[0]!.portState, 'MASTER')
    assert.equal(s.grandmasterIdentity, '025043.fffe.001101')
    assert.equal(s.stepsRemoved, 0)
    assert.equal(s.priority2, 127)
  })

  test('an empty or half-written file gives no state, not a crash', ({ assert }) => {
    assert.isUndefined(parsePtpdStatus('').portState)
    assert.isUndefined(parsePtpdStatus('Port state   :  PTP_SL').portState)
    assert.lengthOf(ptpdStatusToState(parsePtpdStatus(''), 1).ports, 0)
  })

  test('helpers', ({ assert }) => {
    assert.equal(secondsToNs('1.5 s'), 1_500_000_000n)
    assert.equal(secondsToNs('-0.000000001 s'), -1n)
    assert.isUndefined(secondsToNs('n/a'))
    assert.isUndefined(parsePtpdPortId('garbage'))
  })
})

test.group('dut / ptpd configuration', () => {
  test('profile values, role preset, transport; safety keys refused as options', ({ assert }) => {
    const p = loadProfile('default-e2e')
    const c = generatePtpdConfig({ profile: p, role: 'slave', transport: 'udp4', delayMechanism: 'E2E', ifname: 'eth1', options: { 'ptpengine:ip_dscp': 46 } })
    assert.include(c.text, `ptpengine:domain = ${p.domain.default.value}\n`)
    assert.include(c.text, 'ptpengine:preset = slaveonly\n')
    assert.include(c.text, 'ptpengine:transport = ipv4\n')
    assert.include(c.text, 'ptpengine:ip_dscp = 46\n')
    assert.equal(c.entries.find((e) => e.key === 'ptpengine:log_sync_interval')!.value, String(p.lab.ptp4l.logSyncInterval ?? p.intervals.sync.default.value))
    for (const key of ['clock:no_adjust', 'clock:no_reset', 'global:lock_file', 'global:status_file']) {
      assert.throws(() => generatePtpdConfig({ profile: p, role: 'slave', transport: 'udp4', delayMechanism: 'E2E', ifname: 'eth1', options: { [key]: 'n' } }), /cannot be overridden/)
    }
  })

  test('what ptpd 2.3.1 cannot do is refused with the reason: IPv6, BC, TC', ({ assert }) => {
    const p = loadProfile('default-e2e')
    assert.throws(() => generatePtpdConfig({ profile: p, role: 'slave', transport: 'udp6', delayMechanism: 'E2E', ifname: 'e' }), /no udp6 transport/)
    assert.throws(() => generatePtpdConfig({ profile: p, role: 'boundary', transport: 'udp4', delayMechanism: 'E2E', ifname: 'e' }), /ordinary clock only/)
    assert.throws(() => generatePtpdConfig({ profile: p, role: 'e2e-tc', transport: 'udp4', delayMechanism: 'E2E', ifname: 'e' }), /ordinary clock only/)
  })
})
