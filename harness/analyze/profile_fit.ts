/**
 * Which shipped profiles a capture's traffic fits: its domain, majorSdoId, transport,
 * destination MACs, VLAN tagging and the TLVs the profile requires. `analyze` without
 * `--profile` prints this list rather than guessing.
 */
import type { Tlv } from '../codec/types.ts'
import type { MessageName, Profile } from '../profiles/types.ts'
import type { RecordedFrame } from '../recorder/frame.ts'

export interface ProfileFit {
  profile: string
  fits: boolean
  /** Why not (empty when it fits). */
  misfits: string[]
}

const inRange = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi

/** The profile's name for a decoded TLV (organization extensions by their decoded organization). */
export function tlvProfileName(t: Tlv): string {
  return t.kind === 'ORGANIZATION_EXTENSION' ? t.org : t.kind
}

export function profileFit(profile: Profile, frames: readonly RecordedFrame[]): ProfileFit {
  const misfits: string[] = []
  const msgs = frames.filter((f) => f.message)
  const domains = new Set(msgs.map((f) => f.message!.header.domainNumber))
  for (const d of domains) if (!inRange(d, profile.domain.range.value)) misfits.push(`domain ${d} outside ${profile.domain.range.value.join('…')}`)
  const sdos = new Set(msgs.map((f) => f.message!.header.majorSdoId))
  for (const s of sdos) if (s !== profile.sdo.majorSdoId.value) misfits.push(`majorSdoId ${s}, the profile's is ${profile.sdo.majorSdoId.value}`)
  const transports = new Set(msgs.map((f) => f.transport))
  for (const t of transports) if (!profile.transport.allowed.includes(t)) misfits.push(`${t} transport, the profile allows ${profile.transport.allowed.join(', ')}`)
  const l2 = profile.transport.l2
  if (l2) {
    const accepted = new Set([l2.primaryMac.value, l2.pdelayMac?.value, ...(l2.acceptedMacs?.value ?? [])].filter(Boolean).map((m) => m!.toLowerCase().replace(/-/g, ':')))
    const dsts = new Set(msgs.filter((f) => f.transport === 'l2' && f.dstMac).map((f) => f.dstMac!.toLowerCase()))
    for (const d of dsts) {
      const multicast = (Number.parseInt(d.slice(0, 2), 16) & 1) === 1
      if (multicast && !accepted.has(d)) misfits.push(`destination ${d} is not one of the profile's addresses`)
      if (!multicast && profile.transport.unicast === 'forbidden') misfits.push(`unicast destination ${d}, the profile is multicast-only`)
    }
  }
  if (profile.transport.vlan.rule === 'required' && msgs.some((f) => f.transport === 'l2' && !f.vlan)) misfits.push('untagged frames where the profile requires 802.1Q')
  if (profile.transport.vlan.rule === 'forbidden' && msgs.some((f) => f.vlan)) misfits.push('802.1Q-tagged frames where the profile forbids them')
  for (const [type, rules] of Object.entries(profile.tlvs) as [MessageName, NonNullable<Profile['tlvs'][MessageName]>][]) {
    const sent = msgs.filter((f) => f.message!.type === type)
    if (!sent.length) continue
    for (const r of rules.required) {
      if (!sent.some((f) => f.message!.tlvs.some((t) => tlvProfileName(t) === r.tlv))) misfits.push(`no ${r.tlv} TLV in ${type}, which the profile requires`)
    }
  }
  return { profile: profile.id, fits: misfits.length === 0, misfits }
}
