/**
 * INT-03's judge on evidence made by the engines (the harness grandmaster, silenced, and a
 * simulated DUT slave on a simulated link) plus the DUT's polled port state as a timeline.
 * The window is [N, N + 1] announce intervals after the last Announce, N the DUT's configured
 * announceReceiptTimeout; it is widened only by the poll bracket and the timestamp noise.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { PortStateName } from '../../../harness/dut/types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import INT03, { type ReceiptTimeoutData } from '../../../suites/int/int-03-announce-receipt-timeout.ts'
import { envelope, type EnvelopeOptions } from '../../support/evidence/simulate.ts'
import { historyOf, pollReads, simulateDutSlave, timeline } from '../../support/evidence/dut_slave.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const telecom = loadProfile('g8275-1')
type Profile = typeof e2e
const SILENCE_S = 5
const isSlaveState = (p: PortStateName | undefined) => p === 'SLAVE' || p === 'UNCALIBRATED'

interface Behaviour {
  /** When the DUT leaves SLAVE, in announce intervals after the last Announce; undefined = never. */
  leavesAfter?: number
  leavesTo?: PortStateName
  /** Its first own Announce, in intervals after the last Announce (it becomes master). */
  announcesAfter?: number
  pollMs?: number
  readLatencyMs?: number
  /** The state cannot be read after the silence. */
  unreadable?: boolean
}

function evidence(profile: Profile, b: Behaviour, o: EnvelopeOptions = {}) {
  const dut = envelope('INT-03', profile, {}, o).dut
  const tS = 2 ** dut.intervals.announce.value
  const n = dut.announceReceiptTimeout.value
  const seconds = SILENCE_S + (n + 4) * tS + 3
  // The last Announce goes out one interval or less before the silence; the DUT's own Announce is placed after it.
  const probe = simulateDutSlave(profile, { seed: 1, ...o, seconds: SILENCE_S + 0.001, silenceAnnounceAtS: SILENCE_S })
  const tA = probe.recorder.last({ type: 'Announce', direction: 'out' })!.timestampNs!
  const offsetS = Number(tA - probe.startNs) / 1e9
  const run = simulateDutSlave(profile, {
    seed: 1,
    ...o,
    seconds,
    silenceAnnounceAtS: SILENCE_S,
    ...(b.announcesAfter !== undefined ? { dutAnnouncesFromS: offsetS + b.announcesAfter * tS - 0.02 } : {}),
  })
  const T = BigInt(Math.round(tS * 1e9))
  const leaveAt = b.leavesAfter !== undefined ? tA + BigInt(Math.round(b.leavesAfter * Number(T))) : undefined
  const stateAt = b.unreadable
    ? () => undefined
    : timeline([{ atNs: 0n, portState: 'SLAVE' }, ...(leaveAt !== undefined ? [{ atNs: leaveAt, portState: b.leavesTo ?? ('PRE_MASTER' as PortStateName) }] : [])])
  const watch = pollReads({ fromNs: run.silencedAtNs!, toNs: run.silencedAtNs! + BigInt(n + 3) * T + 3_000_000_000n, pollMs: b.pollMs ?? 20, readLatencyMs: b.readLatencyMs ?? 2, stateAt, until: (s) => !isSlaveState(s.ports[0]!.portState) })
  const lock = historyOf(pollReads({ fromNs: run.startNs, toNs: run.startNs + 3_000_000_000n, pollMs: 50, stateAt: timeline([{ atNs: 0n, portState: 'LISTENING' }, { atNs: run.startNs + 2_000_000_000n, portState: 'SLAVE' }]), until: (s) => s.ports[0]!.portState === 'SLAVE' }))
  const data: ReceiptTimeoutData = { recorder: run.recorder, lock, silencedAtNs: run.silencedAtNs!, watch, pollMs: b.pollMs ?? 20 }
  return envelope('INT-03', profile, data, o)
}

const judge = (ev: ReturnType<typeof evidence>, profile: Profile = e2e) => {
  const checks = INT03.judge(ev, profile).checks
  return { verdict: combineChecks(checks), checks, timing: checks.find((c) => c.name.startsWith('time from the last Announce'))! }
}

test.group('judge INT-03 announce receipt timeout', () => {
  test('a conformant DUT (leaves after N + U(0,1] intervals) passes', ({ assert }) => {
    for (const u of [0.1, 0.5, 0.9]) assert.equal(judge(evidence(e2e, { leavesAfter: 3 + u })).verdict, 'pass', `N + ${u}`)
    assert.equal(judge(evidence(e2e, { leavesAfter: 3.5, announcesAfter: 4.5 })).verdict, 'pass', 'with its own Announce one interval later')
    assert.equal(judge(evidence(telecom, { leavesAfter: 3.4 }), telecom).verdict, 'pass', 'G.8275.1 at 8 Announce/s')
  })

  test('the judge gives the same verdict on evidence stored and loaded again', ({ assert }) => {
    const ev = evidence(e2e, { leavesAfter: 3.5, announcesAfter: 4.5 })
    assert.deepEqual(INT03.judge(roundTrip(ev), e2e).checks, INT03.judge(ev, e2e).checks)
  })

  test('N is the DUT\'s configured announceReceiptTimeout: N = 9 passes at 9.5 intervals and fails at 3.5', ({ assert }) => {
    const o = { dutOptions: { announceReceiptTimeout: 9 } }
    assert.equal(judge(evidence(e2e, { leavesAfter: 9.5 }, o)).verdict, 'pass')
    assert.equal(judge(evidence(e2e, { leavesAfter: 3.5 }, o)).timing.verdict, 'fail')
  })

  test('fault: a configured N outside the profile\'s range fails naming value and range', ({ assert }) => {
    const r = judge(evidence(e2e, { leavesAfter: 12.5 }, { dutOptions: { announceReceiptTimeout: 12 } }))
    assert.equal(r.verdict, 'fail')
    assert.deepInclude(r.checks[0]!, { measured: 12, limit: '2 … 10', verdict: 'fail' })
    assert.equal(r.timing.verdict, 'pass')
    const t = judge(evidence(telecom, { leavesAfter: 2.5 }, { dutOptions: { announceReceiptTimeout: 2 } }), telecom)
    assert.deepInclude(t.checks[0]!, { measured: 2, limit: '3 … 10', verdict: 'fail' })
  })

  test('fault: leaving one interval early (after N − 1 + U(0,1]) fails', ({ assert }) => {
    for (const u of [0.2, 0.5, 0.9]) {
      const r = judge(evidence(e2e, { leavesAfter: 2 + u }))
      assert.equal(r.timing.verdict, 'fail', `N − 1 + ${u}`)
    }
  })

  test('fault: leaving early seen only on the wire (state unreadable, own Announce at N − 0.5) fails', ({ assert }) => {
    const r = judge(evidence(e2e, { unreadable: true, announcesAfter: 2.5 }))
    assert.equal(r.timing.verdict, 'fail')
    assert.match(r.timing.detail!, /first own Announce/)
  })

  test('fault: leaving two intervals late (after N + 2 + U(0,1]) fails', ({ assert }) => {
    const r = judge(evidence(e2e, { leavesAfter: 5.5 }))
    assert.equal(r.timing.verdict, 'fail')
    assert.isAbove(r.timing.measured as number, 5000)
  })

  test('fault: a DUT that never leaves SLAVE fails naming how long it stayed', ({ assert }) => {
    const r = judge(evidence(e2e, {}))
    assert.equal(r.verdict, 'fail')
    assert.deepInclude(r.timing, { measured: 'never', verdict: 'fail' })
    assert.match(r.timing.detail!, /still SLAVE \d+ ms after the last Announce/)
  })

  test('fault: a DUT that never becomes a slave fails naming its states', ({ assert }) => {
    const t0 = 1_700_000_000_000_000_000n
    const lock = historyOf(pollReads({ fromNs: t0, toNs: t0 + 14_000_000_000n, pollMs: 50, stateAt: timeline([{ atNs: t0, portState: 'LISTENING' }, { atNs: t0 + 6_000_000_000n, portState: 'MASTER' }]) }))
    const ev = envelope('INT-03', e2e, { recorder: new Recorder(), lock, watch: [], pollMs: 20 } satisfies ReceiptTimeoutData)
    const r = judge(ev)
    assert.equal(r.verdict, 'fail')
    assert.match(r.checks[1]!.detail!, /never became a slave.*LISTENING ×\d+ → 6\.\d s MASTER ×\d+/)
  })

  test('noisy: a leave 5 ms after N intervals, polled every 20 ms, is inconclusive with the bracket as noise', ({ assert }) => {
    const r = judge(evidence(e2e, { leavesAfter: 3.005 }))
    assert.equal(r.timing.verdict, 'inconclusive')
    assert.isAbove(r.timing.noise!, 5)
    assert.match(r.timing.detail!, /left between \+\d+\.\d and \+\d+\.\d ms/)
  })

  test('noisy: slow management reads (400 ms) near the late edge are inconclusive, not pass', ({ assert }) => {
    const r = judge(evidence(e2e, { leavesAfter: 3.9, readLatencyMs: 400 }))
    assert.equal(r.timing.verdict, 'inconclusive')
  })

  test('unreadable state and no Announce of its own: inconclusive with the numbers', ({ assert }) => {
    const r = judge(evidence(e2e, { unreadable: true }))
    assert.equal(r.timing.verdict, 'inconclusive')
    assert.match(r.timing.detail!, /\d+ reads, \d+ without answer/)
  })
})
