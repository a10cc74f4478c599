/**
 * TLV-PWR-01 — every Announce of a power-profile grandmaster carries the IEEE C37.238 TLV
 * of the profile's edition (OUI 1C-12-9D; 2011: subtype 1 with grandmaster and network time
 * inaccuracy; 2017: subtype 2 with totalTimeInaccuracy), with a lengthField of a convention
 * the profile accepts and a grandmasterID inside the profile's range (suites.overrides
 * TLV-PWR-01.grandmasterIdRange; without one the ID is reported, not judged). A grandmaster
 * that advertises itself in spec (clockClass 6 or 7) states a grandmaster inaccuracy within
 * the profile's budget.
 */
import type { AnnounceMessage, C37238Tlv2011, C37238Tlv2017 } from '../../harness/codec/types.ts'
import { type Check, conformance, dutFrames, type Observation, observationFault, observeDutMaster, testParams } from '../kit.ts'
import { orgIdentityChecks, presenceChecks, requiredTlv, watchOf } from '../support/tlv.ts'

const NAMES = ['IEEE_C37_238_2011', 'IEEE_C37_238_2017'] as const
const SUBTYPE = { IEEE_C37_238_2011: 1, IEEE_C37_238_2017: 2 } as const
export const PARAMS = { grandmasterIdRange: null as [number, number] | null }
/** clockClass of a grandmaster locked to, or in holdover within spec of, its source (C37.238-2011 profile table). */
const IN_SPEC_CLASSES = [6, 7]

/**
 * `params`: the parameters profiles may set in suites.overrides (the defaults testParams
 * reads), declared on the definition so the profile validator knows them.
 */
export default conformance<{ observation: Observation }>({
  id: 'TLV-PWR-01',
  params: PARAMS,
  title: 'IEEE C37.238 TLV in every Announce',
  area: 'TLV',
  clause: 'IEEE C37.238-2011 5.12.2; IEEE C37.238-2017',
  mapsTo: ['UNH PWR.c.3.x'],
  tags: ['passive', 'tlv', 'power', 'fast'],
  capturable: true,
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every Announce carries the edition\'s C37.238 TLV (1C-12-9D, its subtype, an accepted lengthField) with a grandmasterID in the profile\'s range',
    fail: 'an Announce lacks the TLV, carries another OUI, subtype or lengthField, a grandmasterID outside the range, or an in-spec grandmaster states an inaccuracy over the budget',
  },
  appliesTo: (p) => (NAMES.some((n) => requiredTlv(p, 'Announce', n)) ? true : `profile ${p.id} requires no C37.238 TLV`),
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx) }
  },
  judge(ev, profile) {
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const name = NAMES.find((n) => requiredTlv(profile, 'Announce', n))!
    const ref = requiredTlv(profile, 'Announce', name)!
    const override = profile.suites.overrides['TLV-PWR-01'] as { source?: string; unconfirmed?: boolean } | undefined
    const { grandmasterIdRange: range } = testParams(profile, 'TLV-PWR-01', PARAMS)
    const { checks, found } = presenceChecks(dutFrames(ev.data.observation, ev.session.domainNumber), 'Announce', name, ref.source, watchOf(ev, 'Announce'), ref.unconfirmed)
    const accept = ref.lengthField?.accept
    checks.push(...orgIdentityChecks(found.map((x) => x.frame.message!), 'C37.238 TLV', {
      organizationId: 0x1c129d,
      organizationSubType: SUBTYPE[name],
      lengthFields: accept?.value ?? [18],
      source: [ref.source, accept?.source].filter(Boolean).join('; '),
      unconfirmedLength: accept?.unconfirmed,
    }))
    const tlvs = found.flatMap(({ frame, tlvs }) => (tlvs as (C37238Tlv2011 | C37238Tlv2017)[]).map((t) => ({ m: frame.message as AnnounceMessage, t })))
    if (!tlvs.length) return { checks, measurements: { announces: found.length, tlvs: 0 } }
    const ids = [...new Set(tlvs.map(({ t }) => t.grandmasterID))]
    if (range) {
      const outside = tlvs.filter(({ t }) => t.grandmasterID < range[0] || t.grandmasterID > range[1])
      const hex = (n: number) => `0x${n.toString(16).padStart(4, '0').toUpperCase()}`
      checks.push({
        name: `grandmasterID inside ${hex(range[0])}–${hex(range[1])}`,
        measured: outside.length,
        limit: `0 of ${tlvs.length}`,
        source: override?.source ?? ref.source,
        ...(override?.unconfirmed ? { unconfirmed: true } : {}),
        verdict: outside.length ? 'fail' : 'pass',
        detail: `grandmasterID seen: ${ids.map(hex).join(', ')}`,
      })
    }
    checks.push(...inaccuracyChecks(tlvs, profile.accuracy.gmTimeInaccuracy))
    return {
      checks,
      measurements: {
        announces: found.length,
        tlvs: tlvs.length,
        grandmasterIds: ids,
        lengthFields: [...new Set(tlvs.map(({ t }) => t.lengthField))],
        inaccuraciesNs: [...new Set(tlvs.map(({ t }) => (t.org === 'IEEE_C37_238_2011' ? `gm ${t.grandmasterTimeInaccuracy}, network ${t.networkTimeInaccuracy}` : `total ${t.totalTimeInaccuracy}`)))],
      },
    }
  },
})

/** A grandmaster that says it is in spec (clockClass 6/7) must not state a grandmaster inaccuracy over the profile's budget. */
function inaccuracyChecks(tlvs: { m: AnnounceMessage; t: C37238Tlv2011 | C37238Tlv2017 }[], budget: { limit: { value: number; source: string; unconfirmed?: boolean } } | undefined): Check[] {
  const inSpec = tlvs.filter(({ m, t }) => t.org === 'IEEE_C37_238_2011' && IN_SPEC_CLASSES.includes(m.grandmasterClockQuality.clockClass)) as { m: AnnounceMessage; t: C37238Tlv2011 }[]
  if (!budget || !inSpec.length) return []
  const over = inSpec.filter(({ t }) => t.grandmasterTimeInaccuracy > budget.limit.value)
  return [{
    name: 'grandmasterTimeInaccuracy of an in-spec grandmaster (clockClass 6/7) within the budget',
    measured: over.length,
    limit: `0 of ${inSpec.length} above ${budget.limit.value} ns`,
    source: `${budget.limit.source}; clockClass 6/7 = locked / holdover in spec (IEEE C37.238-2011 profile table)`,
    ...(budget.limit.unconfirmed ? { unconfirmed: true } : {}),
    verdict: over.length ? 'fail' : 'pass',
    ...(over.length ? { detail: `Announce #${over[0]!.m.header.sequenceId}: clockClass ${over[0]!.m.grandmasterClockQuality.clockClass}, grandmasterTimeInaccuracy ${over[0]!.t.grandmasterTimeInaccuracy} ns` } : {}),
  }]
}
