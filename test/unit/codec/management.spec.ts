/**
 * Management dataFields typed by managementId (ptp-profiles.md 1.8; linuxptp 3.1.1 layouts for
 * the *_NP ids), pinned octet by octet, plus the GET forms pmc sends.
 */
import { test } from '@japa/runner'
import {
  buildManagement,
  decodeMessage,
  emptyDataFieldFor,
  encodeMessage,
  expectedDataFieldSize,
  ManagementId,
  type ManagementDataField,
  type ManagementTlv,
} from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'

const GM = '00 1b 19 ff fe 00 00 01'
const gm = '001b19.fffe.000001'

/** A Management message with the given actionField and MANAGEMENT TLV (id + dataField octets). */
function management(action: number, id: number, data: string): Uint8Array {
  const d = hex(data)
  const len = 48 + 6 + d.length
  const b = new Uint8Array(len)
  b.set(hex(`0d 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ${GM} 00 01 00 2a 04 7f ff ff ff ff ff ff ff ff ff ff 01 01 0${action} 00 00 01`), 0)
  b[2] = len >> 8
  b[3] = len & 0xff
  const tl = 2 + d.length
  b.set([tl >> 8, tl & 0xff, id >> 8, id & 0xff], 50)
  b.set(d, 54)
  return b
}

const vectors: Array<{ id: number; octets: string; data: ManagementDataField }> = [
  {
    id: ManagementId.DEFAULT_DATA_SET,
    octets: `01 00  00 01  80  f8 fe ff ff  80  ${GM}  00 00`,
    data: { name: 'DEFAULT_DATA_SET', flags: 1, reserved1: 0, numberPorts: 1, priority1: 128, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, priority2: 128, clockIdentity: gm, domainNumber: 0, reserved2: 0 },
  },
  {
    id: ManagementId.CURRENT_DATA_SET,
    octets: '00 01  ff ff ff ff fb 2e 00 00  00 00 00 00 05 dc 00 00',
    data: { name: 'CURRENT_DATA_SET', stepsRemoved: 1, offsetFromMaster: -(1234n << 16n), meanPathDelay: 1500n << 16n },
  },
  {
    id: ManagementId.PARENT_DATA_SET,
    octets: `${GM} 00 01  00  00  ff ff  7f ff ff ff  80  f8 fe ff ff  80  ${GM}`,
    data: { name: 'PARENT_DATA_SET', parentPortIdentity: { clockIdentity: gm, portNumber: 1 }, parentStats: 0, reserved: 0, observedParentOffsetScaledLogVariance: 0xffff, observedParentClockPhaseChangeRate: 0x7fffffff, grandmasterPriority1: 128, grandmasterClockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, grandmasterPriority2: 128, grandmasterIdentity: gm },
  },
  {
    id: ManagementId.TIME_PROPERTIES_DATA_SET,
    octets: '00 25 08 a0',
    data: { name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: 37, flags: 0x08, timeSource: 0xa0 },
  },
  {
    id: ManagementId.PORT_DATA_SET,
    octets: `${GM} 00 01  09  fe  00 00 00 00 05 dc 00 00  01  03  00  02  00  02`,
    data: { name: 'PORT_DATA_SET', portIdentity: { clockIdentity: gm, portNumber: 1 }, portState: 9, logMinDelayReqInterval: -2, peerMeanPathDelay: 1500n << 16n, logAnnounceInterval: 1, announceReceiptTimeout: 3, logSyncInterval: 0, delayMechanism: 2, logMinPdelayReqInterval: 0, versionNumber: 2 },
  },
  { id: ManagementId.PRIORITY1, octets: '80 00', data: { name: 'PRIORITY1', value: 128, reserved: 0 } },
  { id: ManagementId.PRIORITY2, octets: 'ff 00', data: { name: 'PRIORITY2', value: 255, reserved: 0 } },
  { id: ManagementId.DOMAIN, octets: '18 00', data: { name: 'DOMAIN', value: 24, reserved: 0 } },
  { id: ManagementId.SLAVE_ONLY, octets: '01 00', data: { name: 'SLAVE_ONLY', value: 1, reserved: 0 } },
  { id: ManagementId.LOG_ANNOUNCE_INTERVAL, octets: 'fe 00', data: { name: 'LOG_ANNOUNCE_INTERVAL', value: -2, reserved: 0 } },
  { id: ManagementId.ANNOUNCE_RECEIPT_TIMEOUT, octets: '03 00', data: { name: 'ANNOUNCE_RECEIPT_TIMEOUT', value: 3, reserved: 0 } },
  { id: ManagementId.LOG_SYNC_INTERVAL, octets: 'fd 00', data: { name: 'LOG_SYNC_INTERVAL', value: -3, reserved: 0 } },
  { id: ManagementId.VERSION_NUMBER, octets: '02 00', data: { name: 'VERSION_NUMBER', value: 2, reserved: 0 } },
  { id: ManagementId.DELAY_MECHANISM, octets: '02 00', data: { name: 'DELAY_MECHANISM', value: 2, reserved: 0 } },
  { id: ManagementId.LOG_MIN_PDELAY_REQ_INTERVAL, octets: 'fc 00', data: { name: 'LOG_MIN_PDELAY_REQ_INTERVAL', value: -4, reserved: 0 } },
  { id: ManagementId.SYNCHRONIZATION_UNCERTAIN_NP, octets: 'ff 00', data: { name: 'SYNCHRONIZATION_UNCERTAIN_NP', value: 0xff, reserved: 0 } },
  {
    id: ManagementId.TIME_STATUS_NP,
    octets: `ff ff ff ff ff ff ff d6  00 00 00 00 00 00 03 e8  ff ff ff fb  00 00 00 00  00 01
      00 00 00 00 00 00 00 00 00 01 00 00  00 00 00 01  ${GM}`,
    data: { name: 'TIME_STATUS_NP', master_offset: -42n, ingress_time: 1000n, cumulativeScaledRateOffset: -5, scaledLastGmPhaseChange: 0, gmTimeBaseIndicator: 1, lastGmPhaseChange: 65536n, gmPresent: 1, gmIdentity: gm },
  },
  {
    id: ManagementId.GRANDMASTER_SETTINGS_NP,
    octets: '06 21 4e 5d  00 25  3c  20',
    data: { name: 'GRANDMASTER_SETTINGS_NP', clockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }, utc_offset: 37, time_flags: 0x3c, time_source: 0x20 },
  },
  {
    id: ManagementId.PORT_DATA_SET_NP,
    octets: '01 31 2d 00  00 00 00 01',
    data: { name: 'PORT_DATA_SET_NP', neighborPropDelayThresh: 20_000_000, asCapable: 1 },
  },
]

test.group('codec / management dataFields (exact octets)', () => {
  for (const v of vectors) {
    test(`${v.data.name}: RESPONSE octets -> typed dataField -> octets`, ({ assert }) => {
      const bytes = management(2, v.id, v.octets)
      assert.equal(hex(v.octets).length, expectedDataFieldSize(v.id))
      const { message, findings } = decodeMessage(bytes)
      assert.deepEqual(findings, [])
      const tlv = message.tlvs[0] as ManagementTlv
      assert.equal(tlv.kind, 'MANAGEMENT')
      assert.equal(tlv.managementId, v.id)
      assert.deepEqual(tlv.dataField, v.data)
      assert.equal(toHex(encodeMessage(message)), toHex(bytes))
      const built = buildManagement({ header: { sourcePortIdentity: { clockIdentity: gm, portNumber: 1 }, sequenceId: 42 }, actionField: 'RESPONSE', managementId: v.id, dataField: v.data })
      assert.equal(toHex(encodeMessage(built)), toHex(bytes))
    })

    test(`${v.data.name}: a zero-filled GET (pmc 3.1.1) and a zero-length GET (pmc -z) both decode`, ({ assert }) => {
      const size = expectedDataFieldSize(v.id)!
      const zeroFilled = management(0, v.id, '00 '.repeat(size))
      const a = decodeMessage(zeroFilled)
      assert.deepEqual(a.findings, [])
      assert.deepEqual((a.message.tlvs[0] as ManagementTlv).dataField, emptyDataFieldFor(v.id))
      const empty = management(0, v.id, '')
      const b = decodeMessage(empty)
      assert.deepEqual(b.findings, [])
      assert.isNull((b.message.tlvs[0] as ManagementTlv).dataField)
      assert.equal(toHex(encodeMessage(a.message)), toHex(zeroFilled))
      assert.equal(toHex(encodeMessage(b.message)), toHex(empty))
    })
  }

  test('buildManagement GET matches pmc 3.1.1 on the wire: zeros of the reply size, wildcard target, hops 1', ({ assert }) => {
    // Measured from pmc 3.1.1: zero-filled for every typed id but SYNCHRONIZATION_UNCERTAIN_NP.
    for (const v of vectors) {
      const m = buildManagement({ actionField: 'GET', managementId: v.id })
      const bytes = encodeMessage(m)
      const size = v.id === ManagementId.SYNCHRONIZATION_UNCERTAIN_NP ? 0 : expectedDataFieldSize(v.id)!
      assert.equal(bytes.length, 48 + 6 + size, v.data.name)
      assert.equal(toHex(bytes.subarray(34, 48)), 'ff ff ff ff ff ff ff ff ff ff 01 01 00 00')
      assert.equal(bytes[32], 4) // controlField as linuxptp 3.1.1
      assert.equal(bytes[33], 0x7f)
      assert.isTrue(bytes.subarray(54).every((x) => x === 0))
    }
  })

  test('pmc 3.1.1 GETs for ids without a typed layout carry raw zeros (CLOCK_DESCRIPTION 22, USER_DESCRIPTION 2)', ({ assert }) => {
    const cd = encodeMessage(buildManagement({ actionField: 'GET', managementId: 'CLOCK_DESCRIPTION' }))
    assert.equal(cd.length, 48 + 6 + 22)
    const ud = encodeMessage(buildManagement({ actionField: 'GET', managementId: 'USER_DESCRIPTION' }))
    assert.equal(ud.length, 48 + 6 + 2)
    assert.equal(encodeMessage(buildManagement({ actionField: 'GET', managementId: 'PORT_STATS_NP' })).length, 54)
  })

  test('an id without a typed layout keeps its dataField as RAW octets', ({ assert }) => {
    const bytes = management(2, ManagementId.USER_DESCRIPTION, '03 61 62 63')
    const { message, findings } = decodeMessage(bytes)
    assert.deepEqual(findings, [])
    assert.deepEqual((message.tlvs[0] as ManagementTlv).dataField, { name: 'RAW', bytes: Uint8Array.of(3, 0x61, 0x62, 0x63) })
    assert.equal(toHex(encodeMessage(message)), toHex(bytes))
  })

  test('managementIds have the values of ptp-profiles.md 1.8', ({ assert }) => {
    assert.equal(ManagementId.NULL_MANAGEMENT, 0x0000)
    assert.equal(ManagementId.DEFAULT_DATA_SET, 0x2000)
    assert.equal(ManagementId.PORT_DATA_SET, 0x2004)
    assert.equal(ManagementId.VERSION_NUMBER, 0x200c)
    assert.equal(ManagementId.DELAY_MECHANISM, 0x6000)
    assert.equal(ManagementId.LOG_MIN_PDELAY_REQ_INTERVAL, 0x6001)
    assert.equal(ManagementId.TIME_STATUS_NP, 0xc000)
    assert.equal(ManagementId.GRANDMASTER_SETTINGS_NP, 0xc001)
    assert.equal(ManagementId.PORT_DATA_SET_NP, 0xc002)
    assert.equal(ManagementId.SYNCHRONIZATION_UNCERTAIN_NP, 0xc006)
  })
})
