/**
 * Native ports on a real veth pair between two namespaces: frames on every
 * transport mapping carry TX and RX timestamps, multicast membership, VLAN tags
 * and DSCP/traffic class survive the trip, failures carry their error codes,
 * and opening/closing ports leaks nothing.
 */
import { test } from '@japa/runner'
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openPort, phcTimeNs, systemTimeNs, interfaceInfo, PTP_PDELAY_IPV4, PTP_PDELAY_IPV6, PTP_PDELAY_MAC, PTP_PRIMARY_IPV4, PTP_PRIMARY_MAC, ptpPrimaryIpv6 } from '../../../harness/transport/index.ts'
import type { Port } from '../../../harness/transport/port.ts'
import type { ReceivedFrame, TransportKind, TxResult } from '../../../harness/transport/types.ts'
import { collectFrames, percentile } from '../../support/transport/collect.ts'
import { MessageType, ptpMessage, sequenceIdOf } from '../../support/transport/ptp_message.ts'
import { createVethPair, type VethPair } from '../../support/transport/veth_pair.ts'

const isRoot = process.getuid?.() === 0
const childScript = fileURLToPath(new URL('../../support/transport/child_open_port.ts', import.meta.url))

function openPair(pair: VethPair, transport: TransportKind, extra: Record<string, unknown> = {}): [Port, Port] {
  const a = openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport, ...extra })
  try {
    const b = openPort({ interface: pair.b.ifname, netns: pair.b.netns, transport, ...extra })
    return [a, b]
  } catch (err) {
    a.close()
    throw err
  }
}

test.group('transport / ports on a veth pair', (group) => {
  let pair: VethPair
  group.setup(() => {
    if (!isRoot) return
    pair = createVethPair('tp')
    return () => pair.destroy()
  })

  for (const transport of ['l2', 'udp4', 'udp6'] as const) {
    test(`${transport}: every frame has TX and RX timestamps, one-way latency is plausible`, async ({ assert }) => {
      const [a, b] = openPair(pair, transport)
      try {
        assert.equal(a.timestamping.mode, 'software') // veth: software timestamps only, no PHC
        assert.isNull(a.timestamping.phcIndex)
        const n = 40
        const received = collectFrames(b, n)
        const sent: { seq: number; tx: TxResult }[] = []
        for (let i = 0; i < n; i++) {
          // Half event messages to the primary address, half general messages
          // to the peer-delay address: both sockets, both groups.
          const event = i % 2 === 0
          const m = ptpMessage(event ? MessageType.Sync : MessageType.FollowUp, 1000 + i)
          sent.push({ seq: 1000 + i, tx: await a.send(m, { event, dest: event ? 'primary' : 'pdelay' }) })
        }
        const frames = await received
        assert.lengthOf(frames, n)
        for (const s of sent) {
          assert.equal(s.tx.clock, 'system')
          assert.isTrue(s.tx.txTimestampNs > s.tx.sendNs, 'TX timestamp after the send call')
        }
        const bySeq = new Map(frames.map((f) => [sequenceIdOf(f.data), f]))
        const latency: bigint[] = []
        for (const s of sent) {
          const f = bySeq.get(s.seq)
          assert.exists(f, `frame ${s.seq} received`)
          assert.isNotNull(f!.rxTimestampNs)
          assert.equal(f!.clock, 'system')
          assert.equal(f!.interface, pair.b.ifname)
          latency.push(f!.rxTimestampNs! - s.tx.txTimestampNs)
          const event = (s.seq - 1000) % 2 === 0
          if (transport === 'l2') {
            assert.equal(f!.dstMac, event ? PTP_PRIMARY_MAC : PTP_PDELAY_MAC)
            assert.equal(f!.srcMac, pair.a.mac)
            assert.isUndefined(f!.vlan)
            assert.equal(f!.raw!.length, 14 + f!.data.length)
          } else {
            assert.equal(f!.socket, event ? 'event' : 'general')
            assert.equal(f!.dstPort, event ? 319 : 320)
            const groups = transport === 'udp4' ? [PTP_PRIMARY_IPV4, PTP_PDELAY_IPV4] : [ptpPrimaryIpv6(0xe), PTP_PDELAY_IPV6]
            assert.equal(f!.dstAddress, event ? groups[0] : groups[1])
            assert.equal(f!.srcPort, event ? 319 : 320)
          }
        }
        for (const l of latency) assert.isTrue(l > 0n, `RX after TX (got ${l} ns)`)
        // Kernel TX(SND)→RX across a veth is 1–3 µs; a median below 1 ms
        // only rules out nonsense (wrong clock, wrong correlation).
        assert.isTrue(percentile(latency, 0.5) < 1_000_000n, `one-way p50 ${percentile(latency, 0.5)} ns`)
        assert.equal(a.unmatchedTxTimestamps, 0)
      } finally {
        a.close()
        b.close()
      }
    }).skip(!isRoot, 'needs root for network namespaces')
  }

  test('udp4 and l2 unicast reach the peer address', async ({ assert }) => {
    for (const transport of ['udp4', 'udp6', 'l2'] as const) {
      const [a, b] = openPair(pair, transport)
      try {
        const dest = transport === 'l2' ? pair.b.mac : transport === 'udp4' ? pair.b.ipv4 : pair.b.ipv6
        const got = collectFrames(b, 1)
        await a.send(ptpMessage(MessageType.DelayReq, 7), { dest })
        const [f] = await got
        assert.exists(f, `${transport} unicast received`)
        if (transport === 'l2') assert.equal(f!.dstMac, pair.b.mac)
        else assert.equal(f!.dstAddress, dest)
      } finally {
        a.close()
        b.close()
      }
    }
  }).skip(!isRoot, 'needs root')

  test('udp4/udp6: a send from a second address of the interface leaves from it (one emulated grandmaster per address)', async ({ assert }) => {
    for (const transport of ['udp4', 'udp6'] as const) {
      const second = transport === 'udp4' ? '192.0.2.101' : pair.a.ipv6.replace(/::1$/, '::101')
      execFileSync('ip', ['-n', pair.a.netns, 'addr', 'add', `${second}/${transport === 'udp4' ? 24 : 64}`, 'dev', pair.a.ifname, ...(transport === 'udp6' ? ['nodad', 'preferred_lft', '0'] : [])])
      const [a, b] = openPair(pair, transport)
      try {
        const dest = transport === 'udp4' ? pair.b.ipv4 : pair.b.ipv6
        const got = collectFrames(b, 2)
        const tx = await a.send(ptpMessage(MessageType.Sync, 11), { dest, src: second })
        await a.send(ptpMessage(MessageType.FollowUp, 11), { dest, event: false })
        const frames = await got
        const bySeq = frames.map((f) => [f.socket, f.srcAddress])
        assert.deepEqual(bySeq, [['event', second], ['general', transport === 'udp4' ? pair.a.ipv4 : pair.a.ipv6]])
        assert.isTrue(tx.txTimestampNs > 0n, 'the chosen-source send still has its TX timestamp')
      } finally {
        a.close()
        b.close()
        execFileSync('ip', ['-n', pair.a.netns, 'addr', 'del', `${second}/${transport === 'udp4' ? 24 : 64}`, 'dev', pair.a.ifname])
      }
    }
  }).skip(!isRoot, 'needs root')

  test('frames() iterates received frames and ends when the port closes', async ({ assert }) => {
    const [a, b] = openPair(pair, 'l2')
    try {
      const seen: number[] = []
      const reader = (async () => {
        for await (const f of b.frames()) {
          seen.push(sequenceIdOf(f.data))
          if (seen.length === 3) b.close()
        }
      })()
      for (let i = 0; i < 3; i++) await a.send(ptpMessage(MessageType.Sync, 70 + i))
      await reader
      assert.deepEqual(seen, [70, 71, 72])
      assert.isTrue(b.closed)
    } finally {
      a.close()
      b.close()
    }
  }).skip(!isRoot, 'needs root')

  test('l2: 802.1Q PCP and VID round-trip, tagged and untagged', async ({ assert }) => {
    const [a, b] = openPair(pair, 'l2', { vlan: { pcp: 5, vid: 100 } })
    try {
      const got = collectFrames(b, 3)
      await a.send(ptpMessage(MessageType.Sync, 1)) // port default tag
      await a.send(ptpMessage(MessageType.Sync, 2), { vlan: { pcp: 7, vid: 0 } }) // priority tag
      await a.send(ptpMessage(MessageType.Sync, 3), { vlan: null }) // untagged
      const frames = new Map((await got).map((f) => [sequenceIdOf(f.data), f] as [number, ReceivedFrame]))
      assert.deepEqual(frames.get(1)?.vlan, { pcp: 5, dei: 0, vid: 100, tpid: 0x8100 })
      assert.deepEqual(frames.get(2)?.vlan, { pcp: 7, dei: 0, vid: 0, tpid: 0x8100 })
      assert.isUndefined(frames.get(3)?.vlan)
      // The raw frame is what was on the wire: the tag the kernel moved to
      // auxdata is back in place.
      const raw = frames.get(1)!.raw!
      assert.deepEqual([...raw.subarray(12, 18)], [0x81, 0x00, (5 << 5) | 0, 100, 0x88, 0xf7])
      assert.deepEqual([...raw.subarray(18)], [...frames.get(1)!.data])
      assert.deepEqual([...frames.get(3)!.raw!.subarray(12, 14)], [0x88, 0xf7])
    } finally {
      a.close()
      b.close()
    }
  }).skip(!isRoot, 'needs root')

  test('udp4 DSCP/TTL and udp6 traffic class/hop limit round-trip', async ({ assert }) => {
    {
      const [a, b] = openPair(pair, 'udp4', { dscp: 46, dscpGeneral: 10, ttl: 7 })
      try {
        const got = collectFrames(b, 2)
        await a.send(ptpMessage(MessageType.Sync, 1), { event: true })
        await a.send(ptpMessage(MessageType.FollowUp, 1), { event: false })
        const frames = await got
        assert.lengthOf(frames, 2)
        for (const f of frames) {
          assert.equal(f.tos, f.socket === 'event' ? 46 << 2 : 10 << 2, 'DSCP EF for event, AF11 for general, in the TOS octet')
          assert.equal(f.ttl, 7)
        }
      } finally {
        a.close()
        b.close()
      }
    }
    {
      const [a, b] = openPair(pair, 'udp6', { trafficClass: 48 << 2, hopLimit: 3, udp6Scope: 0x5 })
      try {
        const got = collectFrames(b, 1)
        await a.send(ptpMessage(MessageType.Sync, 1))
        const [f] = await got
        assert.equal(f!.tos, 48 << 2, 'traffic class CS6')
        assert.equal(f!.ttl, 3)
        assert.equal(f!.dstAddress, 'ff05::181', 'configured FF0X::181 scope')
      } finally {
        a.close()
        b.close()
      }
    }
  }).skip(!isRoot, 'needs root')

  test('missing interface, missing namespace, no hardware timestamping, address in use', async ({ assert }) => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return (err as { code?: string }).code
      }
      return 'no error'
    }
    assert.equal(codeOf(() => openPort({ interface: 'nosuch0', netns: pair.a.netns, transport: 'l2' })), 'ENODEV_INTERFACE')
    assert.equal(codeOf(() => openPort({ interface: pair.a.ifname, netns: `${pair.a.netns}-missing`, transport: 'l2' })), 'ENOENT_NETNS')
    assert.equal(codeOf(() => openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport: 'l2', timestamping: 'hardware' })), 'ENOTSUP_HW_TIMESTAMPING')
    const first = openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport: 'udp4' })
    try {
      assert.equal(codeOf(() => openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport: 'udp4' })), 'EADDRINUSE')
    } finally {
      first.close()
    }
    // Released on close: the same ports bind again.
    openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport: 'udp4' }).close()
    assert.equal(codeOf(() => phcTimeNs(97)), 'ENODEV_PHC')
  }).skip(!isRoot, 'needs root')

  test('a TX timestamp that never comes fails the send; a failed send does not shift the correlation', async ({ assert }) => {
    // A zero-length FIFO drops every frame before the driver, where the
    // software TX timestamp would be taken. UDP reports success for the drop
    // (no IP_RECVERR), so only the timeout can tell; AF_PACKET reports ENOBUFS
    // after the kernel has already used up a timestamp key.
    const tc = (...args: string[]) => execFileSync('ip', ['netns', 'exec', pair.a.netns, 'tc', ...args])
    for (const transport of ['udp4', 'l2'] as const) {
      const [a, b] = openPair(pair, transport, { txTimeoutMs: 200 })
      try {
        await a.send(ptpMessage(MessageType.Sync, 1))
        tc('qdisc', 'add', 'dev', pair.a.ifname, 'root', 'pfifo', 'limit', '0')
        let code: string | undefined
        try {
          await a.send(ptpMessage(MessageType.Sync, 2))
        } catch (err) {
          code = (err as { code?: string }).code
        } finally {
          tc('qdisc', 'del', 'dev', pair.a.ifname, 'root')
        }
        assert.equal(code, transport === 'udp4' ? 'ETXTIMESTAMP_TIMEOUT' : 'ENOBUFS')
        // Frame 1's receive event may still be on its way to JavaScript.
        const got = collectFrames(b, 3, 3000, (f) => sequenceIdOf(f.data) >= 3)
        const txs = [await a.send(ptpMessage(MessageType.Sync, 3)), await a.send(ptpMessage(MessageType.Sync, 4)), await a.send(ptpMessage(MessageType.Sync, 5))]
        const frames = await got
        assert.lengthOf(frames, 3)
        for (const [i, tx] of txs.entries()) {
          const f = frames.find((x) => sequenceIdOf(x.data) === 3 + i)!
          const oneWay = f.rxTimestampNs! - tx.txTimestampNs
          assert.isTrue(oneWay > 0n && oneWay < 1_000_000n, `${transport} frame ${3 + i}: RX − TX = ${oneWay} ns`)
        }
        assert.equal(a.unmatchedTxTimestamps, 0)
      } finally {
        a.close()
        b.close()
      }
    }
  }).skip(!isRoot, 'needs root')

  test('interface down and interface without carrier give EIFDOWN', async ({ assert }) => {
    // A second veth pair, both ends in namespace a: one end up (no carrier,
    // its peer is down), the other administratively down.
    const ns = pair.a.netns
    execFileSync('ip', ['-n', ns, 'link', 'add', 'vdn1', 'type', 'veth', 'peer', 'name', 'vdn2'])
    try {
      execFileSync('ip', ['-n', ns, 'link', 'set', 'vdn1', 'up'])
      const info = interfaceInfo('vdn1', ns)
      assert.isTrue(info.up)
      assert.isFalse(info.carrier)
      for (const [ifname, why] of [['vdn2', 'is down'], ['vdn1', 'no carrier']] as const) {
        let code: string | undefined
        let message = ''
        try {
          openPort({ interface: ifname, netns: ns, transport: 'l2' }).close()
        } catch (err) {
          code = (err as { code?: string }).code
          message = (err as Error).message
        }
        assert.equal(code, 'EIFDOWN')
        assert.include(message, why)
      }
    } finally {
      execFileSync('ip', ['-n', ns, 'link', 'del', 'vdn1'])
    }
  }).skip(!isRoot, 'needs root')

  test('without CAP_NET_RAW an l2 port fails with EPERM_CAP_NET_RAW', async ({ assert }) => {
    const run = (dropped: string) => {
      const r = spawnSync(
        'setpriv',
        [`--inh-caps=-${dropped}`, `--bounding-set=-${dropped}`, process.execPath, '--import', 'tsx', childScript, pair.a.netns, pair.a.ifname, 'l2'],
        { encoding: 'utf8', timeout: 30_000 },
      )
      assert.equal(r.status, 0, r.stderr)
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; code?: string }
    }
    const denied = run('net_raw')
    assert.isFalse(denied.ok)
    assert.equal(denied.code, 'EPERM_CAP_NET_RAW')
    // Control: the same child with an unrelated capability dropped succeeds,
    // and exits by itself after closing its port.
    const allowed = run('sys_time')
    assert.isTrue(allowed.ok, JSON.stringify(allowed))
  })
    .skip(!isRoot, 'needs root')
    .timeout(60_000)

  test('opening and closing ports 1000 times leaks no file descriptors or threads', async ({ assert }) => {
    const fds = () => readdirSync('/proc/self/fd').length
    const tasks = () => readdirSync('/proc/self/task').length
    // One warm-up cycle so that lazily created process resources are counted in the baseline.
    openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport: 'l2' }).close()
    const fd0 = fds()
    const task0 = tasks()
    const transports: TransportKind[] = ['l2', 'udp4', 'udp6']
    for (let i = 0; i < 1000; i++) {
      const port = openPort({ interface: pair.a.ifname, netns: pair.a.netns, transport: transports[i % 3]! })
      if (i % 50 === 0) {
        // Also a scheduler thread and an unfinished train.
        port.startTrain({ message: ptpMessage(0, 0), startNs: systemTimeNs() + 1_000_000_000n, periodNs: 1_000_000n })
      }
      port.close()
    }
    assert.equal(fds(), fd0, 'file descriptors')
    assert.equal(tasks(), task0, 'threads')
  })
    .skip(!isRoot, 'needs root')
    .timeout(60_000)
})
