// SO_TIMESTAMPING set-up: hardware timestamps when the interface has a PHC and
// offers them, software (kernel, CLOCK_REALTIME) otherwise. The choice is
// reported so that a report can say what its numbers can support.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "interface.h"

namespace ptp {

enum class Transport { L2, UDP4, UDP6 };
enum class TsMode { Software, Hardware };

struct TimestampingState {
  TsMode mode = TsMode::Software;
  std::string requested = "auto";  // auto | software | hardware
  int phcIndex = -1;
  TsInfo caps;
  std::string rxFilter;  // hardware receive filter applied via SIOCSHWTSTAMP, empty for software
  std::string reason;    // why this mode (e.g. "no PHC", "driver offers hardware timestamps")
};

// Decides the mode and, for hardware, programs the NIC (SIOCSHWTSTAMP, needs
// CAP_NET_ADMIN). Runs in the interface's namespace.
TimestampingState ResolveTimestamping(const std::string& ifname, const std::string& requested,
                                      Transport transport);

// SO_TIMESTAMPING with OPT_ID on one socket: RX timestamps on every frame,
// TX timestamps on the error queue keyed by a per-socket counter.
void EnableSocketTimestamping(int fd, TsMode mode, const std::string& ifname);

// The timestamp in a SCM_TIMESTAMPING control message: ts[0] (software) or
// ts[2] (raw hardware). Returns -1 when the slot is empty.
int64_t TimestampFromCmsg(const cmsghdr* cm, TsMode mode);

}  // namespace ptp
