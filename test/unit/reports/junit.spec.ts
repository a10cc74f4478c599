import { test } from '@japa/runner'
import { junitXml, xmlAttr, xmlText } from '../../../reports/junit.ts'
import { summaryText } from '../../../reports/summary.ts'
import { fixtureEnvironment, fixtureResults } from '../../support/reports/fixtures.ts'
import { allElements, parseXml, textOf, type XmlElement } from '../../support/reports/xml_check.ts'

function cases(root: XmlElement): XmlElement[] {
  return allElements(root).filter((e) => e.name === 'testcase')
}

test.group('reports / junit', () => {
  test('one testcase per test: classname profile.area, name "ID title"', ({ assert }) => {
    const root = parseXml(junitXml(fixtureResults(), fixtureEnvironment()))
    assert.equal(root.name, 'testsuites')
    assert.deepEqual(
      cases(root).map((c) => [c.attrs.classname, c.attrs.name]),
      [
        ['default-e2e.MF', 'MF-01 Header sanity'],
        ['default-e2e.INT', 'INT-01 Announce, Sync and Delay_Req rates'],
        ['default-e2e.INT', 'INT-02 Delay_Req spacing'],
        ['default-e2e.TE', 'TE-02 Time error of a DUT master'],
        ['default-e2e.TLV', 'TLV-GPTP-01 Follow_Up information TLV'],
        ['default-e2e.BMCA', 'BMCA-03 Failover time after grandmaster loss'],
      ],
    )
    assert.equal(cases(root)[2]!.attrs.time, '152.000')
  })

  test('verdicts: failure, error, skipped with type and message; pass has none', ({ assert }) => {
    const root = parseXml(junitXml(fixtureResults(), fixtureEnvironment()))
    const outcome = (c: XmlElement) => {
      const o = c.children.find((x) => x.name !== 'system-out')
      return o ? [o.name, o.attrs.type, o.attrs.message] : []
    }
    assert.deepEqual(cases(root).map(outcome), [
      [],
      [],
      ['failure', 'conformance', 'Conformance failure: 38 % of Delay_Req intervals outside 0.7–1.3 × 2^0 s'],
      ['skipped', 'inconclusive', 'Inconclusive: harness noise ±0.9 µs exceeds the margin to the 1 µs limit'],
      ['skipped', 'not-applicable', 'Not applicable: profile default-e2e has no Follow_Up information TLV'],
      ['error', 'harness-error', 'Harness error: interface ptpc123-h0 vanished (ENODEV) <while sending Announce & "Sync">'],
    ])
    const failure = cases(root)[2]!.children.find((x) => x.name === 'failure')!
    assert.include(textOf(failure), 'Delay_Req intervals within ±30 %: measured 62 %, limit ≥ 90 %')
    assert.include(textOf(failure), '[limit unconfirmed]')
  })

  test('suite counts and properties, inconclusive included', ({ assert }) => {
    const root = parseXml(junitXml(fixtureResults(), fixtureEnvironment()))
    const suite = root.children[0]!
    assert.deepEqual(
      [suite.attrs.tests, suite.attrs.failures, suite.attrs.errors, suite.attrs.skipped],
      ['6', '1', '1', '2'],
    )
    assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.errors], ['6', '1', '1'])
    const props = Object.fromEntries(
      allElements(suite)
        .filter((e) => e.name === 'property')
        .map((p) => [p.attrs.name, p.attrs.value]),
    )
    assert.equal(props['verdict.inconclusive'], '1')
    assert.equal(props['verdict.harness-error'], '1')
    assert.equal(props.dut, 'ptp4l 3.1.1')
    assert.equal(props.timestamping, 'software')
    assert.equal(suite.attrs.timestamp, '2025-01-15T09:30:00')
  })

  test('system-out lists every check with its source', ({ assert }) => {
    const root = parseXml(junitXml(fixtureResults(), fixtureEnvironment()))
    const out = textOf(cases(root)[0]!.children.find((x) => x.name === 'system-out')!)
    assert.include(out, 'PASS           versionPTP: measured 2, limit = 2 (source: IEEE 1588-2019 13.3.2.4)')
    assert.include(out, 'traffic: evidence/default-e2e.MF-01.pcapng')
  })

  test('text from a DUT cannot break the XML', ({ assert }) => {
    const evil = 'a<b>&c"d\'e\u0001f\u0000g]]>h\nline 2'
    const r = { ...fixtureResults()[2]!, title: evil, reason: evil, checks: [{ ...fixtureResults()[2]!.checks[0]!, name: evil }] }
    const root = parseXml(junitXml([r]))
    const c = cases(root)[0]!
    assert.equal(c.attrs.name, 'INT-02 a<b>&c"d\'efg]]>h\nline 2')
    assert.equal(xmlText('\ud800x'), 'x', 'a lone surrogate is dropped')
    assert.equal(xmlAttr('a\tb'), 'a&#9;b')
  })

  test('no results still give a valid document', ({ assert }) => {
    const root = parseXml(junitXml([]))
    assert.equal(root.attrs.tests, '0')
    assert.lengthOf(root.children, 0)
  })
})

test.group('reports / console summary', () => {
  test('counts per verdict, then every non-pass test with its reason, worst first', ({ assert }) => {
    const text = summaryText({ results: fixtureResults(), environment: fixtureEnvironment() })
    const lines = text.split('\n')
    assert.equal(
      lines[0],
      'ptp-conform 0.1.0: profile default-e2e against ptp4l 3.1.1 (slave) on ptpc123-h0, udp-ipv4, domain 0, software timestamping',
    )
    assert.include(lines, '6 tests: 2 pass, 1 fail, 1 inconclusive, 1 not applicable, 1 harness error')
    const listed = lines.filter((l) => l.startsWith('  ') && !l.includes('unconfirmed')).map((l) => l.trim().split(/\s{2,}/)[0])
    assert.deepEqual(listed, ['HARNESS ERROR', 'FAIL', 'INCONCLUSIVE', 'NOT APPLICABLE'])
    assert.include(text, 'FAIL            default-e2e INT-02 Delay_Req spacing: 38 % of Delay_Req intervals outside')
    assert.notInclude(text, 'MF-01')
    assert.include(text, 'run ended: unknown (no summary.json')
  })
})
