import { test } from '@japa/runner'
import { decodeMessage, encodeMessage, EXACT } from '../../../harness/codec/index.ts'
import { corpusFrames, corpusMessages } from '../../support/codec/corpus.ts'
import { toHex } from '../../support/codec/hex.ts'

test.group('codec / round trip', () => {
  for (const { name, bytes } of corpusFrames()) {
    test(`${name}: decodes without findings and re-encodes byte-identically`, ({ assert }) => {
      const { message, findings } = decodeMessage(bytes)
      assert.deepEqual(findings, [])
      assert.equal(message.header.messageLength, bytes.length)
      assert.equal(toHex(encodeMessage(message)), toHex(bytes))
      assert.equal(toHex(encodeMessage(message, EXACT)), toHex(bytes))
    })
  }

  test('decoded values equal the built ones for every corpus message', ({ assert }) => {
    for (const { name, message } of corpusMessages()) {
      const decoded = decodeMessage(encodeMessage(message)).message
      assert.deepEqual(decoded, message, name)
    }
  })

  test('a message in the middle of a larger buffer decodes from its offset and length', ({ assert }) => {
    const { bytes } = corpusFrames()[0]!
    const big = new Uint8Array(bytes.length + 20).fill(0xa5)
    big.set(bytes, 7)
    const { message, findings } = decodeMessage(big, 7, bytes.length)
    assert.deepEqual(findings, [])
    assert.isUndefined(message.trailer)
    assert.equal(toHex(encodeMessage(message)), toHex(bytes))
  })

  test('octets after messageLength are kept as trailer and re-emitted', ({ assert }) => {
    const { bytes } = corpusFrames()[0]!
    const padded = new Uint8Array(bytes.length + 2)
    padded.set(bytes)
    padded[bytes.length + 1] = 0x5a
    const { message, findings } = decodeMessage(padded, 0, undefined, { trailerIsPadding: true })
    assert.deepEqual(findings, [])
    assert.equal(toHex(message.trailer!), '00 5a')
    assert.equal(toHex(encodeMessage(message)), toHex(padded))
  })
})
