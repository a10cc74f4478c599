#include "timestamping.h"

#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "errors.h"

#ifndef SCM_TIMESTAMPING
#define SCM_TIMESTAMPING SO_TIMESTAMPING
#endif

namespace ptp {

namespace {

constexpr uint32_t kHwCaps =
    SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
constexpr uint32_t kSwCaps = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;

// The narrowest filter that still timestamps every PTP event message of the
// transport, then the wider ones (same order of preference as linuxptp).
void PickRxFilter(const TsInfo& caps, Transport t, int& filter, std::string& name) {
  struct Choice { int filter; const char* name; };
  const Choice l2[] = {{HWTSTAMP_FILTER_PTP_V2_L2_EVENT, "PTP_V2_L2_EVENT"}, {HWTSTAMP_FILTER_PTP_V2_EVENT, "PTP_V2_EVENT"}, {HWTSTAMP_FILTER_ALL, "ALL"}};
  const Choice l4[] = {{HWTSTAMP_FILTER_PTP_V2_L4_EVENT, "PTP_V2_L4_EVENT"}, {HWTSTAMP_FILTER_PTP_V2_EVENT, "PTP_V2_EVENT"}, {HWTSTAMP_FILTER_ALL, "ALL"}};
  const Choice* list = t == Transport::L2 ? l2 : l4;
  for (int i = 0; i < 3; i++) {
    if (caps.rxFilters & (1u << list[i].filter)) {
      filter = list[i].filter;
      name = list[i].name;
      return;
    }
  }
  filter = HWTSTAMP_FILTER_ALL;
  name = "ALL";
}

}  // namespace

TimestampingState ResolveTimestamping(const std::string& ifname, const std::string& requested, Transport transport) {
  TimestampingState st;
  st.requested = requested;
  st.caps = QueryTsInfo(ifname);
  const bool hwCapable = st.caps.queried && st.caps.phcIndex >= 0 && (st.caps.soTimestamping & kHwCaps) == kHwCaps &&
                         (st.caps.txTypes & (1u << HWTSTAMP_TX_ON));
  const bool swCapable = !st.caps.queried || (st.caps.soTimestamping & kSwCaps) != 0;

  if (requested == "hardware" && !hwCapable)
    throw TransportError("ENOTSUP_HW_TIMESTAMPING",
                         "interface '" + ifname + "' offers no hardware timestamping (ETHTOOL_GET_TS_INFO: " +
                             (st.caps.phcIndex < 0 ? "no PHC" : "missing TX/RX hardware capability") +
                             "); use timestamping 'auto' or 'software'");
  if (requested == "software" || !hwCapable) {
    if (!swCapable)
      throw TransportError("ENOTSUP_TIMESTAMPING", "interface '" + ifname + "' offers neither hardware nor software timestamps");
    st.mode = TsMode::Software;
    st.reason = requested == "software" ? "software requested" : (st.caps.phcIndex < 0 ? "no PHC on the interface" : "driver lacks hardware TX/RX timestamps");
    return st;
  }

  int filter = 0;
  PickRxFilter(st.caps, transport, filter, st.rxFilter);
  hwtstamp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.tx_type = HWTSTAMP_TX_ON;
  cfg.rx_filter = filter;
  ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  ifr.ifr_data = reinterpret_cast<char*>(&cfg);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) ThrowSys("create ioctl socket", "socket", errno);
  int rc = ioctl(fd, SIOCSHWTSTAMP, &ifr);
  int err = errno;
  close(fd);
  if (rc != 0) ThrowSys("enable hardware timestamping on " + ifname, "ioctl(SIOCSHWTSTAMP)", err, "CAP_NET_ADMIN");
  st.mode = TsMode::Hardware;
  st.phcIndex = st.caps.phcIndex;
  st.reason = "driver offers hardware timestamps";
  return st;
}

void EnableSocketTimestamping(int fd, TsMode mode, const std::string& ifname) {
  int flags = SOF_TIMESTAMPING_OPT_ID;
  if (mode == TsMode::Hardware)
    flags |= SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
  else
    flags |= SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) != 0)
    ThrowSys("enable SO_TIMESTAMPING on " + ifname, "setsockopt(SO_TIMESTAMPING)", errno);
}

int64_t TimestampFromCmsg(const cmsghdr* cm, TsMode mode) {
  if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_TIMESTAMPING) return -1;
  if (cm->cmsg_len < CMSG_LEN(3 * sizeof(timespec))) return -1;
  timespec ts[3];
  memcpy(ts, CMSG_DATA(cm), sizeof ts);
  const timespec& t = mode == TsMode::Hardware ? ts[2] : ts[0];
  if (t.tv_sec == 0 && t.tv_nsec == 0) return -1;
  return static_cast<int64_t>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

}  // namespace ptp
