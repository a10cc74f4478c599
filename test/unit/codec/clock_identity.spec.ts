import { test } from '@japa/runner'
import {
  clockIdentityFromMac,
  clockIdentityToBytes,
  normalizeClockIdentity,
  readClockIdentity,
} from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'

test.group('codec / ClockIdentity', () => {
  test('8 octets print in linuxptp dotted lowercase form', ({ assert }) => {
    assert.equal(readClockIdentity(hex('00 1B 19 FF FE 00 00 01'), 0), '001b19.fffe.000001')
    assert.equal(readClockIdentity(hex('aa bb cc dd ee ff 01 23'), 0), 'aabbcc.ddee.ff0123')
  })

  test('repeated and colliding identities come back right (the formatting cache is exact)', ({ assert }) => {
    const b = new Uint8Array(8 * 512)
    for (let i = 0; i < 512; i++) b.set([i & 0xff, i >> 8, 0, 0xff, 0xfe, 0, i >> 8, i & 0xff], 8 * i)
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 512; i++) assert.equal(clockIdentityToBytes(readClockIdentity(b, 8 * i)).join(), b.subarray(8 * i, 8 * i + 8).join())
    }
  })

  test('accepted spellings and rejected ones', ({ assert }) => {
    assert.equal(toHex(clockIdentityToBytes('001b19.fffe.000001')), '00 1b 19 ff fe 00 00 01')
    assert.equal(normalizeClockIdentity('001B19FFFE000001'), '001b19.fffe.000001')
    assert.equal(normalizeClockIdentity('00:1b:19:ff:fe:00:00:01'), '001b19.fffe.000001')
    assert.throws(() => clockIdentityToBytes('001b19.fffe.0000'), RangeError)
    assert.throws(() => clockIdentityToBytes('001b19.fffe.00000g'), RangeError)
    assert.throws(() => clockIdentityToBytes('001b19.fffe.00000001'), RangeError)
  })

  test('from a MAC address as linuxptp derives it (FF FE in the middle)', ({ assert }) => {
    assert.equal(clockIdentityFromMac('02:42:AC:11:00:02'), '0242ac.fffe.110002')
    assert.throws(() => clockIdentityFromMac('02:42:ac:11:00'), RangeError)
  })
})
