/**
 * Exact octets <-> exact values for every message type (offsets from ptp-profiles.md 1.6,
 * IEEE 1588-2019 13.5-13.13). The octets are written out by hand, not produced by the encoder.
 */
import { test } from '@japa/runner'
import {
  buildAnnounce,
  buildDelayReq,
  buildDelayResp,
  buildFollowUp,
  buildManagement,
  buildPdelayReq,
  buildPdelayResp,
  buildPdelayRespFollowUp,
  buildSignaling,
  buildSync,
  decodeMessage,
  encodeMessage,
  type PtpMessage,
} from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'

const CLOCK_A = '00 1b 19 ff fe 00 00 01'
const CLOCK_B = '02 42 ac ff fe 11 00 02'
const idA = { clockIdentity: '001b19.fffe.000001', portNumber: 1 }
const idB = { clockIdentity: '0242ac.fffe.110002', portNumber: 3 }

/** Header octets: messageType nibble, messageLength, flagField, sequenceId, controlField, logMessageInterval. */
function header(type: string, length: string, flags: string, seq: string, control: string, interval: string, source = `${CLOCK_A} 00 01`): string {
  return `${type} 02 ${length} 00 00 ${flags} 00 00 00 00 00 00 00 00  00 00 00 00  ${source} ${seq} ${control} ${interval}`
}
const h = (m: Partial<{ flagField: number; sequenceId: number; logMessageInterval: number }> = {}) => ({
  sourcePortIdentity: idA,
  sequenceId: m.sequenceId ?? 1,
  flagField: m.flagField ?? 0,
  ...(m.logMessageInterval !== undefined ? { logMessageInterval: m.logMessageInterval } : {}),
})
const TS = '00 00 65 53 f1 00  07 5b cd 15' // 1700000000 s, 123456789 ns
const ts = { secondsField: 1_700_000_000n, nanosecondsField: 123_456_789 }

interface Vector {
  name: string
  octets: string
  message: PtpMessage
  check: (m: any) => void
}

const vectors = (assert: any): Vector[] => [
  {
    name: 'Sync (two-step, 44 octets)',
    octets: `${header('00', '00 2c', '02 00', '00 05', '00', '00')} ${TS}`,
    message: buildSync({ header: h({ flagField: 0x0200, sequenceId: 5 }), originTimestamp: ts }),
    check: (m) => {
      assert.equal(m.type, 'Sync')
      assert.deepEqual(m.originTimestamp, ts)
    },
  },
  {
    name: 'Delay_Req (44 octets, interval 0x7F)',
    octets: `${header('01', '00 2c', '00 00', '00 06', '01', '7f', `${CLOCK_B} 00 03`)} ${TS}`,
    message: buildDelayReq({ header: { sourcePortIdentity: idB, sequenceId: 6 }, originTimestamp: ts }),
    check: (m) => assert.deepEqual(m.originTimestamp, ts),
  },
  {
    name: 'Pdelay_Req (54 octets with 10 reserved)',
    octets: `${header('02', '00 36', '00 00', '00 07', '05', '7f')} ${TS} 00 00 00 00 00 00 00 00 00 00`,
    message: buildPdelayReq({ header: h({ sequenceId: 7 }), originTimestamp: ts }),
    check: (m) => assert.equal(toHex(m.reserved), '00 00 00 00 00 00 00 00 00 00'),
  },
  {
    name: 'Pdelay_Resp (54 octets)',
    octets: `${header('03', '00 36', '02 00', '00 07', '05', '7f')} ${TS} ${CLOCK_B} 00 03`,
    message: buildPdelayResp({ header: h({ flagField: 0x0200, sequenceId: 7 }), requestReceiptTimestamp: ts, requestingPortIdentity: idB }),
    check: (m) => {
      assert.deepEqual(m.requestReceiptTimestamp, ts)
      assert.deepEqual(m.requestingPortIdentity, idB)
    },
  },
  {
    name: 'Follow_Up (44 octets)',
    octets: `${header('08', '00 2c', '00 00', '00 05', '02', '00')} ${TS}`,
    message: buildFollowUp({ header: h({ sequenceId: 5 }), preciseOriginTimestamp: ts }),
    check: (m) => assert.deepEqual(m.preciseOriginTimestamp, ts),
  },
  {
    name: 'Delay_Resp (54 octets, interval -4)',
    octets: `${header('09', '00 36', '00 00', '00 06', '03', 'fc')} ${TS} ${CLOCK_B} 00 03`,
    message: buildDelayResp({ header: h({ sequenceId: 6, logMessageInterval: -4 }), receiveTimestamp: ts, requestingPortIdentity: idB }),
    check: (m) => {
      assert.equal(m.header.logMessageInterval, -4)
      assert.deepEqual(m.receiveTimestamp, ts)
      assert.deepEqual(m.requestingPortIdentity, idB)
    },
  },
  {
    name: 'Pdelay_Resp_Follow_Up (54 octets)',
    octets: `${header('0a', '00 36', '00 00', '00 07', '05', '7f')} ${TS} ${CLOCK_B} 00 03`,
    message: buildPdelayRespFollowUp({ header: h({ sequenceId: 7 }), responseOriginTimestamp: ts, requestingPortIdentity: idB }),
    check: (m) => {
      assert.deepEqual(m.responseOriginTimestamp, ts)
      assert.deepEqual(m.requestingPortIdentity, idB)
    },
  },
  {
    name: 'Announce (64 octets)',
    octets: `${header('0b', '00 40', '00 08', '00 09', '05', '01')} ${TS}
      00 25        # 44 currentUtcOffset 37
      00           # 46 reserved
      80           # 47 grandmasterPriority1
      f8 fe ff ff  # 48 grandmasterClockQuality
      7f           # 52 grandmasterPriority2
      ${CLOCK_A}   # 53 grandmasterIdentity
      00 02        # 61 stepsRemoved
      a0           # 63 timeSource INTERNAL_OSCILLATOR`,
    message: buildAnnounce({ header: h({ flagField: 0x0008, sequenceId: 9 }), originTimestamp: ts, grandmasterPriority2: 127, stepsRemoved: 2 }),
    check: (m) => {
      assert.equal(m.currentUtcOffset, 37)
      assert.equal(m.reserved, 0)
      assert.equal(m.grandmasterPriority1, 128)
      assert.deepEqual(m.grandmasterClockQuality, { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff })
      assert.equal(m.grandmasterPriority2, 127)
      assert.equal(m.grandmasterIdentity, '001b19.fffe.000001')
      assert.equal(m.stepsRemoved, 2)
      assert.equal(m.timeSource, 0xa0)
    },
  },
  {
    name: 'Signaling (44 + REQUEST_UNICAST_TRANSMISSION)',
    octets: `${header('0c', '00 36', '04 00', '00 0a', '05', '7f')} ${CLOCK_B} 00 03
      00 04 00 06  b0 01 00 00 01 2c`,
    message: buildSignaling({
      header: h({ flagField: 0x0400, sequenceId: 10 }),
      targetPortIdentity: idB,
      tlvs: [{ kind: 'REQUEST_UNICAST_TRANSMISSION', tlvType: 4, lengthField: 6, messageType: 0xb, reservedNibble: 0, logInterMessagePeriod: 1, durationField: 300 }],
    }),
    check: (m) => {
      assert.deepEqual(m.targetPortIdentity, idB)
      assert.equal(m.tlvs[0].kind, 'REQUEST_UNICAST_TRANSMISSION')
    },
  },
  {
    name: 'Management GET CURRENT_DATA_SET as pmc 3.1.1 sends it (72 octets)',
    octets: `${header('0d', '00 48', '00 00', '00 00', '04', '7f')}
      ff ff ff ff ff ff ff ff ff ff   # 34 targetPortIdentity (wildcard)
      01 01                           # 44 startingBoundaryHops, boundaryHops
      00 00                           # 46 actionField GET, reserved
      00 01 00 14 20 01               # 48 MANAGEMENT TLV, lengthField 20, CURRENT_DATA_SET
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00`,
    message: buildManagement({ header: h({ sequenceId: 0 }), actionField: 'GET', managementId: 'CURRENT_DATA_SET' }),
    check: (m) => {
      assert.equal(m.actionField, 0)
      assert.equal(m.startingBoundaryHops, 1)
      assert.equal(m.boundaryHops, 1)
      assert.deepEqual(m.targetPortIdentity, { clockIdentity: 'ffffff.ffff.ffffff', portNumber: 0xffff })
      assert.deepEqual(m.tlvs[0].dataField, { name: 'CURRENT_DATA_SET', stepsRemoved: 0, offsetFromMaster: 0n, meanPathDelay: 0n })
    },
  },
  {
    name: 'Management GET DEFAULT_DATA_SET as pmc -z sends it (54 octets)',
    octets: `${header('0d', '00 36', '00 00', '00 01', '04', '7f')}
      ff ff ff ff ff ff ff ff ff ff 01 01 00 00
      00 01 00 02 20 00`,
    message: buildManagement({ header: h({ sequenceId: 1 }), actionField: 'GET', managementId: 'DEFAULT_DATA_SET', zeroLengthGet: true }),
    check: (m) => {
      assert.equal(m.tlvs[0].managementId, 0x2000)
      assert.isNull(m.tlvs[0].dataField)
    },
  },
]

test.group('codec / messages (exact octets)', () => {
  test('each message type decodes from hand-written octets to the expected values', ({ assert }) => {
    for (const v of vectors(assert)) {
      const bytes = hex(v.octets)
      const { message, findings } = decodeMessage(bytes)
      assert.deepEqual(findings, [], v.name)
      assert.equal(message.header.messageLength, bytes.length, v.name)
      v.check(message)
      assert.deepEqual(message, v.message, v.name)
    }
  })

  test('the builders encode to exactly those octets', ({ assert }) => {
    for (const v of vectors(assert)) {
      assert.equal(toHex(encodeMessage(v.message)), toHex(hex(v.octets)), v.name)
    }
  })

  test('messageType nibble selects the message: every type name maps to its value', ({ assert }) => {
    const expected: Record<string, number> = { Sync: 0, Delay_Req: 1, Pdelay_Req: 2, Pdelay_Resp: 3, Follow_Up: 8, Delay_Resp: 9, Pdelay_Resp_Follow_Up: 0xa, Announce: 0xb, Signaling: 0xc, Management: 0xd }
    for (const v of vectors(assert)) {
      const m = decodeMessage(hex(v.octets)).message
      assert.equal(m.header.messageType, expected[m.type], m.type)
    }
  })
})
