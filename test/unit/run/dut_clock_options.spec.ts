/**
 * `run --dut-clock`, `--timestamping` and `--class`: which lab implementations can be which kind
 * of clock, the lab-only rule (a device's kind is its DUT file's), and the class handed to TE-04;
 * and the rule that keeps ordinary-clock tests and relay tests apart.
 */
import { test } from '@japa/runner'
import { clockApplies } from '../../../harness/run/definition.ts'
import { parseRunOptions, type RunOptions } from '../../../harness/run/options.ts'
import BMCA09 from '../../../suites/bmca/bmca-09-boundary-clock-announce.ts'
import E2E03 from '../../../suites/e2e/e2e-03-transparent-clock-residence.ts'
import MF01 from '../../../suites/mf/mf-01-header-fields.ts'

const parse = (...args: string[]) => parseRunOptions(['--profile', 'default', ...args]) as RunOptions

test.group('run / --dut-clock and --class', () => {
  test('ordinary by default; ptp4l and a bridge can be relays, ptpd and the reference DUT cannot', ({ assert }) => {
    assert.equal(parse('--lab').dutClock, 'ordinary')
    assert.equal(parse('--lab', '--dut-clock', 'p2p-tc').dutClock, 'p2p-tc')
    assert.equal(parse('--lab', '--dut-clock', 'boundary', '--dut-impl', 'bridge').dutImpl, 'bridge')
    assert.throws(() => parse('--lab', '--dut-clock', 'boundary', '--dut-impl', 'ptpd'), /--dut-impl ptpd cannot be a boundary clock \(--dut-clock ordinary only\)/)
    assert.throws(() => parse('--lab', '--dut-clock', 'e2e-tc', '--dut-impl', 'reference'), /cannot be an E2E transparent clock/)
    assert.throws(() => parse('--lab', '--dut-impl', 'bridge'), /--dut-impl bridge cannot be an ordinary clock/)
    assert.throws(() => parse('--lab', '--dut-clock', 'hub'), /--dut-clock must be ordinary, boundary, e2e-tc, p2p-tc/)
  })

  test('--dut-clock is the lab\'s: a device\'s kind of clock is its DUT file\'s', ({ assert }) => {
    assert.throws(() => parse('--interface', 'eth1', '--dut', 'x.yaml', '--dut-clock', 'boundary'), /is for the lab: a device's kind of clock is its DUT file's 'clock'/)
    assert.equal(parse('--interface', 'eth1', '--dut', 'x.yaml').dutClock, 'ordinary')
  })

  test('--timestamping is for a device: auto, hardware or software', ({ assert }) => {
    assert.equal(parse('--interface', 'eth1', '--dut', 'x.yaml', '--timestamping', 'hardware').timestamping, 'hardware')
    assert.isUndefined(parse('--interface', 'eth1', '--dut', 'x.yaml').timestamping)
    assert.throws(() => parse('--interface', 'eth1', '--dut', 'x.yaml', '--timestamping', 'phc'), /--timestamping must be auto, hardware or software, not 'phc'/)
    assert.throws(() => parse('--lab', '--timestamping', 'hardware'), /veths have software timestamps only/)
  })

  test('--class sets TE-04\'s class, saying where it came from', ({ assert }) => {
    assert.deepEqual(parse('--lab', '--class', 'c').testParams, { 'TE-04': { class: 'C', source: '--class C on the command line' } })
    assert.throws(() => parse('--lab', '--class', 'E'), /--class must be A, B, C or D/)
  })

  test('ordinary-clock tests and relay tests each say which --dut-clock they need', ({ assert }) => {
    assert.isTrue(clockApplies(MF01, 'ordinary'))
    assert.match(String(clockApplies(MF01, 'e2e-tc')), /MF-01 tests an ordinary clock; this run's DUT is an E2E transparent clock/)
    assert.match(String(clockApplies(E2E03, 'ordinary')), /--dut-clock e2e-tc/)
    assert.isTrue(clockApplies(E2E03, 'p2p-tc'))
    assert.match(String(clockApplies(BMCA09, 'e2e-tc')), /BMCA-09 tests a boundary clock, not an E2E transparent clock/)
  })
})
