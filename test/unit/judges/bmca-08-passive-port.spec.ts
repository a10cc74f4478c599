/**
 * BMCA-08's judge on state reads and the downstream recording of a boundary clock with two paths
 * to one grandmaster: port 2 PASSIVE and silent passes (also on stored evidence); a port that
 * never goes PASSIVE, leaves it, or keeps announcing fails; unreadable states are inconclusive.
 */
import { test } from '@japa/runner'
import { encodeMessage } from '../../../harness/codec/message.ts'
import type { PortIdentity } from '../../../harness/codec/types.ts'
import type { PortStateName } from '../../../harness/dut/types.ts'
import { buildAnnounceMessage, defaultHeaderDefaults, ts } from '../../../harness/engines/message_factory.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import BMCA08, { type PassivePortData } from '../../../suites/bmca/bmca-08-passive-port.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const profile = loadProfile('default-e2e')
const GM = '020000.fffe.000040'
const DUT: [PortIdentity, PortIdentity] = [{ clockIdentity: '020000.fffe.000001', portNumber: 1 }, { clockIdentity: '020000.fffe.000001', portNumber: 2 }]
const T0 = 1_700_000_000_000_000_000n
const S = 1_000_000_000n

/** Reads every 0.5 s: port 2 in `down(i)`, port 1 SLAVE of the grandmaster. */
function data(down: (i: number) => PortStateName | undefined, o: { announceFromPort2AtS?: number[]; unreadable?: boolean; up?: (i: number) => PortStateName } = {}): PassivePortData {
  const reads = Array.from({ length: 40 }, (_, i) =>
    o.unreadable
      ? { atNs: T0 + (BigInt(i) * S) / 2n, error: 'no answer within 1000 ms' }
      : {
          atNs: T0 + (BigInt(i) * S) / 2n,
          state: { source: 'management-uds' as const, readAt: 0, grandmasterIdentity: GM, ports: [{ portNumber: 1, portState: o.up?.(i) ?? ((i < 4 ? 'LISTENING' : 'SLAVE') as PortStateName) }, { portNumber: 2, portState: down(i) ?? 'LISTENING' }] },
        },
  )
  const downstream = new Recorder()
  for (const s of o.announceFromPort2AtS ?? []) {
    const m = buildAnnounceMessage(defaultHeaderDefaults(DUT[1]), { sequenceId: s }, { originTimestamp: ts(0n), currentUtcOffset: 37, grandmasterPriority1: 128, grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }, grandmasterPriority2: 99, grandmasterIdentity: GM, stepsRemoved: 1, timeSource: 0x20 })
    downstream.record({ direction: 'in', port: 'hb', transport: 'l2', timestampNs: T0 + BigInt(s) * S, bytes: encodeMessage(m), message: m })
  }
  return { grandmaster: { clockIdentity: GM, portNumber: 1 }, otherPath: { clockIdentity: '020000.fffe.000241', portNumber: 1 }, dutPorts: DUT, announceIntervalNs: S, reads, upstream: new Recorder(), downstream }
}
const judge = (d: PassivePortData) => {
  const ev = envelope('BMCA-08', profile, d)
  const checks = BMCA08.judge(ev, profile).checks
  return { ev, checks, verdict: combineChecks(checks), failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test.group('judge BMCA-08 passive port', () => {
  test('port 2 PASSIVE and silent, port 1 SLAVE passes, also on stored evidence', ({ assert }) => {
    const r = judge(data((i) => (i >= 6 ? 'PASSIVE' : undefined), { announceFromPort2AtS: [1, 2] }))
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.deepEqual(BMCA08.judge(roundTrip(r.ev), profile).checks, r.checks)
  })

  test('fault: port 2 MASTER (no passive state) fails, naming the states seen', ({ assert }) => {
    const r = judge(data((i) => (i >= 6 ? 'MASTER' : undefined)))
    assert.deepEqual(r.failed, ['one port PASSIVE on two paths to one grandmaster'])
    assert.match(String(r.checks[0]!.measured), /port 2: LISTENING → MASTER/)
  })

  test('fault: port 2 leaves PASSIVE again fails', ({ assert }) => {
    assert.include(judge(data((i) => (i >= 6 && i < 20 ? 'PASSIVE' : i >= 20 ? 'MASTER' : undefined))).failed, 'one port PASSIVE on two paths to one grandmaster')
  })

  test('fault: a PASSIVE port that keeps announcing fails, with the frames', ({ assert }) => {
    const r = judge(data((i) => (i >= 6 ? 'PASSIVE' : undefined), { announceFromPort2AtS: [10, 11, 12] }))
    assert.deepEqual(r.failed, ['a PASSIVE port sends no Announce or Sync'])
    assert.equal(r.checks[2]!.measured, 3)
  })

  test('fault: port 2 PASSIVE but port 1 MASTER (following nothing) fails the other port', ({ assert }) => {
    const r = judge(data((i) => (i >= 6 ? 'PASSIVE' : undefined), { up: () => 'MASTER' }))
    assert.deepEqual(r.failed, ['the other port follows the grandmaster'])
    assert.match(r.checks[1]!.detail!, /34 reads with port 1 in another state/)
  })

  test('noise: states that cannot be read are inconclusive, with the reads', ({ assert }) => {
    const r = judge(data(() => undefined, { unreadable: true }))
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /could not be read \(40 reads: no answer within 1000 ms\)/)
  })

  test('noise: answers that never hold port 2 (a device answering only on the link asked through) are inconclusive, not a fail', ({ assert }) => {
    const d = data(() => 'MASTER')
    const onlyPort1 = { ...d, reads: d.reads.map((r) => (r.state ? { ...r, state: { ...r.state, ports: r.state.ports.filter((p) => p.portNumber === 1) } } : r)) }
    const r = judge(onlyPort1)
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.checks[0]!.detail!, /none of the 40 answers held port 2's state/)
  })

  test('a read that misses port 2 once is not a departure from PASSIVE', ({ assert }) => {
    const d = data((i) => (i >= 6 ? 'PASSIVE' : undefined))
    const partial = { ...d, reads: d.reads.map((r, i) => (r.state && i === 20 ? { ...r, state: { ...r.state, ports: r.state.ports.filter((p) => p.portNumber === 1) } } : r)) }
    assert.equal(judge(partial).verdict, 'pass', JSON.stringify(judge(partial).checks, null, 1))
  })

  test('fault: port 2 never in the answers but still announcing in the second half of the watch fails, naming the frames', ({ assert }) => {
    const d = data(() => 'MASTER', { announceFromPort2AtS: [2, 12, 15, 18] })
    const onlyPort1 = { ...d, reads: d.reads.map((r) => (r.state ? { ...r, state: { ...r.state, ports: r.state.ports.filter((p) => p.portNumber === 1) } } : r)) }
    const r = judge(onlyPort1)
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[0]!.detail!, /never in the answers, but it still sent 3 /)
    // No state answered at all: the same frames decide it.
    assert.equal(judge(data(() => undefined, { unreadable: true, announceFromPort2AtS: [12, 15] })).verdict, 'fail')
  })
})
