/**
 * ClockIdentities for emulated clocks. They are EUI-64s built like linuxptp builds them from
 * a MAC (OUI-part, FF FE, NIC-part), with a locally administered first octet (0x02 bit set),
 * so they can never collide with a real device's identity.
 */
import type { ClockIdentity } from '../codec/types.ts'

/**
 * The n-th emulated identity of a family: `<family>.fffe.<n>`, family and n as 24-bit hex.
 * Identities of one family sort by n, which BMCA tests use to put the tie-break where they want it.
 */
export function emulatedClockIdentity(n: number, family = 0x02_50_43): ClockIdentity {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffff) throw new RangeError(`emulated clock index ${n} outside 0..0xFFFFFF`)
  if ((family & 0x020000) === 0) throw new RangeError('emulated clock families must be locally administered (bit 0x02 of the first octet)')
  const f = family.toString(16).padStart(6, '0')
  const i = n.toString(16).padStart(6, '0')
  return `${f}.fffe.${i}`
}
