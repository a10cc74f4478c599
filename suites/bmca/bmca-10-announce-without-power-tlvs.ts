/**
 * BMCA-10 — under C37.238-2011 an Announce without the profile's mandatory TLVs
 * (IEEE_C37_238 and ALTERNATE_TIME_OFFSET_INDICATOR) is ignored by the BMCA (5.12.2): a
 * better master that leaves out one of them, one case per TLV, must not become the DUT's
 * grandmaster; the same data set with both TLVs must (the control). Applies where the profile
 * says so (`bmca.ignoreAnnounceWithoutRequiredTlvs`).
 */
import { tlvName } from '../../harness/codec/tlvs/index.ts'
import { requiredAnnounceTlvs } from '../../harness/engines/from_profile.ts'
import { conformance, type Profile } from '../kit.ts'
import { acquireUnusable, judgeUnusable, type UnusableCase, type UnusableEvidence, watchIntervals } from '../support/unusable_masters.ts'

/** One case per required Announce TLV: the profile's Announce with that one left out. */
export function missingTlvCases(profile: Profile): UnusableCase[] {
  const all = requiredAnnounceTlvs(profile)
  return (profile.tlvs.Announce?.required ?? []).map((ref) => ({
    key: `without-${ref.tlv.toLowerCase().replaceAll('_', '-')}`,
    title: `Announce without the ${ref.tlv} TLV`,
    source: `${profile.bmca.source}; ${ref.source}`,
    announceTlvs: all.filter((t) => tlvName(t) !== ref.tlv),
  }))
}

export default conformance<UnusableEvidence>({
  id: 'BMCA-10',
  title: 'An Announce without the power profile\'s mandatory TLVs is ignored by the BMCA',
  area: 'BMCA',
  clause: 'IEEE C37.238-2011 5.12.2',
  mapsTo: ['UNH-IOL power profile test plan (BMC)', 'linuxptp 4.x port.c (power profile Announce check)'],
  tags: ['active', 'bmca', 'power'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 14,
  criteria: {
    pass: 'while better masters whose Announce lacks one mandatory TLV announce for the qualification window + 2 intervals, the DUT stays with its grandmaster, and it takes the same data set with both TLVs',
    fail: 'the DUT follows a master whose Announce lacks a mandatory TLV, or leaves its grandmaster while only such masters announce',
  },
  appliesTo: (p) => (p.bmca.ignoreAnnounceWithoutRequiredTlvs ? true : `profile ${p.id} does not make the BMCA ignore an Announce without its TLVs`),
  acquire: (ctx) => acquireUnusable(ctx, missingTlvCases(ctx.profile)),
  judge: (ev, profile) => ({ checks: judgeUnusable(ev, profile), measurements: { watchIntervals: watchIntervals(profile), cases: ev.data.cases.map((c) => `${c.key}: ${c.master.name} ${c.master.clockIdentity}`) } }),
})
