// What the native threads hand to JavaScript. One flat record per event; the
// N-API layer turns it into a plain object. Kept free of N-API so that the
// socket and scheduling code never touches the JS engine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ptp {

struct Event {
  enum class Type { Rx, Tx, TxError, Train, JobDone, Load, Error };
  Type type = Type::Error;

  uint64_t id = 0;           // send id (Tx, TxError) or job id (Train, JobDone, Load)
  uint64_t index = 0;        // frame index within a train
  int64_t timestampNs = -1;  // RX or TX timestamp, -1 when missing
  int64_t deadlineNs = -1;   // scheduled time of a train frame / sendAt
  int64_t sendNs = -1;       // CLOCK_REALTIME just before the send syscall
  int sequenceId = -1;
  std::string code;          // error code (TxError, Train with error, Error)
  std::string message;

  // Rx
  int socketRole = 0;  // 0: event socket (UDP 319, or the L2 socket), 1: general (UDP 320)
  std::vector<uint8_t> data;  // PTP message (Ethernet payload or UDP payload)
  std::vector<uint8_t> raw;   // L2: the whole Ethernet frame with its 802.1Q tag re-inserted
  uint8_t srcMac[6] = {0}, dstMac[6] = {0};
  int vlanTci = -1;    // -1: untagged
  int vlanTpid = 0;
  std::string srcAddress, dstAddress;
  int srcPort = 0, dstPort = 0;
  int tos = -1;  // IPv4 TOS octet / IPv6 traffic class
  int ttl = -1;  // IPv4 TTL / IPv6 hop limit

  // JobDone / Load
  bool stopped = false;
  uint64_t sent = 0, stamped = 0, failed = 0;
  int64_t startNs = -1, endNs = -1;
  bool followUpSent = false;
};

using EventSink = std::function<void(Event&&)>;

}  // namespace ptp
