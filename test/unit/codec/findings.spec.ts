/**
 * Every kind of non-conformance the decoder reports, each with the field and octet offset it
 * must point at. Start from a valid message, break one thing, expect one finding.
 */
import { test } from '@japa/runner'
import {
  buildAnnounce,
  buildDelayReq,
  buildFollowUp,
  buildFollowUpInfoTlv,
  buildManagement,
  buildPathTraceTlv,
  buildPdelayReq,
  buildSignaling,
  buildSync,
  decodeMessage,
  encodeMessage,
  EXACT,
  type Finding,
  type PtpMessage,
} from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'

const header = { sourcePortIdentity: { clockIdentity: '001b19.fffe.000001', portNumber: 1 }, sequenceId: 1 }

function bytesOf(m: PtpMessage): Uint8Array {
  return encodeMessage(m)
}

/** Decodes and returns the findings as [field, offset, severity] triples. */
function found(b: Uint8Array): Array<[string, number, string]> {
  return decodeMessage(b).findings.map((f: Finding) => [f.field, f.offset, f.severity])
}

function signalingWith(tlv: string): Uint8Array {
  const base = bytesOf(buildSignaling({ header }))
  const t = hex(tlv)
  const b = new Uint8Array(base.length + t.length)
  b.set(base)
  b.set(t, base.length)
  b[2] = b.length >> 8
  b[3] = b.length & 0xff
  return b
}

test.group('codec / findings', () => {
  test('versionPTP other than 2', ({ assert }) => {
    const b = bytesOf(buildSync({ header }))
    b[1] = 0x03
    assert.deepEqual(found(b), [['versionPTP', 1, 'error']])
  })

  test('reserved flag bits in either octet', ({ assert }) => {
    const b = bytesOf(buildSync({ header }))
    b[6] = 0x80
    assert.deepEqual(found(b), [['flagField', 6, 'error']])
    b[6] = 0
    b[7] = 0x80
    assert.deepEqual(found(b), [['flagField', 7, 'error']])
  })

  test('flags that do not apply to the message type', ({ assert }) => {
    const d = bytesOf(buildDelayReq({ header }))
    d[6] = 0x02 // twoStepFlag on Delay_Req
    assert.deepEqual(found(d), [['flagField', 6, 'warning']])
    const s = bytesOf(buildSync({ header }))
    s[7] = 0x01 // leap61 on Sync (Announce only)
    assert.deepEqual(found(s), [['flagField', 7, 'warning']])
    const a = bytesOf(buildAnnounce({ header }))
    a[7] = 0x7f // every time-property flag is fine on Announce
    assert.deepEqual(found(a), [])
  })

  test('messageTypeSpecific, controlField and logMessageInterval departures', ({ assert }) => {
    const b = bytesOf(buildDelayReq({ header }))
    b[19] = 1
    b[32] = 7
    b[33] = 0
    assert.deepEqual(found(b), [['messageTypeSpecific', 16, 'warning'], ['controlField', 32, 'warning'], ['logMessageInterval', 33, 'warning']])
    const zero = bytesOf(buildDelayReq({ header: { ...header, controlField: 0 } }))
    assert.deepEqual(found(zero), [], '1588-2019 controlField 0 is accepted')
  })

  test('nanosecondsField of 10^9 or more', ({ assert }) => {
    const b = bytesOf(buildSync({ header }))
    b.set(hex('3b 9a ca 00'), 40) // 1 000 000 000
    assert.deepEqual(found(b), [['originTimestamp.nanosecondsField', 40, 'error']])
    assert.equal((decodeMessage(b).message as any).originTimestamp.nanosecondsField, 1_000_000_000)
  })

  test('messageLength shorter than the octets received: finding, extra octets kept as trailer', ({ assert }) => {
    const base = bytesOf(buildSync({ header }))
    const b = new Uint8Array(base.length + 4)
    b.set(base)
    assert.deepEqual(found(b), [['messageLength', 2, 'warning']])
    const { message } = decodeMessage(b)
    assert.equal(message.trailer!.length, 4)
  })

  test('messageLength longer than the buffer: finding, decode what is there', ({ assert }) => {
    const m = buildAnnounce({ header, tlvs: [buildPathTraceTlv(['001b19.fffe.000001', '001b19.fffe.000002'])] })
    const full = bytesOf(m)
    const cut = full.slice(0, full.length - 4)
    const f = decodeMessage(cut)
    assert.deepEqual(f.findings.map((x) => [x.field, x.offset]), [['messageLength', 2], ['tlvs[0].lengthField', 66]])
    assert.equal(f.message.tlvs[0]!.kind, 'UNKNOWN')
    assert.equal(toHex(encodeMessage(f.message, EXACT)), toHex(cut))
  })

  test('messageLength shorter than the fixed body', ({ assert }) => {
    const b = bytesOf(buildAnnounce({ header }))
    b[3] = 44
    assert.deepEqual(found(b), [['messageLength', 2, 'error']])
    assert.equal(decodeMessage(b).message.type, 'Announce')
  })

  test('TLV running past messageLength', ({ assert }) => {
    const b = signalingWith('00 08 00 10 00 1b 19 ff fe 00 00 01')
    assert.deepEqual(found(b), [['tlvs[0].lengthField', 46, 'error']])
  })

  test('odd TLV lengthField', ({ assert }) => {
    const b = signalingWith('7f f0 00 03 01 02 03')
    assert.deepEqual(found(b), [['tlvs[0].lengthField', 46, 'error']])
  })

  test('octets after the last TLV too few for a TLV header', ({ assert }) => {
    const b = signalingWith('7f f0 00 02 01 02  00 00')
    assert.deepEqual(found(b), [['tlvs[1]', 50, 'error']])
    assert.equal(toHex(decodeMessage(b).message.tlvRemainder!), '00 00')
  })

  test('wrong length for known TLV types', ({ assert }) => {
    assert.deepEqual(found(signalingWith('00 04 00 04 b0 01 00 00')), [['tlvs[0].lengthField', 46, 'error']], 'REQUEST_UNICAST_TRANSMISSION')
    assert.deepEqual(found(signalingWith('00 05 00 06 b0 01 00 00 01 2c')), [['tlvs[0].lengthField', 46, 'error']], 'GRANT')
    assert.deepEqual(found(signalingWith('00 06 00 04 b0 00 00 00')), [['tlvs[0].lengthField', 46, 'error']], 'CANCEL')
    assert.deepEqual(found(signalingWith('00 03 00 04 00 80 c2 00')), [['tlvs[0].lengthField', 46, 'error']], 'organization extension shorter than its OUI + subtype')
    assert.deepEqual(found(signalingWith('00 01 00 00')), [['tlvs[0].lengthField', 46, 'error']], 'MANAGEMENT without managementId')
    assert.deepEqual(found(signalingWith('00 02 00 04 00 06 20 05')), [['tlvs[0].lengthField', 46, 'error']], 'MANAGEMENT_ERROR_STATUS')
    assert.deepEqual(found(signalingWith('00 09 00 0e 01 00 00 00 00 00 00 00 00 00 00 00 00 00')), [['tlvs[0].lengthField', 46, 'error']], 'ATOI')
    assert.equal(decodeMessage(signalingWith('00 04 00 04 b0 01 00 00')).message.tlvs[0]!.kind, 'UNKNOWN')
  })

  test('802.1AS Follow_Up information TLV of the wrong length stays a generic organization TLV', ({ assert }) => {
    const m = buildFollowUp({ header, tlvs: [buildFollowUpInfoTlv()] })
    const b = bytesOf(m)
    // shorten the TLV by 2: lengthField 26 and messageLength 74
    const cut = b.slice(0, b.length - 2)
    cut[3] = cut.length
    cut[47] = 26
    const r = decodeMessage(cut)
    assert.deepEqual(r.findings.map((x) => [x.field, x.offset]), [['tlvs[0].lengthField', 46]])
    const t = r.message.tlvs[0]!
    assert.isTrue(t.kind === 'ORGANIZATION_EXTENSION' && t.org === 'GENERIC')
  })

  test('C37.238 TLV with lengthField 12 but only 12 octets present', ({ assert }) => {
    const b = signalingWith('00 03 00 0c 1c 12 9d 00 00 01 00 ff 00 00 00 32')
    assert.deepEqual(found(b), [['tlvs[0].lengthField', 46, 'error']])
  })

  test('PATH_TRACE lengthField not a multiple of 8', ({ assert }) => {
    const b = signalingWith('00 08 00 0a 00 1b 19 ff fe 00 00 01 aa bb')
    assert.deepEqual(found(b), [['tlvs[0].lengthField', 46, 'error']])
    const t = decodeMessage(b).message.tlvs[0]!
    assert.isTrue(t.kind === 'PATH_TRACE' && t.pathSequence.length === 1 && toHex(t.remainder!) === 'aa bb')
  })

  test('reserved fields of message bodies', ({ assert }) => {
    const a = bytesOf(buildAnnounce({ header }))
    a[46] = 1
    assert.deepEqual(found(a), [['reserved', 46, 'error']])
    const p = bytesOf(buildPdelayReq({ header }))
    p[50] = 1
    assert.deepEqual(found(p), [['reserved', 44, 'error']])
    const m = bytesOf(buildManagement({ header, actionField: 'GET', managementId: 'NULL_MANAGEMENT' }))
    m[46] = 0x15 // reserved nibble 1, actionField 5 (reserved)
    m[47] = 2
    assert.deepEqual(found(m), [['actionField', 46, 'error'], ['actionReserved', 46, 'error'], ['reserved', 47, 'error']])
  })

  test('reserved fields of unicast negotiation TLVs', ({ assert }) => {
    assert.deepEqual(found(signalingWith('00 04 00 06 b1 01 00 00 01 2c')), [['tlvs[0].reservedNibble', 48, 'error']])
    assert.deepEqual(found(signalingWith('00 05 00 08 b0 01 00 00 01 2c 05 02')), [['tlvs[0].reserved', 54, 'error'], ['tlvs[0].flags', 55, 'error']])
    assert.deepEqual(found(signalingWith('00 06 00 02 b4 01')), [['tlvs[0].flags', 48, 'error'], ['tlvs[0].reserved', 49, 'error']])
  })

  test('management dataField length against its managementId', ({ assert }) => {
    const m = bytesOf(buildManagement({ header, actionField: 'RESPONSE', managementId: 'PRIORITY1', dataField: { name: 'RAW', bytes: Uint8Array.of(1, 2, 3, 4) } }))
    assert.deepEqual(found(m), [['tlvs[0].lengthField', 50, 'error']])
    const set = bytesOf(buildManagement({ header, actionField: 'SET', managementId: 'PRIORITY1', dataField: null }))
    assert.deepEqual(found(set), [['tlvs[0].dataField', 54, 'error']])
    const nul = bytesOf(buildManagement({ header, actionField: 'GET', managementId: 'NULL_MANAGEMENT', dataField: { name: 'RAW', bytes: Uint8Array.of(0, 0) } }))
    assert.deepEqual(found(nul), [['tlvs[0].lengthField', 50, 'error']])
  })

  test('Management message without a management TLV, or with another TLV first', ({ assert }) => {
    const m = buildManagement({ header, actionField: 'GET', tlvs: [] })
    assert.deepEqual(found(bytesOf(m)), [['tlvs', 48, 'error']])
    const other = buildManagement({ header, actionField: 'GET', tlvs: [{ kind: 'PAD', tlvType: 0x8008, lengthField: 2, pad: new Uint8Array(2) }] })
    assert.deepEqual(found(bytesOf(other)), [['tlvs[0].tlvType', 48, 'error']])
  })

  test('displayData PTPText longer than its TLV', ({ assert }) => {
    const b = signalingWith('00 02 00 0a 00 06 20 05 00 00 00 00 05 61')
    assert.deepEqual(found(b), [['tlvs[0].displayData', 56, 'error']])
    assert.equal(toHex(encodeMessage(decodeMessage(b).message)), toHex(b))
  })

  test('every finding names a clause', ({ assert }) => {
    const b = bytesOf(buildAnnounce({ header }))
    b[1] = 0x13
    b[6] = 0x98
    b[46] = 4
    const findings = decodeMessage(b).findings
    assert.isAbove(findings.length, 2)
    for (const f of findings) assert.match(f.clause, /^(IEEE|ITU-T|linuxptp) /)
  })
})

test.group('codec / findings in organization extensions', () => {
  test('reserved fields of the 802.1AS and C37.238 TLVs', ({ assert }) => {
    const sig = (tlv: string) => {
      const base = encodeMessage(buildSignaling({ header }))
      const t = hex(tlv)
      const b = new Uint8Array(base.length + t.length)
      b.set(base)
      b.set(t, base.length)
      b[3] = b.length
      return decodeMessage(b).findings.map((f) => [f.field, f.offset])
    }
    assert.deepEqual(sig('00 03 00 0c 00 80 c2 00 00 02 00 fd 7f 06 00 01'), [['tlvs[0].reserved', 58]])
    assert.deepEqual(sig('80 00 00 0c 00 80 c2 00 00 04 03 00 00 00 01 00'), [['tlvs[0].reserved', 56]])
    assert.deepEqual(sig('00 03 00 12 1c 12 9d 00 00 01 00 ff 00 00 00 32 00 00 00 c8 00 01'), [['tlvs[0].reserved', 64]])
    assert.deepEqual(sig('00 03 00 12 1c 12 9d 00 00 02 00 03 00 00 00 01 00 00 00 fa 00 00'), [['tlvs[0].reserved1', 56]])
  })
})
