import { test } from '@japa/runner'
import { Scenario } from '../../../harness/engines/scenario.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { createSlaveFleet, fleetSlaves } from '../../../harness/engines/slave_fleet.ts'
import { emulatedClockIdentity } from '../../../harness/engines/clock_identities.ts'
import { TimeBase } from '../../../harness/engines/time_base.ts'
import { applyOverrides } from '../../../harness/engines/overrides.ts'
import { timestampToNs } from '../../../harness/time/timestamp.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const SECOND = 1_000_000_000n
const GM = '02aaaa.fffe.000001'

test.group('engines / scenarios', () => {
  test('a step at a time and a step on a period, with overrides and mutations', ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, sendAnnounce: false, sendSync: false })
    const template = gm.buildAnnounce(0n)
    const sc = new Scenario({
      name: 'rogue',
      steps: [
        { id: 'once', message: template, atNs: 500_000_000n, overrides: { header: { domainNumber: 7 }, grandmasterPriority1: 1 } },
        { id: 'burst', message: template, atNs: SECOND, periodNs: 100_000_000n, count: 5, mutations: [{ kind: 'logMessageInterval', value: 127 }] },
      ],
    })
    const link = new SimulatedLink()
    link.add('sc', sc)
    link.start()
    const t0 = link.now + 20_000_000n
    link.advance(3n * SECOND)
    const out = link.recorder.query({ direction: 'out' })
    assert.lengthOf(out, 6)
    const once = out[0]!
    assert.equal(once.timestampNs, t0 + 500_000_000n)
    assert.equal(once.message!.header.domainNumber, 7)
    if (once.message!.type === 'Announce') assert.equal(once.message!.grandmasterPriority1, 1)
    assert.match(once.reason!.mutations[0]!, /domainNumber=7/)
    const burst = out.slice(1)
    assert.deepEqual(burst.map((f) => f.timestampNs! - t0), [0, 1, 2, 3, 4].map((i) => SECOND + BigInt(i) * 100_000_000n))
    assert.isTrue(burst.every((f) => f.message!.header.logMessageInterval === 127))
    // sequenceIds: one counter per messageType across the scenario.
    assert.deepEqual(out.map((f) => f.message!.header.sequenceId), [0, 1, 2, 3, 4, 5])
    // The planned timestamp policy writes the planned send time into originTimestamp.
    const m = burst[2]!.message!
    if (m.type === 'Announce') assert.equal(timestampToNs(m.originTimestamp), burst[2]!.timestampNs)
    assert.deepEqual(sc.transmitted.get('burst')!.length, 5)
  })

  test('an override naming a field the message lacks is refused', ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0 })
    assert.throws(() => applyOverrides(gm.buildAnnounce(0n), { header: { domianNumber: 3 } } as never), /domianNumber/)
  })
})

test.group('engines / several emulated clocks on one port', () => {
  test('two grandmasters in one group keep their own identities, timers and Follow_Ups', ({ assert }) => {
    const a = new TestMaster({ name: 'gm-a', clockIdentity: emulatedClockIdentity(1), logAnnounceInterval: -2, logSyncInterval: -3, dataset: { grandmasterPriority1: 100 } })
    const b = new TestMaster({ name: 'gm-b', clockIdentity: emulatedClockIdentity(2), logAnnounceInterval: -2, logSyncInterval: -3, dataset: { grandmasterPriority1: 110 }, timeBase: new TimeBase({ offsetNs: 777n }) })
    const group = new EngineGroup('port', [a, b])
    const link = new SimulatedLink()
    const slave = new TestSlave({ name: 'slave', clockIdentity: '02bbbb.fffe.000001', delayMechanism: 'E2E', logMinDelayReqInterval: -3 })
    link.add('h', group)
    link.add('slave', slave)
    link.start()
    link.advance(3n * SECOND)
    const ann = link.recorder.query({ direction: 'out', port: 'h', type: 'Announce' })
    const senders = new Set(ann.map((f) => f.message!.header.sourcePortIdentity.clockIdentity))
    assert.deepEqual([...senders].sort(), [emulatedClockIdentity(1), emulatedClockIdentity(2)])
    // Each master's Follow_Ups carry its own time base.
    for (const [name, off] of [['gm-a', 0n], ['gm-b', 777n]] as const) {
      const fus = link.recorder.query({ direction: 'out', type: 'Follow_Up', source: name })
      const syncs = link.recorder.query({ direction: 'out', type: 'Sync', source: name })
      assert.isAbove(fus.length, 10)
      for (const f of fus) {
        const s = syncs.find((x) => x.message!.header.sequenceId === f.message!.header.sequenceId)!
        if (f.message!.type === 'Follow_Up') assert.equal(timestampToNs(f.message!.preciseOriginTimestamp), s.timestampNs! + off)
      }
    }
    // The slave follows the better one (priority1 100).
    assert.equal(slave.master?.clockIdentity, emulatedClockIdentity(1))
    // Control one member through the group: silence gm-a, the slave moves to gm-b.
    link.control('h', () => group.control<TestMaster>('gm-a', (gm) => gm.silence()))
    link.advance(3n * SECOND)
    assert.equal(slave.master?.clockIdentity, emulatedClockIdentity(2))
  })

  test('duplicate engine names are refused', ({ assert }) => {
    const a = new TestMaster({ name: 'x', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0 })
    assert.throws(() => new EngineGroup('g', [a, a]), /used twice/)
  })

  test('a fleet of slaves: distinct identities, every slave measures the master', ({ assert }) => {
    const fleet = createSlaveFleet({ name: 'load', count: 20, slave: { delayMechanism: 'E2E', logMinDelayReqInterval: -2 }, seed: 5 })
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -2, timeBase: new TimeBase({ offsetNs: -321n }) })
    const link = new SimulatedLink()
    link.add('gm', gm)
    link.add('fleet', fleet)
    link.start()
    link.advance(4n * SECOND)
    const slaves = fleetSlaves(fleet)
    assert.lengthOf(slaves, 20)
    assert.lengthOf(new Set(slaves.map((s) => s.portIdentity.clockIdentity)), 20)
    for (const s of slaves) {
      assert.isAbove(s.delayExchanges.length, 3, s.name)
      assert.equal(s.delayExchanges.at(-1)!.offsetFromMaster, 321n << 16n)
    }
    const reqs = link.recorder.query({ direction: 'in', port: 'gm', type: 'Delay_Req' })
    const resps = link.recorder.query({ direction: 'out', port: 'gm', type: 'Delay_Resp' })
    assert.equal(reqs.length, resps.length)
  })
})

test.group('engines / time base', () => {
  test('offset, frequency error and steps map both ways', ({ assert }) => {
    const ref = 1_000_000_000_000n
    const tb = new TimeBase({ offsetNs: 5_000n, frequencyPpb: 100, referenceNs: ref, steps: [{ atNs: ref + SECOND, deltaNs: 1_000_000n }] })
    assert.equal(tb.toMaster(ref), ref + 5_000n)
    assert.equal(tb.toMaster(ref + SECOND - 1n), ref + SECOND - 1n + 5_000n + 99n) // 100 ppb of 1 s, floored
    assert.equal(tb.toMaster(ref + SECOND), ref + SECOND + 5_000n + 100n + 1_000_000n)
    for (const t of [ref - 7n, ref + 123_456n, ref + 3n * SECOND]) assert.equal(tb.toLocal(tb.toMaster(t)), t)
    assert.equal(new TimeBase({ frequencyPpb: -1000 }).cumulativeScaledRateOffset(), -Math.trunc(1000e-9 * 2 ** 41))
  })
})
