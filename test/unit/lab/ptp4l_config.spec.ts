import { test } from '@japa/runner'
import { generatePtp4lConfig, LAB_UNICAST_QUERY_INTERVAL, type Ptp4lConfigInput } from '../../../harness/dut/linuxptp/config.ts'
import { loadProfile as load } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'

const cache = new Map<string, Profile>()
function loadProfile(id: string): Profile {
  if (!cache.has(id)) cache.set(id, load(id))
  return cache.get(id)!
}

function gen(profileId: string, over: Partial<Ptp4lConfigInput> = {}) {
  const profile = loadProfile(profileId)
  return generatePtp4lConfig({
    profile,
    role: 'auto',
    transport: profile.transport.default,
    delayMechanism: profile.delayMechanism.default,
    interfaces: ['eth1'],
    udsAddress: '/run/x/dut.sock',
    ...over,
  })
}

/** The [global] value of a key, as ptp4l will read it from the text. */
function globalValue(text: string, key: string): string | undefined {
  const global = text.split(/^\[(?!global)/m)[0]!
  const m = new RegExp(`^${key.replace(/\./g, '\\.')} (.*)$`, 'm').exec(global)
  return m?.[1]
}

function section(text: string, name: string): string {
  const start = text.indexOf(`[${name}]\n`)
  if (start < 0) return ''
  const rest = text.slice(start + name.length + 3)
  const next = rest.search(/^\[/m)
  return next < 0 ? rest : rest.slice(0, next)
}

test.group('dut / ptp4l configuration from a profile', () => {
  test('default-e2e: domain, intervals, priorities, clockClass come from the profile (lab values win over defaults)', ({ assert }) => {
    const p = loadProfile('default-e2e')
    const c = gen('default-e2e')
    const lab = p.lab.ptp4l
    assert.equal(globalValue(c.text, 'domainNumber'), String(lab.domainNumber ?? p.domain.default.value))
    assert.equal(globalValue(c.text, 'logSyncInterval'), String(lab.logSyncInterval ?? p.intervals.sync.default.value))
    assert.equal(globalValue(c.text, 'logAnnounceInterval'), String(lab.logAnnounceInterval ?? p.intervals.announce.default.value))
    assert.equal(globalValue(c.text, 'announceReceiptTimeout'), String(p.timeouts.announceReceiptTimeout.default.value))
    assert.equal(globalValue(c.text, 'priority1'), String(p.priorities.priority1.default.value))
    assert.equal(globalValue(c.text, 'clockClass'), String(p.clockClass.default.value))
    assert.equal(globalValue(c.text, 'network_transport'), 'UDPv4')
    assert.equal(globalValue(c.text, 'delay_mechanism'), 'E2E')
    assert.equal(c.domainNumber, p.domain.default.value)
    assert.equal(c.transportSpecific, 0)
  })

  test('every key says where it came from, on the line above it (ptp4l allows no trailing comments)', ({ assert }) => {
    const c = gen('default-e2e')
    const lines = c.text.split('\n')
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!
      if (l === '' || l.startsWith('#') || l.startsWith('[')) continue
      assert.match(lines[i - 1]!, /^# (profile|lab|role|option|harness): /, `no reason above '${l}'`)
      assert.notInclude(l, '#', `trailing comment on '${l}'`)
    }
    const sync = c.global.find((e) => e.key === 'logSyncInterval')!
    assert.equal(sync.layer, 'lab')
  })

  test('harness settings are always there and always last: free_running 1, software time stamping, own UDS', ({ assert }) => {
    const c = gen('default-e2e', { options: { logSyncInterval: -3 } })
    assert.equal(globalValue(c.text, 'free_running'), '1')
    assert.equal(globalValue(c.text, 'time_stamping'), 'software')
    assert.equal(globalValue(c.text, 'uds_address'), '/run/x/dut.sock')
  })

  test('options cannot override safety: free_running, time_stamping, uds_address, clock_servo are refused', ({ assert }) => {
    for (const key of ['free_running', 'time_stamping', 'uds_address', 'clock_servo']) {
      assert.throws(() => gen('default-e2e', { options: { [key]: 0 } }), /cannot be overridden/)
    }
  })

  test('pass-through options win over profile and role; portN: targets one interface section', ({ assert }) => {
    const c = gen('default-e2e', { role: 'slave', options: { slaveOnly: 0, masterOnly: 1, 'port2:delayAsymmetry': 100 }, interfaces: ['eth1', 'eth2'] })
    assert.equal(globalValue(c.text, 'slaveOnly'), '0')
    assert.equal(globalValue(c.text, 'masterOnly'), '1')
    assert.include(section(c.text, 'eth2'), 'delayAsymmetry 100')
    assert.notInclude(section(c.text, 'eth1'), 'delayAsymmetry')
    assert.throws(() => gen('default-e2e', { options: { 'port3:masterOnly': 1 }, interfaces: ['a', 'b'] }), /no port 3/)
    assert.throws(() => gen('default-e2e', { options: { 'bad key': 1 } }), /invalid ptp4l setting/)
    assert.throws(() => gen('default-e2e', { options: { key: 'a\nfree_running 0' } }), /invalid ptp4l setting/)
  })

  test('a harness-only key (delayRequestCapacity, a claim about the DUT for ROB-07) is never written for ptp4l', ({ assert }) => {
    const c = gen('default-e2e', { options: { delayRequestCapacity: 1000, logSyncInterval: -2 } })
    assert.notInclude(c.text, 'delayRequestCapacity')
    assert.equal(globalValue(c.text, 'logSyncInterval'), '-2')
  })

  test('roles: master masterOnly, slave slaveOnly, BC/TC clock_type with two interfaces', ({ assert }) => {
    assert.equal(globalValue(gen('default-e2e', { role: 'master' }).text, 'masterOnly'), '1')
    assert.equal(globalValue(gen('default-e2e', { role: 'slave' }).text, 'slaveOnly'), '1')
    const two = { interfaces: ['a', 'b'] }
    assert.equal(globalValue(gen('default-e2e', { role: 'boundary', ...two }).text, 'clock_type'), 'BC')
    assert.equal(globalValue(gen('default-e2e', { role: 'e2e-tc', ...two }).text, 'clock_type'), 'E2E_TC')
    assert.equal(globalValue(gen('default-p2p', { role: 'p2p-tc', delayMechanism: 'P2P', ...two }).text, 'clock_type'), 'P2P_TC')
    assert.throws(() => gen('default-e2e', { role: 'boundary' }), /at least 2 interfaces/)
    assert.include(gen('default-e2e', two).text, '[a]\n')
    assert.include(gen('default-e2e', two).text, '[b]\n')
  })

  test('the run chooses transport and delay mechanism, whatever the profile lab block says', ({ assert }) => {
    const c = gen('default-e2e', { transport: 'udp6', delayMechanism: 'P2P' })
    assert.equal(globalValue(c.text, 'network_transport'), 'UDPv6')
    assert.equal(globalValue(c.text, 'delay_mechanism'), 'P2P')
    assert.equal(gen('default-e2e', { transport: 'l2' }).text.match(/^network_transport .*/m)![0], 'network_transport L2')
  })

  test('gPTP: transportSpecific 1, follow_up_info, path_trace_enabled, peer-delay threshold raised for veth', ({ assert }) => {
    const p = loadProfile('gptp')
    const c = gen('gptp')
    assert.equal(c.transportSpecific, p.sdo.majorSdoId.value)
    assert.equal(c.transportSpecific, 1)
    assert.equal(globalValue(c.text, 'follow_up_info'), '1')
    assert.equal(globalValue(c.text, 'path_trace_enabled'), '1')
    assert.equal(globalValue(c.text, 'network_transport'), 'L2')
    // The profile's threshold (800 ns on copper) is below veth peer delay; the lab block raises it.
    const thresh = Number(globalValue(c.text, 'neighborPropDelayThresh'))
    assert.equal(thresh, Number(p.lab.ptp4l.neighborPropDelayThresh))
    assert.isAbove(thresh, p.peerDelay!.neighborPropDelayThreshNs!.value)
  })

  test('G.8275.1: alternate BMCA and localPriority from the profile', ({ assert }) => {
    const p = loadProfile('g8275-1')
    const c = gen('g8275-1')
    assert.equal(globalValue(c.text, 'dataset_comparison'), 'G.8275.x')
    assert.equal(globalValue(c.text, 'G.8275.defaultDS.localPriority'), String(p.priorities.localPriority!.default.value))
    assert.equal(globalValue(c.text, 'domainNumber'), String(p.domain.default.value))
    assert.equal(c.domainNumber, p.domain.default.value)
  })

  test('G.8275.2: a unicast slave needs masters; the table is generated and each port points at it', ({ assert }) => {
    const p = loadProfile('g8275-2')
    assert.isTrue(p.lab.needsUnicastMasterTable === true)
    assert.throws(() => gen('g8275-2', { role: 'slave' }), /unicast master table/)
    const c = gen('g8275-2', { role: 'slave', unicastMasters: ['192.0.2.1'] })
    assert.include(c.text, `[unicast_master_table]\ntable_id 1\nlogQueryInterval ${LAB_UNICAST_QUERY_INTERVAL}\nUDPv4 192.0.2.1\n`)
    assert.include(section(c.text, 'eth1'), 'unicast_master_table 1')
    assert.notInclude(gen('g8275-2', { role: 'master' }).text, '[unicast_master_table]')
  })
})

test.group('dut / ptp4l configuration details', () => {
  test('profile MACs (IEEE dashes) are written the way ptp4l parses them (colons)', ({ assert }) => {
    const c = gen('default-e2e', { transport: 'l2' })
    assert.match(c.text, /^ptp_dst_mac 01:1B:19:00:00:00$/m)
    const g = gen('gptp')
    assert.match(g.text, /^p2p_dst_mac 01:80:C2:00:00:0E$/m)
    assert.notMatch(g.text, /^p2p_dst_mac .*-/m)
  })
})
