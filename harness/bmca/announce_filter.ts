/**
 * Which received Announce messages the BMCA may use at all (IEEE 1588-2019 9.3.2.5, 16.2;
 * 802.1AS-2020 10.3.11.2.1 qualifyAnnounce; C37.238 power profile).
 */
import type { AnnounceMessage, ClockIdentity, Tlv } from '../codec/types.ts'
import { FLAG_ALTERNATE_MASTER } from '../codec/constants.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'

export interface AnnounceFilter {
  /** The receiving clock's identity: its own Announces (looped back) are not used. */
  ownClockIdentity: ClockIdentity
  domainNumber: number
  majorSdoId: number
  /** Announce with stepsRemoved >= this is not used (default 255). */
  maxStepsRemoved?: number
  /** alternateMasterFlag TRUE: not used (default true, 1588-2019 17.4). */
  ignoreAlternateMaster?: boolean
  /** 802.1AS / 1588 16.2: discard an Announce whose PATH_TRACE already holds our identity. */
  pathTraceLoopCheck?: boolean
  /** Power profile: the Announce must carry these TLVs to be used. */
  requiredTlvs?: ReadonlyArray<(t: Tlv) => boolean>
}

export type AnnounceVerdict = { usable: true } | { usable: false; reason: string }

export function announceUsable(a: AnnounceMessage, f: AnnounceFilter): AnnounceVerdict {
  const own = normalizeClockIdentity(f.ownClockIdentity)
  if (a.header.domainNumber !== f.domainNumber) return { usable: false, reason: `domainNumber ${a.header.domainNumber} ≠ ${f.domainNumber}` }
  if (a.header.majorSdoId !== f.majorSdoId) return { usable: false, reason: `majorSdoId ${a.header.majorSdoId} ≠ ${f.majorSdoId}` }
  if (normalizeClockIdentity(a.header.sourcePortIdentity.clockIdentity) === own) return { usable: false, reason: 'sent by this clock' }
  const max = f.maxStepsRemoved ?? 255
  if (a.stepsRemoved >= max) return { usable: false, reason: `stepsRemoved ${a.stepsRemoved} ≥ ${max}` }
  if ((f.ignoreAlternateMaster ?? true) && (a.header.flagField & FLAG_ALTERNATE_MASTER) !== 0) {
    return { usable: false, reason: 'alternateMasterFlag set' }
  }
  if (f.pathTraceLoopCheck) {
    for (const t of a.tlvs) {
      if (t.kind === 'PATH_TRACE' && t.pathSequence.some((id) => normalizeClockIdentity(id) === own)) {
        return { usable: false, reason: 'PATH_TRACE already holds this clock' }
      }
    }
  }
  for (const [i, want] of (f.requiredTlvs ?? []).entries()) {
    if (!a.tlvs.some(want)) return { usable: false, reason: `required TLV #${i} missing` }
  }
  return { usable: true }
}
