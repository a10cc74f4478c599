#include "port.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "clock_util.h"
#include "errors.h"
#include "netns.h"
#include "scheduler.h"

namespace ptp {

namespace {

bool ParseMac(const std::string& s, uint8_t out[6]) {
  unsigned v[6];
  char sep1, sep2, sep3, sep4, sep5;
  if (sscanf(s.c_str(), "%2x%c%2x%c%2x%c%2x%c%2x%c%2x", &v[0], &sep1, &v[1], &sep2, &v[2], &sep3, &v[3], &sep4, &v[4],
             &sep5, &v[5]) != 11)
    return false;
  for (char c : {sep1, sep2, sep3, sep4, sep5})
    if (c != ':' && c != '-') return false;
  for (int i = 0; i < 6; i++) out[i] = static_cast<uint8_t>(v[i]);
  return true;
}

// Send failures carry the same codes as open failures: a link that went down
// after the port was opened is EIFDOWN either way.
[[noreturn]] void ThrowSend(const std::string& ifname, int err) {
  if (err == ENETDOWN)
    throw TransportError("EIFDOWN", "send on " + ifname + " failed: interface is down", err, "sendmsg");
  if (err == ENXIO || err == ENODEV)
    throw TransportError("ENODEV_INTERFACE", "send on " + ifname + " failed: interface is gone", err, "sendmsg");
  if (err == ENOBUFS || err == EAGAIN)
    throw TransportError("ENOBUFS", "send on " + ifname + " failed: the queue dropped it (" + ErrnoText(err) + ")", err, "sendmsg");
  if (err == EPERM || err == EACCES) ThrowSys("send on " + ifname, "sendmsg", err, "CAP_NET_RAW");
  throw TransportError("ESEND", "send on " + ifname + " failed: " + ErrnoText(err), err, "sendmsg");
}

}  // namespace

void PrepareMmsg(std::vector<Wire>& wires, mmsghdr* mm, iovec* iov) {
  for (size_t i = 0; i < wires.size(); i++) {
    iov[i].iov_base = wires[i].bytes.data();
    iov[i].iov_len = wires[i].bytes.size();
    memset(&mm[i], 0, sizeof mm[i]);
    mm[i].msg_hdr.msg_iov = &iov[i];
    mm[i].msg_hdr.msg_iovlen = 1;
    if (wires[i].addrLen) {
      mm[i].msg_hdr.msg_name = &wires[i].addr;
      mm[i].msg_hdr.msg_namelen = wires[i].addrLen;
    }
    if (wires[i].controlLen) {
      mm[i].msg_hdr.msg_control = wires[i].control;
      mm[i].msg_hdr.msg_controllen = wires[i].controlLen;
    }
  }
}

// The source address of a UDP send, as a control message: the kernel sends from it (it must be
// one of the interface's own) instead of choosing; ipi_ifindex keeps the frame on this port.
static void SetSource(Wire& w, Transport t, const std::string& src, int ifindex) {
  cmsghdr* cm = reinterpret_cast<cmsghdr*>(w.control);
  if (t == Transport::UDP4) {
    in_pktinfo pi{};
    if (inet_pton(AF_INET, src.c_str(), &pi.ipi_spec_dst) != 1)
      throw TransportError("EINVAL_SRC", "udp4 source must be an IPv4 address, got '" + src + "'");
    pi.ipi_ifindex = ifindex;
    cm->cmsg_level = IPPROTO_IP;
    cm->cmsg_type = IP_PKTINFO;
    cm->cmsg_len = CMSG_LEN(sizeof pi);
    memcpy(CMSG_DATA(cm), &pi, sizeof pi);
    w.controlLen = CMSG_SPACE(sizeof pi);
  } else {
    in6_pktinfo pi{};
    std::string addr = src;
    const size_t pct = addr.find('%');
    if (pct != std::string::npos) addr.resize(pct);
    if (inet_pton(AF_INET6, addr.c_str(), &pi.ipi6_addr) != 1)
      throw TransportError("EINVAL_SRC", "udp6 source must be an IPv6 address, got '" + src + "'");
    pi.ipi6_ifindex = static_cast<unsigned>(ifindex);
    cm->cmsg_level = IPPROTO_IPV6;
    cm->cmsg_type = IPV6_PKTINFO;
    cm->cmsg_len = CMSG_LEN(sizeof pi);
    memcpy(CMSG_DATA(cm), &pi, sizeof pi);
    w.controlLen = CMSG_SPACE(sizeof pi);
  }
}

Port::Port(const PortConfig& cfg, EventSink sink) : cfg_(cfg), sink_(std::move(sink)) {
  try {
    RunInNetns(cfg_.netns, [this] {
      itf_ = QueryInterface(cfg_.ifname);
      if (!itf_.up)
        throw TransportError("EIFDOWN", "interface '" + cfg_.ifname + "' is down (not IFF_UP); bring it up with `ip link set " +
                                            cfg_.ifname + " up`");
      if (cfg_.requireCarrier && !itf_.running)
        throw TransportError("EIFDOWN", "interface '" + cfg_.ifname +
                                            "' has no carrier (operstate not UP); wait for the link or pass requireCarrier: false");
      ts_ = ResolveTimestamping(cfg_.ifname, cfg_.timestamping, cfg_.transport);
      if (cfg_.transport == Transport::L2) {
        socks_[0].fd = OpenL2Socket(itf_, ts_.mode);
        nsocks_ = 1;
      } else {
        socks_[0].fd = OpenUdpSocket(itf_, cfg_.transport, kPtpEventPort, cfg_.udp, ts_.mode);
        nsocks_ = 1;
        socks_[1].fd = OpenUdpSocket(itf_, cfg_.transport, kPtpGeneralPort, cfg_.udp, ts_.mode);
        nsocks_ = 2;
      }
    });
    wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd_ < 0) ThrowSys("create eventfd", "eventfd", errno);
    rx_ = std::thread(&Port::RxLoop, this);
  } catch (...) {
    for (auto& s : socks_)
      if (s.fd >= 0) close(s.fd), s.fd = -1;
    if (wakeFd_ >= 0) close(wakeFd_), wakeFd_ = -1;
    closed_ = true;
    throw;
  }
}

Port::~Port() { Close(); }

void Port::WakeRx() {
  uint64_t one = 1;
  if (wakeFd_ >= 0) (void)!write(wakeFd_, &one, sizeof one);
}

void Port::Close() {
  if (closed_) return;
  closed_ = true;
  if (sched_) sched_->Shutdown();
  stopping_ = true;
  WakeRx();
  if (rx_.joinable()) rx_.join();
  // Timestamps already queued by the kernel still count.
  for (int i = 0; i < nsocks_; i++) DrainErrQueue(i);
  std::vector<Pending> left;
  {
    std::lock_guard<std::mutex> lk(pendingMutex_);
    for (int i = 0; i < nsocks_; i++) {
      for (auto& kv : socks_[i].pending) left.push_back(std::move(kv.second));
      socks_[i].pending.clear();
    }
  }
  for (auto& p : left) Finish(p, -1, "ECLOSED", "port closed before the TX timestamp arrived");
  for (int i = 0; i < nsocks_; i++) {
    if (socks_[i].fd >= 0) close(socks_[i].fd);
    socks_[i].fd = -1;
  }
  if (wakeFd_ >= 0) close(wakeFd_);
  wakeFd_ = -1;
  sched_.reset();
}

void Port::PinThread() const {
  if (cfg_.cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cfg_.cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

RealtimeState Port::realtime() const {
  if (sched_) return sched_->realtime();
  RealtimeState r;
  r.note = "scheduler not started yet";
  return r;
}

void Port::AddLatencySample(int64_t ns) {
  if (ns < 0 || ns > 10000000) return;  // a stall, not the send path
  std::lock_guard<std::mutex> lk(latencyMutex_);
  latency_[latencyCount_ % 32] = ns;
  latencyCount_++;
  const int n = std::min(latencyCount_, 32);
  int64_t tmp[32];
  std::copy(latency_, latency_ + n, tmp);
  std::nth_element(tmp, tmp + n / 2, tmp + n);
  // Bounded: a burst of slow sends must not make the scheduler send far early.
  lead_.store(std::min<int64_t>(tmp[n / 2], 100000));
}

Wire Port::Frame(const uint8_t* msg, size_t len, const SendSpec& spec) const {
  Wire w;
  if (cfg_.transport == Transport::L2) {
    w.sock = 0;
    if (spec.raw) {
      if (len < 14) throw TransportError("EINVAL_FRAME", "a raw Ethernet frame needs at least 14 octets");
      w.bytes.assign(msg, msg + len);
      w.msgOffset = 14;
      return w;
    }
    uint8_t dst[6];
    if (spec.dest == "primary")
      memcpy(dst, kMacPrimary, 6);
    else if (spec.dest == "pdelay")
      memcpy(dst, kMacPdelay, 6);
    else if (!ParseMac(spec.dest, dst))
      throw TransportError("EINVAL_DEST", "l2 destination must be 'primary', 'pdelay' or a MAC address, got '" + spec.dest + "'");
    const bool tag = spec.vlanMode == -1 ? cfg_.vlan : spec.vlanMode == 1;
    const int pcp = spec.vlanMode == 1 ? spec.pcp : cfg_.pcp;
    const int vid = spec.vlanMode == 1 ? spec.vid : cfg_.vid;
    w.bytes.resize((tag ? 18 : 14) + len);
    uint8_t* p = w.bytes.data();
    memcpy(p, dst, 6);
    memcpy(p + 6, itf_.mac, 6);
    size_t off = 12;
    if (tag) {
      WriteU16(p + off, kEtherTypeVlan);
      WriteU16(p + off + 2, static_cast<uint16_t>(((pcp & 7) << 13) | (vid & 0xFFF)));
      off += 4;
    }
    WriteU16(p + off, kEtherTypePtp);
    off += 2;
    memcpy(p + off, msg, len);
    w.msgOffset = off;
    return w;
  }
  w.sock = spec.event ? 0 : 1;
  const uint16_t port = static_cast<uint16_t>(spec.port > 0 ? spec.port : (spec.event ? kPtpEventPort : kPtpGeneralPort));
  if (spec.dest == "primary" || spec.dest == "pdelay") {
    w.addr = PtpGroup(cfg_.transport, spec.dest == "pdelay", cfg_.udp.udp6Scope, port, itf_.ifindex, &w.addrLen);
  } else if (cfg_.transport == Transport::UDP4) {
    auto* a = reinterpret_cast<sockaddr_in*>(&w.addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    if (inet_pton(AF_INET, spec.dest.c_str(), &a->sin_addr) != 1)
      throw TransportError("EINVAL_DEST", "udp4 destination must be 'primary', 'pdelay' or an IPv4 address, got '" + spec.dest + "'");
    w.addrLen = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&w.addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    std::string addr = spec.dest;
    const size_t pct = addr.find('%');
    if (pct != std::string::npos) addr.resize(pct);  // the scope is always this port's interface
    if (inet_pton(AF_INET6, addr.c_str(), &a->sin6_addr) != 1)
      throw TransportError("EINVAL_DEST", "udp6 destination must be 'primary', 'pdelay' or an IPv6 address, got '" + spec.dest + "'");
    a->sin6_scope_id = itf_.ifindex;
    w.addrLen = sizeof *a;
  }
  if (!spec.src.empty()) SetSource(w, cfg_.transport, spec.src, itf_.ifindex);
  w.bytes.assign(msg, msg + len);
  w.msgOffset = 0;
  return w;
}

uint64_t Port::Transmit(const Wire& w, Pending p, int64_t* sendNsOut) {
  if (closed_ || stopping_) throw TransportError("ECLOSED", "port is closed");
  PortSocket& s = socks_[w.sock];
  if (p.kind == PendingKind::Send) p.id = nextSendId_.fetch_add(1);
  p.prefixLen = static_cast<uint16_t>(std::min<size_t>(sizeof p.prefix, w.bytes.size()));
  memcpy(p.prefix, w.bytes.data(), p.prefixLen);
  const uint64_t id = p.id;
  std::lock_guard<std::mutex> sl(s.sendMutex);
  const uint32_t key = s.nextKey;
  p.expiresMono = MonotonicNs() + static_cast<int64_t>(cfg_.txTimeoutMs) * 1000000;
  p.sendNs = RealtimeNs();
  const int64_t sendNs = p.sendNs;
  bool wake = false;
  {
    // Entered before the syscall: the receive thread may see the timestamp
    // before sendto() even returns.
    std::lock_guard<std::mutex> pl(pendingMutex_);
    if (p.expiresMono < rxSleepUntil_) {
      rxSleepUntil_ = p.expiresMono;
      wake = true;
    }
    s.pending[key] = std::move(p);
  }
  ssize_t n;
  if (w.controlLen) {
    iovec iov{const_cast<uint8_t*>(w.bytes.data()), w.bytes.size()};
    msghdr mh{};
    mh.msg_name = const_cast<sockaddr_storage*>(&w.addr);
    mh.msg_namelen = w.addrLen;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = const_cast<uint8_t*>(w.control);
    mh.msg_controllen = w.controlLen;
    n = sendmsg(s.fd, &mh, 0);
  } else {
    n = sendto(s.fd, w.bytes.data(), w.bytes.size(), 0, w.addrLen ? reinterpret_cast<const sockaddr*>(&w.addr) : nullptr, w.addrLen);
  }
  if (n < 0) {
    const int err = errno;
    {
      std::lock_guard<std::mutex> pl(pendingMutex_);
      s.pending.erase(key);
    }
    ThrowSend(cfg_.ifname, err);
  }
  s.nextKey++;
  if (wake) WakeRx();  // after the send: not in the timing path
  if (sendNsOut) *sendNsOut = sendNs;
  return id;
}

int Port::SendLoadBatch(int sock, mmsghdr* msgs, int n, uint64_t jobId) {
  PortSocket& s = socks_[sock];
  std::lock_guard<std::mutex> sl(s.sendMutex);
  const uint32_t key0 = s.nextKey;
  {
    std::lock_guard<std::mutex> pl(pendingMutex_);
    if (s.loadJob != jobId) {
      s.loadJob = jobId;
      s.loadLo = key0;
    }
    s.loadHi = key0 + n;
  }
  const int sent = sendmmsg(s.fd, msgs, n, 0);
  const int err = errno;
  {
    std::lock_guard<std::mutex> pl(pendingMutex_);
    s.loadHi = key0 + std::max(sent, 0);
  }
  if (sent > 0) s.nextKey += sent;
  errno = err;
  return sent;
}

uint64_t Port::Send(const uint8_t* msg, size_t len, const SendSpec& spec) {
  Wire w = Frame(msg, len, spec);
  Pending p;
  p.kind = PendingKind::Send;
  return Transmit(w, std::move(p), nullptr);
}

std::vector<uint64_t> Port::SendBatch(const std::vector<std::vector<uint8_t>>& msgs, const SendSpec& spec) {
  if (closed_) throw TransportError("ECLOSED", "port is closed");
  std::vector<Wire> wires;
  wires.reserve(msgs.size());
  for (const auto& m : msgs) wires.push_back(Frame(m.data(), m.size(), spec));
  const int sock = wires.empty() ? 0 : wires[0].sock;
  PortSocket& s = socks_[sock];
  std::vector<uint64_t> ids(wires.size());
  std::vector<mmsghdr> mm(wires.size());
  std::vector<iovec> iov(wires.size());
  int sent = 0, err = 0;
  bool wake = false;
  {
    std::lock_guard<std::mutex> sl(s.sendMutex);
    const uint32_t key0 = s.nextKey;
    {
      std::lock_guard<std::mutex> pl(pendingMutex_);
      const int64_t now = RealtimeNs();
      const int64_t expires = MonotonicNs() + static_cast<int64_t>(cfg_.txTimeoutMs) * 1000000;
      if (expires < rxSleepUntil_) {
        rxSleepUntil_ = expires;
        wake = true;
      }
      for (size_t i = 0; i < wires.size(); i++) {
        Pending p;
        p.kind = PendingKind::Send;
        p.id = ids[i] = nextSendId_.fetch_add(1);
        p.sendNs = now;
        p.expiresMono = expires;
        p.prefixLen = static_cast<uint16_t>(std::min<size_t>(sizeof p.prefix, wires[i].bytes.size()));
        memcpy(p.prefix, wires[i].bytes.data(), p.prefixLen);
        s.pending[key0 + static_cast<uint32_t>(i)] = std::move(p);
      }
    }
    PrepareMmsg(wires, mm.data(), iov.data());
    size_t done = 0;
    while (done < wires.size()) {
      const int r = sendmmsg(s.fd, mm.data() + done, static_cast<unsigned>(wires.size() - done), 0);
      if (r <= 0) {
        err = errno;
        break;
      }
      done += r;
    }
    sent = static_cast<int>(done);
    s.nextKey += sent;
    std::lock_guard<std::mutex> pl(pendingMutex_);
    for (size_t i = sent; i < wires.size(); i++) s.pending.erase(key0 + static_cast<uint32_t>(i));
  }
  if (wake) WakeRx();
  if (sent == 0 && !wires.empty()) ThrowSend(cfg_.ifname, err);
  for (size_t i = sent; i < wires.size(); i++) {
    Event e;
    e.type = Event::Type::TxError;
    e.id = ids[i];
    e.code = err == ENETDOWN ? "EIFDOWN" : "ESEND";
    e.message = "sendmmsg stopped after " + std::to_string(sent) + " messages: " + ErrnoText(err);
    Emit(std::move(e));
  }
  return ids;
}

uint64_t Port::SendAt(const uint8_t* msg, size_t len, const SendSpec& spec, int64_t deadlineNs) {
  TrainSpec t;
  t.message.assign(msg, msg + len);
  t.send = spec;
  t.startNs = deadlineNs;
  t.periodNs = 0;
  t.count = 1;
  t.sequenceIdOffset = -1;
  t.originTimestampOffset = -1;
  return StartTrain(t);
}

uint64_t Port::StartTrain(const TrainSpec& spec) {
  if (closed_) throw TransportError("ECLOSED", "port is closed");
  if (!sched_) sched_ = std::make_unique<Scheduler>(this);
  return sched_->AddTrain(spec);
}

uint64_t Port::StartLoad(const LoadSpec& spec) {
  if (closed_) throw TransportError("ECLOSED", "port is closed");
  if (!sched_) sched_ = std::make_unique<Scheduler>(this);
  return sched_->AddLoad(spec);
}

bool Port::StopJob(uint64_t id) { return sched_ ? sched_->Stop(id) : false; }

}  // namespace ptp
