// Socket set-up for the three PTP transport mappings (IEEE 1588-2019 annexes
// C, D, E): raw Ethernet, UDP/IPv4 and UDP/IPv6. Runs inside the interface's
// network namespace.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "interface.h"
#include "timestamping.h"

namespace ptp {

constexpr uint16_t kEtherTypePtp = 0x88F7;
constexpr uint16_t kEtherTypeVlan = 0x8100;
constexpr uint16_t kEtherTypeQinQ = 0x88A8;
constexpr uint16_t kPtpEventPort = 319;
constexpr uint16_t kPtpGeneralPort = 320;

// 01-1B-19-00-00-00: all messages except peer delay; 01-80-C2-00-00-0E: peer delay.
extern const uint8_t kMacPrimary[6];
extern const uint8_t kMacPdelay[6];

struct UdpOptions {
  int ttl = 1;             // IPv4 multicast TTL (224.0.0.107 requires 1)
  int dscp = 0;            // IPv4 DSCP, written as IP_TOS = dscp << 2
  int dscpGeneral = -1;    // DSCP of the general socket (320); -1: same as dscp (linuxptp: dscp_general)
  int hopLimit = 1;        // IPv6 multicast hop limit
  int trafficClass = 0;    // IPv6 traffic class octet
  int trafficClassGeneral = -1;  // of the general socket; -1: same as trafficClass
  int udp6Scope = 0xE;     // X in FF0X::181 (linuxptp default: 0xE, global)
  bool reuseAddress = false;
};

// AF_PACKET/SOCK_RAW bound to the interface for every EtherType (so that
// 802.1Q tags survive in PACKET_AUXDATA) with a BPF filter that keeps PTP
// frames only, multicast membership of both PTP MACs, own frames ignored.
int OpenL2Socket(const InterfaceInfo& itf, TsMode mode);

// One UDP socket bound to `port` on the interface, members of the PTP groups.
int OpenUdpSocket(const InterfaceInfo& itf, Transport t, uint16_t port, const UdpOptions& o, TsMode mode);

// Multicast group of the transport: primary (all but peer delay) or pdelay.
sockaddr_storage PtpGroup(Transport t, bool pdelay, int udp6Scope, uint16_t port, int ifindex, socklen_t* len);

}  // namespace ptp
