import { test } from '@japa/runner'
import { PTP_PDELAY_IPV6, PTP_PRIMARY_IPV4, ptpPrimaryIpv6 } from '../../../harness/transport/addresses.ts'
import { TransportError } from '../../../harness/transport/errors.ts'

test.group('transport / addresses and errors', () => {
  test('FF0X::181 follows the configured scope (linuxptp udp6_scope)', ({ assert }) => {
    assert.equal(ptpPrimaryIpv6(), 'ff0e::181')
    assert.equal(ptpPrimaryIpv6(0x2), 'ff02::181')
    assert.equal(ptpPrimaryIpv6(0x5), 'ff05::181')
    assert.equal(PTP_PRIMARY_IPV4, '224.0.1.129')
    assert.equal(PTP_PDELAY_IPV6, 'ff02::6b')
  })

  test('an addon error keeps its code, errno and syscall as a TransportError', ({ assert }) => {
    const raw = Object.assign(new Error('bind UDP port 319 on eth0: bind failed: Address already in use'), { code: 'EADDRINUSE', errno: 98, syscall: 'bind' })
    const e = TransportError.from(raw)
    assert.instanceOf(e, TransportError)
    assert.equal(e.code, 'EADDRINUSE')
    assert.equal(e.errno, 98)
    assert.equal(e.syscall, 'bind')
    assert.equal(e.cause, raw)
    assert.strictEqual(TransportError.from(e), e)
  })
})
