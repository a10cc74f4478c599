import { test } from '@japa/runner'
import { DutFileError, parseDutFile } from '../../../harness/dut/remote/dut_file.ts'
import { parseDutOptions } from '../../../harness/dut/options.ts'
import { canActAs } from '../../../harness/dut/remote/adapter.ts'

const GOOD = `name: Acme GM-1000, rack 3
vendor: Acme
model: GM-1000
firmware: "2.4.1"
interface: enp3s0
mac: 00:11:22:33:44:55
ipv4: 192.0.2.10
clockIdentity: 001122.fffe.334455
capabilities:
  roles: [master, slave]
  transports: [l2, udp4]
  delayMechanisms: [E2E, P2P]
  oneStep: false
  twoStep: true
management:
  enabled: true
  transport: l2
hooks:
  restart: ssh admin@gm reboot
  timeoutMs: 30000
`

function diagnostics(text: string) {
  try {
    parseDutFile('dut.yaml', text)
  } catch (e) {
    if (e instanceof DutFileError) return e.diagnostics
    throw e
  }
  return []
}

test.group('dut / DUT file', () => {
  test('a complete file loads as written', ({ assert }) => {
    const d = parseDutFile('dut.yaml', GOOD)
    assert.equal(d.interface, 'enp3s0')
    assert.deepEqual(d.capabilities.transports, ['l2', 'udp4'])
    assert.equal(d.hooks?.restart, 'ssh admin@gm reboot')
    assert.equal(d.file, 'dut.yaml')
  })

  test('errors point at file:line:col with the path and what was expected', ({ assert }) => {
    const ds = diagnostics(GOOD.replace('mac: 00:11:22:33:44:55', 'mac: 00:11').replace('roles: [master, slave]', 'roles: [master, boss]') + 'colour: red\n')
    const byPath = Object.fromEntries(ds.map((d) => [d.path, d]))
    assert.equal(byPath.mac!.line, 6)
    assert.equal(byPath.mac!.col, 6)
    assert.match(byPath.mac!.message, /MAC address/)
    assert.equal(byPath['capabilities.roles[1]']!.line, 10)
    assert.match(byPath['capabilities.roles[1]']!.message, /one of: master, slave/)
    assert.equal(byPath.colour!.line, 21)
    assert.match(byPath.colour!.message, /unknown key 'colour'/)
  })

  test('missing required keys and YAML syntax errors are positioned too', ({ assert }) => {
    const missing = diagnostics('name: x\ninterface: eth0\n')
    assert.deepEqual(missing.map((d) => d.path), ['capabilities'])
    const broken = diagnostics('name: [x\n')
    assert.isAbove(broken.length, 0)
    assert.match(broken[0]!.message, /YAML/)
  })

  test('cross-field rules: management transport must be a capability; one- or two-step', ({ assert }) => {
    const ds = diagnostics(GOOD.replace('  transport: l2\n', '  transport: udp6\n').replace('twoStep: true', 'twoStep: false'))
    const msgs = ds.map((d) => `${d.path}: ${d.message}`)
    assert.isTrue(msgs.some((m) => m.startsWith('management.transport') && m.includes('udp6')), msgs.join('\n'))
    assert.isTrue(msgs.some((m) => m.startsWith('capabilities.twoStep')), msgs.join('\n'))
  })

  test('the message of the thrown error lists every diagnostic as file:line:col', ({ assert }) => {
    assert.throws(() => parseDutFile('dut.yaml', GOOD.replace('ipv4: 192.0.2.10', 'ipv4: 300.1.1.1')), /dut\.yaml:7:7 ipv4 must be an IPv4 address/)
  })
})

/** A two-port boundary clock: the harness's enp3s0 faces its port 1, enp4s0 its port 2. */
const RELAY = `name: Acme BC-200
interface: enp3s0
clockIdentity: 001122.fffe.334455
clock: boundary
ports:
  - { interface: enp3s0, port: 1, mac: 00:11:22:33:44:55, linkDelayNs: 10, linkUncertaintyNs: 2 }
  - { interface: enp4s0, port: 2, linkDelayNs: 15 }
capabilities:
  roles: [boundary]
  transports: [l2]
  delayMechanisms: [E2E]
  oneStep: false
  twoStep: true
`

test.group('dut / DUT file of a boundary or transparent clock', () => {
  test('clock and ports load: upstream first, each cable as declared', ({ assert }) => {
    const d = parseDutFile('bc.yaml', RELAY)
    assert.equal(d.clock, 'boundary')
    assert.deepEqual(d.ports!.map((p) => [p.interface, p.port, p.linkDelayNs, p.linkUncertaintyNs]), [
      ['enp3s0', 1, 10, 2],
      ['enp4s0', 2, 15, undefined],
    ])
  })

  test('each inconsistency is a positioned error', ({ assert }) => {
    const at = (text: string) => diagnostics(text).map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`)
    assert.match(at(RELAY.replace(/ports:\n(.*\n){2}/, ''))[0]!, /^4:8 clock: a boundary has two ports the harness faces: add ports/)
    assert.match(at(RELAY.replace('clock: boundary\n', ''))[0]!, /^4:1 ports: ports are for a boundary or transparent clock/)
    assert.match(at(RELAY.replace('interface: enp3s0, port: 1', 'interface: enp5s0, port: 1'))[0]!, /^6:18 ports\[0\]\.interface: the upstream port's harness interface is the file's interface \(enp3s0\), not enp5s0/)
    assert.match(at(RELAY.replace('interface: enp4s0, port: 2', 'interface: enp3s0, port: 2'))[0]!, /ports\[1\]\.interface: the downstream port needs its own harness interface/)
    assert.match(at(RELAY.replace('enp4s0, port: 2', 'enp4s0, port: 1'))[0]!, /ports\[1\]\.port: both entries name DUT port 1/)
    assert.match(at(RELAY.replace('clockIdentity: 001122.fffe.334455\n', ''))[0]!, /clock: a boundary's port identities are judged on the wire: add clockIdentity/)
    assert.match(at(RELAY.replace('roles: [boundary]', 'roles: [master]'))[0]!, /capabilities\.roles: clock boundary is not among capabilities\.roles \(master\)/)
    assert.match(at(RELAY.replace(/  - \{ interface: enp4s0.*\n/, ''))[0]!, /ports: must have at least 2 item/)
    assert.match(at(RELAY.replace('clock: boundary', 'clock: router'))[0]!, /clock: must be one of: ordinary, boundary, e2e-tc, p2p-tc/)
  })
})

test.group('dut / --dut-option', () => {
  test('key=value pairs, integers as numbers, anything else as text', ({ assert }) => {
    assert.deepEqual(parseDutOptions(['masterOnly=1', 'logSyncInterval=-3', 'ptp_dst_mac=01:80:C2:00:00:0E', 'transportSpecific=0x1']), {
      masterOnly: 1,
      logSyncInterval: -3,
      ptp_dst_mac: '01:80:C2:00:00:0E',
      transportSpecific: '0x1',
    })
    assert.throws(() => parseDutOptions(['masterOnly']), /key=value/)
    assert.throws(() => parseDutOptions(['=1']), /key=value/)
  })
})

test.group('dut / roles a DUT file allows', () => {
  test('a device whose BMCA decides its role (auto) serves tests that need it as master or slave', ({ assert }) => {
    assert.isTrue(canActAs(['auto'], 'master'))
    assert.isTrue(canActAs(['auto'], 'slave'))
    assert.isTrue(canActAs(['auto'], 'auto'))
  })
  test('a device configured by hooks as master or slave is not a BMCA-decided clock', ({ assert }) => {
    assert.isTrue(canActAs(['master', 'slave'], 'slave'))
    assert.isFalse(canActAs(['master', 'slave'], 'auto'))
    assert.isFalse(canActAs(['master'], 'slave'))
  })
})

test.group('dut / settings a DUT file states', () => {
  test('integer settings under 1588 data-set names are read; an unknown name is a positioned error', ({ assert }) => {
    const f = parseDutFile('dut.yaml', `${GOOD}settings:\n  logAnnounceInterval: 1\n  announceReceiptTimeout: 4\n`)
    assert.deepEqual(f.settings, { logAnnounceInterval: 1, announceReceiptTimeout: 4 })
    assert.throws(() => parseDutFile('dut.yaml', `${GOOD}settings:\n  logAnounceInterval: 1\n`), /dut\.yaml:\d+:\d+ settings/)
  })

  test('settings beyond one octet take their own ranges: a Delay_Req capacity, a grant duration', ({ assert }) => {
    const f = parseDutFile('dut.yaml', `${GOOD}settings:\n  delayRequestCapacity: 500\n  unicast_req_duration: 300\n  dscp_event: 46\n`)
    assert.deepEqual(f.settings, { delayRequestCapacity: 500, unicast_req_duration: 300, dscp_event: 46 })
    assert.throws(() => parseDutFile('dut.yaml', `${GOOD}settings:\n  dscp_event: 64\n`), /settings\.dscp_event must be <= 63/)
    assert.throws(() => parseDutFile('dut.yaml', `${GOOD}settings:\n  priority1: 256\n`), /settings\.priority1 must be <= 255/)
  })
})
