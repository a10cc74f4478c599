#include "sockets.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.h"

namespace ptp {

const uint8_t kMacPrimary[6] = {0x01, 0x1B, 0x19, 0x00, 0x00, 0x00};
const uint8_t kMacPdelay[6] = {0x01, 0x80, 0xC2, 0x00, 0x00, 0x0E};

namespace {

// Closes the fd unless released: every error path after socket() throws.
struct FdGuard {
  int fd;
  explicit FdGuard(int f) : fd(f) {}
  ~FdGuard() {
    if (fd >= 0) close(fd);
  }
  int release() {
    int f = fd;
    fd = -1;
    return f;
  }
};

void SetInt(int fd, int level, int opt, int value, const std::string& what, const char* cap = nullptr) {
  if (setsockopt(fd, level, opt, &value, sizeof value) != 0) ThrowSys(what, "setsockopt", errno, cap);
}

// Accept EtherType 0x88F7, untagged (tag already moved to auxdata by the
// kernel) or behind up to one in-band 802.1Q/802.1ad tag; drop our own
// outgoing frames.
const sock_filter kPtpFilter[] = {
    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_PKTTYPE)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 6, 0),
    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kEtherTypePtp, 5, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kEtherTypeVlan, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kEtherTypeQinQ, 0, 2),
    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kEtherTypePtp, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, 0),
    BPF_STMT(BPF_RET | BPF_K, 0xFFFF),
};

void BufferSizes(int fd) {
  // Large buffers: the error queue of TX timestamps is charged to the receive
  // buffer, and load generation must not lose timestamps to a small one.
  int size = 4 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

}  // namespace

int OpenL2Socket(const InterfaceInfo& itf, TsMode mode) {
  // Protocol 0 at socket(): no packet hook yet, so bind() below registers it
  // once instead of re-registering it (which waits for an RCU grace period,
  // milliseconds on a VM).
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) ThrowSys("open raw Ethernet socket for " + itf.name, "socket(AF_PACKET)", errno, "CAP_NET_RAW");
  FdGuard g(fd);
  sock_fprog prog;
  prog.len = sizeof kPtpFilter / sizeof kPtpFilter[0];
  prog.filter = const_cast<sock_filter*>(kPtpFilter);
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0)
    ThrowSys("attach PTP filter on " + itf.name, "setsockopt(SO_ATTACH_FILTER)", errno);
  sockaddr_ll addr;
  memset(&addr, 0, sizeof addr);
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_P_ALL);
  addr.sll_ifindex = itf.ifindex;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    ThrowSys("bind raw socket to " + itf.name, "bind", errno, "CAP_NET_RAW");
  SetInt(fd, SOL_PACKET, PACKET_AUXDATA, 1, "enable PACKET_AUXDATA");
  SetInt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "enable PACKET_IGNORE_OUTGOING");
  for (const uint8_t* mac : {kMacPrimary, kMacPdelay}) {
    packet_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = itf.ifindex;
    mr.mr_type = PACKET_MR_MULTICAST;
    mr.mr_alen = 6;
    memcpy(mr.mr_address, mac, 6);
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
      ThrowSys("join PTP multicast MAC on " + itf.name, "setsockopt(PACKET_ADD_MEMBERSHIP)", errno, "CAP_NET_RAW");
  }
  BufferSizes(fd);
  EnableSocketTimestamping(fd, mode, itf.name);
  return g.release();
}

sockaddr_storage PtpGroup(Transport t, bool pdelay, int udp6Scope, uint16_t port, int ifindex, socklen_t* len) {
  sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  if (t == Transport::UDP4) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    inet_pton(AF_INET, pdelay ? "224.0.0.107" : "224.0.1.129", &a->sin_addr);
    *len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    if (pdelay) {
      inet_pton(AF_INET6, "ff02::6b", &a->sin6_addr);
    } else {
      inet_pton(AF_INET6, "ff0e::181", &a->sin6_addr);
      a->sin6_addr.s6_addr[1] = static_cast<uint8_t>(udp6Scope & 0xF);  // FF0X::181
    }
    // Link-local groups need the interface as scope; harmless for the others.
    a->sin6_scope_id = ifindex;
    *len = sizeof *a;
  }
  return ss;
}

int OpenUdpSocket(const InterfaceInfo& itf, Transport t, uint16_t port, const UdpOptions& o, TsMode mode) {
  const bool v6 = t == Transport::UDP6;
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) ThrowSys("open UDP socket", "socket", errno);
  FdGuard g(fd);
  if (o.reuseAddress) SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "set SO_REUSEADDR");
  // Bound to the device before bind(): ports on different interfaces of one
  // namespace then do not collide on 319/320.
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, itf.name.c_str(), itf.name.size()) != 0)
    ThrowSys("bind UDP socket to device " + itf.name, "setsockopt(SO_BINDTODEVICE)", errno, "CAP_NET_RAW");
  const std::string what = "bind UDP port " + std::to_string(port) + " on " + itf.name;
  if (v6) {
    SetInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "set IPV6_V6ONLY");
    sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_any;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ThrowSys(what, "bind", errno, "CAP_NET_BIND_SERVICE");
    for (bool pdelay : {false, true}) {
      socklen_t len;
      sockaddr_storage grp = PtpGroup(t, pdelay, o.udp6Scope, port, itf.ifindex, &len);
      ipv6_mreq mr;
      mr.ipv6mr_multiaddr = reinterpret_cast<sockaddr_in6*>(&grp)->sin6_addr;
      mr.ipv6mr_interface = itf.ifindex;
      if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
        ThrowSys("join IPv6 PTP group on " + itf.name, "setsockopt(IPV6_ADD_MEMBERSHIP)", errno);
    }
    SetInt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, itf.ifindex, "set IPV6_MULTICAST_IF");
    SetInt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "clear IPV6_MULTICAST_LOOP");
    SetInt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, o.hopLimit, "set IPV6_MULTICAST_HOPS");
    SetInt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, o.hopLimit, "set IPV6_UNICAST_HOPS");
    const int tclass = port == kPtpGeneralPort && o.trafficClassGeneral >= 0 ? o.trafficClassGeneral : o.trafficClass;
    SetInt(fd, IPPROTO_IPV6, IPV6_TCLASS, tclass, "set IPV6_TCLASS");
    SetInt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "set IPV6_RECVPKTINFO");
    SetInt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "set IPV6_RECVTCLASS");
    SetInt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "set IPV6_RECVHOPLIMIT");
  } else {
    sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ThrowSys(what, "bind", errno, "CAP_NET_BIND_SERVICE");
    for (bool pdelay : {false, true}) {
      socklen_t len;
      sockaddr_storage grp = PtpGroup(t, pdelay, 0, port, itf.ifindex, &len);
      ip_mreqn mr;
      memset(&mr, 0, sizeof mr);
      mr.imr_multiaddr = reinterpret_cast<sockaddr_in*>(&grp)->sin_addr;
      mr.imr_ifindex = itf.ifindex;
      if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
        ThrowSys("join IPv4 PTP group on " + itf.name, "setsockopt(IP_ADD_MEMBERSHIP)", errno);
    }
    ip_mreqn mif;
    memset(&mif, 0, sizeof mif);
    mif.imr_ifindex = itf.ifindex;
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof mif) != 0)
      ThrowSys("set IP_MULTICAST_IF on " + itf.name, "setsockopt(IP_MULTICAST_IF)", errno);
    SetInt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "clear IP_MULTICAST_LOOP");
    SetInt(fd, IPPROTO_IP, IP_MULTICAST_TTL, o.ttl, "set IP_MULTICAST_TTL");
    SetInt(fd, IPPROTO_IP, IP_TTL, o.ttl, "set IP_TTL");
    const int dscp = port == kPtpGeneralPort && o.dscpGeneral >= 0 ? o.dscpGeneral : o.dscp;
    SetInt(fd, IPPROTO_IP, IP_TOS, (dscp & 0x3F) << 2, "set IP_TOS");
    // Only the groups this socket joined, not every group of the namespace.
    SetInt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "clear IP_MULTICAST_ALL");
    SetInt(fd, IPPROTO_IP, IP_PKTINFO, 1, "set IP_PKTINFO");
    SetInt(fd, IPPROTO_IP, IP_RECVTOS, 1, "set IP_RECVTOS");
    SetInt(fd, IPPROTO_IP, IP_RECVTTL, 1, "set IP_RECVTTL");
  }
  BufferSizes(fd);
  EnableSocketTimestamping(fd, mode, itf.name);
  return g.release();
}

}  // namespace ptp
