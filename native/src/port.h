// A PTP port: the sockets of one transport on one interface, a receive thread
// that reads frames and TX timestamps, and a scheduler thread for timed sends.
// No N-API here; events leave through an EventSink.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "event.h"
#include "interface.h"
#include "sockets.h"
#include "timestamping.h"

namespace ptp {

class Scheduler;

struct PortConfig {
  std::string ifname;
  std::string netns;  // empty: the process's namespace
  Transport transport = Transport::L2;
  std::string timestamping = "auto";
  bool vlan = false;  // port default 802.1Q tag on L2 sends
  int pcp = 0, vid = 0;
  UdpOptions udp;
  int txTimeoutMs = 1000;       // a TX timestamp not back by then is reported missing
  bool requireCarrier = true;   // EIFDOWN also when the link has no carrier
  int cpu = -1;                 // pin the port's native threads to this CPU (-1: no pinning)
  int realtimePriority = -1;    // SCHED_FIFO priority of the scheduler thread when permitted (0: never; -1: 20 with hardware timestamps, else never)
  int64_t spinNs = 200000;      // the scheduler sleeps until deadline - spinNs, then spins
  bool compensateLatency = true;  // send early by the measured send-call-to-TX-timestamp latency
};

// Where a message goes and how it is framed.
struct SendSpec {
  bool event = true;            // UDP: event socket (319) or general socket (320)
  std::string dest = "primary";  // primary | pdelay | MAC (l2) | IP address (udp)
  int port = -1;                // UDP destination port override (default 319/320 by `event`)
  bool raw = false;             // L2: the message is a complete Ethernet frame, sent as is
  int vlanMode = -1;            // -1: port default, 0: untagged, 1: tag below
  int pcp = 0, vid = 0;
  std::string src;              // UDP: source address (one of the interface's own); empty = the kernel's choice
};

// A message framed for the wire: Ethernet header (L2) + PTP message, or the
// UDP payload and its destination address.
struct Wire {
  std::vector<uint8_t> bytes;
  size_t msgOffset = 0;  // where the PTP message starts in bytes
  int sock = 0;
  sockaddr_storage addr{};
  socklen_t addrLen = 0;
  // UDP with a chosen source address: an IP_PKTINFO / IPV6_PKTINFO control message.
  alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
  size_t controlLen = 0;
};

// Points mm[i], through iov[i], at wires[i]: its bytes and, when it has one,
// its destination address. Every sendmmsg caller needs exactly this setup.
void PrepareMmsg(std::vector<Wire>& wires, mmsghdr* mm, iovec* iov);

struct FollowUpSpec {
  std::vector<uint8_t> message;
  int sequenceIdOffset = 30;
  int timestampOffset = 34;  // preciseOriginTimestamp := TX timestamp of the Sync
  SendSpec send;
};

struct TrainSpec {
  std::vector<uint8_t> message;
  SendSpec send;
  int64_t startNs = 0;
  int64_t periodNs = 0;
  uint64_t count = 0;  // 0: until stopped
  int sequenceIdOffset = 30;  // -1: leave sequenceId alone
  int sequenceIdStart = 0;
  int originTimestampOffset = 34;  // -1: leave it; else filled with the frame's deadline
  std::shared_ptr<const FollowUpSpec> followUp;  // two-step: Follow_Up sent from the native side
};

struct LoadSpec {
  std::vector<uint8_t> message;
  SendSpec send;
  int64_t durationNs = 1000000000;
  uint64_t ratePps = 0;  // 0: as fast as possible
  int batch = 32;        // messages per sendmmsg
  int sequenceIdOffset = 30;
};

enum class PendingKind { Send, Train, Silent, Load };

struct Pending {
  PendingKind kind = PendingKind::Send;
  uint64_t id = 0;  // send id or job id
  uint64_t index = 0;
  int sequenceId = -1;
  int64_t deadlineNs = -1, sendNs = -1;
  int64_t expiresMono = 0;
  uint16_t prefixLen = 0;
  uint8_t prefix[64] = {0};  // first bytes of what we gave the kernel, to verify correlation
  std::shared_ptr<const FollowUpSpec> followUp;
};

struct PortSocket {
  int fd = -1;
  std::mutex sendMutex;      // key allocation + sendmsg are one step
  uint32_t nextKey = 0;      // our copy of the kernel's OPT_ID counter
  int64_t drift = 0;         // kernel key - our key (changes only if a failed send consumed a key)
  std::map<uint32_t, Pending> pending;  // guarded by Port::pendingMutex_
  // Load generation: keys in [loadLo, loadHi) are counted, not reported one by one.
  uint32_t loadLo = 0, loadHi = 0;
  uint64_t loadJob = 0;
  std::atomic<uint64_t> loadStamped{0};
};

struct RealtimeState {
  std::string policy = "SCHED_OTHER";
  int priority = 0;
  bool memoryLocked = false;
  std::string note;
};

class Port {
 public:
  Port(const PortConfig& cfg, EventSink sink);
  ~Port();
  Port(const Port&) = delete;
  Port& operator=(const Port&) = delete;

  void Close();  // idempotent: stops threads, closes sockets, fails what is pending
  bool closed() const { return closed_; }

  uint64_t Send(const uint8_t* msg, size_t len, const SendSpec& spec);
  std::vector<uint64_t> SendBatch(const std::vector<std::vector<uint8_t>>& msgs, const SendSpec& spec);
  uint64_t SendAt(const uint8_t* msg, size_t len, const SendSpec& spec, int64_t deadlineNs);
  uint64_t StartTrain(const TrainSpec& spec);
  uint64_t StartLoad(const LoadSpec& spec);
  bool StopJob(uint64_t id);

  const PortConfig& config() const { return cfg_; }
  const InterfaceInfo& interface() const { return itf_; }
  const TimestampingState& timestamping() const { return ts_; }
  RealtimeState realtime() const;
  int64_t latencyLeadNs() const { return lead_.load(); }
  uint64_t unmatchedTimestamps() const { return unmatched_.load(); }

  // Used by the scheduler and the receive thread.
  Wire Frame(const uint8_t* msg, size_t len, const SendSpec& spec) const;
  uint64_t Transmit(const Wire& w, Pending p, int64_t* sendNsOut);
  int SendLoadBatch(int sock, struct mmsghdr* msgs, int n, uint64_t jobId);
  void Emit(Event&& e) { sink_(std::move(e)); }
  void PinThread() const;
  uint64_t NextJobId() { return nextJobId_.fetch_add(1); }
  void AddLatencySample(int64_t ns);

 private:
  friend class Scheduler;
  void RxLoop();
  void DrainErrQueue(int sockIdx);
  void DrainData(int sockIdx);
  void CompleteTx(int sockIdx, uint32_t kernelKey, int64_t ts, const uint8_t* data, size_t len);
  void ExpirePending(int64_t nowMono, int64_t* nextExpiry);
  void Finish(Pending& p, int64_t ts, const char* code, const std::string& message);
  void WakeRx();

  PortConfig cfg_;
  EventSink sink_;
  InterfaceInfo itf_;
  TimestampingState ts_;
  PortSocket socks_[2];
  int nsocks_ = 0;
  int wakeFd_ = -1;  // eventfd: tells the receive thread to stop
  std::mutex pendingMutex_;
  // When the receive thread's poll() times out next (CLOCK_MONOTONIC); a send
  // whose timestamp expires earlier must wake it, or a missing timestamp
  // would wait for the next frame to be noticed. Guarded by pendingMutex_.
  int64_t rxSleepUntil_ = INT64_MAX;
  std::thread rx_;
  std::unique_ptr<Scheduler> sched_;
  std::atomic<bool> stopping_{false};
  bool closed_ = false;
  std::atomic<uint64_t> nextSendId_{1};
  std::atomic<uint64_t> nextJobId_{1};
  std::atomic<uint64_t> unmatched_{0};
  std::atomic<int64_t> lead_{0};
  std::mutex latencyMutex_;
  int64_t latency_[32] = {0};
  int latencyCount_ = 0;
  bool reportedRxError_ = false;
};

}  // namespace ptp
