/**
 * TLV-GPTP-01 — every Follow_Up of an 802.1AS DUT carries the Follow_Up information
 * TLV: organizationId 00-80-C2, subtype 1, lengthField 28.
 */
import { conformance } from '../../harness/run/definition.ts'
import { exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { presenceChecks, requiredTlv } from '../support/tlv.ts'

const NAME = 'IEEE_802_1AS_FOLLOW_UP_INFO'

export default conformance({
  id: 'TLV-GPTP-01',
  title: 'Follow_Up information TLV in every Follow_Up',
  area: 'TLV',
  clause: 'IEEE 802.1AS-2020 11.4.4.3',
  mapsTo: ['Avnu gPTP.com.c.11.x'],
  tags: ['passive', 'tlv', 'gptp', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (requiredTlv(p, 'Follow_Up', NAME) ? true : `profile ${p.id} does not require the Follow_Up information TLV`),
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const { checks, found } = presenceChecks(o.fromDut, ctx.profile, 'Follow_Up', NAME)
    const tlvs = found.flatMap((x) => x.tlvs)
    const badLength = tlvs.filter((t) => t.lengthField !== 28).length
    if (tlvs.length) checks.push(exactCheck('Follow_Up information TLVs with lengthField ≠ 28', badLength, 0, 'IEEE 802.1AS-2020 11.4.4.3.3'))
    return { checks, measurements: { followUps: found.length, withTlv: found.filter((x) => x.tlvs.length).length } }
  },
})
