/**
 * The destination MACs a profile gives its Ethernet messages, as the decoder and `analyze`
 * judge them: the primary address, the peer-delay address (IEEE 1588 Annex F's when the
 * profile names none) and any further addresses a receiver must accept.
 */
import type { Profile } from './types.ts'

const ANNEX_F_PDELAY = '01-80-C2-00-00-0E'

export function profileL2Destinations(profile: Profile): { primary: string; pdelay: string; accepted: string[] } | undefined {
  const l2 = profile.transport.l2
  if (!l2) return undefined
  return { primary: l2.primaryMac.value, pdelay: l2.pdelayMac?.value ?? ANNEX_F_PDELAY, accepted: l2.acceptedMacs?.value ?? [] }
}
