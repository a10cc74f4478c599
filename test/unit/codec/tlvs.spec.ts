/**
 * Exact octets <-> values for every TLV the codec types (layouts from ptp-profiles.md 5 and
 * 1.7/1.8). Each TLV is decoded inside a Signaling or Announce message and encoded on its own.
 */
import { test } from '@japa/runner'
import {
  buildAlternateTimeOffsetIndicatorTlv,
  buildC37238Tlv2011,
  buildC37238Tlv2017,
  buildFollowUpInfoTlv,
  buildGptpCapableTlv,
  buildInterfaceRateTlv,
  buildManagementErrorStatusTlv,
  buildMessageIntervalRequestTlv,
  buildPathTraceTlv,
  decodeMessage,
  encodeMessage,
  encodeTlv,
  ptpTextString,
  type Tlv,
} from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'

const SOURCE = '00 1b 19 ff fe 00 00 01 00 01'

/** A Signaling message (44 octets + TLVs) around the given TLV octets. */
function inSignaling(tlvOctets: string): Uint8Array {
  const tlv = hex(tlvOctets)
  const len = 44 + tlv.length
  const head = hex(`0c 02 ${(len >> 8).toString(16).padStart(2, '0')} ${(len & 0xff).toString(16).padStart(2, '0')} 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ${SOURCE} 00 01 05 7f ff ff ff ff ff ff ff ff ff ff`)
  const b = new Uint8Array(len)
  b.set(head)
  b.set(tlv, 44)
  return b
}

const vectors: Array<{ name: string; octets: string; tlv: Tlv }> = [
  {
    name: '802.1AS Follow_Up information',
    octets: `00 03 00 1c  00 80 c2  00 00 01
      ff ff fb 2e                          # cumulativeScaledRateOffset -1234
      00 03                                # gmTimeBaseIndicator
      ff ff ff ff ff ff ff ff ff 85 00 00  # lastGmPhaseChange -(123 x 2^16)
      00 00 00 4d                          # scaledLastGmFreqChange 77`,
    tlv: buildFollowUpInfoTlv({ cumulativeScaledRateOffset: -1234, gmTimeBaseIndicator: 3, lastGmPhaseChange: -(123n << 16n), scaledLastGmFreqChange: 77 }),
  },
  {
    name: '802.1AS message interval request',
    octets: '00 03 00 0c  00 80 c2  00 00 02  00 fd 7f 06  00 00',
    tlv: buildMessageIntervalRequestTlv({ linkDelayInterval: 0, timeSyncInterval: -3, announceInterval: 127, flags: 6 }),
  },
  {
    name: '802.1AS-2020 gPTP-capable',
    octets: '80 00 00 0c  00 80 c2  00 00 04  03 00  00 00 00 00',
    tlv: buildGptpCapableTlv({ logGptpCapableMessageInterval: 3 }),
  },
  {
    name: 'C37.238-2011, lengthField 18 (linuxptp, Wireshark)',
    octets: '00 03 00 12  1c 12 9d  00 00 01  00 ff  00 00 00 32  00 00 00 c8  00 00',
    tlv: buildC37238Tlv2011({ grandmasterID: 255, grandmasterTimeInaccuracy: 50, networkTimeInaccuracy: 200 }),
  },
  {
    name: 'C37.238-2011, lengthField 12 (2011 text: dataField only)',
    octets: '00 03 00 0c  1c 12 9d  00 00 01  00 ff  00 00 00 32  00 00 00 c8  00 00',
    tlv: buildC37238Tlv2011({ grandmasterID: 255, grandmasterTimeInaccuracy: 50, networkTimeInaccuracy: 200, lengthConvention: 12 }),
  },
  {
    name: 'C37.238-2017, lengthField 18',
    octets: '00 03 00 12  1c 12 9d  00 00 02  00 03  00 00 00 00  00 00 00 fa  00 00',
    tlv: buildC37238Tlv2017({ grandmasterID: 3, totalTimeInaccuracy: 250 }),
  },
  {
    name: 'C37.238-2017, lengthField 12',
    octets: '00 03 00 0c  1c 12 9d  00 00 02  00 03  00 00 00 00  ff ff ff ff  00 00',
    tlv: buildC37238Tlv2017({ grandmasterID: 3, totalTimeInaccuracy: 0xffffffff, lengthConvention: 12 }),
  },
  {
    name: 'ITU-T interface rate',
    octets: '00 03 00 12  00 19 a7  00 00 02  00 00 00 00 3b 9a ca 00  00 40  02 d0',
    tlv: buildInterfaceRateTlv({ interfaceBitPeriod: 1_000_000_000n, numberOfBitsBeforeTimestamp: 64, numberOfBitsAfterTimestamp: 720 }),
  },
  {
    name: 'generic organization extension (SMPTE OUI)',
    octets: '00 03 00 0a  68 97 e8  00 00 01  01 02 03 04',
    tlv: { kind: 'ORGANIZATION_EXTENSION', org: 'GENERIC', tlvType: 3, lengthField: 10, organizationId: 0x6897e8, organizationSubType: 1, dataField: Uint8Array.of(1, 2, 3, 4) },
  },
  {
    name: 'PATH_TRACE with two ClockIdentities',
    octets: '00 08 00 10  00 1b 19 ff fe 00 00 01  02 42 ac ff fe 11 00 02',
    tlv: buildPathTraceTlv(['001b19.fffe.000001', '0242ac.fffe.110002']),
  },
  {
    name: 'ALTERNATE_TIME_OFFSET_INDICATOR with displayName EST and one pad octet',
    octets: `00 09 00 14  01  ff ff b9 b0  00 00 0e 10  00 00 65 ec 4b 80  03 45 53 54  00`,
    tlv: buildAlternateTimeOffsetIndicatorTlv({ keyField: 1, currentOffset: -18000, jumpSeconds: 3600, timeOfNextJump: 0x65ec4b80n, displayName: 'EST' }),
  },
  {
    name: 'REQUEST_UNICAST_TRANSMISSION (Sync, -4, 300 s)',
    octets: '00 04 00 06  00 fc 00 00 01 2c',
    tlv: { kind: 'REQUEST_UNICAST_TRANSMISSION', tlvType: 4, lengthField: 6, messageType: 0, reservedNibble: 0, logInterMessagePeriod: -4, durationField: 300 },
  },
  {
    name: 'GRANT_UNICAST_TRANSMISSION (Announce, renewalInvited)',
    octets: '00 05 00 08  b0 01 00 00 01 2c 00 01',
    tlv: { kind: 'GRANT_UNICAST_TRANSMISSION', tlvType: 5, lengthField: 8, messageType: 0xb, reservedNibble: 0, logInterMessagePeriod: 1, durationField: 300, reserved: 0, flags: 1 },
  },
  {
    name: 'CANCEL_UNICAST_TRANSMISSION (Delay_Resp, maintainRequest)',
    octets: '00 06 00 02  91 00',
    tlv: { kind: 'CANCEL_UNICAST_TRANSMISSION', tlvType: 6, lengthField: 2, messageType: 9, flags: 1, reserved: 0 },
  },
  {
    name: 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION',
    octets: '00 07 00 02  90 00',
    tlv: { kind: 'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION', tlvType: 7, lengthField: 2, messageType: 9, flags: 0, reserved: 0 },
  },
  {
    name: 'PAD',
    octets: '80 08 00 04  00 00 00 00',
    tlv: { kind: 'PAD', tlvType: 0x8008, lengthField: 4, pad: new Uint8Array(4) },
  },
  {
    name: 'MANAGEMENT_ERROR_STATUS NOT_SUPPORTED for PRIORITY1',
    octets: '00 02 00 08  00 06  20 05  00 00 00 00',
    tlv: buildManagementErrorStatusTlv({ managementErrorId: 6, managementId: 0x2005 }),
  },
  {
    name: 'MANAGEMENT_ERROR_STATUS with displayData "abc"',
    octets: '00 02 00 0c  00 05  20 05  00 00 00 00  03 61 62 63',
    tlv: buildManagementErrorStatusTlv({ managementErrorId: 5, managementId: 0x2005, displayData: 'abc' }),
  },
  {
    name: 'unknown tlvType kept raw',
    octets: '7f f0 00 04  de ad be ef',
    tlv: { kind: 'UNKNOWN', tlvType: 0x7ff0, lengthField: 4, value: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) },
  },
  {
    name: 'L1_SYNC (typed nowhere) kept raw',
    octets: '80 01 00 02  07 00',
    tlv: { kind: 'UNKNOWN', tlvType: 0x8001, lengthField: 2, value: Uint8Array.of(7, 0) },
  },
]

test.group('codec / TLVs (exact octets)', () => {
  for (const v of vectors) {
    test(`${v.name}: octets -> value -> octets`, ({ assert }) => {
      const msg = inSignaling(v.octets)
      const { message, findings } = decodeMessage(msg)
      assert.deepEqual(findings, [])
      assert.lengthOf(message.tlvs, 1)
      assert.deepEqual(message.tlvs[0], v.tlv)
      assert.equal(toHex(encodeTlv(v.tlv)), toHex(hex(v.octets)))
      assert.equal(toHex(encodeMessage(message)), toHex(msg))
    })
  }

  test('the C37.238 12-convention TLV occupies 22 octets and the next TLV follows it', ({ assert }) => {
    const { message, findings } = decodeMessage(
      inSignaling('00 03 00 0c 1c 12 9d 00 00 01 00 ff 00 00 00 32 00 00 00 c8 00 00  00 08 00 08 00 1b 19 ff fe 00 00 01'),
    )
    assert.deepEqual(findings, [])
    assert.deepEqual(message.tlvs.map((t) => t.kind), ['ORGANIZATION_EXTENSION', 'PATH_TRACE'])
    const c37 = message.tlvs[0]!
    assert.isTrue(c37.kind === 'ORGANIZATION_EXTENSION' && c37.org === 'IEEE_C37_238_2011' && c37.lengthConvention === 12)
  })

  test('displayData and displayName are UTF-8 PTPText octets', ({ assert }) => {
    const t = buildManagementErrorStatusTlv({ managementErrorId: 5, managementId: 1, displayData: 'µs' })
    assert.equal(toHex(t.displayData!), 'c2 b5 73')
    assert.equal(ptpTextString(t.displayData!), 'µs')
    assert.equal(t.lengthField, 12) // 8 + 1 + 3 = 12, already even
  })
})
