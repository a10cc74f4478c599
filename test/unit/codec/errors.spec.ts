/** CodecError: the one thing decode throws, with the offset where decoding had to stop. */
import { test } from '@japa/runner'
import { buildAnnounce, buildManagement, buildSync, CodecError, decodeFrame, decodeMessage, encodeMessage } from '../../../harness/codec/index.ts'

function codecError(fn: () => unknown): CodecError {
  try {
    fn()
  } catch (e) {
    if (e instanceof CodecError) return e
    throw new Error(`expected CodecError, got ${String(e)}`)
  }
  throw new Error('expected CodecError, nothing was thrown')
}

test.group('codec / CodecError', () => {
  test('fewer than 34 octets: no header', ({ assert }) => {
    for (const n of [0, 1, 33]) {
      const e = codecError(() => decodeMessage(new Uint8Array(n)))
      assert.equal(e.offset, n)
      assert.equal(e.field, 'header')
      assert.instanceOf(e, Error)
    }
  })

  test('reserved messageType values', ({ assert }) => {
    const b = encodeMessage(buildSync())
    for (const t of [4, 5, 6, 7, 0xe, 0xf]) {
      b[0] = t
      const e = codecError(() => decodeMessage(b))
      assert.equal(e.field, 'messageType')
      assert.equal(e.offset, 0)
    }
  })

  test('fixed body cut short: offset is where the octets end, field the one cut', ({ assert }) => {
    const announce = encodeMessage(buildAnnounce())
    let e = codecError(() => decodeMessage(announce.subarray(0, 63)))
    assert.deepEqual([e.offset, e.field], [63, 'timeSource'])
    e = codecError(() => decodeMessage(announce.subarray(0, 40)))
    assert.deepEqual([e.offset, e.field], [40, 'originTimestamp'])
    const mgmt = encodeMessage(buildManagement({ actionField: 'GET', managementId: 'NULL_MANAGEMENT' }))
    e = codecError(() => decodeMessage(mgmt, 0, 46))
    assert.deepEqual([e.offset, e.field], [46, 'actionField'])
  })

  test('a length window shorter than the message is honoured', ({ assert }) => {
    const sync = encodeMessage(buildSync())
    const e = codecError(() => decodeMessage(sync, 0, 43))
    assert.equal(e.offset, 43)
  })

  test('an offset outside the buffer', ({ assert }) => {
    const sync = encodeMessage(buildSync())
    assert.equal(codecError(() => decodeMessage(sync, 45)).field, 'header')
    assert.equal(codecError(() => decodeMessage(sync, -1)).field, 'header')
  })

  test('decodeFrame never throws: an undecodable PTP payload is returned as ptpError', ({ assert }) => {
    const frame = new Uint8Array(14 + 20)
    frame.set([0x01, 0x1b, 0x19, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0x88, 0xf7])
    const r = decodeFrame(frame, 'ethernet')
    assert.instanceOf(r.ptpError, CodecError)
    assert.equal(r.ptpOffset, 14)
    assert.isUndefined(r.ptp)
  })
})
