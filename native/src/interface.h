// What the kernel tells about a network interface: index, MAC, link state and
// its timestamping capabilities (ETHTOOL_GET_TS_INFO). Must run inside the
// interface's network namespace.
#pragma once

#include <cstdint>
#include <string>

namespace ptp {

struct InterfaceInfo {
  std::string name;
  int ifindex = 0;
  uint8_t mac[6] = {0};
  bool up = false;       // IFF_UP: administratively up
  bool running = false;  // IFF_RUNNING: carrier present (operstate UP)
  int mtu = 0;
};

struct TsInfo {
  uint32_t soTimestamping = 0;  // SOF_TIMESTAMPING_* the device supports
  int phcIndex = -1;            // -1: no PTP hardware clock
  uint32_t txTypes = 0;         // bitmask of HWTSTAMP_TX_*
  uint32_t rxFilters = 0;       // bitmask of HWTSTAMP_FILTER_*
  bool queried = false;         // false when the driver does not answer ETHTOOL_GET_TS_INFO
};

// Throws ENODEV_INTERFACE when the interface does not exist.
InterfaceInfo QueryInterface(const std::string& name);
TsInfo QueryTsInfo(const std::string& name);

}  // namespace ptp
