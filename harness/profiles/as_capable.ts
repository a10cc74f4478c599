import type { Profile } from './types.ts'

/**
 * Whether a profile makes a peer-delay port's Sync depend on asCapable with a count of lost
 * responses (802.1AS-2020 11.2.2, 11.2.19): true, or why not. The asCapable tests (P2P-03,
 * P2P-05, P2P-06) and the reference DUT's faults for them apply only there.
 */
export function asCapableRule(p: Profile): true | string {
  return p.peerDelay?.asCapableRequired && p.peerDelay.allowedLostResponses ? true : `profile ${p.id} has no allowedLostResponses rule`
}
