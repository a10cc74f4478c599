import { test } from '@japa/runner'
import { parseRunOptions, type RunOptions } from '../../../harness/run/options.ts'
import { CliError } from '../../../harness/run/exit_codes.ts'

const parse = (...args: string[]) => parseRunOptions(['--profile', 'default', '--lab', ...args]) as RunOptions

test.group('refdut / run options --dut-impl reference --dut-fault', () => {
  test('reference DUT with faults, comma-separated or repeated', ({ assert }) => {
    const o = parse('--dut-impl', 'reference', '--dut-fault', 'sync-rate-double,silent', '--dut-fault', 'wrong-domain')
    assert.equal(o.dutImpl, 'reference')
    assert.deepEqual(o.dutFaults, ['sync-rate-double', 'silent', 'wrong-domain'])
    assert.deepEqual(parse().dutFaults, [])
  })

  test('unknown fault: usage error (exit 2) listing the known ones', ({ assert }) => {
    try {
      parse('--dut-impl', 'reference', '--dut-fault', 'nope')
      assert.fail('accepted an unknown fault')
    } catch (e) {
      assert.instanceOf(e, CliError)
      assert.equal((e as CliError).exitCode, 2)
      assert.match((e as Error).message, /unknown fault 'nope'; known: .*sync-rate-double/)
    }
  })

  test('--dut-fault without --dut-impl reference is refused', ({ assert }) => {
    assert.throws(() => parse('--dut-fault', 'silent'), /needs --dut-impl reference/)
  })
})
