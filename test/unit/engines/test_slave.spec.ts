import { test } from '@japa/runner'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { TimeBase, timeBaseShowingSlaveOffset } from '../../../harness/engines/time_base.ts'
import { nsToScaled, rateRatioPpb, scaledToNs } from '../../../harness/engines/delay_arithmetic.ts'
import { SeededRandom } from '../../../harness/engines/random.ts'
import { FLAG_CURRENT_UTC_OFFSET_VALID, FLAG_PTP_TIMESCALE } from '../../../harness/codec/constants.ts'
import { nextRequestInterval } from '../../../harness/engines/request_spacing.ts'
import { summarize } from '../../../harness/stats/percentiles.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const GM = '02aaaa.fffe.000001'
const SL = '02bbbb.fffe.000001'
const SECOND = 1_000_000_000n

function e2eLink(opts: { offset: bigint; delay: bigint; back?: bigint; shift?: bigint; twoStep?: boolean }) {
  const link = new SimulatedLink({ delay: (from) => (from === 'gm' ? opts.delay : (opts.back ?? opts.delay)) })
  const gm = new TestMaster({
    name: 'gm', clockIdentity: GM, logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -3,
    timeBase: timeBaseShowingSlaveOffset(opts.offset),
    twoStep: opts.twoStep ?? true,
    ...(opts.shift !== undefined ? { correctionShift: { ns: opts.shift } } : {}),
  })
  const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', logMinDelayReqInterval: -3, seed: 3 })
  link.add('gm', gm)
  link.add('slave', slave)
  link.start()
  return { link, gm, slave }
}

test.group('engines / test slave (E2E)', () => {
  test('measures the injected offset and the path delay exactly on a symmetric link', ({ assert }) => {
    const { link, slave } = e2eLink({ offset: 1_000_000n, delay: 1_500n })
    link.advance(5n * SECOND)
    assert.isAbove(slave.delayExchanges.length, 20)
    for (const x of slave.delayExchanges) {
      assert.equal(x.meanPathDelay, nsToScaled(1_500n))
      assert.equal(x.offsetFromMaster, nsToScaled(1_000_000n))
    }
    const withOffset = slave.syncSamples.filter((s) => s.offsetFromMaster !== undefined)
    assert.isAbove(withOffset.length, 20)
    for (const s of withOffset) assert.equal(s.offsetFromMaster, nsToScaled(1_000_000n))
    assert.deepEqual(slave.master, { clockIdentity: GM, portNumber: 1 })
  })

  test('one-step Sync gives the same result', ({ assert }) => {
    const { link, slave } = e2eLink({ offset: -250_000n, delay: 900n, twoStep: false })
    link.advance(3n * SECOND)
    assert.isAbove(slave.delayExchanges.length, 5)
    for (const x of slave.delayExchanges) {
      assert.equal(x.cFollowUp, 0n)
      assert.equal(x.offsetFromMaster, nsToScaled(-250_000n))
    }
  })

  test('time moved into correctionField leaves offset and delay unchanged', ({ assert }) => {
    const { link, slave } = e2eLink({ offset: 1_000_000n, delay: 1_500n, shift: 600_000n })
    link.advance(3n * SECOND)
    assert.isAbove(slave.delayExchanges.length, 5)
    for (const x of slave.delayExchanges) {
      assert.equal(x.cFollowUp, nsToScaled(600_000n))
      assert.equal(x.cDelayResp, nsToScaled(600_000n))
      assert.equal(x.meanPathDelay, nsToScaled(1_500n))
      assert.equal(x.offsetFromMaster, nsToScaled(1_000_000n))
    }
  })

  test('an asymmetric link biases the offset by half the asymmetry', ({ assert }) => {
    const { link, slave } = e2eLink({ offset: 0n, delay: 3_000n, back: 1_000n })
    link.advance(2n * SECOND)
    const x = slave.delayExchanges.at(-1)!
    assert.equal(scaledToNs(x.meanPathDelay), 2_000n)
    assert.equal(scaledToNs(x.offsetFromMaster), 1_000n)
  })

  test('Delay_Req spacing follows uniform (0, 2T] and adopts the Delay_Resp interval when asked', ({ assert }) => {
    const link = new SimulatedLink()
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: -2, logSyncInterval: -4, logMinDelayReqInterval: -4 })
    const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', logMinDelayReqInterval: 0, adoptDelayRespInterval: true, seed: 11 })
    link.add('gm', gm)
    link.add('slave', slave)
    link.start()
    link.advance(30n * SECOND)
    assert.equal(slave.currentLogMinDelayReqInterval, -4)
    const reqs = link.recorder.intervalSeries({ direction: 'out', port: 'slave', type: 'Delay_Req' })
    const late = reqs.slice(10)
    const T = logIntervalToNs(-4)
    for (const i of late) {
      assert.isAbove(Number(i), 0)
      assert.isAtMost(Number(i), Number(2n * T))
    }
    const s = summarize(late)
    assert.closeTo(Number(s.mean), Number(T), Number(T) * 0.08)
  })

  test('a PTP-timescale master sends TAI (UTC + currentUtcOffset); the slave corrects for it', ({ assert }) => {
    const link = new SimulatedLink({ delay: () => 1_000n })
    const gm = new TestMaster({
      name: 'gm', clockIdentity: GM, logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -3,
      dataset: { flagField: FLAG_PTP_TIMESCALE | FLAG_CURRENT_UTC_OFFSET_VALID, currentUtcOffset: 37 },
      timeBase: timeBaseShowingSlaveOffset(2_000n),
    })
    const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', logMinDelayReqInterval: -3 })
    link.add('gm', gm)
    link.add('slave', slave)
    link.start()
    link.advance(2n * SECOND)
    const x = slave.delayExchanges.at(-1)!
    assert.equal(x.t1 - (x.t2 - 1_000n), 37n * SECOND - 2_000n) // the wire carries TAI
    assert.equal(x.meanPathDelay, nsToScaled(1_000n))
    assert.equal(x.offsetFromMaster, nsToScaled(2_000n))
  })

  test('follows the better of two masters by the default BMCA', ({ assert }) => {
    const link = new SimulatedLink()
    const worse = new TestMaster({ name: 'worse', clockIdentity: '02aaaa.fffe.000001', logAnnounceInterval: -3, logSyncInterval: -3, dataset: { grandmasterPriority1: 200 } })
    const better = new TestMaster({ name: 'better', clockIdentity: '02aaaa.fffe.000009', logAnnounceInterval: -3, logSyncInterval: -3, dataset: { grandmasterPriority1: 100 }, timeBase: new TimeBase({ offsetNs: 5_000n }) })
    const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'E2E', logMinDelayReqInterval: -3 })
    link.add('worse', worse)
    link.add('better', better)
    link.add('slave', slave)
    link.start()
    link.advance(3n * SECOND)
    assert.deepEqual(slave.master, { clockIdentity: '02aaaa.fffe.000009', portNumber: 1 })
    assert.equal(slave.delayExchanges.at(-1)!.offsetFromMaster, nsToScaled(-5_000n))
  })
})

test.group('engines / test slave (P2P)', () => {
  test('peer delay and neighborRateRatio against a responder with a frequency error', ({ assert }) => {
    const link = new SimulatedLink({ delay: () => 700n })
    const gm = new TestMaster({
      name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: -3, delayMechanism: 'P2P',
      timeBase: new TimeBase({ offsetNs: 10_000n, frequencyPpb: 50_000, referenceNs: link.now }),
    })
    const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'P2P', logMinPdelayReqInterval: -2, master: { clockIdentity: GM, portNumber: 1 } })
    link.add('gm', gm)
    link.add('slave', slave)
    link.start()
    link.advance(5n * SECOND)
    assert.isAbove(slave.pdelayExchanges.length, 15)
    const last = slave.pdelayExchanges.at(-1)!
    assert.isTrue(last.twoStep)
    assert.closeTo(rateRatioPpb(last.neighborRateRatio), 50_000, 5)
    // 700 ns link: exact up to the ns rounding of the responder's scaled time base.
    assert.closeTo(Number(scaledToNs(last.meanLinkDelay)), 700, 1)
    assert.lengthOf(slave.multipleResponses, 0)
  })

  test('one-step responder: turnaround in correctionField', ({ assert }) => {
    const link = new SimulatedLink({ delay: () => 1_200n })
    const gm = new TestMaster({ name: 'gm', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P', oneStepPdelayTurnaroundNs: 40_000n })
    const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'P2P', logMinPdelayReqInterval: -2 })
    link.add('gm', gm)
    link.add('slave', slave)
    link.start()
    link.advance(2n * SECOND)
    const last = slave.pdelayExchanges.at(-1)!
    assert.isFalse(last.twoStep)
    assert.equal(last.cPdelayResp, nsToScaled(40_000n))
    assert.equal(last.meanLinkDelay, nsToScaled(1_200n))
  })

  test('two responders on one link are reported', ({ assert }) => {
    const link = new SimulatedLink()
    const a = new TestMaster({ name: 'a', clockIdentity: GM, logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P', sendAnnounce: false, sendSync: false })
    const b = new TestMaster({ name: 'b', clockIdentity: '02aaaa.fffe.000002', logAnnounceInterval: 0, logSyncInterval: 0, delayMechanism: 'P2P', sendAnnounce: false, sendSync: false })
    const slave = new TestSlave({ name: 'slave', clockIdentity: SL, delayMechanism: 'P2P', logMinPdelayReqInterval: -1 })
    for (const [n, e] of [['a', a], ['b', b], ['slave', slave]] as const) link.add(n, e)
    link.start()
    link.advance(3n * SECOND)
    assert.isAbove(slave.multipleResponses.length, 3)
  })
})

test.group('engines / request spacing', () => {
  test('uniform (0, 2T], ±30 % and fixed rules', ({ assert }) => {
    const rng = new SeededRandom(42)
    const T = logIntervalToNs(-3)
    const u = Array.from({ length: 4000 }, () => nextRequestInterval({ rule: 'uniform-0-2x' }, -3, rng))
    assert.isTrue(u.every((x) => x > 0n && x <= 2n * T))
    const s = summarize(u)
    assert.closeTo(Number(s.mean), Number(T), Number(T) * 0.03)
    assert.closeTo(Number(s.p50), Number(T), Number(T) * 0.05)
    const p = Array.from({ length: 4000 }, () => nextRequestInterval({ rule: 'pct-of-nominal', pct: 30 }, -3, rng))
    assert.isTrue(p.every((x) => x >= (T * 7n) / 10n && x <= (T * 13n) / 10n))
    assert.equal(nextRequestInterval({ rule: 'fixed' }, -3, rng), T)
  })

  test('the same seed draws the same schedule', ({ assert }) => {
    const draw = (seed: number) => {
      const r = new SeededRandom(seed)
      return Array.from({ length: 50 }, () => nextRequestInterval({ rule: 'uniform-0-2x' }, 0, r))
    }
    assert.deepEqual(draw(7), draw(7))
    assert.notDeepEqual(draw(7), draw(8))
  })
})
