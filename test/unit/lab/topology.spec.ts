import { test } from '@japa/runner'
import { BRIDGE_OPTIONS, MAX_LAN_DUTS, planTopology, TOPOLOGIES, type TopologyPlan } from '../../../harness/lab/topology.ts'
import { clockIdentityFromMac } from '../../../harness/codec/clock_identity.ts'
import { IFNAME_MAX, isValidLabId, newLabId, netnsName } from '../../../harness/lab/naming.ts'

function allPorts(p: TopologyPlan) {
  return p.nodes.flatMap((n) => n.ports)
}

/** RFC 5737 / RFC 3849 documentation ranges only. */
function inDocRange(cidr: string): boolean {
  const addr = cidr.split('/')[0]!
  return addr.startsWith('192.0.2.') || addr.startsWith('198.51.100.') || addr.toLowerCase().startsWith('2001:db8:')
}

test.group('lab / topology plans', () => {
  for (const t of TOPOLOGIES) {
    test(`${t}: names carry the lab prefix, fit IFNAMSIZ and are unique`, ({ assert }) => {
      const p = planTopology('abcdef', t, { duts: MAX_LAN_DUTS })
      for (const n of p.nodes) assert.isTrue(n.netns.startsWith('pcl-abcdef-'), n.netns)
      const names = allPorts(p).map((x) => `${x.netns}/${x.ifname}`)
      assert.equal(new Set(names).size, names.length)
      for (const x of allPorts(p)) {
        assert.isTrue(x.ifname.startsWith('pcl-abcdef-'), x.ifname)
        assert.isAtMost(x.ifname.length, IFNAME_MAX, x.ifname)
      }
      if (p.bridge) assert.isAtMost(p.bridge.ifname.length, IFNAME_MAX)
    })

    test(`${t}: MACs are unique, unicast and locally administered`, ({ assert }) => {
      const p = planTopology('x1', t)
      const macs = allPorts(p).map((x) => x.mac)
      assert.equal(new Set(macs).size, macs.length)
      for (const m of macs) {
        const first = parseInt(m.slice(0, 2), 16)
        assert.equal(first & 0x01, 0, `${m} must be unicast`)
        assert.equal(first & 0x02, 0x02, `${m} must be locally administered`)
      }
    })

    test(`${t}: every address is from a documentation range, none repeats`, ({ assert }) => {
      const p = planTopology('x1', t)
      const addrs = allPorts(p).flatMap((x) => [x.ipv4, x.ipv6].filter((a): a is string => !!a))
      assert.isAbove(addrs.length, 0)
      for (const a of addrs) assert.isTrue(inDocRange(a), a)
      assert.equal(new Set(addrs.map((a) => a.split('/')[0])).size, addrs.length)
    })

    test(`${t}: every link joins two different namespaces`, ({ assert }) => {
      const p = planTopology('x1', t)
      for (const l of p.links) assert.notEqual(l.a.netns, l.b.netns)
    })
  }

  test('pair is harness h <-> DUT d1 on one subnet', ({ assert }) => {
    const p = planTopology('q', 'pair')
    assert.deepEqual(p.nodes.map((n) => [n.name, n.role]), [['h', 'harness'], ['d1', 'dut']])
    assert.lengthOf(p.links, 1)
    assert.equal(p.links[0]!.a.ipv4, '192.0.2.1/24')
    assert.equal(p.links[0]!.b.ipv4, '192.0.2.2/24')
  })

  test('dual gives the DUT two ports on two subnets, one per harness node', ({ assert }) => {
    const p = planTopology('q', 'dual')
    const d1 = p.nodes.find((n) => n.name === 'd1')!
    assert.lengthOf(d1.ports, 2)
    assert.notEqual(d1.ports[0]!.ipv4!.split('.').slice(0, 3).join('.'), d1.ports[1]!.ipv4!.split('.').slice(0, 3).join('.'))
    const peers = p.links.map((l) => [l.a.node, l.b.node].sort().join('-')).sort()
    assert.deepEqual(peers, ['d1-ha', 'd1-hb'])
  })

  test('lan puts the harness and N DUTs on a bridge in its own namespace', ({ assert }) => {
    const p = planTopology('q', 'lan', { duts: 3 })
    assert.deepEqual(p.nodes.map((n) => n.name), ['h', 'd1', 'd2', 'd3', 'br'])
    assert.equal(p.bridge!.netns, netnsName('q', 'br'))
    assert.lengthOf(p.bridge!.members, 4)
    for (const l of p.links) assert.equal(l.b.node, 'br')
    assert.throws(() => planTopology('q', 'lan', { duts: MAX_LAN_DUTS + 1 }))
    assert.throws(() => planTopology('q', 'lan', { duts: 0 }))
  })

  test('lan with a noise port gives the harness a second, address-less port on the bridge; pair refuses one', ({ assert }) => {
    const p = planTopology('q', 'lan', { duts: 1, harnessNoisePort: true })
    const h = p.nodes.find((n) => n.name === 'h')!
    assert.deepEqual(h.ports.map((x) => x.index), [1, 2])
    assert.isUndefined(h.ports[1]!.ipv4)
    assert.isUndefined(h.ports[1]!.ipv6)
    assert.lengthOf(p.bridge!.members, 3)
    assert.lengthOf(new Set(p.bridge!.members), 3)
    assert.lengthOf(new Set(p.nodes.flatMap((n) => n.ports.map((x) => x.mac))), 6)
    assert.throws(() => planTopology('q', 'pair', { harnessNoisePort: true }), /LAN/)
  })

  test('the bridge forwards peer-delay frames: group_fwd_mask has bit 14 (01-80-C2-00-00-0E)', ({ assert }) => {
    const opts = [...BRIDGE_OPTIONS]
    const mask = Number(opts[opts.indexOf('group_fwd_mask') + 1])
    assert.equal(mask & (1 << 0x0e), 1 << 0x0e)
    assert.equal(opts[opts.indexOf('stp_state') + 1], '0')
    assert.equal(opts[opts.indexOf('mcast_snooping') + 1], '0')
    assert.equal(opts[opts.indexOf('forward_delay') + 1], '0')
  })

  test('clockIdentity from a MAC is EUI-64 with FF-FE in the middle, as ptp4l derives it', ({ assert }) => {
    assert.equal(clockIdentityFromMac('02:50:43:00:11:01'), '025043.fffe.001101')
  })

  test('lab ids: validated, derived from the PID, skipping taken ones', ({ assert }) => {
    assert.isTrue(isValidLabId('a1b2c3'))
    assert.isFalse(isValidLabId('abcdefg'))
    assert.isFalse(isValidLabId('AB'))
    assert.isFalse(isValidLabId('a-b'))
    const first = newLabId(() => false, 12345)
    assert.isTrue(first.startsWith((12345).toString(36).padStart(5, '0')))
    const taken = new Set([first])
    const next = newLabId((id) => taken.has(id) || id === first, 12345)
    assert.notEqual(next, first)
    assert.isTrue(isValidLabId(next))
  })
})
