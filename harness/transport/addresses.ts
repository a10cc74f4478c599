/**
 * PTP transport addresses (IEEE 1588-2019 annexes C, D, E; linuxptp defaults)
 * under the transport layer's names. The values are the codec's wire
 * constants: one definition for the frames we build and the ports we open.
 */
export {
  /** L2: all messages except peer delay (forwardable). */
  MAC_PTP_PRIMARY as PTP_PRIMARY_MAC,
  /** L2: peer-delay messages (link-local, not forwarded by bridges). */
  MAC_PTP_PDELAY as PTP_PDELAY_MAC,
  ETHERTYPE_PTP as PTP_ETHERTYPE,
  UDP_PORT_EVENT as PTP_EVENT_PORT,
  UDP_PORT_GENERAL as PTP_GENERAL_PORT,
  IPV4_PTP_PRIMARY as PTP_PRIMARY_IPV4,
  IPV4_PTP_PDELAY as PTP_PDELAY_IPV4,
  IPV6_PTP_PDELAY as PTP_PDELAY_IPV6,
  /** FF0X::181 for scope X (linuxptp's udp6_scope, default 0xE). */
  ipv6PtpPrimary as ptpPrimaryIpv6,
} from '../codec/constants.ts'
