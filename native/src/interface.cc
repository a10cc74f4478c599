#include "interface.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.h"

namespace ptp {

namespace {

// A throwaway datagram socket: the handle for interface ioctls.
struct IoctlSocket {
  int fd;
  IoctlSocket() : fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    if (fd < 0) fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) ThrowSys("create ioctl socket", "socket", errno);
  }
  ~IoctlSocket() { close(fd); }
};

void FillName(ifreq& ifr, const std::string& name) {
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
}

}  // namespace

InterfaceInfo QueryInterface(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ)
    throw TransportError("ENODEV_INTERFACE", "invalid interface name '" + name + "'");
  InterfaceInfo info;
  info.name = name;
  info.ifindex = static_cast<int>(if_nametoindex(name.c_str()));
  if (info.ifindex == 0)
    throw TransportError("ENODEV_INTERFACE", "interface '" + name + "' does not exist in this network namespace",
                         errno, "if_nametoindex");
  IoctlSocket s;
  ifreq ifr;
  FillName(ifr, name);
  if (ioctl(s.fd, SIOCGIFFLAGS, &ifr) != 0) ThrowSys("read flags of " + name, "ioctl(SIOCGIFFLAGS)", errno);
  info.up = (ifr.ifr_flags & IFF_UP) != 0;
  info.running = (ifr.ifr_flags & IFF_RUNNING) != 0;
  FillName(ifr, name);
  if (ioctl(s.fd, SIOCGIFHWADDR, &ifr) == 0) memcpy(info.mac, ifr.ifr_hwaddr.sa_data, 6);
  FillName(ifr, name);
  if (ioctl(s.fd, SIOCGIFMTU, &ifr) == 0) info.mtu = ifr.ifr_mtu;
  return info;
}

TsInfo QueryTsInfo(const std::string& name) {
  TsInfo out;
  IoctlSocket s;
  ethtool_ts_info ts;
  memset(&ts, 0, sizeof ts);
  ts.cmd = ETHTOOL_GET_TS_INFO;
  ifreq ifr;
  FillName(ifr, name);
  ifr.ifr_data = reinterpret_cast<char*>(&ts);
  if (ioctl(s.fd, SIOCETHTOOL, &ifr) != 0) return out;  // driver without ethtool: software only
  out.queried = true;
  out.soTimestamping = ts.so_timestamping;
  out.phcIndex = ts.phc_index;
  out.txTypes = ts.tx_types;
  out.rxFilters = ts.rx_filters;
  return out;
}

}  // namespace ptp
