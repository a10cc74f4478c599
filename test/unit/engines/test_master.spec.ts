import { test } from '@japa/runner'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TimeBase, timeBaseShowingSlaveOffset } from '../../../harness/engines/time_base.ts'
import type { EngineAction, SendAction } from '../../../harness/engines/actions.ts'
import { buildC37238Tlv2011, buildAlternateTimeOffsetIndicatorTlv } from '../../../harness/codec/index.ts'
import { encodeMessage, decodeMessage } from '../../../harness/codec/message.ts'
import { FLAG_TWO_STEP, FLAG_PTP_TIMESCALE, LOG_MESSAGE_INTERVAL_UNSPECIFIED } from '../../../harness/codec/constants.ts'
import { timestampToNs, nsToTimestamp } from '../../../harness/time/timestamp.ts'
import { nsToScaled } from '../../../harness/engines/delay_arithmetic.ts'
import type { PtpMessage } from '../../../harness/codec/types.ts'

const T0 = 1_700_000_000_000_000_000n
const GM = '02aaaa.fffe.000001'

function sends(actions: EngineAction[]): SendAction[] {
  return actions.filter((a): a is SendAction => a.kind === 'send')
}

function roundTrip(m: PtpMessage): PtpMessage {
  const r = decodeMessage(encodeMessage(m))
  return r.message
}

test.group('engines / test master', () => {
  test('announces the configured data set on its interval, with TLVs that survive the codec', ({ assert }) => {
    const c37 = buildC37238Tlv2011({ grandmasterID: 7, grandmasterTimeInaccuracy: 50, networkTimeInaccuracy: 200 })
    const atoi = buildAlternateTimeOffsetIndicatorTlv({ keyField: 1, currentOffset: 3600, jumpSeconds: 0, timeOfNextJump: 0n, displayName: 'CET' })
    const gm = new TestMaster({
      name: 'gm', clockIdentity: GM, logAnnounceInterval: -2, logSyncInterval: -3,
      header: { domainNumber: 4 },
      dataset: { grandmasterPriority1: 100, grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }, grandmasterPriority2: 90, stepsRemoved: 2, timeSource: 0x20, flagField: FLAG_PTP_TIMESCALE },
      announceTlvs: [c37, atoi],
      pathTrace: true,
    })
    const start = gm.start(T0)
    assert.deepEqual(start.map((a) => a.kind), ['timer', 'timer'])
    const t = (start[0] as { at: bigint }).at
    const first = gm.onTimer('announce', t)
    const [a] = sends(first)
    assert.exists(a)
    assert.equal(a!.at, t + 20_000_000n)
    const m = roundTrip(a!.message)
    assert.equal(m.type, 'Announce')
    if (m.type !== 'Announce') return
    assert.equal(m.header.domainNumber, 4)
    assert.equal(m.header.logMessageInterval, -2)
    assert.equal(m.header.flagField, FLAG_PTP_TIMESCALE)
    assert.equal(m.grandmasterPriority1, 100)
    assert.equal(m.grandmasterPriority2, 90)
    assert.deepEqual(m.grandmasterClockQuality, { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d })
    assert.equal(m.grandmasterIdentity, GM)
    assert.equal(m.stepsRemoved, 2)
    assert.equal(m.timeSource, 0x20)
    assert.deepEqual(m.tlvs.map((x) => x.kind), ['ORGANIZATION_EXTENSION', 'ALTERNATE_TIME_OFFSET_INDICATOR', 'PATH_TRACE'])
    const pt = m.tlvs[2]
    assert.deepEqual(pt?.kind === 'PATH_TRACE' ? pt.pathSequence : [], [GM])
    // The next Announce is one interval later, with the next sequenceId.
    const timer = first.find((x) => x.kind === 'timer')!
    assert.equal(timer.at, a!.at! + 250_000_000n - 20_000_000n)
    const [b] = sends(gm.onTimer('announce', timer.at))
    assert.equal(b!.at, a!.at! + 250_000_000n)
    assert.equal(b!.message.header.sequenceId, 1)
  })

  test('two-step Sync: the Follow_Up carries the time base at the TX timestamp', ({ assert }) => {
    const tb = timeBaseShowingSlaveOffset(1_000_000n)
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: -3, timeBase: tb })
    const start = gm.start(T0)
    const [sync] = sends(gm.onTimer('sync', (start[1] as { at: bigint }).at))
    assert.equal(sync!.message.type, 'Sync')
    assert.isTrue(sync!.event)
    assert.equal(sync!.message.header.flagField & FLAG_TWO_STEP, FLAG_TWO_STEP)
    const tx = sync!.at! + 17_345n
    const [fu] = sends(gm.onTransmitted({ sendId: sync!.sendId, txTimestampNs: tx }, tx + 5_000n))
    assert.equal(fu!.message.type, 'Follow_Up')
    assert.isFalse(fu!.event)
    assert.isUndefined(fu!.at)
    assert.equal(fu!.message.header.sequenceId, sync!.message.header.sequenceId)
    if (fu!.message.type !== 'Follow_Up') return
    // A slave sees master = local − 1 ms, i.e. offsetFromMaster = +1 ms.
    assert.equal(timestampToNs(fu!.message.preciseOriginTimestamp), tx - 1_000_000n)
    assert.equal(gm.expectedSlaveOffsetNs(tx), 1_000_000n)
    assert.equal(fu!.message.header.correctionField, 0n)
  })

  test('one-step Sync carries the planned time and no Follow_Up', ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, twoStep: false })
    const start = gm.start(T0)
    const [sync] = sends(gm.onTimer('sync', (start[1] as { at: bigint }).at))
    if (sync!.message.type !== 'Sync') throw new Error('no Sync')
    assert.equal(sync!.message.header.flagField & FLAG_TWO_STEP, 0)
    assert.equal(timestampToNs(sync!.message.originTimestamp), sync!.at)
    assert.lengthOf(sends(gm.onTransmitted({ sendId: sync!.sendId, txTimestampNs: sync!.at! }, sync!.at!)), 0)
  })

  test('correctionShift moves time into correctionField and shifts the timestamps by the same amount', ({ assert }) => {
    const shift = 123_456_789n
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: -3, correctionShift: { ns: shift } })
    const start = gm.start(T0)
    const [sync] = sends(gm.onTimer('sync', (start[1] as { at: bigint }).at))
    const tx = sync!.at! + 1_000n
    const [fu] = sends(gm.onTransmitted({ sendId: sync!.sendId, txTimestampNs: tx }, tx))
    if (fu!.message.type !== 'Follow_Up') throw new Error('no Follow_Up')
    assert.equal(timestampToNs(fu!.message.preciseOriginTimestamp) + shift, tx)
    assert.equal(fu!.message.header.correctionField, nsToScaled(shift))
    assert.equal(sync!.message.header.correctionField, 0n)
    // Delay_Resp: receiveTimestamp + shift, correctionField = request's + shift.
    const req = { ...fu!.message, type: 'Delay_Req', originTimestamp: nsToTimestamp(tx) } as unknown as PtpMessage
    req.header = { ...req.header, messageType: 1, sourcePortIdentity: { clockIdentity: '02bbbb.fffe.000002', portNumber: 1 }, sequenceId: 77, correctionField: 0x10000n }
    const [resp] = sends(gm.onMessage({ message: req, rxTimestampNs: tx + 50_000n }, tx + 60_000n))
    if (resp!.message.type !== 'Delay_Resp') throw new Error('no Delay_Resp')
    assert.equal(timestampToNs(resp!.message.receiveTimestamp), tx + 50_000n + shift)
    assert.equal(resp!.message.header.correctionField, 0x10000n + nsToScaled(shift))
    assert.equal(resp!.message.header.sequenceId, 77)
    assert.deepEqual(resp!.message.requestingPortIdentity, { clockIdentity: '02bbbb.fffe.000002', portNumber: 1 })
  })

  test('Delay_Resp logMessageInterval is logMinDelayReqInterval (multicast) or 0x7F (unicast)', ({ assert }) => {
    const mk = (unicastDelayResp: boolean) => new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, logMinDelayReqInterval: -3, unicastDelayResp })
    const req = decodeMessage(encodeMessage({
      type: 'Delay_Req', tlvs: [], originTimestamp: nsToTimestamp(0n),
      header: { majorSdoId: 0, messageType: 1, minorVersionPTP: 1, versionPTP: 2, messageLength: 44, domainNumber: 0, minorSdoId: 0, flagField: 0, correctionField: 0n, messageTypeSpecific: 0, sourcePortIdentity: { clockIdentity: '02bbbb.fffe.000002', portNumber: 1 }, sequenceId: 5, controlField: 0, logMessageInterval: 0x7f },
    })).message
    const [multi] = sends(mk(false).onMessage({ message: req, rxTimestampNs: T0 }, T0))
    assert.equal(multi!.message.header.logMessageInterval, -3)
    assert.isUndefined(multi!.destination)
    const [uni] = sends(mk(true).onMessage({ message: req, rxTimestampNs: T0, source: '192.0.2.9' }, T0))
    assert.equal(uni!.message.header.logMessageInterval, LOG_MESSAGE_INTERVAL_UNSPECIFIED)
    assert.deepEqual(uni!.destination, { kind: 'unicast', address: '192.0.2.9' })
    // Other domains are not answered.
    const other = structuredClone(req)
    other.header.domainNumber = 9
    assert.lengthOf(sends(mk(false).onMessage({ message: other, rxTimestampNs: T0 }, T0)), 0)
  })

  test('802.1AS Follow_Up information TLV carries the time base rate offset', ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: -3, followUpInformationTlv: true, header: { majorSdoId: 1 }, timeBase: new TimeBase({ frequencyPpb: 1000 }) })
    const start = gm.start(T0)
    const [sync] = sends(gm.onTimer('sync', (start[1] as { at: bigint }).at))
    const [fu] = sends(gm.onTransmitted({ sendId: sync!.sendId, txTimestampNs: sync!.at! }, sync!.at!))
    const m = roundTrip(fu!.message)
    assert.equal(m.header.majorSdoId, 1)
    assert.equal(m.header.messageLength, 76)
    const tlv = m.tlvs[0]
    assert.equal(tlv?.kind === 'ORGANIZATION_EXTENSION' ? tlv.org : '', 'IEEE_802_1AS_FOLLOW_UP_INFO')
    // (rateRatio − 1) × 2^41 for +1000 ppb
    if (tlv?.kind === 'ORGANIZATION_EXTENSION' && tlv.org === 'IEEE_802_1AS_FOLLOW_UP_INFO') {
      assert.equal(tlv.cumulativeScaledRateOffset, Math.trunc(1000e-9 * 2 ** 41))
    }
  })

  test('per-type sequenceIds and silence / resume', ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: -3, logSyncInterval: -3 })
    const start = gm.start(T0)
    const next: Record<string, bigint> = { announce: (start[0] as { at: bigint }).at, sync: (start[1] as { at: bigint }).at }
    const seen: Record<string, number[]> = {}
    for (let i = 0; i < 5; i++) {
      for (const id of ['announce', 'sync']) {
        for (const a of gm.onTimer(id, next[id]!)) {
          if (a.kind === 'timer') next[id] = a.at
          else (seen[a.message.type] ??= []).push(a.message.header.sequenceId)
        }
      }
    }
    const at = next.sync!
    assert.deepEqual(seen.Announce, [0, 1, 2, 3, 4])
    assert.deepEqual(seen.Sync, [0, 1, 2, 3, 4])
    gm.silence()
    assert.lengthOf(gm.onTimer('sync', at), 0)
    assert.lengthOf(gm.onTimer('announce', at), 0)
    const resumed = gm.resume(at)
    assert.deepEqual(resumed.map((a) => a.kind), ['timer', 'timer'])
    const [s] = sends(gm.onTimer('sync', at))
    assert.equal(s!.message.header.sequenceId, 5)
  })

  test('two-step Pdelay_Resp then Pdelay_Resp_Follow_Up with t2 and t3', ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P', timeBase: new TimeBase({ offsetNs: 1000n }) })
    const req = decodeMessage(encodeMessage({
      type: 'Pdelay_Req', tlvs: [], originTimestamp: nsToTimestamp(0n), reserved: new Uint8Array(10),
      header: { majorSdoId: 0, messageType: 2, minorVersionPTP: 1, versionPTP: 2, messageLength: 54, domainNumber: 0, minorSdoId: 0, flagField: 0, correctionField: 0n, messageTypeSpecific: 0, sourcePortIdentity: { clockIdentity: '02bbbb.fffe.000002', portNumber: 1 }, sequenceId: 9, controlField: 5, logMessageInterval: 0x7f },
    })).message
    const [resp] = sends(gm.onMessage({ message: req, rxTimestampNs: T0 }, T0))
    if (resp!.message.type !== 'Pdelay_Resp') throw new Error('no Pdelay_Resp')
    assert.deepEqual(resp!.destination, { kind: 'pdelay' })
    assert.equal(timestampToNs(resp!.message.requestReceiptTimestamp), T0 + 1000n)
    assert.equal(resp!.message.header.flagField & FLAG_TWO_STEP, FLAG_TWO_STEP)
    const [fu] = sends(gm.onTransmitted({ sendId: resp!.sendId, txTimestampNs: T0 + 30_000n }, T0 + 31_000n))
    if (fu!.message.type !== 'Pdelay_Resp_Follow_Up') throw new Error('no Pdelay_Resp_Follow_Up')
    assert.equal(timestampToNs(fu!.message.responseOriginTimestamp), T0 + 31_000n)
    assert.equal(fu!.message.header.sequenceId, 9)
  })
})
