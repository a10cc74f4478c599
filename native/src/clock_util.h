#pragma once

#include <time.h>

#include <cstdint>

namespace ptp {

inline int64_t NowNs(clockid_t clk) {
  timespec ts;
  clock_gettime(clk, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}
inline int64_t RealtimeNs() { return NowNs(CLOCK_REALTIME); }
inline int64_t MonotonicNs() { return NowNs(CLOCK_MONOTONIC); }
inline timespec ToTimespec(int64_t ns) {
  timespec ts;
  ts.tv_sec = ns / 1000000000LL;
  ts.tv_nsec = ns % 1000000000LL;
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1000000000LL;
    ts.tv_sec -= 1;
  }
  return ts;
}

// IEEE 1588 Timestamp: UInteger48 secondsField, UInteger32 nanosecondsField, big-endian.
inline void WritePtpTimestamp(uint8_t* p, int64_t ns) {
  const uint64_t sec = static_cast<uint64_t>(ns / 1000000000LL);
  const uint32_t nsec = static_cast<uint32_t>(ns % 1000000000LL);
  for (int i = 0; i < 6; i++) p[i] = static_cast<uint8_t>(sec >> (8 * (5 - i)));
  for (int i = 0; i < 4; i++) p[6 + i] = static_cast<uint8_t>(nsec >> (8 * (3 - i)));
}
inline void WriteU16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

}  // namespace ptp
