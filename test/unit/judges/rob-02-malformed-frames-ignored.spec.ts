/**
 * ROB-02's judge on the reference DUT run sans-IO: the conformant clock drops messages whose
 * messageLength or TLV lengthField lie (and the frames really carry those findings when
 * decoded); accepts-malformed-messages follows the case masters and fails; the fragile
 * crashes-on-tlv-overrun parser throws on the TLV case, and evidence with the DUT's exit fails
 * through the run's exit check.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { malformation } from '../../../harness/codec/findings/malformed.ts'
import { ParserCrash } from '../../../harness/refdut/clock.ts'
import { judged as runJudged } from '../../../harness/run/execute.ts'
import ROB02, { malformedCases } from '../../../suites/rob/rob-02-malformed-frames-ignored.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { judgedUnusable, unusableEvidence } from '../../support/evidence/unusable.ts'

const e2e = loadProfile('default-e2e')

test.group('judge ROB-02 malformed messages', () => {
  test('a clock that drops malformed messages passes (E2E, P2P, power); also after a round trip', ({ assert }) => {
    for (const id of ['default-e2e', 'default-p2p', 'power-2017']) {
      const p = loadProfile(id)
      const r = judgedUnusable(ROB02, p, malformedCases())
      assert.equal(r.verdict, 'pass', `${id}: ${JSON.stringify(r.checks.map((c) => [c.name, c.verdict, c.detail]))}`)
      assert.lengthOf(r.checks, malformedCases().length + 2, 'lock, control and one per case')
      if (id === 'default-e2e') assert.deepEqual(ROB02.judge(roundTrip(r.e), p).checks, r.checks)
    }
  })

  test('each case master sends what it claims: every frame of it decodes with the length finding', ({ assert }) => {
    const e = unusableEvidence('ROB-02', e2e, malformedCases())
    const want: Record<string, RegExp> = { 'length-past-frame': /exceeds the \d+ octets present/, 'length-short-of-body': /is shorter than the \d+-octet/, 'tlv-past-end': /runs 8 octets past/, 'tlv-header-cut': /too few for a TLV header/ }
    for (const c of e.data.cases) {
      const frames = e.data.recorder.frames.filter((f) => f.direction === 'out' && f.message?.header.sourcePortIdentity.clockIdentity === c.master.clockIdentity && f.message.type === 'Announce')
      assert.isAbove(frames.length, 2, c.key)
      for (const f of frames) assert.match(malformation(f.findings)?.message ?? 'none', want[c.key]!, c.key)
    }
  })

  test('fault accepts-malformed-messages: the DUT follows a malformed master and fails, naming it', ({ assert }) => {
    const r = judgedUnusable(ROB02, e2e, malformedCases(), { faults: ['accepts-malformed-messages'] })
    assert.equal(r.verdict, 'fail')
    assert.isAtLeast(r.failed.length, 1)
    assert.match(r.failed.join(' | '), /not used: /)
  })

  test('fault crashes-on-tlv-overrun: the parser throws on the TLV case; a DUT that exited fails through the run with its exit', ({ assert }) => {
    assert.throws(() => unusableEvidence('ROB-02', e2e, malformedCases(), { faults: ['crashes-on-tlv-overrun'] }), ParserCrash as never)
    const e = unusableEvidence('ROB-02', e2e, malformedCases())
    const exited = { ...e, data: { ...e.data, watchHistory: e.data.watchHistory.map((r) => ({ atNs: r.atNs, error: 'control socket: connection refused' })) }, dutExit: { program: 'refdut', code: 139, signal: null, atMs: 1_700_000_000_000, logTail: 'refdut: error in engine refdut: receive Announce: Announce from 020000.fffe.000044: tlvType 0x1fff lengthField 14 runs 8 octets past messageLength' } }
    const r = runJudged(ROB02, exited as never, e2e)
    assert.equal(r.verdict, 'fail')
    assert.equal(r.checks[0]!.name, 'the DUT kept running through the test')
    assert.include(String(r.checks[0]!.measured), 'exited with code 139')
  })
})
