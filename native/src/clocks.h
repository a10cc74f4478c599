// The clocks timestamps are on: the system clock (CLOCK_REALTIME, the clock of
// software timestamps; CLOCK_TAI equals it unless a TAI offset is set) and a
// PTP hardware clock (/dev/ptpN) through its dynamic POSIX clock id.
#pragma once

#include <cstdint>
#include <string>

namespace ptp {

struct PhcOffset {
  int64_t offsetNs = 0;  // PHC - system
  int64_t delayNs = 0;   // width of the system-time window around the PHC read
  int64_t systemNs = 0;  // system time of the measurement
  std::string method;    // PTP_SYS_OFFSET_PRECISE | PTP_SYS_OFFSET_EXTENDED | clock_gettime sandwich
};

int64_t PhcTimeNs(int index);
PhcOffset MeasurePhcOffset(int index, int samples);

}  // namespace ptp
