/**
 * The CI gate: known failures (listed with an unexpired date, or failing the same way in the
 * baseline) do not fail it; a new failure and an expired listing do, and a margin that shrank
 * beyond its noise does where asked (listed otherwise). The known-failures file gets file:line:col errors.
 */
import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatGate, gate } from '../../../harness/results/gate.ts'
import { KnownFailuresError, readKnownFailures } from '../../../harness/results/known_failures.ts'
import type { TestResult } from '../../../harness/results/record.ts'
import type { Check } from '../../../harness/verdict/verdict.ts'

function result(id: string, verdict: TestResult['verdict'], checks: Check[] = [], extra: Partial<TestResult> = {}): TestResult {
  return { id, title: id, area: id.replace(/-.*/, ''), clause: '', mapsTo: [], tags: [], severity: 'normal', profile: 'default-e2e', verdict, reason: `${id} ${verdict}`, checks, measurements: {}, steps: [], startedAt: '', durationMs: 0, evidence: {}, ...extra }
}
const timing = (ms: number): Check => ({ name: 'time to leave SLAVE', measured: ms, unit: 'ms', limit: '3000 … 4000 ms', noise: 20, source: 's', verdict: 'pass' })
const TODAY = '2026-12-07'

test.group('results / the CI gate', () => {
  test('a failure the baseline had is known; one it did not have fails the gate', ({ assert }) => {
    const d = gate({ results: [result('TLV-GEN-01', 'fail'), result('MF-03', 'fail')], baseline: [result('TLV-GEN-01', 'fail'), result('MF-03', 'pass')], today: TODAY })
    assert.isFalse(d.passed)
    assert.deepEqual(d.findings.map((f) => [f.id, f.status]), [['TLV-GEN-01', 'known (baseline)'], ['MF-03', 'new failure']])
    assert.match(d.findings[1]!.detail, /pass in the baseline, fail now/)
    assert.isTrue(gate({ results: [result('TLV-GEN-01', 'fail')], baseline: [result('TLV-GEN-01', 'fail')], today: TODAY }).passed)
  })

  test('a listed failure is known until its expiry day inclusive, then new again; a profile narrows it', ({ assert }) => {
    const known = [{ test: 'TLV-GEN-01', reason: 'ptp4l 3.1.1 drops a Sync with a TLV', expires: '2026-12-07' }]
    assert.isTrue(gate({ results: [result('TLV-GEN-01', 'fail')], known, today: '2026-12-07' }).passed)
    const late = gate({ results: [result('TLV-GEN-01', 'fail')], known, today: '2026-12-08' })
    assert.isFalse(late.passed)
    assert.equal(late.findings[0]!.status, 'expired')
    const other = gate({ results: [result('TLV-GEN-01', 'fail', [], { profile: 'gptp' })], known: [{ ...known[0]!, profile: 'default-e2e' }], today: TODAY })
    assert.equal(other.findings[0]!.status, 'new failure')
  })

  test('inconclusive gates only when asked; a pass never does', ({ assert }) => {
    assert.lengthOf(gate({ results: [result('TE-02', 'inconclusive'), result('MF-01', 'pass')], known: [], today: TODAY }).findings, 0)
    assert.isFalse(gate({ results: [result('TE-02', 'inconclusive')], known: [], today: TODAY, inconclusive: true }).passed)
  })

  test('a passing test whose margin shrank beyond its noise is listed, and fails the gate where margins are asked for; within the noise it is not listed', ({ assert }) => {
    const listed = gate({ results: [result('INT-03', 'pass', [timing(3050)])], baseline: [result('INT-03', 'pass', [timing(3500)])], today: TODAY })
    assert.isTrue(listed.passed)
    assert.equal(listed.findings[0]!.status, 'margin regression')
    const d = gate({ results: [result('INT-03', 'pass', [timing(3050)])], baseline: [result('INT-03', 'pass', [timing(3500)])], today: TODAY, margins: true })
    assert.isFalse(d.passed)
    assert.equal(d.findings[0]!.status, 'margin regression')
    assert.match(d.findings[0]!.detail, /time to leave SLAVE: margin 500 ms → 50 ms, more than the noise ±20 ms/)
    assert.lengthOf(gate({ results: [result('INT-03', 'pass', [timing(3490)])], baseline: [result('INT-03', 'pass', [timing(3500)])], today: TODAY, margins: true }).findings, 0)
    assert.match(formatGate(d), /gate: FAILED: 0 new failure\(s\), 0 expired known failure\(s\), 1 margin regression\(s\), 0 known failure\(s\) ignored$/)
  })
})

test.group('results / known-failures.yaml', () => {
  const file = (text: string) => {
    const p = join(mkdtempSync(join(tmpdir(), 'ptpc-known-')), 'known-failures.yaml')
    writeFileSync(p, text)
    return p
  }

  test('entries with test, reason, expires and an optional profile', ({ assert }) => {
    const k = readKnownFailures(file('- test: TLV-GEN-01\n  profile: default-e2e\n  reason: ptp4l 3.1.1 drops a Sync with a TLV\n  expires: 2027-06-30\n'))
    assert.deepEqual(k, [{ test: 'TLV-GEN-01', profile: 'default-e2e', reason: 'ptp4l 3.1.1 drops a Sync with a TLV', expires: '2027-06-30' }])
  })

  test('every problem at file:line:col: no reason, a bad date, an unknown key, not a list', ({ assert }) => {
    const p = file('- test: TLV-GEN-01\n  expires: someday\n- test: MF-01\n  reason: ok\n  expires: 2027-01-01\n  owner: qa\n')
    const err = (() => {
      try {
        readKnownFailures(p)
      } catch (e) {
        return e as KnownFailuresError
      }
      throw new Error('no error')
    })()
    assert.instanceOf(err, KnownFailuresError)
    assert.match(err.message, /known-failures\.yaml:1:3 \S* reason is required/)
    assert.match(err.message, /known-failures\.yaml:2:12 \S* expires must be a date YYYY-MM-DD \(got "someday"\)/)
    assert.match(err.message, /known-failures\.yaml:6:3 \S* unknown key 'owner'/)
    assert.throws(() => readKnownFailures(file('test: MF-01\n')), /must be a list of entries/)
  })
})
