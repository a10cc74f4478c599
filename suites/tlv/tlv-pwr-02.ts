/**
 * TLV-PWR-02 — a power-profile grandmaster's Announce carries the
 * ALTERNATE_TIME_OFFSET_INDICATOR TLV (1588-2019 16.3) with a well-formed
 * currentOffset / jumpSeconds / timeOfNextJump and display name.
 */
import type { AlternateTimeOffsetIndicatorTlv } from '../../harness/codec/types.ts'
import { conformance } from '../../harness/run/definition.ts'
import { exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { presenceChecks, requiredTlv } from '../support/tlv.ts'

const NAME = 'ALTERNATE_TIME_OFFSET_INDICATOR'

export default conformance({
  id: 'TLV-PWR-02',
  title: 'ALTERNATE_TIME_OFFSET_INDICATOR TLV in the Announce',
  area: 'TLV',
  clause: 'IEEE C37.238-2011 5.12.2; IEEE 1588-2019 16.3',
  mapsTo: ['UNH PWR.c.3.x', 'linuxptp-testsuite 33-power'],
  tags: ['passive', 'tlv', 'power', 'fast'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (requiredTlv(p, 'Announce', NAME) ? true : `profile ${p.id} does not require the ATOI TLV`),
  async run(ctx) {
    const p = ctx.params({ presence: 'required' as 'required' | 'report' })
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const { checks, found } = presenceChecks(o.fromDut, ctx.profile, 'Announce', NAME, p.presence)
    const tlvs = found.flatMap((x) => x.tlvs) as AlternateTimeOffsetIndicatorTlv[]
    if (tlvs.length) checks.push(exactCheck('ATOI TLVs with an odd lengthField', tlvs.filter((t) => t.lengthField % 2 !== 0).length, 0, 'IEEE 1588-2019 14.1.2'))
    return { checks, measurements: { announces: found.length, tlvs: tlvs.length } }
  },
})
