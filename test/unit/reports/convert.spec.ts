import { test } from '@japa/runner'
import { matchCategory, normalizeCategoriesConfig, extractErrorMatchingData } from '@allurereport/core-api'
import { toAllureResult, PCAPNG_CONTENT_TYPE, splitClauses } from '../../../reports/allure/convert.ts'
import { allure2Categories, allure3CategoryRules } from '../../../reports/allure/categories.ts'
import { environmentInfo } from '../../../reports/allure/environment.ts'
import type { TestResult } from '../../../harness/results/record.ts'
import { fixtureEnvironment, fixtureResults } from '../../support/reports/fixtures.ts'

const OUT = '/nonexistent/run'
const everything = () => true

function byId(id: string): TestResult {
  const r = fixtureResults().find((x) => x.id === id)
  if (!r) throw new Error(`no fixture ${id}`)
  return r
}

function convert(r: TestResult, exists: (p: string) => boolean = everything) {
  return toAllureResult(r, { outDir: OUT, environment: fixtureEnvironment(), exists })
}

function label(res: ReturnType<typeof convert>['result'], name: string): string[] {
  return res.labels.filter((l) => l.name === name).map((l) => l.value)
}

test.group('reports / allure / labels and identity', () => {
  test('tree, behaviour and verdict labels', ({ assert }) => {
    const { result } = convert(byId('INT-01'))
    assert.deepEqual(label(result, 'parentSuite'), ['default-e2e'])
    assert.deepEqual(label(result, 'suite'), ['INT'])
    assert.deepEqual(label(result, 'feature'), ['INT'])
    assert.deepEqual(label(result, 'story'), ['INT-01'])
    assert.deepEqual(label(result, 'severity'), ['normal'])
    assert.deepEqual(label(result, 'tag'), ['int'])
    assert.deepEqual(label(result, 'package'), ['ptp-conform.default-e2e.INT'])
    assert.deepEqual(label(result, 'verdict'), ['pass'])
    assert.deepEqual(label(result, 'clause'), ['IEEE 1588-2019 9.5.8', 'IEEE 1588-2019 7.7.2.1'])
    assert.deepEqual(label(result, 'mapsTo'), ['UNH PWR.c.1.2'])
    assert.equal(result.name, 'INT-01 Announce, Sync and Delay_Req rates')
    assert.equal(result.fullName, 'default-e2e.INT-01')
  })

  test('uuid is stable for the same test run and differs for another start', ({ assert }) => {
    const r = byId('MF-01')
    const a = convert(r).result
    const b = convert(r).result
    const c = convert({ ...r, startedAt: '2025-01-16T00:00:00.000Z' }).result
    assert.equal(a.uuid, b.uuid)
    assert.notEqual(a.uuid, c.uuid)
    assert.match(a.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(a.historyId, c.historyId, 'history links the same test across runs')
    const other = { ...fixtureEnvironment(), dut: { ...fixtureEnvironment().dut, implementation: 'Acme GM-1000' } }
    assert.notEqual(toAllureResult(r, { outDir: OUT, environment: other, exists: everything }).result.historyId, a.historyId, 'two DUTs keep apart in a merged report')
    assert.equal(a.start, Date.parse(r.startedAt))
    assert.equal(a.stop, Date.parse(r.startedAt) + r.durationMs)
  })

  test('parameters: profile, transport, domain, DUT', ({ assert }) => {
    const { result } = convert(byId('MF-01'))
    const p = Object.fromEntries(result.parameters.map((x) => [x.name, x.value]))
    assert.equal(p.profile, 'default-e2e')
    assert.equal(p.transport, 'udp-ipv4')
    assert.equal(p.domain, '0')
    assert.equal(p.DUT, 'ptp4l 3.1.1')
  })

  test('links: one per clause and per external test-plan ID', ({ assert }) => {
    const { result } = convert(byId('INT-01'))
    assert.deepEqual(
      result.links.map((l) => [l.type, l.name]),
      [
        ['link', 'IEEE 1588-2019 9.5.8'],
        ['link', 'IEEE 1588-2019 7.7.2.1'],
        ['tms', 'UNH PWR.c.1.2'],
      ],
    )
    for (const l of result.links) assert.isTrue(l.url.length > 0)
    assert.deepEqual(splitClauses(' A 1; ;B 2 '), ['A 1', 'B 2'])
  })
})

test.group('reports / allure / status', () => {
  test('every verdict and a harness error map to a status and a prefixed message', ({ assert }) => {
    const seen = Object.fromEntries(
      fixtureResults().map((r) => {
        const { result } = convert(r)
        return [r.id, [result.status, result.statusDetails.message?.split(':')[0] ?? '']]
      }),
    )
    assert.deepEqual(seen, {
      'MF-01': ['passed', ''],
      'INT-01': ['passed', ''],
      'INT-02': ['failed', 'Conformance failure'],
      'TE-02': ['broken', 'Inconclusive'],
      'TLV-GPTP-01': ['skipped', 'Not applicable'],
      'BMCA-03': ['broken', 'Harness error'],
    })
  })

  test('a harness error outranks the verdict the record carries and keeps its text', ({ assert }) => {
    const { result } = convert(byId('BMCA-03'))
    assert.deepEqual(label(result, 'verdict'), ['harness-error'])
    assert.equal(result.statusDetails.trace, 'interface ptpc123-h0 vanished (ENODEV) <while sending Announce & "Sync">')
    assert.notInclude(result.statusDetails.message!, '\n')
  })

  test('a harness error with a stack trace: first line as message, all of it as trace', ({ assert }) => {
    const stack = 'Error: ENODEV: no such device\n    at Port.send (native/port.ts:10:3)\n    at run (suites/bmca/bmca-03.ts:40:5)'
    const { result } = convert({ ...byId('BMCA-03'), harnessError: stack })
    assert.equal(result.statusDetails.message, 'Harness error: Error: ENODEV: no such device')
    assert.equal(result.statusDetails.trace, stack)
    assert.include(result.description!, '        at Port.send (native/port.ts:10:3)')
  })

  test('categories separate failures, inconclusive results and harness errors (Allure 3 rules)', ({ assert }) => {
    const categories = normalizeCategoriesConfig(allure3CategoryRules())
    const names = fixtureResults().map((r) => {
      const { result } = convert(r)
      const matched = matchCategory(
        categories,
        extractErrorMatchingData({
          status: result.status!,
          labels: result.labels,
          error: { message: result.statusDetails.message, trace: result.statusDetails.trace },
          flaky: false,
        } as Parameters<typeof extractErrorMatchingData>[0]),
      )
      return [r.id, result.status === 'passed' || result.status === 'skipped' ? '' : (matched?.name ?? 'none')]
    })
    assert.deepEqual(Object.fromEntries(names), {
      'MF-01': '',
      'INT-01': '',
      'INT-02': 'Conformance failures',
      'TE-02': 'Inconclusive results',
      'TLV-GPTP-01': '',
      'BMCA-03': 'Harness errors',
    })
  })

  test('categories.json regexes match the whole message the way Allure 2 does', ({ assert }) => {
    const cats = allure2Categories()
    const categoryOf = (status: string, message: string) =>
      cats.find((c) => c.matchedStatuses!.includes(status as never) && new RegExp(`^(?:${String(c.messageRegex)})$`).test(message))?.name
    for (const r of fixtureResults()) {
      const { result } = convert(r)
      if (result.status === 'passed' || result.status === 'skipped') continue
      const expected = { 'INT-02': 'Conformance failures', 'TE-02': 'Inconclusive results', 'BMCA-03': 'Harness errors' }[r.id]
      assert.equal(categoryOf(result.status!, result.statusDetails.message!), expected, r.id)
    }
    assert.isUndefined(categoryOf('broken', 'TypeError: x is undefined'))
  })
})

test.group('reports / allure / steps', () => {
  test('one step per check with measured, limit, unit, noise, source and confirmation', ({ assert }) => {
    const { result } = convert(byId('TE-02'))
    const step = result.steps[0]!
    assert.equal(step.name, 'max |TE|: 0.92 µs ± 0.9 µs (limit ≤ 1 µs)')
    assert.equal(step.status, 'broken')
    const p = Object.fromEntries(step.parameters.map((x) => [x.name, x.value]))
    assert.deepEqual(p, {
      verdict: 'INCONCLUSIVE',
      measured: '0.92 µs',
      limit: '≤ 1 µs',
      unit: 'µs',
      'harness noise': '± 0.9 µs',
      'source of limit': 'profile default-e2e: timeError.max',
      'limit confirmed': 'yes',
    })
  })

  test('a limit resting on an unconfirmed value is marked in name and parameters', ({ assert }) => {
    const { result } = convert(byId('INT-02'))
    const step = result.steps[0]!
    assert.match(step.name!, /\[limit unconfirmed\]$/)
    assert.equal(step.status, 'failed')
    assert.match(step.parameters.find((x) => x.name === 'limit confirmed')!.value, /^no/)
    assert.equal(step.statusDetails.message, 'ptp4l spreads Delay_Req uniformly over 0–2 × the interval')
  })

  test('phases follow the checks, timed from the test start', ({ assert }) => {
    const r = byId('INT-02')
    const { result } = convert(r)
    assert.lengthOf(result.steps, r.checks.length + 1)
    const phases = result.steps[result.steps.length - 1]!
    assert.equal(phases.name, 'Test phases (2)')
    assert.deepEqual(
      phases.steps.map((s) => [s.name, s.start! - Date.parse(r.startedAt)]),
      [
        ['+0.000 s  test master up', 0],
        ['+2.000 s  DUT in SLAVE; recording Delay_Req', 2000],
      ],
    )
  })

  test('description tabulates the checks and escapes table separators', ({ assert }) => {
    const r = byId('TE-02')
    const { result } = convert({ ...r, checks: [{ ...r.checks[0]!, name: 'a|b' }] })
    assert.include(result.description!, '**Verdict: INCONCLUSIVE**')
    assert.include(result.description!, '| a\\|b | INCONCLUSIVE | 0.92 µs | ≤ 1 µs | ± 0.9 µs | profile default-e2e: timeError.max |')
  })
})

test.group('reports / allure / attachments', () => {
  test('pcapng, evidence plot, generated plot and measurements JSON', ({ assert }) => {
    const { result, attachments, warnings } = convert(byId('TE-02'))
    assert.deepEqual(warnings, [])
    assert.deepEqual(
      attachments.map((a) => [a.name, a.contentType]),
      [
        ['Traffic default-e2e.TE-02.pcapng', PCAPNG_CONTENT_TYPE],
        ['Time error histogram', 'image/svg+xml'],
        ['Time error over time', 'image/svg+xml'],
        ['Measurements (JSON)', 'application/json'],
      ],
    )
    assert.equal(attachments[0]!.fromPath, `${OUT}/evidence/default-e2e.TE-02.pcapng`)
    assert.equal(attachments[1]!.fromPath, `${OUT}/evidence/default-e2e.TE-02.te-histogram.svg`)
    assert.include(attachments[2]!.content!.toString(), '<svg')
    for (const a of attachments) assert.match(a.source, new RegExp(`^${result.uuid}-.*-attachment\\.(pcapng|svg|json)$`))
    assert.deepEqual(
      result.attachments.map((a) => a.source),
      attachments.map((a) => a.source),
    )
  })

  test('the DUT\'s log during the test is attached as text', ({ assert }) => {
    const r = byId('TE-02')
    const { attachments, warnings } = convert({ ...r, evidence: { ...r.evidence, dutLog: 'evidence/default-e2e.TE-02.dut.log' } })
    assert.deepEqual(warnings, [])
    const log = attachments.find((a) => a.name === 'DUT log during the test')!
    assert.equal(log.contentType, 'text/plain')
    assert.equal(log.fromPath, `${OUT}/evidence/default-e2e.TE-02.dut.log`)
  })

  test('further evidence files (a fuzz reproducer) are attached with their type', ({ assert }) => {
    const r = byId('TE-02')
    const file = 'evidence/default-e2e.ROB-08.fuzz-failure-1-seed1-batch0.pcapng'
    const { attachments, warnings } = convert({ ...r, evidence: { ...r.evidence, files: [{ name: 'fuzz-failure-1-seed1-batch0.pcapng', file }] } })
    assert.deepEqual(warnings, [])
    const a = attachments.find((x) => x.name === 'fuzz-failure-1-seed1-batch0.pcapng')!
    assert.equal(a.contentType, 'application/x-pcapng')
    assert.equal(a.fromPath, `${OUT}/${file}`)
    assert.match(a.source, /-attachment\.pcapng$/)
  })

  test('measurements JSON keeps bigint values exactly', ({ assert }) => {
    const { attachments } = convert(byId('INT-01'))
    const json = JSON.parse(attachments.find((a) => a.name === 'Measurements (JSON)')!.content!.toString())
    const original = byId('INT-01').measurements.announceIntervalsNs as bigint[]
    assert.deepEqual(json.announceIntervalsNs, original.map(String))
  })

  test('missing evidence is a warning in the result, not a crash', ({ assert }) => {
    const { result, attachments, warnings } = convert(byId('MF-01'), () => false)
    assert.deepEqual(
      attachments.map((a) => a.name),
      ['Measurements (JSON)'],
    )
    assert.deepEqual(warnings, ['traffic capture evidence/default-e2e.MF-01.pcapng is listed but was not found'])
    assert.include(result.description!, 'Warning: traffic capture evidence/default-e2e.MF-01.pcapng')
  })

  test('evidence is also looked up under results/ (paths relative to the results folder)', ({ assert }) => {
    const { attachments } = convert(byId('MF-01'), (p) => p.startsWith(`${OUT}/results/`))
    assert.equal(attachments[0]!.fromPath, `${OUT}/results/evidence/default-e2e.MF-01.pcapng`)
  })
})

test.group('reports / allure / environment', () => {
  test('environment names interface, timestamping, kernel, DUT, harness and unconfirmed values', ({ assert }) => {
    const info = environmentInfo(fixtureEnvironment())
    assert.equal(info.Interface, 'ptpc123-h0')
    assert.equal(info.Timestamping, 'software')
    assert.equal(info.Kernel, 'Linux 6.1.0-test')
    assert.equal(info.DUT, 'ptp4l 3.1.1')
    assert.equal(info['Harness version'], 'ptp-conform 0.1.0')
    assert.equal(info.Profile, 'default-e2e')
    assert.equal(info['Unconfirmed profile values'], 'delayReqSpacing.spread (±30 %)')
    assert.equal(info['DUT setting free_running'], '1')
  })
})

test.group('allure / convert: since the baseline', () => {
  test('a record compared with a baseline says so in its description, with the checks that moved', ({ assert }) => {
    const r = byId('MF-01')
    const withBaseline = { ...r, sinceBaseline: { baseline: 'ci/baseline', was: 'pass' as const, change: 'regressed' as const, checks: [{ name: 'reserved bits and fields not zero', verdictA: 'pass' as const, verdictB: 'fail' as const, measuredA: 0, measuredB: 20, marginShrank: false }] } }
    const d = convert(withBaseline).result.description!
    assert.match(d, /\*\*Since the baseline\*\* \(ci\/baseline\): pass → \w+ \(regressed\)/)
    assert.include(d, '| reserved bits and fields not zero | pass → fail | 0 → 20 | — → — |  |')
    assert.notInclude(convert(r).result.description!, 'Since the baseline')
  })
})
