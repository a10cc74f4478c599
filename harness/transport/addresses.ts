/**
 * PTP transport addresses (IEEE 1588-2019 annexes C, D, E; linuxptp defaults).
 */

/** L2: all messages except peer delay (forwardable). */
export const PTP_PRIMARY_MAC = '01:1b:19:00:00:00'
/** L2: peer-delay messages (link-local, not forwarded by bridges). */
export const PTP_PDELAY_MAC = '01:80:c2:00:00:0e'
export const PTP_ETHERTYPE = 0x88f7
export const PTP_EVENT_PORT = 319
export const PTP_GENERAL_PORT = 320
export const PTP_PRIMARY_IPV4 = '224.0.1.129'
export const PTP_PDELAY_IPV4 = '224.0.0.107'
export const PTP_PDELAY_IPV6 = 'ff02::6b'
/** FF0X::181 for scope X (linuxptp's udp6_scope, default 0xE). */
export function ptpPrimaryIpv6(scope = 0xe): string {
  return `ff0${(scope & 0xf).toString(16)}::181`
}
