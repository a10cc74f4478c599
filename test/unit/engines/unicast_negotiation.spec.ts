import { test } from '@japa/runner'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { NegotiatingMaster, type GrantorConfig } from '../../../harness/engines/unicast/grantor.ts'
import { targetsPort } from '../../../harness/engines/message_factory.ts'
import { NegotiatingSlave, type RequesterConfig } from '../../../harness/engines/unicast/requester.ts'
import { negotiationTlvs } from '../../../harness/engines/unicast/services.ts'
import { FLAG_UNICAST, LOG_MESSAGE_INTERVAL_UNSPECIFIED } from '../../../harness/codec/constants.ts'
import type { RecordedFrame } from '../../../harness/recorder/frame.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const GM = '02aaaa.fffe.000001'
const SL = '02bbbb.fffe.000001'
const S = 1_000_000_000n
// The simulated link names nodes by MAC in the order they are added: master first.
const MASTER_ADDR = '02:00:00:00:00:01'

function pair(grantor: GrantorConfig = {}, requester: Partial<RequesterConfig> = {}) {
  const link = new SimulatedLink()
  const gm = new NegotiatingMaster(new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0 }), grantor)
  const slave = new NegotiatingSlave(new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', seed: 5 }), {
    masterAddress: MASTER_ADDR,
    services: [{ service: 'Announce', logInterMessagePeriod: -1 }, { service: 'Sync', logInterMessagePeriod: -2 }, { service: 'Delay_Resp', logInterMessagePeriod: -2 }],
    durationS: 10,
    ...requester,
  })
  link.add('gm', gm)
  link.add('slave', slave)
  link.start()
  return { link, gm, slave }
}

const sentBy = (link: SimulatedLink, port: string, type: string): RecordedFrame[] =>
  link.recorder.query({ direction: 'out' }).filter((f) => f.port === port && f.message?.type === type)
const tlvsOut = (link: SimulatedLink, port: string) => sentBy(link, port, 'Signaling').flatMap((f) => negotiationTlvs(f.message))

test.group('engines / unicast negotiation', () => {
  test('a request for Announce, Sync and Delay_Resp is granted as asked, and the service flows unicast at the granted rates', ({ assert }) => {
    const { link, gm, slave } = pair()
    link.advance(4n * S)
    const grants = tlvsOut(link, 'gm').filter((t) => t.kind === 'GRANT_UNICAST_TRANSMISSION')
    assert.deepEqual(grants.map((g) => g.kind === 'GRANT_UNICAST_TRANSMISSION' && [g.messageType, g.logInterMessagePeriod, g.durationField, g.flags]), [[0xb, -1, 10, 1], [0x0, -2, 10, 1], [0x9, -2, 10, 1]])
    assert.deepEqual([...gm.grants.keys()], ['Announce', 'Sync', 'Delay_Resp'])
    // About 2 Announce and 4 Sync per second for ~4 s; every one unicast.
    const ann = sentBy(link, 'gm', 'Announce')
    const syncs = sentBy(link, 'gm', 'Sync')
    assert.closeTo(ann.length, 8, 1)
    assert.closeTo(syncs.length, 16, 1)
    for (const f of [...ann, ...syncs]) assert.equal(f.message!.header.flagField & FLAG_UNICAST, FLAG_UNICAST)
    // Table 42: a unicast Sync carries 0x7F, an Announce its interval all the same.
    for (const f of syncs) assert.equal(f.message!.header.logMessageInterval, LOG_MESSAGE_INTERVAL_UNSPECIFIED)
    for (const f of ann) assert.equal(f.message!.header.logMessageInterval, -1)
    // The slave's Delay_Req go out once Delay_Resp is granted and are answered.
    assert.isAbove(sentBy(link, 'slave', 'Delay_Req').length, 5)
    assert.isAbove(sentBy(link, 'gm', 'Delay_Resp').length, 5)
    assert.equal(slave.services.get('Delay_Resp')!.state, 'granted')
    assert.isAbove(slave.slave.delayExchanges.length, 3)
  })

  test('the requester renews each grant at half its duration, and the grantor extends it', ({ assert }) => {
    const { link, gm } = pair()
    link.advance(11n * S)
    const requests = tlvsOut(link, 'slave').filter((t) => t.kind === 'REQUEST_UNICAST_TRANSMISSION')
    // Three at start, three renewals at the first check after 5 s: service does not lapse at 10 s.
    assert.equal(requests.length, 6)
    assert.equal(gm.grants.get('Sync')!.renewals, 1)
    assert.notInclude(gm.events.map((e) => e.event), 'expired')
    const lastSync = sentBy(link, 'gm', 'Sync').at(-1)!
    assert.isAbove(Number(lastSync.timestampNs! - link.recorder.query({ direction: 'out' })[0]!.timestampNs!), 10.5e9)
  })

  test('a denial is durationField 0, nothing flows, and the requester asks again', ({ assert }) => {
    const { link, slave } = pair({ decisions: { Sync: { kind: 'deny' } } })
    link.advance(3n * S + S / 2n)
    const syncGrants = tlvsOut(link, 'gm').filter((t) => t.kind === 'GRANT_UNICAST_TRANSMISSION' && t.messageType === 0)
    assert.isAtLeast(syncGrants.length, 3)
    for (const g of syncGrants) assert.equal(g.kind === 'GRANT_UNICAST_TRANSMISSION' && g.durationField, 0)
    assert.lengthOf(sentBy(link, 'gm', 'Sync'), 0)
    assert.equal(slave.services.get('Sync')!.state, 'denied')
    assert.isAbove(sentBy(link, 'gm', 'Announce').length, 4)
  })

  test('a grant of another rate than asked is followed: the slave requests delays at the granted rate', ({ assert }) => {
    const { link, slave } = pair({ decisions: { Delay_Resp: { kind: 'grant-interval', logInterMessagePeriod: 0 } } })
    link.advance(20n * S)
    assert.equal(slave.slave.currentLogMinDelayReqInterval, 0)
    // Uniform (0, 2 s] spacing around a 1 s mean: about 20 in 20 s, far from the 80 asked for.
    assert.closeTo(sentBy(link, 'slave', 'Delay_Req').length, 20, 8)
  })

  test('a grant that is not renewed runs out: service stops at its expiry and the requester asks anew', ({ assert }) => {
    const { link, gm, slave } = pair({ renew: false })
    link.advance(11n * S)
    assert.include(gm.events.map((e) => e.event), 'expired')
    assert.include(gm.events.map((e) => e.event), 'ignored')
    const syncs = sentBy(link, 'gm', 'Sync')
    const t0 = link.recorder.query({ direction: 'out' })[0]!.timestampNs!
    assert.isBelow(Number(syncs.at(-1)!.timestampNs! - t0), 10.1e9)
    assert.include(slave.events.map((e) => e.event), 'expired')
  })

  test('a slave that cancels gets ACKNOWLEDGE_CANCEL and the service stops; the master\'s cancel is acknowledged too', ({ assert }) => {
    const { link, gm, slave } = pair()
    link.advance(2n * S)
    link.control('slave', (now) => slave.cancel('Sync', now))
    link.advance(S)
    const acks = tlvsOut(link, 'gm').filter((t) => t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION')
    assert.deepEqual(acks.map((a) => a.messageType), [0])
    const cancelAt = sentBy(link, 'slave', 'Signaling').at(-1)!.timestampNs
    assert.lengthOf(sentBy(link, 'gm', 'Sync').filter((f) => f.timestampNs! > cancelAt! + 50_000_000n), 0)
    link.control('gm', (now) => gm.cancel('Announce', now))
    link.advance(S / 2n)
    assert.deepEqual(tlvsOut(link, 'slave').filter((t) => t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION').map((a) => a.messageType), [0xb])
    assert.equal(slave.services.get('Announce')!.state, 'cancelled-by-master')
  })

  test('without acknowledgeCancel the grantor stays silent on a cancel (a reference-DUT fault)', ({ assert }) => {
    const { link, slave } = pair({ acknowledgeCancel: false })
    link.advance(2n * S)
    link.control('slave', (now) => slave.cancel('Sync', now))
    link.advance(S)
    assert.lengthOf(tlvsOut(link, 'gm').filter((t) => t.kind === 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION'), 0)
  })

  test('a grant opens a gate, it does not switch a grandmaster on: one the test keeps silent stays silent until resumed', ({ assert }) => {
    const link = new SimulatedLink()
    const gm = new NegotiatingMaster(new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, sendAnnounce: false }))
    const slave = new NegotiatingSlave(new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', seed: 5 }), {
      masterAddress: MASTER_ADDR, services: [{ service: 'Announce', logInterMessagePeriod: -1 }, { service: 'Sync', logInterMessagePeriod: -2 }], durationS: 10,
    })
    link.add('gm', gm)
    link.add('slave', slave)
    link.start()
    link.advance(2n * S)
    assert.isTrue(gm.grants.has('Announce'))
    assert.lengthOf(sentBy(link, 'gm', 'Announce'), 0)
    assert.isAbove(sentBy(link, 'gm', 'Sync').length, 4)
    link.control('gm', (now) => gm.master.resume(now, { announce: true, sync: false, answers: false }))
    link.advance(2n * S)
    assert.closeTo(sentBy(link, 'gm', 'Announce').length, 4, 1)
    // With its own address, every frame leaves from it and only what was sent to it is taken.
    const own = new NegotiatingMaster(new TestMaster({ name: 'gm2', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0 }), {}, '192.0.2.101')
    const acts = own.start(0n)
    assert.isTrue(acts.every((a) => a.kind !== 'send' || a.source === '192.0.2.101'))
    assert.deepEqual(own.onMessage({ message: sentBy(link, 'slave', 'Signaling')[0]!.message!, rxTimestampNs: 1n, source: '192.0.2.2', destination: '192.0.2.102' }, 1n), [])
  })

  test('peer delay: a Pdelay_Resp grant lets the Pdelay_Req go out, and they are answered', ({ assert }) => {
    const link = new SimulatedLink()
    const gm = new NegotiatingMaster(new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P' }))
    const slave = new NegotiatingSlave(new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'P2P', seed: 5 }), {
      masterAddress: MASTER_ADDR, services: [{ service: 'Sync', logInterMessagePeriod: -2 }, { service: 'Pdelay_Resp', logInterMessagePeriod: 0 }], durationS: 10,
    })
    link.add('gm', gm)
    link.add('slave', slave)
    link.start()
    link.advance(5n * S)
    assert.equal(slave.services.get('Pdelay_Resp')!.state, 'granted')
    assert.closeTo(sentBy(link, 'slave', 'Pdelay_Req').length, 5, 1)
    // Each answered, but for the one still in flight when the simulation stops.
    assert.isAtLeast(sentBy(link, 'gm', 'Pdelay_Resp').length, sentBy(link, 'slave', 'Pdelay_Req').length - 1)
  })

  test('targetPortIdentity: own port, wildcard parts, and another clock', ({ assert }) => {
    const port = { clockIdentity: GM, portNumber: 1 }
    assert.isTrue(targetsPort({ clockIdentity: GM, portNumber: 1 }, port))
    assert.isTrue(targetsPort({ clockIdentity: 'ffffff.ffff.ffffff', portNumber: 0xffff }, port))
    assert.isTrue(targetsPort({ clockIdentity: GM, portNumber: 0xffff }, port))
    assert.isFalse(targetsPort({ clockIdentity: SL, portNumber: 1 }, port))
    assert.isFalse(targetsPort({ clockIdentity: GM, portNumber: 2 }, port))
  })
})
