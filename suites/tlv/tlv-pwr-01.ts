/**
 * TLV-PWR-01 — every Announce of a power-profile grandmaster carries the IEEE C37.238
 * TLV of the profile's edition (2011: subtype 1 with grandmaster and network time
 * inaccuracy; 2017: subtype 2 with totalTimeInaccuracy), with a lengthField of the
 * convention the profile accepts and a configured grandmasterID.
 */
import type { C37238Tlv2011, C37238Tlv2017 } from '../../harness/codec/types.ts'
import { conformance } from '../../harness/run/definition.ts'
import { exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { presenceChecks, requiredTlv } from '../support/tlv.ts'

const NAMES = ['IEEE_C37_238_2011', 'IEEE_C37_238_2017'] as const

export default conformance({
  id: 'TLV-PWR-01',
  title: 'IEEE C37.238 TLV in every Announce',
  area: 'TLV',
  clause: 'IEEE C37.238-2011 5.12.2; IEEE C37.238-2017',
  mapsTo: ['UNH PWR.c.3.x'],
  tags: ['passive', 'tlv', 'power', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (NAMES.some((n) => requiredTlv(p, 'Announce', n)) ? true : `profile ${p.id} requires no C37.238 TLV`),
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const name = NAMES.find((n) => requiredTlv(ctx.profile, 'Announce', n))!
    const ref = requiredTlv(ctx.profile, 'Announce', name)!
    const { checks, found } = presenceChecks(o.fromDut, ctx.profile, 'Announce', name)
    const tlvs = found.flatMap((x) => x.tlvs) as (C37238Tlv2011 | C37238Tlv2017)[]
    if (tlvs.length) {
      const accept = ref.lengthField?.accept.value ?? [12, 18]
      checks.push(exactCheck(`TLVs with lengthField outside ${accept.join(' / ')}`, tlvs.filter((t) => !accept.includes(t.lengthField)).length, 0, ref.lengthField?.accept.source ?? ref.source, { unconfirmed: ref.lengthField?.accept.unconfirmed }))
      if (name === 'IEEE_C37_238_2011') {
        checks.push(exactCheck('grandmasterID outside 0x0003–0x00FE', tlvs.filter((t) => t.grandmasterID < 3 || t.grandmasterID > 0xfe).length, 0, 'IEEE C37.238-2011 5.12.2'))
      }
    }
    return { checks, measurements: { announces: found.length, tlvs: tlvs.length } }
  },
})
