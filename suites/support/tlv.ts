/** Name a decoded TLV the way profiles name them (TlvName), so required/forbidden lists compare directly. */
import type { PtpMessage, Tlv } from '../../harness/codec/types.ts'
import type { MessageName, Profile, TlvRef } from '../../harness/profiles/types.ts'

export function tlvNameOf(t: Tlv): string {
  if (t.kind === 'ORGANIZATION_EXTENSION') return t.org === 'GENERIC' ? `ORGANIZATION_EXTENSION(${t.organizationId.toString(16).padStart(6, '0')}/${t.organizationSubType})` : t.org
  return t.kind
}

export function tlvsNamed(m: PtpMessage, name: string): Tlv[] {
  return m.tlvs.filter((t) => tlvNameOf(t) === name)
}

/** The profile's required TLV of this name in this message type, if any. */
export function requiredTlv(profile: Profile, message: MessageName, name: string): TlvRef | undefined {
  return profile.tlvs[message]?.required.find((r) => r.tlv === name)
}

import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import type { Check } from '../../harness/verdict/verdict.ts'

/**
 * Presence of a profile-required TLV in every message of a type the DUT sent. Returns
 * the checks and the TLVs found (one list per message) for content checks.
 * `presence: 'report'` (a profile override for a requirement it could not confirm)
 * reports absence without failing.
 */
export function presenceChecks(
  frames: readonly RecordedFrame[],
  profile: Profile,
  message: MessageName,
  name: string,
  presence: 'required' | 'report' = 'required',
): { checks: Check[]; found: { frame: RecordedFrame; tlvs: Tlv[] }[] } {
  const ref = requiredTlv(profile, message, name)
  const of = frames.filter((f) => f.message?.type === message)
  const found = of.map((frame) => ({ frame, tlvs: tlvsNamed(frame.message!, name) }))
  const missing = found.filter((x) => x.tlvs.length === 0).length
  const checks: Check[] = []
  if (of.length === 0) {
    checks.push({ name: `${message} messages to inspect`, measured: 0, limit: '≥ 1', source: ref?.source ?? profile.standard, verdict: 'inconclusive', detail: `the DUT sent no ${message}` })
    return { checks, found }
  }
  checks.push({
    name: `${message} without ${name}`,
    measured: missing,
    limit: `0 of ${of.length}`,
    source: ref?.source ?? profile.standard,
    unconfirmed: ref?.unconfirmed,
    verdict: missing === 0 ? 'pass' : presence === 'report' ? 'pass' : 'fail',
    detail: missing && presence === 'report' ? 'absence reported, not failed: the profile could not confirm the requirement' : undefined,
  })
  return { checks, found }
}
