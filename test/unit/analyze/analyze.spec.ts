/**
 * `analyze` on captures: the engines' traffic written as pcapng (as a tap would record it) is
 * judged by the live judges; a capture with a seeded fault fails the right test; tests that
 * need stimulus are recorded as not applicable; damage and profile fit are reported.
 */
import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyze, readCaptures } from '../../../harness/analyze/analyze.ts'
import { profileFit } from '../../../harness/analyze/profile_fit.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { recordingToPcapng } from '../../../harness/recorder/pcapng_export.ts'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import INT01 from '../../../suites/int/int-01-message-rates.ts'
import MF03 from '../../../suites/mf/mf-03-sequence-id.ts'
import { DUT_IDENTITY, simulatedObservation } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')
const dir = mkdtempSync(join(tmpdir(), 'ptpc-analyze-'))
let n = 0
function capture(profile = e2e, fault: Parameters<typeof simulatedObservation>[2] = {}, seconds = 30): string {
  const file = join(dir, `c${n++}.pcapng`)
  writeFileSync(file, recordingToPcapng(simulatedObservation(profile, { seconds }, fault).recorder))
  return file
}
const NEEDS_STIMULUS = { ...INT01, id: 'E2E-01', fixture: 'dut-master' as const, capturable: false }
const outcome = (file: string, o: Partial<Parameters<typeof analyze>[0]> = {}) => {
  const r = analyze({ captures: [file], profile: e2e, tests: [{ file: '', def: INT01 }, { file: '', def: NEEDS_STIMULUS }], ...o })
  if ('error' in r) throw new Error(r.error)
  return r
}

test.group('analyze: captures judged by the live judges', () => {
  test('a conformant DUT grandmaster passes INT-01; a test needing stimulus is not applicable, with that reason', ({ assert }) => {
    const r = outcome(capture())
    assert.equal(r.dut.clockIdentity, DUT_IDENTITY)
    assert.equal(r.results[0]!.verdict, 'pass', r.results[0]!.reason)
    assert.equal(r.results[1]!.verdict, 'not-applicable')
    assert.match(r.results[1]!.reason, /^needs stimulus/)
    assert.sameMembers(r.clocks.map((c) => c.role), ['grandmaster', 'slave'])
  })

  test('fault: Sync advertising 2^3 s while sent every configured interval fails INT-01', ({ assert }) => {
    const mutations: MutationRule[] = [{ messageTypes: ['Sync'], mutation: { kind: 'logMessageInterval', value: 3 } }]
    const r = outcome(capture(e2e, { mutations }))
    assert.equal(r.results[0]!.verdict, 'fail')
    assert.isTrue(r.results[0]!.checks.some((c) => c.name.startsWith('Sync (configured 2^3') && c.verdict === 'fail'))
  })

  test('fault: Sync at twice the rate the engineer says is configured (--dut-option) fails', ({ assert }) => {
    const configured = e2e.lab.ptp4l.logSyncInterval !== undefined ? Number(e2e.lab.ptp4l.logSyncInterval) : e2e.intervals.sync.default.value
    const file = capture(e2e, { logSyncInterval: configured - 1 })
    assert.equal(outcome(file).results[0]!.verdict, 'pass', 'without knowing the configuration, an honest faster rate is conformant')
    const r = outcome(file, { dutOptions: { logSyncInterval: configured } })
    assert.equal(r.results[0]!.verdict, 'fail')
    assert.isTrue(r.results[0]!.checks.some((c) => c.name.startsWith('Sync advertises') && c.verdict === 'fail'))
  })

  test('fault: Follow_Up with its Sync\'s sequenceId + 1 fails MF-03 on the capture; Syncs missing from a capture are a gap the tap may have caused (inconclusive)', ({ assert }) => {
    const tests = [{ file: '', def: MF03 }]
    const ok = outcome(capture(), { tests })
    assert.equal(ok.results[0]!.verdict, 'pass', ok.results[0]!.reason)
    const bad = outcome(capture(e2e, { mutations: [{ messageTypes: ['Follow_Up'], mutation: { kind: 'sequenceId', delta: 1 } }] }), { tests })
    assert.equal(bad.results[0]!.verdict, 'fail')
    assert.isTrue(bad.results[0]!.checks.some((c) => c.name === 'Follow_Up matching no earlier two-step Sync' && c.verdict === 'fail'))
    const lost = outcome(capture(e2e, { mutations: [{ messageTypes: ['Sync', 'Follow_Up'], select: { kind: 'every', n: 7 }, mutation: { kind: 'skip' } }] }), { tests })
    assert.equal(lost.results[0]!.verdict, 'inconclusive')
  })

  test('the noise is the capture\'s timestamp resolution, said so in the record', ({ assert }) => {
    const r = outcome(capture())
    assert.equal(r.results[0]!.noise!.ns, 1)
    assert.include(r.results[0]!.noise!.method, 'timestamp resolution')
  })

  test('a damaged capture is read up to the damage, which is reported', ({ assert }) => {
    const whole = recordingToPcapng(simulatedObservation(e2e, { seconds: 30 }).recorder)
    const file = join(dir, 'damaged.pcapng')
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.8)))
    const rec = readCaptures([file])
    assert.isDefined(rec.damage)
    assert.isAbove(rec.recorder.size, 10)
    assert.equal(outcome(file).results[0]!.verdict, 'pass')
  })

  test('a DUT named by clockIdentity is chosen; an unknown one is refused with the reason', ({ assert }) => {
    const file = capture()
    assert.equal(outcome(file, { dut: DUT_IDENTITY }).dut.clockIdentity, DUT_IDENTITY)
    const r = analyze({ captures: [file], profile: e2e, tests: [], dut: '02:00:00:99:99:99' })
    assert.isTrue('error' in r && /no clock in the capture/.test(r.error))
  })

  test('profile fit: a gPTP capture fits gptp and not default-e2e, and says why', ({ assert }) => {
    const frames = readCaptures([capture(gptp)]).recorder.query()
    assert.isTrue(profileFit(gptp, frames).fits, profileFit(gptp, frames).misfits.join('; '))
    const e = profileFit(e2e, frames)
    assert.isFalse(e.fits)
    assert.isTrue(e.misfits.some((m) => /majorSdoId|transport/.test(m)), e.misfits.join('; '))
  })
})
