/**
 * The attribute cases of BMCA-01: two emulated grandmasters identical but for one
 * data-set attribute, in the order the dataset comparison uses them (1588-2019 9.3.4).
 * The better clock always gets the higher clockIdentity, so only the attribute under
 * test can explain a correct choice (except in the clockIdentity case itself).
 */
import type { AnnounceDataset } from '../../harness/engines/test_master.ts'
import type { Profile } from '../../harness/profiles/types.ts'

export interface AttributeCase {
  attribute: 'priority1' | 'clockClass' | 'clockAccuracy' | 'offsetScaledLogVariance' | 'priority2' | 'clockIdentity'
  better: Partial<AnnounceDataset>
  worse: Partial<AnnounceDataset>
  /** The better one has the lower identity (only for the clockIdentity case). */
  betterHasLowerIdentity: boolean
}

/** A clockClass above 127 (no G.8275 topology short-cut) that is better than the base one and allowed by the profile. */
function betterClass(profile: Profile, base: number): number {
  const allowed = profile.clockClass.allowed.value.filter((c) => c > 127 && c < base)
  return allowed.length ? Math.max(...allowed) : base - 1
}

export function attributeCases(profile: Profile): AttributeCase[] {
  const p1 = profile.priorities.priority1.default.value
  const p2 = profile.priorities.priority2.default.value
  const cls = 248
  const base: Partial<AnnounceDataset> = {
    grandmasterPriority1: p1,
    grandmasterPriority2: p2,
    grandmasterClockQuality: { clockClass: cls, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff },
  }
  const q = base.grandmasterClockQuality!
  const cases: AttributeCase[] = [
    { attribute: 'priority1', better: { ...base, grandmasterPriority1: p1 - 1 }, worse: base, betterHasLowerIdentity: false },
    { attribute: 'clockClass', better: { ...base, grandmasterClockQuality: { ...q, clockClass: betterClass(profile, cls) } }, worse: base, betterHasLowerIdentity: false },
    { attribute: 'clockAccuracy', better: { ...base, grandmasterClockQuality: { ...q, clockAccuracy: 0x21 } }, worse: base, betterHasLowerIdentity: false },
    { attribute: 'offsetScaledLogVariance', better: { ...base, grandmasterClockQuality: { ...q, offsetScaledLogVariance: 0x4e5d } }, worse: base, betterHasLowerIdentity: false },
    { attribute: 'priority2', better: { ...base, grandmasterPriority2: p2 - 1 }, worse: base, betterHasLowerIdentity: false },
    { attribute: 'clockIdentity', better: base, worse: base, betterHasLowerIdentity: true },
  ]
  // G.8275.x does not compare priority1 (linuxptp telecom.c; G.8275.1 6.3.3): that case proves nothing there.
  return profile.bmca.priority1Compared ? cases : cases.filter((c) => c.attribute !== 'priority1')
}
