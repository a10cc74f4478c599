import { test } from '@japa/runner'
import { assessInterface, inCidr } from '../../../harness/run/safety.ts'

test.group('run / safety of a real interface', () => {
  test('CIDR matching for IPv4 and IPv6', ({ assert }) => {
    assert.isTrue(inCidr('192.0.2.7', '192.0.2.0/24'))
    assert.isFalse(inCidr('192.0.3.7', '192.0.2.0/24'))
    assert.isTrue(inCidr('2001:db8::1', '2001:db8::/32'))
    assert.isFalse(inCidr('2001:db9::1', '2001:db8::/32'))
    assert.isFalse(inCidr('192.0.2.7', '2001:db8::/32'))
  })

  test('an interface with a default route is refused unless acknowledged', ({ assert }) => {
    const facts = { name: 'enp3s0', exists: true, addresses: ['10.1.2.3/24'], defaultRoutes: ['default via 10.1.2.1'] }
    const refused = assessInterface(facts, ['10.1.2.0/24'], false)
    assert.isFalse(refused.ok)
    assert.match(refused.reasons[0]!, /default route/)
    assert.isTrue(assessInterface(facts, ['10.1.2.0/24'], true).ok)
  })

  test('addresses outside the allow-list are refused; inside are accepted', ({ assert }) => {
    const facts = { name: 'enp3s0', exists: true, addresses: ['198.51.100.9/24'], defaultRoutes: [] }
    assert.isFalse(assessInterface(facts, [], false).ok)
    assert.isTrue(assessInterface(facts, ['198.51.100.0/24'], false).ok)
    assert.isTrue(assessInterface({ ...facts, addresses: [] }, [], false).ok)
  })

  test('a missing interface is refused even when acknowledged', ({ assert }) => {
    assert.isFalse(assessInterface({ name: 'nope0', exists: false, addresses: [], defaultRoutes: [] }, [], true).ok)
  })
})
