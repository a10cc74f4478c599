/** `--noise-port`: a second interface for receive-path noise, on a real device only. */
import { test } from '@japa/runner'
import { parseRunOptions } from '../../../harness/run/options.ts'

test.group('run / --noise-port', () => {
  test('is taken with --interface, and refused in the lab or when it names the test interface itself', ({ assert }) => {
    const o = parseRunOptions(['--profile', 'default', '--interface', 'enp3s0', '--dut', 'd.yaml', '--noise-port', 'enp4s0'])
    assert.equal(o !== 'help' && o.noisePort, 'enp4s0')
    const none = parseRunOptions(['--profile', 'default', '--interface', 'enp3s0', '--dut', 'd.yaml'])
    assert.isUndefined(none !== 'help' ? none.noisePort : 'help')
    assert.throws(() => parseRunOptions(['--profile', 'default', '--lab', '--noise-port', 'enp4s0']), /real device/)
    assert.throws(() => parseRunOptions(['--profile', 'default', '--interface', 'enp3s0', '--dut', 'd.yaml', '--noise-port', 'enp3s0']), /second interface/)
  })
})
