/**
 * TLV-GPTP-02 — every Announce of an 802.1AS DUT carries PATH_TRACE holding
 * stepsRemoved + 1 clock identities (8 octets each), the last of them the sender's
 * own (a grandmaster's path is itself).
 */
import type { PathTraceTlv } from '../../harness/codec/types.ts'
import { conformance } from '../../harness/run/definition.ts'
import { exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'
import { presenceChecks, requiredTlv } from '../support/tlv.ts'

export default conformance({
  id: 'TLV-GPTP-02',
  title: 'PATH_TRACE TLV in every Announce',
  area: 'TLV',
  clause: 'IEEE 802.1AS-2020 10.6.3.3, IEEE 1588-2019 16.2',
  mapsTo: ['Avnu gPTP.com.c.10.x'],
  tags: ['passive', 'tlv', 'gptp', 'fast'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: (p) => (requiredTlv(p, 'Announce', 'PATH_TRACE') ? true : `profile ${p.id} does not require PATH_TRACE in Announce`),
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const { checks, found } = presenceChecks(o.fromDut, ctx.profile, 'Announce', 'PATH_TRACE')
    let wrongCount = 0
    let wrongLast = 0
    for (const { frame, tlvs } of found) {
      const m = frame.message!
      if (m.type !== 'Announce') continue
      for (const t of tlvs as PathTraceTlv[]) {
        if (t.pathSequence.length !== m.stepsRemoved + 1) wrongCount++
        if (t.pathSequence.at(-1) !== m.header.sourcePortIdentity.clockIdentity) wrongLast++
      }
    }
    if (found.some((x) => x.tlvs.length)) {
      checks.push(exactCheck('PATH_TRACE lists with ≠ stepsRemoved + 1 entries', wrongCount, 0, 'IEEE 802.1AS-2020 10.3.8.23'))
      checks.push(exactCheck("PATH_TRACE lists not ending with the sender's clockIdentity", wrongLast, 0, 'IEEE 1588-2019 16.2.5'))
    }
    return { checks, measurements: { announces: found.length } }
  },
})
