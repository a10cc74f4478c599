import { test } from '@japa/runner'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { mutate } from '../../../harness/engines/mutations.ts'
import {
  frameComments,
  pairDelayReqResp,
  pairSyncFollowUp,
  pdelayTriples,
  recordingToPcapng,
  Recorder,
} from '../../../harness/recorder/index.ts'
import { readCapture } from '../../../harness/capture/index.ts'
import { decodeFrame } from '../../../harness/codec/index.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const SECOND = 1_000_000_000n
const GM = '02aaaa.fffe.000001'
const SL = '02bbbb.fffe.000001'

function e2eRun(seconds = 3n) {
  const link = new SimulatedLink()
  const gm = new TestMaster({
    name: 'gm', clockIdentity: GM, logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -3,
    mutations: [mutate.followUpLate(200_000_000n, { kind: 'sequenceIds', ids: [4] }), mutate.followUpMissing({ kind: 'sequenceIds', ids: [6] }), mutate.followUpWithoutSync({ kind: 'sequenceIds', ids: [8] })],
  })
  const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', logMinDelayReqInterval: -3 })
  link.add('gm', gm)
  link.add('slave', slave)
  link.start()
  link.advance(seconds * SECOND)
  return link
}

test.group('recorder / queries', () => {
  test('by type, sender, direction, port and time window; interval series', ({ assert }) => {
    const link = e2eRun()
    const r = link.recorder
    const syncsOut = r.byType('Sync', { direction: 'out', port: 'gm' })
    const syncsIn = r.byType('Sync', { direction: 'in', port: 'slave' })
    assert.equal(syncsOut.length, syncsIn.length)
    assert.isAbove(syncsOut.length, 15)
    assert.lengthOf(r.bySender(SL, { direction: 'in', port: 'gm' }), r.byType('Delay_Req', { direction: 'in' }).length)
    assert.lengthOf(r.bySender({ clockIdentity: SL, portNumber: 2 }), 0)
    const t0 = syncsOut[0]!.timestampNs!
    const win = r.between(t0, t0 + SECOND, { type: 'Sync', direction: 'out' })
    assert.lengthOf(win, 8) // #0..#7, before the withheld #8
    const iv = r.intervalSeries({ type: 'Sync', direction: 'out' })
    // One Sync (#8) was withheld by a mutation: exactly one double interval.
    assert.deepEqual(iv.filter((x) => x !== 125_000_000n), [250_000_000n])
    assert.equal(r.last({ type: 'Sync', direction: 'out' })!.index, syncsOut.at(-1)!.index)
    assert.equal(r.first({ type: 'Sync', direction: 'out' })!.index, syncsOut[0]!.index)
  })

  test('an undecodable frame is kept with its error, never thrown', ({ assert }) => {
    const r = new Recorder()
    const f = r.record({ direction: 'in', port: 'p', transport: 'l2', timestampNs: 5n, bytes: Uint8Array.of(0x0f, 2, 0, 10) })
    assert.isUndefined(f.message)
    assert.isString(f.decodeError)
    assert.lengthOf(r.byType('Sync'), 0)
    assert.lengthOf(r.query({}), 1)
  })
})

test.group('recorder / pairing', () => {
  test('Sync ↔ Follow_Up with late, missing and orphan Follow_Ups', ({ assert }) => {
    const r = e2eRun().recorder
    const p = pairSyncFollowUp(r, { direction: 'out', port: 'gm' })
    const late = p.pairs.find((x) => x.sync.message!.header.sequenceId === 4)!
    assert.equal(late.followUpDelayNs, 200_000_000n)
    assert.deepEqual(p.missingFollowUp.map((f) => f.message!.header.sequenceId), [6])
    assert.deepEqual(p.orphanFollowUps.map((f) => f.message!.header.sequenceId), [8])
    const normal = p.pairs.find((x) => x.sync.message!.header.sequenceId === 2)!
    assert.equal(normal.followUpDelayNs, 5_000n) // the simulated TX-timestamp latency
  })

  test('Delay_Req ↔ Delay_Resp by requestingPortIdentity and sequenceId', ({ assert }) => {
    const r = e2eRun().recorder
    const d = pairDelayReqResp(r, { port: 'slave' })
    assert.isAbove(d.pairs.length, 10)
    assert.lengthOf(d.orphanResponses, 0)
    for (const p of d.pairs.slice(0, -1)) {
      assert.lengthOf(p.responses, 1)
      assert.equal(p.responseDelayNs, 2_000n) // 1 µs each way in the simulation
      const resp = p.responses[0]!.message!
      if (resp.type === 'Delay_Resp') assert.deepEqual(resp.requestingPortIdentity, { clockIdentity: SL, portNumber: 1 })
    }
  })

  test('Pdelay triples, with a second responder kept apart', ({ assert }) => {
    const link = new SimulatedLink()
    link.add('a', new TestMaster({ name: 'a', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P', sendAnnounce: false, sendSync: false }))
    link.add('b', new TestMaster({ name: 'b', clockIdentity: '02aaaa.fffe.000002', logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P', sendAnnounce: false, sendSync: false, oneStepPdelayTurnaroundNs: 10_000n }))
    link.add('s', new TestSlave({ name: 's', clockIdentity: SL, delayMechanism: 'P2P', logMinPdelayReqInterval: -1 }))
    link.start()
    link.advance(3n * SECOND)
    const t = pdelayTriples(link.recorder, { port: 's' })
    assert.isAbove(t.triples.length, 4)
    for (const x of t.triples.slice(0, -1)) {
      assert.exists(x.response)
      assert.lengthOf(x.extraResponses, 1)
      // The first response (two-step, from a) has its follow-up; the one-step one from b has none.
      if (x.twoStep) assert.exists(x.followUp)
    }
    assert.lengthOf(t.orphanFollowUps, 0)
  })
})

test.group('recorder / pcapng export', () => {
  test('every frame with its comments, readable by the capture reader and the codec', ({ assert }) => {
    const link = e2eRun(2n)
    const r = link.recorder
    r.annotate(r.first({ type: 'Announce', direction: 'in' })!.index, 'note: first Announce seen by the slave')
    const bytes = recordingToPcapng(r, { comment: 'unit test' })
    const reader = readCapture(bytes)
    const packets = [...reader.packets()]
    assert.lengthOf(packets, r.size)
    assert.deepEqual(reader.interfaces.map((i) => i.name).sort(), ['gm', 'slave'])
    const allComments = packets.flatMap((p) => [...p.comments])
    assert.include(allComments, 'injected: Follow_Up late +200 ms')
    assert.include(allComments, 'note: first Announce seen by the slave')
    assert.isTrue(allComments.some((c) => c.startsWith('sent by gm: Follow_Up for Sync #')))
    // Time order in the file, nanosecond timestamps kept.
    const times = packets.map((p) => p.timestampNs!)
    for (let i = 1; i < times.length; i++) assert.isTrue(times[i]! >= times[i - 1]!)
    const lateFu = r.query({ direction: 'out', type: 'Follow_Up', where: (f) => f.message!.header.sequenceId === 4 })[0]!
    const lp = packets.find((p) => p.comments.includes('injected: Follow_Up late +200 ms'))!
    assert.equal(lp.timestampNs, lateFu.timestampNs)
    // Every frame decodes back to the recorded PTP octets.
    for (const p of packets) {
      const d = decodeFrame(p.data, 'ethernet')
      assert.exists(d.ptp, 'PTP inside the synthesised Ethernet frame')
    }
  })

  test('UDP frames get Ethernet/IP/UDP headers on the right ports', ({ assert }) => {
    const link = e2eRun(1n)
    const frames = link.recorder.frames.map((f) => ({ ...f, transport: 'udp4' as const, srcIp: f.direction === 'out' ? '192.0.2.1' : '192.0.2.2' }))
    const packets = [...readCapture(recordingToPcapng(frames)).packets()]
    for (const p of packets) {
      const d = decodeFrame(p.data, 'ethernet')
      assert.exists(d.udp)
      const type = d.ptp!.message.type
      const event = ['Sync', 'Delay_Req', 'Pdelay_Req', 'Pdelay_Resp'].includes(type)
      assert.equal(d.udp!.dstPort, event ? 319 : 320, type)
    }
  })

  test('frame comments list findings and send failures', ({ assert }) => {
    const r = new Recorder()
    const bad = r.record({ direction: 'in', port: 'p', transport: 'l2', timestampNs: 1n, bytes: new Uint8Array(44).fill(0, 0) })
    void bad
    const f = r.record({
      direction: 'out', port: 'p', transport: 'l2', timestampNs: null, bytes: new Uint8Array(10), sendError: 'ETXTIMESTAMP_TIMEOUT',
      reason: { source: 'gm', step: 'Sync', mutations: ['Sync wrong domainNumber 9'] },
    })
    const c = frameComments(f)
    assert.include(c, 'sent by gm: Sync')
    assert.include(c, 'injected: Sync wrong domainNumber 9')
    assert.include(c, 'send failed: ETXTIMESTAMP_TIMEOUT')
    assert.isTrue(c.some((x) => x.startsWith('undecodable:')))
  })
})
