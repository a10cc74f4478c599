#include "errors.h"

#include <cerrno>
#include <cstring>

namespace ptp {

std::string ErrnoText(int err) {
  char buf[128];
  // GNU strerror_r returns a pointer that may or may not be buf.
  return std::string(strerror_r(err, buf, sizeof buf));
}

void ThrowSys(const std::string& what, const char* syscall, int err, const char* capability) {
  std::string code;
  std::string hint;
  if ((err == EPERM || err == EACCES) && capability != nullptr) {
    code = std::string("EPERM_") + capability;
    hint = std::string(" (needs ") + capability + "; run as root or grant it with setcap/ambient capabilities)";
  } else if (err == EADDRINUSE) {
    code = "EADDRINUSE";
    hint = " (another socket in this network namespace is bound to it; stop it or choose another interface/namespace)";
  } else if (err == ENODEV || err == ENXIO) {
    code = "ENODEV_INTERFACE";
  } else if (err == ENETDOWN) {
    code = "EIFDOWN";
  } else {
    code = "ESYSCALL";
  }
  throw TransportError(code, what + ": " + syscall + " failed: " + ErrnoText(err) + hint, err, syscall);
}

}  // namespace ptp
