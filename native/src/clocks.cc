#include "clocks.h"

#include <fcntl.h>
#include <linux/ptp_clock.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "clock_util.h"
#include "errors.h"

namespace ptp {

namespace {

// The kernel's FD_TO_CLOCKID for dynamic POSIX clocks.
clockid_t FdToClockId(int fd) { return static_cast<clockid_t>((~static_cast<unsigned>(fd) << 3) | 3); }

struct Phc {
  int fd;
  explicit Phc(int index) {
    if (index < 0) throw TransportError("ENODEV_PHC", "no PTP hardware clock (index " + std::to_string(index) + ")");
    const std::string path = "/dev/ptp" + std::to_string(index);
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENODEV)
        throw TransportError("ENODEV_PHC", "PTP hardware clock " + path + " does not exist", errno, "open");
      ThrowSys("open " + path, "open", errno);
    }
  }
  ~Phc() { close(fd); }
};

int64_t Ns(const ptp_clock_time& t) { return static_cast<int64_t>(t.sec) * 1000000000LL + t.nsec; }

}  // namespace

int64_t PhcTimeNs(int index) {
  Phc phc(index);
  timespec ts;
  if (clock_gettime(FdToClockId(phc.fd), &ts) != 0) ThrowSys("read PHC", "clock_gettime", errno);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

PhcOffset MeasurePhcOffset(int index, int samples) {
  Phc phc(index);
  PhcOffset out;
  if (samples < 1) samples = 1;
  if (samples > PTP_MAX_SAMPLES) samples = PTP_MAX_SAMPLES;

  // Cross-timestamp from the device: PHC and system time of the same instant.
  ptp_sys_offset_precise precise;
  memset(&precise, 0, sizeof precise);
  if (ioctl(phc.fd, PTP_SYS_OFFSET_PRECISE, &precise) == 0) {
    out.offsetNs = Ns(precise.device) - Ns(precise.sys_realtime);
    out.delayNs = 0;
    out.systemNs = Ns(precise.sys_realtime);
    out.method = "PTP_SYS_OFFSET_PRECISE";
    return out;
  }
  // System reads just before and after each PHC read; keep the narrowest window.
  ptp_sys_offset_extended ext;
  memset(&ext, 0, sizeof ext);
  ext.n_samples = samples;
  if (ioctl(phc.fd, PTP_SYS_OFFSET_EXTENDED, &ext) == 0) {
    int64_t best = INT64_MAX;
    for (int i = 0; i < samples; i++) {
      const int64_t before = Ns(ext.ts[i][0]), phcT = Ns(ext.ts[i][1]), after = Ns(ext.ts[i][2]);
      if (after - before < best) {
        best = after - before;
        out.systemNs = before + (after - before) / 2;
        out.offsetNs = phcT - out.systemNs;
        out.delayNs = best;
      }
    }
    out.method = "PTP_SYS_OFFSET_EXTENDED";
    return out;
  }
  const clockid_t clk = FdToClockId(phc.fd);
  int64_t best = INT64_MAX;
  for (int i = 0; i < samples; i++) {
    timespec p;
    const int64_t before = RealtimeNs();
    if (clock_gettime(clk, &p) != 0) ThrowSys("read PHC", "clock_gettime", errno);
    const int64_t after = RealtimeNs();
    if (after - before < best) {
      best = after - before;
      out.systemNs = before + (after - before) / 2;
      out.offsetNs = static_cast<int64_t>(p.tv_sec) * 1000000000LL + p.tv_nsec - out.systemNs;
      out.delayNs = best;
    }
  }
  out.method = "clock_gettime sandwich";
  return out;
}

}  // namespace ptp
