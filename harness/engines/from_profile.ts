/**
 * Emulated clocks configured from a profile, so a suite gets a conformant peer without
 * restating profile facts: domain, SDO ids, version, controlField convention, intervals, delay
 * mechanism, one-/two-step, default data set, and the TLVs the profile requires (PATH_TRACE and
 * the Follow_Up information TLV for 802.1AS, C37.238 + ATOI for the power profiles, with the
 * profile's lengthField convention).
 */
import type { ClockIdentity, Tlv } from '../codec/types.ts'
import type { Profile, TlvRef } from '../profiles/types.ts'
import { buildAlternateTimeOffsetIndicatorTlv } from '../codec/tlvs/alternate_time_offset.ts'
import { buildC37238Tlv2011, buildC37238Tlv2017, INACCURACY_UNKNOWN } from '../codec/tlvs/c37_238.ts'
import type { HeaderDefaults } from './message_factory.ts'
import type { AnnounceDataset, TestMasterConfig } from './test_master.ts'
import type { TestSlaveConfig } from './test_slave.ts'
import { spacingFromProfileRule } from './request_spacing.ts'

export interface ProfileIntervals {
  announce: number
  sync: number
  delayReq: number
  pdelayReq: number
}

/**
 * The message intervals to emulate: the profile's defaults, the lab values its `lab.ptp4l`
 * section gives (what the lab DUT is configured with), or explicit ones.
 */
export function profileIntervals(profile: Profile, which: 'default' | 'lab' | Partial<ProfileIntervals> = 'default'): ProfileIntervals {
  const d: ProfileIntervals = {
    announce: profile.intervals.announce.default.value,
    sync: profile.intervals.sync.default.value,
    delayReq: profile.intervals.delayReq?.default.value ?? 0,
    pdelayReq: profile.intervals.pdelayReq?.default.value ?? 0,
  }
  if (which === 'default') return d
  if (which === 'lab') {
    const lab = profile.lab.ptp4l
    const num = (k: string, fallback: number) => (typeof lab[k] === 'number' ? (lab[k] as number) : lab[k] !== undefined ? Number(lab[k]) : fallback)
    return {
      announce: num('logAnnounceInterval', d.announce),
      sync: num('logSyncInterval', d.sync),
      delayReq: num('logMinDelayReqInterval', d.delayReq),
      pdelayReq: num('logMinPdelayReqInterval', d.pdelayReq),
    }
  }
  return { ...d, ...which }
}

/** Header defaults of a clock of this profile. */
export function profileHeader(profile: Profile): Omit<HeaderDefaults, 'sourcePortIdentity'> {
  return {
    domainNumber: profile.domain.default.value,
    majorSdoId: profile.sdo.majorSdoId.value,
    minorSdoId: profile.sdo.minorSdoId.value,
    versionPTP: profile.version.versionPTP.value,
    minorVersionPTP: profile.version.minorVersionPTP.value,
    controlField: profile.version.controlFieldAccepted.includes('zero') ? 'zero' : 'legacy',
  }
}

/** Values for the power-profile TLVs (C37.238 and ATOI) when the profile requires them. */
export interface PowerProfileValues {
  grandmasterID: number
  /** ns; default unknown (0xFFFFFFFF). */
  grandmasterTimeInaccuracy?: number
  networkTimeInaccuracy?: number
  totalTimeInaccuracy?: number
  atoi?: { keyField?: number; currentOffset?: number; jumpSeconds?: number; timeOfNextJump?: bigint; displayName?: string }
}

function lengthConvention(ref: TlvRef): 12 | 18 {
  return ref.lengthField?.send.value === 12 ? 12 : 18
}

/** The Announce TLVs a profile requires (PATH_TRACE is added by the master itself). */
export function requiredAnnounceTlvs(profile: Profile, power?: PowerProfileValues): Tlv[] {
  const out: Tlv[] = []
  for (const ref of profile.tlvs.Announce?.required ?? []) {
    switch (ref.tlv) {
      case 'IEEE_C37_238_2011':
        out.push(buildC37238Tlv2011({
          grandmasterID: power?.grandmasterID ?? 3,
          grandmasterTimeInaccuracy: power?.grandmasterTimeInaccuracy ?? INACCURACY_UNKNOWN,
          networkTimeInaccuracy: power?.networkTimeInaccuracy ?? INACCURACY_UNKNOWN,
          lengthConvention: lengthConvention(ref),
        }))
        break
      case 'IEEE_C37_238_2017':
        out.push(buildC37238Tlv2017({
          grandmasterID: power?.grandmasterID ?? 3,
          totalTimeInaccuracy: power?.totalTimeInaccuracy ?? INACCURACY_UNKNOWN,
          lengthConvention: lengthConvention(ref),
        }))
        break
      case 'ALTERNATE_TIME_OFFSET_INDICATOR':
        out.push(buildAlternateTimeOffsetIndicatorTlv({
          keyField: power?.atoi?.keyField ?? 0,
          currentOffset: power?.atoi?.currentOffset ?? 0,
          jumpSeconds: power?.atoi?.jumpSeconds ?? 0,
          timeOfNextJump: power?.atoi?.timeOfNextJump ?? 0n,
          displayName: power?.atoi?.displayName ?? 'UTC',
        }))
        break
      default:
        break
    }
  }
  return out
}

function requires(profile: Profile, message: 'Announce' | 'Follow_Up', tlv: string): boolean {
  return (profile.tlvs[message]?.required ?? []).some((r) => r.tlv === tlv)
}

export interface ProfileClockOptions {
  name: string
  clockIdentity: ClockIdentity
  intervals?: 'default' | 'lab' | Partial<ProfileIntervals>
  dataset?: Partial<AnnounceDataset>
  power?: PowerProfileValues
}

/** A TestMaster configuration that is a conformant grandmaster of `profile`; `extra` wins. */
export function testMasterConfigFromProfile(profile: Profile, o: ProfileClockOptions, extra: Partial<TestMasterConfig> = {}): TestMasterConfig {
  const iv = profileIntervals(profile, o.intervals)
  const dataset: Partial<AnnounceDataset> = {
    grandmasterPriority1: profile.priorities.priority1.default.value,
    grandmasterPriority2: profile.priorities.priority2.default.value,
    grandmasterClockQuality: {
      clockClass: profile.clockClass.default.value,
      clockAccuracy: profile.clockAccuracy?.default.value ?? 0xfe,
      offsetScaledLogVariance: profile.offsetScaledLogVariance?.default.value ?? 0xffff,
    },
    ...o.dataset,
  }
  return {
    name: o.name,
    clockIdentity: o.clockIdentity,
    header: profileHeader(profile),
    dataset,
    announceTlvs: requiredAnnounceTlvs(profile, o.power),
    pathTrace: requires(profile, 'Announce', 'PATH_TRACE'),
    followUpInformationTlv: requires(profile, 'Follow_Up', 'IEEE_802_1AS_FOLLOW_UP_INFO'),
    logAnnounceInterval: iv.announce,
    logSyncInterval: iv.sync,
    logMinDelayReqInterval: iv.delayReq,
    twoStep: profile.steps.twoStep !== 'forbidden',
    delayMechanism: profile.delayMechanism.default,
    ...extra,
  }
}

/** A TestSlave configuration for `profile` (its delay mechanism, request rate and spacing rule); `extra` wins. */
export function testSlaveConfigFromProfile(profile: Profile, o: Omit<ProfileClockOptions, 'dataset' | 'power'>, extra: Partial<TestSlaveConfig> = {}): TestSlaveConfig {
  const iv = profileIntervals(profile, o.intervals)
  const mech = profile.delayMechanism.default
  return {
    name: o.name,
    clockIdentity: o.clockIdentity,
    header: profileHeader(profile),
    delayMechanism: mech,
    logMinDelayReqInterval: iv.delayReq,
    logMinPdelayReqInterval: iv.pdelayReq,
    spacing: mech === 'E2E' ? spacingFromProfileRule(profile.tolerances.delayReqSpacing) : { rule: 'fixed' },
    // Pdelay_Req's logMessageInterval: 0x7F under IEEE 1588 (Table 42), currentLogPdelayReqInterval under 802.1AS.
    pdelayReqLogMessageInterval: profile.bmca.variant === '802.1as' ? 'current' : 'unspecified',
    ...extra,
  }
}
