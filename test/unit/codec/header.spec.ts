import { test } from '@japa/runner'
import { buildHeader, decodeHeader, decodeMessage, encodeHeader, encodeMessage } from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'

// A gPTP Sync with every header field set to something recognisable (1588-2019 13.3, offsets in comments).
const SYNC = hex(`
  10            # 0  majorSdoId 1 | messageType 0 (Sync)
  12            # 1  minorVersionPTP 1 | versionPTP 2
  00 2c         # 2  messageLength 44
  18            # 4  domainNumber 24
  00            # 5  minorSdoId
  06 00         # 6  flagField: twoStepFlag | unicastFlag
  ff ff ff ff ff ff 7f ff   # 8 correctionField -32769 (ns x 2^16)
  00 00 00 00   # 16 messageTypeSpecific
  00 1b 19 ff fe 00 00 01   # 20 sourcePortIdentity.clockIdentity
  00 02         # 28 sourcePortIdentity.portNumber
  ab cd         # 30 sequenceId
  00            # 32 controlField
  7f            # 33 logMessageInterval 0x7F
  00 00 65 53 f1 00  07 5b cd 15   # 34 originTimestamp 1700000000 s 123456789 ns
`)

test.group('codec / header', () => {
  test('decodes every field of the 34-octet header at its offset', ({ assert }) => {
    assert.deepEqual(decodeHeader(SYNC, 0), {
      majorSdoId: 1,
      messageType: 0,
      minorVersionPTP: 1,
      versionPTP: 2,
      messageLength: 44,
      domainNumber: 24,
      minorSdoId: 0,
      flagField: 0x0600,
      correctionField: -32769n,
      messageTypeSpecific: 0,
      sourcePortIdentity: { clockIdentity: '001b19.fffe.000001', portNumber: 2 },
      sequenceId: 0xabcd,
      controlField: 0,
      logMessageInterval: 127,
    })
  })

  test('encodes the same octets back', ({ assert }) => {
    const b = new Uint8Array(34)
    encodeHeader(b, 0, decodeHeader(SYNC, 0), 44)
    assert.equal(toHex(b), toHex(SYNC.subarray(0, 34)))
  })

  test('logMessageInterval is a signed Integer8', ({ assert }) => {
    const b = SYNC.slice()
    b[33] = 0xfd
    assert.equal(decodeHeader(b, 0).logMessageInterval, -3)
    b[33] = 0x80
    assert.equal(decodeHeader(b, 0).logMessageInterval, -128)
  })

  test('correctionField covers the whole Integer64 range exactly', ({ assert }) => {
    const cases: Array<[string, bigint]> = [
      ['7f ff ff ff ff ff ff ff', 0x7fffffffffffffffn],
      ['80 00 00 00 00 00 00 00', -0x8000000000000000n],
      ['00 1f ff ff ff ff ff ff', 0x1fffffffffffffn],
      ['00 20 00 00 00 00 00 00', 0x20000000000000n],
      ['ff e0 00 00 00 00 00 01', -0x1fffffffffffffn],
      ['ff df ff ff ff ff ff ff', -0x20000000000001n],
      ['00 00 00 00 00 01 00 00', 65536n],
    ]
    for (const [octets, value] of cases) {
      const b = SYNC.slice()
      b.set(hex(octets), 8)
      const h = decodeHeader(b, 0)
      assert.equal(h.correctionField, value, octets)
      const out = new Uint8Array(34)
      encodeHeader(out, 0, h, 44)
      assert.equal(toHex(out.subarray(8, 16)), octets)
    }
  })

  test('the 2008 version byte 0x02 decodes as minorVersionPTP 0 without findings', ({ assert }) => {
    const b = SYNC.slice()
    b[1] = 0x02
    const { message, findings } = decodeMessage(b)
    assert.equal(message.header.minorVersionPTP, 0)
    assert.equal(message.header.versionPTP, 2)
    assert.deepEqual(findings, [])
  })

  test('buildHeader defaults: version byte 0x02, legacy controlField and interval of the message type', ({ assert }) => {
    const h = buildHeader({}, 'Delay_Req')
    assert.equal(h.messageType, 1)
    assert.equal(h.versionPTP, 2)
    assert.equal(h.minorVersionPTP, 0)
    assert.equal(h.controlField, 1)
    assert.equal(h.logMessageInterval, 127)
    assert.equal(buildHeader({}, 'Announce').controlField, 5)
    assert.equal(buildHeader({ controlField: 0 }, 'Announce').controlField, 0)
  })

  test('a decoded header re-encodes through encodeMessage unchanged', ({ assert }) => {
    const { message } = decodeMessage(SYNC)
    assert.equal(toHex(encodeMessage(message)), toHex(SYNC))
  })
})
