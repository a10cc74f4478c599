import { test } from '@japa/runner'
import {
  formatScaledLikePmc,
  parsePmcOutput,
  scaledFromDecimal,
  toCurrentDataSet,
  toDefaultDataSet,
  toParentDataSet,
  toPortDataSet,
  toTimePropertiesDataSet,
} from '../../../harness/dut/linuxptp/pmc_text.ts'

// pmc 3.1.1 output as captured from a lab slave (tabs as pmc prints them), plus an error and noise.
const T = '\t'
const SAMPLE = [
  'sending: GET DEFAULT_DATA_SET',
  `${T}025043.fffe.ff0002-0 seq 0 RESPONSE MANAGEMENT DEFAULT_DATA_SET `,
  `${T}${T}twoStepFlag             1`,
  `${T}${T}slaveOnly               1`,
  `${T}${T}numberPorts             2`,
  `${T}${T}priority1               128`,
  `${T}${T}clockClass              255`,
  `${T}${T}clockAccuracy           0xfe`,
  `${T}${T}offsetScaledLogVariance 0xffff`,
  `${T}${T}priority2               128`,
  `${T}${T}clockIdentity           025043.fffe.ff0002`,
  `${T}${T}domainNumber            24`,
  'sending: GET CURRENT_DATA_SET',
  `${T}025043.fffe.ff0002-0 seq 1 RESPONSE MANAGEMENT CURRENT_DATA_SET `,
  `${T}${T}stepsRemoved     1`,
  `${T}${T}offsetFromMaster -1638.0`,
  `${T}${T}meanPathDelay    2365.0`,
  'sending: GET PARENT_DATA_SET',
  `${T}025043.fffe.ff0002-0 seq 2 RESPONSE MANAGEMENT PARENT_DATA_SET `,
  `${T}${T}parentPortIdentity                    025043.fffe.ff0001-1`,
  `${T}${T}parentStats                           0`,
  `${T}${T}observedParentOffsetScaledLogVariance 0xffff`,
  `${T}${T}observedParentClockPhaseChangeRate    0x7fffffff`,
  `${T}${T}grandmasterPriority1                  128`,
  `${T}${T}gm.ClockClass                         248`,
  `${T}${T}gm.ClockAccuracy                      0xfe`,
  `${T}${T}gm.OffsetScaledLogVariance            0xffff`,
  `${T}${T}grandmasterPriority2                  128`,
  `${T}${T}grandmasterIdentity                   025043.fffe.ff0001`,
  'sending: GET TIME_PROPERTIES_DATA_SET',
  `${T}025043.fffe.ff0002-0 seq 3 RESPONSE MANAGEMENT TIME_PROPERTIES_DATA_SET `,
  `${T}${T}currentUtcOffset      37`,
  `${T}${T}leap61                0`,
  `${T}${T}leap59                1`,
  `${T}${T}currentUtcOffsetValid 1`,
  `${T}${T}ptpTimescale          1`,
  `${T}${T}timeTraceable         0`,
  `${T}${T}frequencyTraceable    1`,
  `${T}${T}timeSource            0xa0`,
  'sending: GET PORT_DATA_SET',
  `${T}025043.fffe.ff0002-1 seq 4 RESPONSE MANAGEMENT PORT_DATA_SET `,
  `${T}${T}portIdentity            025043.fffe.ff0002-1`,
  `${T}${T}portState               SLAVE`,
  `${T}${T}logMinDelayReqInterval  -3`,
  `${T}${T}peerMeanPathDelay       1722`,
  `${T}${T}logAnnounceInterval     -2`,
  `${T}${T}announceReceiptTimeout  3`,
  `${T}${T}logSyncInterval         -3`,
  `${T}${T}delayMechanism          2`,
  `${T}${T}logMinPdelayReqInterval -3`,
  `${T}${T}versionNumber           2`,
  `${T}025043.fffe.ff0002-2 seq 4 RESPONSE MANAGEMENT PORT_DATA_SET `,
  `${T}${T}portIdentity            025043.fffe.ff0002-2`,
  `${T}${T}portState               MASTER`,
  `${T}${T}logMinDelayReqInterval  -3`,
  `${T}${T}peerMeanPathDelay       0`,
  `${T}${T}logAnnounceInterval     -2`,
  `${T}${T}announceReceiptTimeout  3`,
  `${T}${T}logSyncInterval         -3`,
  `${T}${T}delayMechanism          2`,
  `${T}${T}logMinPdelayReqInterval -3`,
  `${T}${T}versionNumber           2`,
  'sending: SET PRIORITY1',
  `${T}025043.fffe.ff0002-1 seq 5 RESPONSE MANAGEMENT_ERROR_STATUS `,
  'some unexpected line',
  '',
].join('\n')

test.group('dut / pmc text output', () => {
  test('replies are grouped by seq, keyed by source port, errors flagged, noise kept aside', ({ assert }) => {
    const t = parsePmcOutput(SAMPLE)
    assert.deepEqual(t.sent, ['GET DEFAULT_DATA_SET', 'GET CURRENT_DATA_SET', 'GET PARENT_DATA_SET', 'GET TIME_PROPERTIES_DATA_SET', 'GET PORT_DATA_SET', 'SET PRIORITY1'])
    assert.deepEqual(t.replies.map((r) => r.seq), [0, 1, 2, 3, 4, 4, 5])
    assert.deepEqual(t.replies.filter((r) => r.seq === 4).map((r) => r.source), ['025043.fffe.ff0002-1', '025043.fffe.ff0002-2'])
    const err = t.replies.find((r) => r.seq === 5)!
    assert.isTrue(err.error)
    assert.isUndefined(err.managementId)
    assert.deepEqual(t.unparsed, ['some unexpected line'])
  })

  test('datasets come out in the codec shapes, every printed field mapped', ({ assert }) => {
    const [dds, cds, pds, tpds, p1, p2] = parsePmcOutput(SAMPLE).replies
    assert.deepEqual(toDefaultDataSet(dds!), {
      name: 'DEFAULT_DATA_SET', flags: 0b11, reserved1: 0, numberPorts: 2, priority1: 128,
      clockQuality: { clockClass: 255, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff },
      priority2: 128, clockIdentity: '025043.fffe.ff0002', domainNumber: 24, reserved2: 0,
    })
    assert.deepEqual(toCurrentDataSet(cds!), { name: 'CURRENT_DATA_SET', stepsRemoved: 1, offsetFromMaster: -1638n * 65536n, meanPathDelay: 2365n * 65536n })
    const parent = toParentDataSet(pds!)
    assert.deepEqual(parent.parentPortIdentity, { clockIdentity: '025043.fffe.ff0001', portNumber: 1 })
    assert.equal(parent.observedParentClockPhaseChangeRate, 0x7fffffff)
    assert.equal(parent.grandmasterClockQuality.clockClass, 248)
    assert.equal(parent.grandmasterIdentity, '025043.fffe.ff0001')
    // flags octet: leap59 bit 1, currentUtcOffsetValid bit 2, ptpTimescale bit 3, frequencyTraceable bit 5
    assert.deepEqual(toTimePropertiesDataSet(tpds!), { name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: 37, flags: 0b101110, timeSource: 0xa0 })
    const port1 = toPortDataSet(p1!)
    assert.equal(port1.portState, 9) // SLAVE
    assert.equal(port1.peerMeanPathDelay >> 16n, 1722n)
    assert.equal(port1.delayMechanism, 2)
    assert.equal(toPortDataSet(p2!).portState, 6) // MASTER
  })

  test('a negative Integer32 printed as 0x%08x comes back signed', ({ assert }) => {
    const t = parsePmcOutput(SAMPLE.replace('0x7fffffff', '0xfffffffe'))
    assert.equal(toParentDataSet(t.replies[2]!).observedParentClockPhaseChangeRate, -2)
  })

  test('a missing field is an error that names it', ({ assert }) => {
    const t = parsePmcOutput(SAMPLE.replace(`${T}${T}stepsRemoved     1\n`, ''))
    assert.throws(() => toCurrentDataSet(t.replies[1]!), /lacks 'stepsRemoved'/)
  })

  test('TimeInterval decimals: exact to scaled ns and back in pmc\'s %.1f', ({ assert }) => {
    assert.equal(scaledFromDecimal('-1638.0'), -1638n * 65536n)
    assert.equal(scaledFromDecimal('0.5'), 32768n)
    assert.equal(scaledFromDecimal('12'), 12n * 65536n)
    assert.equal(formatScaledLikePmc(-1638n * 65536n), '-1638.0')
    assert.equal(formatScaledLikePmc(32768n), '0.5')
    assert.throws(() => scaledFromDecimal('1e3'))
  })
})
