// Typed transport errors. Every failure that a user can cause or fix (wrong
// interface name, link down, missing capability, port taken) carries a stable
// code so that callers can branch on it and reports can name the cause.
#pragma once

#include <stdexcept>
#include <string>

namespace ptp {

class TransportError : public std::runtime_error {
 public:
  TransportError(std::string code, const std::string& message, int err = 0,
                 std::string syscall = "")
      : std::runtime_error(message), code(std::move(code)), err(err), syscall(std::move(syscall)) {}
  std::string code;  // e.g. ENODEV_INTERFACE, EIFDOWN, EPERM_CAP_NET_RAW, EADDRINUSE
  int err;           // errno when a syscall failed, else 0
  std::string syscall;
};

// Maps errno of a failed syscall to a TransportError. `what` says what we tried
// (e.g. "bind UDP port 319 on eth0"); the privilege needed for it, if any,
// selects the EPERM_CAP_* code.
[[noreturn]] void ThrowSys(const std::string& what, const char* syscall, int err,
                           const char* capability = nullptr);

std::string ErrnoText(int err);

}  // namespace ptp
