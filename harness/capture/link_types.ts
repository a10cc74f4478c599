/**
 * LINKTYPE_* values (tcpdump.org link-layer header types) that matter for PTP
 * captures. pcap and pcapng store them per file / per interface.
 */
export const LinkType = {
  /** Ethernet II / 802.3; what `tshark -i veth0` records. */
  ETHERNET: 1,
  /** Raw IPv4 or IPv6, no link header (version nibble tells which). */
  RAW: 101,
  /** Linux "cooked" v1 header (16 octets); what capturing on `any` records. */
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  /** Linux "cooked" v2 header (20 octets). */
  LINUX_SLL2: 276,
} as const

export type LinkTypeValue = (typeof LinkType)[keyof typeof LinkType]

const names = new Map<number, string>(Object.entries(LinkType).map(([k, v]) => [v, k]))

/** `ETHERNET`, `LINUX_SLL`... or `LINKTYPE_<n>` for values this module has no name for. */
export function linkTypeName(linkType: number): string {
  return names.get(linkType) ?? `LINKTYPE_${linkType}`
}
