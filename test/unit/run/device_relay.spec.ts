/**
 * A two-port device's links and clocks (harness/run/device_relay_session.ts): the declared
 * cable plus the harness's measured noise is what the relay judges hold transits against, and
 * two harness ports on different clocks are refused before anything is sent.
 */
import { test } from '@japa/runner'
import { declaredLink, relayClockOf, sharedClockRefusal } from '../../../harness/run/device_relay_session.ts'
import type { Port } from '../../../harness/transport/index.ts'
import type { HarnessNoise } from '../../../harness/run/session_types.ts'

const noise: HarnessNoise = { ns: 40n, timeErrorFloorNs: 40n, tailNs: 90n, stalls: 1, probes: 100, method: 'TX-path spread of 100 probes' }

/** Only what the refusal reads of a port. */
function port(ifname: string, clock: 'system' | 'phc', phcIndex: number | null): Port {
  return { interface: ifname, timestamping: { clock, phcIndex, mode: clock === 'phc' ? 'hardware' : 'software' } } as unknown as Port
}

test.group('run / a boundary or transparent clock as a device', () => {
  test('a declared cable: its delay is the latency, its ± adds to the harness noise, the extreme too', ({ assert }) => {
    const l = declaredLink({ interface: 'enp3s0', port: 1, linkDelayNs: 10, linkUncertaintyNs: 2 }, noise, 'upstream cable (DUT port 1), toward the slave')
    assert.equal(l.latencyNs, 10n)
    assert.equal(l.ns, 42n)
    assert.equal(l.tailNs, 92n)
    assert.equal(l.timeErrorFloorNs, 52n)
    assert.equal(l.stalls, 1)
    assert.equal(l.probes, 100)
    assert.match(l.method, /one-way delay 10 ns ± 2 ns as the DUT file declares it .* plus the harness's timestamp noise on enp3s0: TX-path spread/)
    const bare = declaredLink({ interface: 'enp4s0', port: 2 }, noise, 'downstream')
    assert.equal(bare.latencyNs, 0n)
    assert.equal(bare.ns, 40n)
  })

  test('both ports on the system clock or on one PHC time a transit; two PHCs are refused, saying which', ({ assert }) => {
    assert.isUndefined(sharedClockRefusal(port('a', 'system', null), port('b', 'system', null)))
    assert.isUndefined(sharedClockRefusal(port('a', 'phc', 0), port('b', 'phc', 0)))
    assert.match(sharedClockRefusal(port('enp3s0', 'phc', 0), port('enp4s0', 'phc', 1))!, /enp3s0 stamps on \/dev\/ptp0 and enp4s0 stamps on \/dev\/ptp1: .* offset/)
    assert.match(sharedClockRefusal(port('enp3s0', 'phc', 0), port('enp4s0', 'system', null))!, /enp4s0 stamps on the system clock/)
  })

  test('only a boundary or transparent clock makes a relay session', ({ assert }) => {
    const base = { name: 'x', interface: 'eth0', capabilities: { roles: [], transports: [], delayMechanisms: [], oneStep: false, twoStep: true } } as never
    assert.isUndefined(relayClockOf(base))
    assert.isUndefined(relayClockOf({ ...(base as object), clock: 'ordinary' } as never))
    assert.equal(relayClockOf({ ...(base as object), clock: 'p2p-tc' } as never), 'p2p-tc')
  })
})
