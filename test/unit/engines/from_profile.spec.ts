import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { TestMaster, TestSlave, testMasterConfigFromProfile, testSlaveConfigFromProfile } from '../../../harness/engines/index.ts'
import { decodeMessage, encodeMessage } from '../../../harness/codec/message.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const ID = '02aaaa.fffe.000001'

test.group('engines / clocks configured from a profile', () => {
  test('gptp: majorSdoId 1, PATH_TRACE in Announce, Follow_Up information TLV, peer delay', async ({ assert }) => {
    const p = await loadProfile('gptp')
    const cfg = testMasterConfigFromProfile(p, { name: 'gm', clockIdentity: ID })
    assert.equal(cfg.header?.majorSdoId, p.sdo.majorSdoId.value)
    assert.equal(cfg.delayMechanism, 'P2P')
    assert.isTrue(cfg.pathTrace)
    assert.isTrue(cfg.followUpInformationTlv)
    const gm = new TestMaster(cfg)
    const a = decodeMessage(encodeMessage(gm.buildAnnounce(0n)))
    assert.deepEqual(a.message.tlvs.map((t) => t.kind), ['PATH_TRACE'])
    assert.equal(a.message.header.logMessageInterval, p.intervals.announce.default.value)
    const link = new SimulatedLink()
    link.add('gm', gm)
    link.add('s', new TestSlave(testSlaveConfigFromProfile(p, { name: 's', clockIdentity: '02bbbb.fffe.000001' })))
    link.start()
    link.advance(3_000_000_000n)
    const fu = link.recorder.first({ direction: 'out', type: 'Follow_Up' })!
    assert.equal(fu.bytes.length, 76) // 44 + 32-octet information TLV (802.1AS)
    assert.equal(fu.findings.length, 0)
    assert.isAbove(link.recorder.byType('Pdelay_Resp_Follow_Up', { direction: 'in', port: 's' }).length, 0)
  })

  test('power-2011: C37.238 TLV with the profile lengthField convention, and ATOI', async ({ assert }) => {
    const p = await loadProfile('power-2011')
    const gm = new TestMaster(testMasterConfigFromProfile(p, { name: 'gm', clockIdentity: ID, power: { grandmasterID: 5, grandmasterTimeInaccuracy: 50, networkTimeInaccuracy: 200 } }))
    const a = decodeMessage(encodeMessage(gm.buildAnnounce(0n))).message
    const c37 = a.tlvs[0]
    const send = p.tlvs.Announce!.required.find((r) => r.tlv === 'IEEE_C37_238_2011')!.lengthField!.send.value
    assert.equal(c37?.lengthField, send)
    assert.equal(c37?.kind === 'ORGANIZATION_EXTENSION' && c37.org === 'IEEE_C37_238_2011' ? c37.grandmasterID : -1, 5)
    assert.equal(a.tlvs[1]?.kind, 'ALTERNATE_TIME_OFFSET_INDICATOR')
    assert.equal(a.header.domainNumber, p.domain.default.value)
  })

  test('g8275-1: domain and the ±30 % Delay_Req spacing rule', async ({ assert }) => {
    const p = await loadProfile('g8275-1')
    const s = testSlaveConfigFromProfile(p, { name: 's', clockIdentity: ID })
    assert.equal(s.header?.domainNumber, p.domain.default.value)
    assert.deepEqual(s.spacing, { rule: 'pct-of-nominal', pct: p.tolerances.delayReqSpacing!.pct!.value })
    assert.equal(s.logMinDelayReqInterval, p.intervals.delayReq!.default.value)
  })

  test('lab intervals come from the profile lab section', async ({ assert }) => {
    const p = await loadProfile('default-e2e')
    const cfg = testMasterConfigFromProfile(p, { name: 'gm', clockIdentity: ID, intervals: 'lab' })
    assert.equal(cfg.logSyncInterval, Number(p.lab.ptp4l.logSyncInterval))
    assert.equal(cfg.logAnnounceInterval, Number(p.lab.ptp4l.logAnnounceInterval))
  })
})
