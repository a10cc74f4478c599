// The receive thread of a port: one poll() over the port's sockets and a
// wake-up eventfd. It reads frames with their RX timestamps and drains the
// error queue of TX timestamps. A pending TX timestamp raises POLLERR; here
// that is just "read the error queue", where libuv's uv_poll would stop the
// handle.
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "clock_util.h"
#include "errors.h"
#include "port.h"
#include "scheduler.h"

#ifndef SO_EE_ORIGIN_TIMESTAMPING
#define SO_EE_ORIGIN_TIMESTAMPING 4
#endif
#ifndef PACKET_TX_TIMESTAMP
#define PACKET_TX_TIMESTAMP 16
#endif

namespace ptp {

namespace {

constexpr size_t kFrameBuf = 9216;  // jumbo frames
constexpr int kBurst = 64;          // reads per socket per wake-up, so one busy socket cannot starve the other

uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

// Does the error-queue copy of a sent packet start with (L2) or contain (UDP,
// after the headers the stack added) what we gave the kernel?
bool PrefixMatches(const Pending& p, const uint8_t* data, size_t len) {
  if (len == 0 || p.prefixLen == 0) return true;  // OPT_TSONLY-style reply: trust the key
  if (len < p.prefixLen) return false;
  const size_t maxOff = std::min<size_t>(len - p.prefixLen, 160);
  for (size_t off = 0; off <= maxOff; off++)
    if (memcmp(data + off, p.prefix, p.prefixLen) == 0) return true;
  return false;
}

std::string AddrText(const void* addr, int family) {
  char buf[INET6_ADDRSTRLEN] = {0};
  inet_ntop(family, addr, buf, sizeof buf);
  return buf;
}

}  // namespace

void Port::RxLoop() {
  PinThread();
  pollfd fds[3];
  std::vector<uint8_t> unused;
  while (!stopping_) {
    int n = 0;
    for (int i = 0; i < nsocks_; i++) fds[n++] = {socks_[i].fd, POLLIN, 0};
    fds[n++] = {wakeFd_, POLLIN, 0};
    int64_t nextExpiry = INT64_MAX;
    int64_t now = MonotonicNs();
    ExpirePending(now, &nextExpiry);
    timespec tmo;
    timespec* tp = nullptr;
    if (nextExpiry != INT64_MAX) {
      tmo = ToTimespec(std::max<int64_t>(0, nextExpiry - now) + 100000);
      tp = &tmo;
    }
    const int rc = ppoll(fds, n, tp, nullptr);
    if (rc < 0) {
      if (errno == EINTR) continue;
      Event e;
      e.type = Event::Type::Error;
      e.code = "ESYSCALL";
      e.message = "receive thread: poll failed: " + ErrnoText(errno);
      Emit(std::move(e));
      return;
    }
    for (int i = 0; i < nsocks_; i++) {
      if (fds[i].revents & POLLERR) DrainErrQueue(i);
      if (fds[i].revents & POLLIN) DrainData(i);
    }
    if (fds[n - 1].revents & POLLIN) {
      uint64_t v;
      (void)!read(wakeFd_, &v, sizeof v);
    }
  }
}

void Port::DrainErrQueue(int si) {
  PortSocket& s = socks_[si];
  uint8_t buf[2048];
  alignas(cmsghdr) uint8_t ctrl[512];
  for (int k = 0; k < 4 * kBurst; k++) {
    iovec iov = {buf, sizeof buf};
    msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctrl;
    msg.msg_controllen = sizeof ctrl;
    const ssize_t n = recvmsg(s.fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (n < 0) {
      if (k == 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // POLLERR without a queued timestamp: a socket error (the link went
        // down, for instance). Reading SO_ERROR clears it so poll() calms down.
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr != 0) {
          Event e;
          e.type = Event::Type::Error;
          e.code = soerr == ENETDOWN ? "EIFDOWN" : "ESOCKET";
          e.message = "socket error on " + cfg_.ifname + ": " + ErrnoText(soerr);
          Emit(std::move(e));
        }
      }
      return;
    }
    int64_t ts = -1;
    const sock_extended_err* serr = nullptr;
    for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
      if (cm->cmsg_level == SOL_SOCKET) {
        const int64_t t = TimestampFromCmsg(cm, ts_.mode);
        if (t >= 0) ts = t;
      } else if ((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
                 (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR) ||
                 (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_TX_TIMESTAMP)) {
        serr = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(cm));
      }
    }
    if (!serr || serr->ee_origin != SO_EE_ORIGIN_TIMESTAMPING || ts < 0) continue;
    CompleteTx(si, serr->ee_data, ts, buf, static_cast<size_t>(n));
  }
}

void Port::CompleteTx(int si, uint32_t kernelKey, int64_t ts, const uint8_t* data, size_t len) {
  PortSocket& s = socks_[si];
  Pending done;
  {
    std::lock_guard<std::mutex> lk(pendingMutex_);
    const uint32_t ourKey = kernelKey - static_cast<uint32_t>(s.drift);
    auto it = s.pending.find(ourKey);
    if (it == s.pending.end() || !PrefixMatches(it->second, data, len)) {
      if (s.loadHi != s.loadLo && ourKey - s.loadLo < s.loadHi - s.loadLo) {
        s.loadStamped.fetch_add(1);
        return;
      }
      // A failed send may have consumed a kernel key: find the frame by its
      // content and remember the new distance between the two counters.
      it = s.pending.end();
      for (auto jt = s.pending.begin(); jt != s.pending.end(); ++jt) {
        if (len > 0 && PrefixMatches(jt->second, data, len)) {
          it = jt;
          break;
        }
      }
      if (it == s.pending.end()) {
        unmatched_.fetch_add(1);
        return;
      }
      s.drift = static_cast<int64_t>(kernelKey - it->first);
    }
    done = std::move(it->second);
    s.pending.erase(it);
  }
  Finish(done, ts, nullptr, "");
}

void Port::Finish(Pending& p, int64_t ts, const char* code, const std::string& message) {
  // Only scheduled frames teach the scheduler its lead: they leave after a
  // sleep, with a cold send path, unlike back-to-back sends from JavaScript.
  if (p.kind == PendingKind::Train && ts >= 0 && p.sendNs >= 0) AddLatencySample(ts - p.sendNs);
  switch (p.kind) {
    case PendingKind::Silent:
    case PendingKind::Load:
      return;
    case PendingKind::Send: {
      Event e;
      e.type = ts >= 0 ? Event::Type::Tx : Event::Type::TxError;
      e.id = p.id;
      e.timestampNs = ts;
      e.sendNs = p.sendNs;
      if (code) e.code = code;
      e.message = message;
      Emit(std::move(e));
      return;
    }
    case PendingKind::Train: {
      Event e;
      e.type = Event::Type::Train;
      e.id = p.id;
      e.index = p.index;
      e.sequenceId = p.sequenceId;
      e.deadlineNs = p.deadlineNs;
      e.sendNs = p.sendNs;
      e.timestampNs = ts;
      if (code) e.code = code;
      e.message = message;
      if (ts >= 0 && p.followUp && !stopping_) {
        // Two-step: the Follow_Up leaves as soon as the Sync's TX timestamp is
        // known, without a round trip through JavaScript.
        const FollowUpSpec& f = *p.followUp;
        std::vector<uint8_t> m = f.message;
        if (f.sequenceIdOffset >= 0 && static_cast<size_t>(f.sequenceIdOffset) + 2 <= m.size() && p.sequenceId >= 0)
          WriteU16(m.data() + f.sequenceIdOffset, static_cast<uint16_t>(p.sequenceId));
        if (f.timestampOffset >= 0 && static_cast<size_t>(f.timestampOffset) + 10 <= m.size())
          WritePtpTimestamp(m.data() + f.timestampOffset, ts);
        try {
          Pending q;
          q.kind = PendingKind::Silent;
          Transmit(Frame(m.data(), m.size(), f.send), std::move(q), nullptr);
          e.followUpSent = true;
        } catch (const TransportError& err) {
          e.code = err.code;
          e.message = std::string("Follow_Up not sent: ") + err.what();
        }
      }
      Emit(std::move(e));
      return;
    }
  }
}

void Port::ExpirePending(int64_t now, int64_t* nextExpiry) {
  std::vector<Pending> expired;
  {
    std::lock_guard<std::mutex> lk(pendingMutex_);
    for (int i = 0; i < nsocks_; i++) {
      auto& m = socks_[i].pending;
      for (auto it = m.begin(); it != m.end();) {
        if (it->second.expiresMono <= now) {
          expired.push_back(std::move(it->second));
          it = m.erase(it);
        } else {
          *nextExpiry = std::min(*nextExpiry, it->second.expiresMono);
          ++it;
        }
      }
    }
    rxSleepUntil_ = *nextExpiry;
  }
  for (auto& p : expired)
    Finish(p, -1, "ETXTIMESTAMP_TIMEOUT",
           "no TX timestamp from the kernel within " + std::to_string(cfg_.txTimeoutMs) + " ms on " + cfg_.ifname);
}

void Port::DrainData(int si) {
  PortSocket& s = socks_[si];
  std::vector<uint8_t> buf(kFrameBuf);
  alignas(cmsghdr) uint8_t ctrl[512];
  for (int k = 0; k < kBurst; k++) {
    sockaddr_storage from;
    iovec iov = {buf.data(), buf.size()};
    msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctrl;
    msg.msg_controllen = sizeof ctrl;
    const ssize_t n = recvmsg(s.fd, &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && !reportedRxError_) {
        reportedRxError_ = true;  // once: a dead link would otherwise flood the event stream
        Event e;
        e.type = Event::Type::Error;
        e.code = errno == ENETDOWN ? "EIFDOWN" : "ERECV";
        e.message = "receive on " + cfg_.ifname + " failed: " + ErrnoText(errno);
        Emit(std::move(e));
      }
      return;
    }
    reportedRxError_ = false;
    Event e;
    e.type = Event::Type::Rx;
    e.socketRole = si;
    const uint8_t* frame = buf.data();
    size_t len = static_cast<size_t>(n);
    for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
      if (cm->cmsg_level == SOL_SOCKET) {
        const int64_t t = TimestampFromCmsg(cm, ts_.mode);
        if (t >= 0) e.timestampNs = t;
      } else if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA) {
        tpacket_auxdata aux;
        memcpy(&aux, CMSG_DATA(cm), sizeof aux);
        if ((aux.tp_status & TP_STATUS_VLAN_VALID) || aux.tp_vlan_tci) {
          e.vlanTci = aux.tp_vlan_tci;
          e.vlanTpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : kEtherTypeVlan;
        }
      } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
        in_pktinfo pi;
        memcpy(&pi, CMSG_DATA(cm), sizeof pi);
        e.dstAddress = AddrText(&pi.ipi_addr, AF_INET);
      } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TOS) {
        e.tos = *CMSG_DATA(cm);
      } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) {
        int v;
        memcpy(&v, CMSG_DATA(cm), sizeof v);
        e.ttl = v;
      } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo pi;
        memcpy(&pi, CMSG_DATA(cm), sizeof pi);
        e.dstAddress = AddrText(&pi.ipi6_addr, AF_INET6);
      } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_TCLASS) {
        int v;
        memcpy(&v, CMSG_DATA(cm), sizeof v);
        e.tos = v;
      } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT) {
        int v;
        memcpy(&v, CMSG_DATA(cm), sizeof v);
        e.ttl = v;
      }
    }
    if (cfg_.transport == Transport::L2) {
      const auto* ll = reinterpret_cast<const sockaddr_ll*>(&from);
      if (ll->sll_pkttype == PACKET_OUTGOING || len < 14) continue;
      // The kernel moved the outer 802.1Q tag into auxdata; put it back so the
      // raw frame is what was on the wire (for pcapng) and parse from there.
      if (e.vlanTci >= 0) {
        e.raw.reserve(len + 4);
        e.raw.assign(frame, frame + 12);
        const uint8_t tag[4] = {static_cast<uint8_t>(e.vlanTpid >> 8), static_cast<uint8_t>(e.vlanTpid),
                                static_cast<uint8_t>(e.vlanTci >> 8), static_cast<uint8_t>(e.vlanTci)};
        e.raw.insert(e.raw.end(), tag, tag + 4);
        e.raw.insert(e.raw.end(), frame + 12, frame + len);
      } else {
        e.raw.assign(frame, frame + len);
      }
      const uint8_t* r = e.raw.data();
      const size_t rl = e.raw.size();
      memcpy(e.dstMac, r, 6);
      memcpy(e.srcMac, r + 6, 6);
      size_t off = 12;
      uint16_t et = Be16(r + off);
      while ((et == kEtherTypeVlan || et == kEtherTypeQinQ) && off + 6 <= rl) {
        if (e.vlanTci < 0) {
          e.vlanTci = Be16(r + off + 2);
          e.vlanTpid = et;
        }
        off += 4;
        et = Be16(r + off);
      }
      if (et != kEtherTypePtp) continue;
      e.data.assign(r + off + 2, r + rl);
    } else {
      if (from.ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&from);
        e.srcAddress = AddrText(&a->sin_addr, AF_INET);
        e.srcPort = ntohs(a->sin_port);
      } else if (from.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&from);
        e.srcAddress = AddrText(&a->sin6_addr, AF_INET6);
        e.srcPort = ntohs(a->sin6_port);
      }
      e.dstPort = si == 0 ? kPtpEventPort : kPtpGeneralPort;
      e.data.assign(frame, frame + len);
    }
    Emit(std::move(e));
  }
}

}  // namespace ptp
