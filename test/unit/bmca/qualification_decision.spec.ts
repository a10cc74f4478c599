import { test } from '@japa/runner'
import {
  announceUsable,
  compareDefault,
  datasetFromAnnounce,
  ForeignMasterTable,
  localDataset,
  predictChoice,
  predictFailover,
  stateDecision,
  type BmcaDataset,
  type Candidate,
} from '../../../harness/bmca/index.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { FLAG_ALTERNATE_MASTER } from '../../../harness/codec/constants.ts'
import { buildPathTraceTlv } from '../../../harness/codec/index.ts'
import type { AnnounceMessage } from '../../../harness/codec/types.ts'

const RX = { clockIdentity: '02dddd.fffe.000001', portNumber: 1 }
const MS = 1_000_000n

function announceFrom(id: string, log = -2, over: Partial<AnnounceMessage> = {}): AnnounceMessage {
  const gm = new TestMaster({ name: id, clockIdentity: id, logAnnounceInterval: log, logSyncInterval: 0 })
  return { ...(gm.buildAnnounce(0n) as AnnounceMessage), ...over }
}

test.group('bmca / foreign-master qualification (1588-2019 9.3.2.5, linuxptp add_foreign_master)', () => {
  test('the first Announce is not counted: a new master qualifies with its third', ({ assert }) => {
    const t = new ForeignMasterTable(RX)
    const a = announceFrom('02aaaa.fffe.000001')
    const I = 250n * MS
    assert.deepEqual(t.add(a, 0n), { isNew: true, brokeThreshold: false })
    assert.isFalse(t.isQualified(a.header.sourcePortIdentity, 0n))
    assert.deepEqual(t.add(a, I), { isNew: false, brokeThreshold: false })
    assert.isFalse(t.isQualified(a.header.sourcePortIdentity, I))
    assert.deepEqual(t.add(a, 2n * I), { isNew: false, brokeThreshold: true })
    assert.isTrue(t.isQualified(a.header.sourcePortIdentity, 2n * I))
  })

  test('Announces further apart than the window (4 intervals) do not qualify; qualification lapses', ({ assert }) => {
    const t = new ForeignMasterTable(RX)
    const a = announceFrom('02aaaa.fffe.000001', -2) // window 4 × 250 ms = 1 s
    t.add(a, 0n)
    t.add(a, 1000n * MS)
    t.add(a, 2000n * MS) // the previous counted message is exactly one window old: pruned
    assert.isFalse(t.isQualified(a.header.sourcePortIdentity, 2000n * MS))
    t.add(a, 2900n * MS)
    assert.isTrue(t.isQualified(a.header.sourcePortIdentity, 2900n * MS))
    assert.isTrue(t.isQualified(a.header.sourcePortIdentity, 2999n * MS))
    assert.isFalse(t.isQualified(a.header.sourcePortIdentity, 3000n * MS))
  })

  test('window sized by the receiver instead of the sender', ({ assert }) => {
    const t = new ForeignMasterTable(RX, { threshold: 2, windowIntervals: 4, windowBasis: 'receiver', receiverLogAnnounceInterval: 1 })
    const a = announceFrom('02aaaa.fffe.000001', -2)
    for (const s of [0n, 3000n, 6000n]) t.add(a, s * MS)
    assert.isTrue(t.isQualified(a.header.sourcePortIdentity, 6000n * MS)) // window 8 s
  })

  test('best qualified master, and linuxptp clearing of losers', ({ assert }) => {
    const t = new ForeignMasterTable(RX)
    const good = announceFrom('02aaaa.fffe.000009', -2, { grandmasterPriority1: 100 })
    const bad = announceFrom('02aaaa.fffe.000001', -2, { grandmasterPriority1: 200 })
    for (const s of [0n, 250n, 500n]) {
      t.add(bad, s * MS)
      t.add(good, s * MS + MS)
    }
    assert.equal(t.best(600n * MS, compareDefault)?.sender.clockIdentity, '02aaaa.fffe.000009')
    assert.lengthOf(t.qualified(600n * MS), 2)
    // good was heard last, so it is examined first and bad loses to it: cleared.
    t.best(600n * MS, compareDefault, true)
    assert.lengthOf(t.qualified(600n * MS), 1)
    t.clear(good.header.sourcePortIdentity)
    assert.isUndefined(t.best(600n * MS, compareDefault))
  })
})

test.group('bmca / which Announces are used', () => {
  const f = { ownClockIdentity: RX.clockIdentity, domainNumber: 0, majorSdoId: 0 }
  test('own, other domain, stepsRemoved 255, alternateMaster, path-trace loop, required TLV', ({ assert }) => {
    assert.isTrue(announceUsable(announceFrom('02aaaa.fffe.000001'), f).usable)
    assert.isFalse(announceUsable(announceFrom(RX.clockIdentity), f).usable)
    const dom = announceFrom('02aaaa.fffe.000001')
    dom.header.domainNumber = 3
    assert.isFalse(announceUsable(dom, f).usable)
    assert.isFalse(announceUsable(announceFrom('02aaaa.fffe.000001', 0, { stepsRemoved: 255 }), f).usable)
    const alt = announceFrom('02aaaa.fffe.000001')
    alt.header.flagField |= FLAG_ALTERNATE_MASTER
    assert.isFalse(announceUsable(alt, f).usable)
    const loop = announceFrom('02aaaa.fffe.000001', 0, { tlvs: [buildPathTraceTlv(['02aaaa.fffe.000001', RX.clockIdentity])] })
    assert.isFalse(announceUsable(loop, { ...f, pathTraceLoopCheck: true }).usable)
    assert.isTrue(announceUsable(loop, f).usable)
    const needsC37 = { ...f, requiredTlvs: [(t: { kind: string }) => t.kind === 'ORGANIZATION_EXTENSION'] }
    assert.isFalse(announceUsable(announceFrom('02aaaa.fffe.000001'), needsC37).usable)
  })
})

test.group('bmca / state decision (1588-2019 Figure 33, linuxptp bmc_state_decision)', () => {
  const local = (clockClass: number, priority1 = 128) =>
    localDataset({ clockIdentity: RX.clockIdentity, priority1, clockQuality: { clockClass, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, priority2: 128 })
  const foreign = (p1: number, id = '02aaaa.fffe.000001'): BmcaDataset =>
    datasetFromAnnounce(announceFrom(id, 0, { grandmasterPriority1: p1 }), RX)

  test('M1 / P1 for a class ≤ 127 clock', ({ assert }) => {
    assert.equal(stateDecision({ d0: local(6, 100), ebest: foreign(128), ebestPort: 1, erbest: foreign(128), portNumber: 1, compare: compareDefault }).code, 'M1')
    assert.equal(stateDecision({ d0: local(6, 200), ebest: foreign(128), ebestPort: 1, erbest: foreign(128), portNumber: 1, compare: compareDefault }).code, 'P1')
  })

  test('M2, S1, M3, P2 for other clocks', ({ assert }) => {
    const d0 = local(248)
    assert.deepEqual(stateDecision({ d0, ebest: foreign(200), ebestPort: 1, erbest: foreign(200), portNumber: 1, compare: compareDefault }), { code: 'M2', state: 'GRAND_MASTER' })
    assert.deepEqual(stateDecision({ d0, ebest: foreign(100), ebestPort: 1, erbest: foreign(100), portNumber: 1, compare: compareDefault }), { code: 'S1', state: 'SLAVE' })
    // Ebest on port 2; this port (1) hears a worse grandmaster: M3.
    assert.equal(stateDecision({ d0, ebest: foreign(100), ebestPort: 2, erbest: foreign(110, '02aaaa.fffe.000002'), portNumber: 1, compare: compareDefault }).code, 'M3')
    // Same grandmaster on both ports, this port's copy worse by topology only: P2.
    const e = foreign(100, '02aaaa.fffe.000001')
    const er = { ...e, sender: { clockIdentity: '02aaaa.fffe.000001', portNumber: 2 } }
    assert.equal(stateDecision({ d0, ebest: e, ebestPort: 2, erbest: er, portNumber: 1, compare: compareDefault }).code, 'P2')
  })

  test('LISTENING stays without a foreign master; a slave-only clock never becomes master', ({ assert }) => {
    assert.equal(stateDecision({ d0: local(248), ebest: undefined, ebestPort: undefined, erbest: undefined, portNumber: 1, compare: compareDefault, currentState: 'LISTENING' }).state, 'LISTENING')
    assert.equal(stateDecision({ d0: local(248), ebest: foreign(200), ebestPort: 1, erbest: foreign(200), portNumber: 1, compare: compareDefault, slaveOnly: true }).state, 'LISTENING')
  })
})

test.group('bmca / predictions', () => {
  const dut = { clockIdentity: RX.clockIdentity, priority1: 128, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, priority2: 128 }
  const cand = (name: string, id: string, over: Partial<Candidate> = {}): Candidate => ({
    name, sender: { clockIdentity: id, portNumber: 1 }, priority1: 128, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, priority2: 128, ...over,
  })

  test('the DUT follows the better candidate, and the deciding attribute is named', ({ assert }) => {
    const p = predictChoice({
      variant: 'default-1588', dut,
      candidates: [cand('a', '02aaaa.fffe.000009', { priority2: 100 }), cand('b', '02aaaa.fffe.000001', { priority2: 110 })],
    })
    assert.equal(p.state, 'SLAVE')
    assert.equal(p.parent?.name, 'a')
    assert.equal(p.grandmasterIdentity, '02aaaa.fffe.000009')
    assert.equal(p.decidedBy, 'priority2')
    assert.equal(p.code, 'S1')
  })

  test('a DUT better than every candidate is grandmaster; slave-only it listens', ({ assert }) => {
    const p = predictChoice({ variant: 'default-1588', dut: { ...dut, priority1: 1 }, candidates: [cand('a', '02aaaa.fffe.000009')] })
    assert.equal(p.state, 'GRAND_MASTER')
    assert.equal(p.grandmasterIdentity, RX.clockIdentity)
    assert.equal(p.localVersusBest, 'priority1')
    // Slave-only: D0 announces class 255, so an equal-priority1 class-248 candidate wins ...
    const s = predictChoice({ variant: 'default-1588', dut: { ...dut, slaveOnly: true }, candidates: [cand('a', '02aaaa.fffe.000009')] })
    assert.equal(s.state, 'SLAVE')
    assert.equal(s.localVersusBest, 'clockClass')
    // ... but priority1 still comes first: a worse-priority1 candidate leaves the slave-only DUT listening.
    const l = predictChoice({ variant: 'default-1588', dut: { ...dut, slaveOnly: true }, candidates: [cand('a', '02aaaa.fffe.000009', { priority1: 255 })] })
    assert.equal(l.state, 'LISTENING')
  })

  test('G.8275.x ignores priority1 in the prediction', ({ assert }) => {
    const p = predictChoice({
      variant: 'g8275x', dut,
      candidates: [cand('a', '02aaaa.fffe.000009', { priority1: 1, clockQuality: { clockClass: 7, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff } }), cand('b', '02aaaa.fffe.000001', { priority1: 255, clockQuality: { clockClass: 6, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff } })],
    })
    assert.equal(p.parent?.name, 'b')
    assert.equal(p.decidedBy, 'clockClass')
  })

  test('a masterOnly (notSlave) port ignores every candidate', ({ assert }) => {
    const p = predictChoice({ variant: 'g8275x', dut, portMasterOnly: true, candidates: [cand('a', '02aaaa.fffe.000009', { clockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d } })] })
    assert.equal(p.state, 'GRAND_MASTER')
    assert.isUndefined(p.parent)
  })

  test('failover window: (N + U(0,1]) intervals, plus re-qualification when the DUT cleared the backup', ({ assert }) => {
    const q = predictFailover({ announceReceiptTimeout: 3, logAnnounceInterval: -2, backup: { logAnnounceInterval: -2, qualification: 'qualified', threshold: 2 } })
    assert.equal(q.earliestNs, 750n * MS)
    assert.equal(q.latestNs, 1000n * MS)
    const r = predictFailover({ announceReceiptTimeout: 3, logAnnounceInterval: -2, backup: { logAnnounceInterval: -2, qualification: 'requalify', threshold: 2 } })
    assert.equal(r.latestNs, 1500n * MS)
    assert.equal(r.qualificationNs, 500n * MS)
    const s = predictFailover({ announceReceiptTimeout: 3, logAnnounceInterval: 0, spread: 'standard', backup: { logAnnounceInterval: 0, qualification: 'qualified', threshold: 2 } })
    assert.equal(s.earliestNs, s.latestNs)
    assert.equal(s.latestNs, 3000n * MS)
  })
})
