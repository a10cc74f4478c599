/**
 * INT-04's judge on the reference DUT run sans-IO under gPTP as a slave of a harness
 * grandmaster that stops Sync and keeps announcing: a clock that leaves SLAVE inside
 * [3, 4] sync intervals after the last Sync passes, one at exactly 3 (the reference DUT) is
 * inconclusive because the state-read bracket straddles the window's edge; the faults that ignore the timeout (never
 * leaves) and count it two intervals short (too early) fail; a state that cannot be read after
 * the silence is inconclusive; not applicable where the profile has no syncReceiptTimeout.
 */
import { test } from '@japa/runner'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { ReferenceClock } from '../../../harness/refdut/clock.ts'
import { applyFaults } from '../../../harness/refdut/faults.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import type { PolledState } from '../../../suites/support/receipt_timeout.ts'
import INT04, { type SyncTimeoutData } from '../../../suites/int/int-04-sync-receipt-timeout.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'
import { gmConfig, ms, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'

const gptp = loadProfile('gptp')
/** The gPTP lab DUT's timeout: syncReceiptTimeout × sync interval, from its configured settings. */
const settings = dutSettingsFor(gptp)
const TIMEOUT_NS = BigInt(settings.syncReceiptTimeout!.value) * logIntervalToNs(settings.intervals.sync.value)
const TIMEOUT_MS = Number(TIMEOUT_NS) / 1e6
const isSlave = (s: PolledState['state']) => !!s && s.ports.some((p) => p.portState === 'SLAVE' || p.portState === 'UNCALIBRATED')

/** leaveLagMs: the DUT's state machine acts that long after its timer (a tick), still inside the window. */
function evidence(o: { faults?: string[]; unreadable?: boolean; leaveLagMs?: number } = {}) {
  const cfg = gmConfig(gptp, 'gm', 1, { grandmasterPriority2: gptp.priorities.priority2.default.value - 10 }, { delayMechanism: 'none' })
  const peer = gmConfig(gptp, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })
  const group = new EngineGroup('masters', [new TestMaster(cfg), new TestMaster(peer)])
  const dut = new ReferenceClock(applyFaults({ name: 'refdut', clockIdentity: DUT_IDENTITY, profile: gptp, settings: dutSettingsFor(gptp), role: 'auto', behaviour: {}, seed: 7 }, o.faults ?? []))
  const link = new SimulatedLink({ startNs: START_NS })
  link.add('dut', dut)
  link.add('harness', group)
  link.start()
  const read = (): PolledState => ({ startNs: link.now - ms(3), endNs: link.now, state: dut.dutState(Number(link.now / 1_000_000n)) })
  const lock: SyncTimeoutData['lock'] = []
  while (link.now < START_NS + 15_000_000_000n) {
    link.run(link.now + ms(50))
    const r = read()
    lock.push({ atNs: r.endNs, state: r.state! })
    if (isSlave(r.state)) break
  }
  link.run(link.now + ms(700))
  const silencedAtNs = link.now
  link.control('harness', () => group.control<TestMaster>('gm', (gm) => gm.silence({ announce: false, sync: true, answers: false })))
  const watch: PolledState[] = []
  const slaveState = lock.at(-1)!.state!
  let leftNs: bigint | undefined
  while (link.now < silencedAtNs + 4_000_000_000n) {
    link.run(link.now + ms(20))
    let r = read()
    if (!isSlave(r.state)) leftNs ??= r.endNs
    if (leftNs !== undefined && o.leaveLagMs && r.endNs < leftNs + ms(o.leaveLagMs)) r = { ...r, state: slaveState }
    watch.push(o.unreadable ? { startNs: r.startNs, endNs: r.endNs, error: 'pmc: no answer' } : r)
    if (!o.unreadable && !isSlave(r.state)) break
  }
  link.run(link.now + ms(500))
  const recorder = new Recorder()
  for (const f of link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return envelope('INT-04', gptp, { recorder, lock, silencedAtNs, watch, pollMs: 20 })
}

const judged = (o: Parameters<typeof evidence>[0] = {}) => {
  const e = evidence(o)
  const checks = INT04.judge(e, gptp).checks
  return { e, checks, verdict: combineChecks(checks), timing: checks.find((c) => c.name.startsWith('time from the last Sync'))! }
}

test.group('judge INT-04 sync receipt timeout', () => {
  test('a clock that ages its master within the window (its state machine acts 60 ms after the timer) passes; also after a round trip', ({ assert }) => {
    const r = judged({ leaveLagMs: 60 })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks.map((c) => [c.verdict, c.measured, c.detail])))
    assert.deepEqual(INT04.judge(roundTrip(r.e), gptp).checks, r.checks)
  })

  test('insufficient: leaving exactly N intervals after the last Sync sits on the window\'s lower edge, inside the state-read bracket: inconclusive with the bracket', ({ assert }) => {
    const r = judged()
    assert.equal(r.timing.verdict, 'inconclusive')
    assert.match(r.timing.detail!, /left between \+3\d\d\.\d and \+3\d\d\.\d ms after the last Sync \(port state polled every 20 ms/)
    assert.isTrue(INT04.referenceBaseline?.(gptp) !== true, 'selftest must not expect the reference DUT to pass here')
  })

  test('the DUT\'s own log (ptp4l, 1 ms) brackets the same nominal leave tightly enough to pass; a log time outside the polled bracket is not used', ({ assert }) => {
    const e = evidence()
    const left = e.data.watch.find((r) => r.state && !isSlave(r.state))!
    const lastSync = e.data.recorder.last({ type: 'Sync', direction: 'out' })!.timestampNs!
    const at = lastSync + TIMEOUT_NS + 400_000n
    assert.isTrue(at <= left.endNs)
    const withLog = { ...e, data: { ...e.data, logTransitions: [{ atNs: at, resolutionNs: 1_000_000n, port: 1, from: 'SLAVE' as const, to: 'LISTENING' as const, event: 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES' }] } }
    const timing = INT04.judge(withLog, gptp).checks.find((c) => c.name.startsWith('time from the last Sync'))!
    assert.equal(timing.verdict, 'pass', timing.detail)
    assert.include(timing.detail!, `its log: port 1 SLAVE to LISTENING on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES at +${(TIMEOUT_MS + 0.4).toFixed(1)} ms`)
    const far = { ...e, data: { ...e.data, logTransitions: [{ ...withLog.data.logTransitions[0]!, atNs: lastSync + 2_000_000_000n }] } }
    const t2 = INT04.judge(far, gptp).checks.find((c) => c.name.startsWith('time from the last Sync'))!
    assert.equal(t2.verdict, 'inconclusive')
    assert.match(t2.detail!, /lies outside that bracket and was not used/)
  })

  test('fault sync-timeout-ignored: the DUT never leaves SLAVE and fails', ({ assert }) => {
    const r = judged({ faults: ['sync-timeout-ignored'] })
    assert.equal(r.timing.verdict, 'fail')
    assert.equal(r.timing.measured, 'never')
  })

  test('fault sync-timeout-early: leaving after 1 interval fails', ({ assert }) => {
    const r = judged({ faults: ['sync-timeout-early'] })
    assert.equal(r.timing.verdict, 'fail')
    assert.isBelow(r.timing.measured as number, TIMEOUT_MS)
  })

  test('fault: a DUT already out of SLAVE at a read before the last Sync (a timeout shorter than the Sync jitter) fails, naming the read', ({ assert }) => {
    const e = evidence()
    const lastSync = e.data.recorder.last({ type: 'Sync', direction: 'out' })!.timestampNs!
    const master = { ...e.data.watch.find((x) => x.state)!.state!, ports: [{ portNumber: 1, portState: 'MASTER' as const }] }
    const early = { ...e, data: { ...e.data, watch: [{ startNs: lastSync - 9_000_000n, endNs: lastSync - 5_000_000n, state: master }, ...e.data.watch] } }
    const t = INT04.judge(early, gptp).checks.find((c) => c.name.startsWith('time from the last Sync'))!
    assert.equal(t.verdict, 'fail')
    assert.include(t.detail!, 'while Sync still flowed')
  })

  test('insufficient: a state that cannot be read after the silence is inconclusive', ({ assert }) => {
    assert.equal(judged({ unreadable: true }).timing.verdict, 'inconclusive')
  })

  test('not applicable where the profile defines no syncReceiptTimeout', ({ assert }) => {
    assert.isString(INT04.appliesTo(loadProfile('default-e2e')))
    assert.isTrue(INT04.appliesTo(gptp))
  })
})
