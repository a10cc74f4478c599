/**
 * The verdict table with a column per implementation (`run --dut-impl ptp4l,ptpd`), and the
 * option's rules: several implementations only in the lab, each once, without a baseline.
 */
import { test } from '@japa/runner'
import { comparisonTable } from '../../../harness/results/comparison.ts'
import type { TestResult } from '../../../harness/results/record.ts'
import { parseRunOptions } from '../../../harness/run/options.ts'

const r = (id: string, verdict: TestResult['verdict'], harnessError?: string): TestResult => ({
  id, title: id, area: id.split('-')[0]!, clause: '', mapsTo: [], tags: [], severity: 'normal', profile: 'default-e2e', verdict, reason: '',
  checks: [], measurements: {}, steps: [], startedAt: '', durationMs: 0, evidence: {}, ...(harnessError ? { harnessError } : {}),
})

test.group('results / comparison table', () => {
  test('a row per test in catalogue order, a column per run; missing is —, a harness error says so', ({ assert }) => {
    const t = comparisonTable([
      { label: 'ptp4l 3.1.1', results: [r('BMCA-02', 'pass'), r('MF-01', 'pass'), r('MF-10', 'pass'), r('MF-02', 'not-applicable'), r('TE-08', 'inconclusive', 'port already driven')] },
      { label: 'ptpd 2.3.1', results: [r('BMCA-02', 'fail'), r('MF-01', 'fail'), r('INT-02', 'inconclusive')] },
    ])
    assert.equal(
      t,
      [
        '| test | ptp4l 3.1.1 | ptpd 2.3.1 |',
        '|---|---|---|',
        '| MF-01 | pass | **fail** |',
        '| MF-02 | n/a | — |',
        '| MF-10 | pass | — |',
        '| INT-02 | — | inconcl. |',
        '| BMCA-02 | pass | **fail** |',
        '| TE-08 | harness error | — |',
      ].join('\n'),
    )
  })

  test('--dut-impl ptp4l,ptpd: compared in the lab; refused on a device, twice, with a baseline or with faults', ({ assert }) => {
    const o = parseRunOptions(['--profile', 'default', '--lab', '--dut-impl', 'ptp4l,ptpd'])
    assert.notEqual(o, 'help')
    if (o !== 'help') assert.deepEqual([o.dutImpl, o.compareImpls], ['ptp4l', ['ptp4l', 'ptpd']])
    assert.throws(() => parseRunOptions(['--profile', 'default', '--interface', 'eth9', '--dut', 'd.yaml', '--dut-impl', 'ptp4l,ptpd']), /add --lab/)
    assert.throws(() => parseRunOptions(['--profile', 'default', '--lab', '--dut-impl', 'ptp4l,ptp4l']), /twice/)
    assert.throws(() => parseRunOptions(['--profile', 'default', '--lab', '--dut-impl', 'ptp4l,ptpd', '--baseline', 'b']), /compares them with each other/)
    assert.throws(() => parseRunOptions(['--profile', 'default', '--lab', '--dut-impl', 'reference,ptpd', '--dut-fault', 'silent']), /one reference DUT/)
    const one = parseRunOptions(['--profile', 'default', '--lab'])
    if (one !== 'help') assert.isUndefined(one.compareImpls)
  })
})
