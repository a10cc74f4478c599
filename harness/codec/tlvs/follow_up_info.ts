/**
 * 802.1AS Follow_Up information TLV (organizationId 00-80-C2, subType 1; 802.1AS-2020 11.4.4.3),
 * carried by every 802.1AS Follow_Up: lengthField 28, 32 octets in all.
 */
import type { FollowUpInfoTlv } from '../types.ts'
import { i32, i96, u16, w16, w32, w96 } from '../bytes.ts'
import { OrganizationId, TlvType } from '../constants.ts'

export const FOLLOW_UP_INFO_LENGTH = 28

/** v = offset of the dataField (after organizationSubType). */
export function decodeFollowUpInfo(b: Uint8Array, v: number, tlvType: number, lengthField: number): FollowUpInfoTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_802_1AS_FOLLOW_UP_INFO',
    tlvType,
    lengthField,
    organizationId: OrganizationId.IEEE_802_1,
    organizationSubType: 1,
    cumulativeScaledRateOffset: i32(b, v),
    gmTimeBaseIndicator: u16(b, v + 4),
    lastGmPhaseChange: i96(b, v + 6),
    scaledLastGmFreqChange: i32(b, v + 18),
  }
}

export function writeFollowUpInfo(t: FollowUpInfoTlv, b: Uint8Array, v: number): void {
  w32(b, v, t.cumulativeScaledRateOffset)
  w16(b, v + 4, t.gmTimeBaseIndicator)
  w96(b, v + 6, t.lastGmPhaseChange)
  w32(b, v + 18, t.scaledLastGmFreqChange)
}

export function buildFollowUpInfoTlv(p: Partial<Pick<FollowUpInfoTlv,
  'cumulativeScaledRateOffset' | 'gmTimeBaseIndicator' | 'lastGmPhaseChange' | 'scaledLastGmFreqChange'>> = {}): FollowUpInfoTlv {
  return {
    kind: 'ORGANIZATION_EXTENSION',
    org: 'IEEE_802_1AS_FOLLOW_UP_INFO',
    tlvType: TlvType.ORGANIZATION_EXTENSION,
    lengthField: FOLLOW_UP_INFO_LENGTH,
    organizationId: OrganizationId.IEEE_802_1,
    organizationSubType: 1,
    cumulativeScaledRateOffset: p.cumulativeScaledRateOffset ?? 0,
    gmTimeBaseIndicator: p.gmTimeBaseIndicator ?? 0,
    lastGmPhaseChange: p.lastGmPhaseChange ?? 0n,
    scaledLastGmFreqChange: p.scaledLastGmFreqChange ?? 0,
  }
}
