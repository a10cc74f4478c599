#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <thread>

#include "errors.h"

namespace ptp {

void RunInNetns(const std::string& netns, const std::function<void()>& fn) {
  if (netns.empty()) {
    fn();
    return;
  }
  const std::string path = netns[0] == '/' ? netns : "/var/run/netns/" + netns;
  int nsfd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) {
    int err = errno;
    if (err == ENOENT)
      throw TransportError("ENOENT_NETNS", "network namespace '" + netns + "' does not exist (" + path + ")", err, "open");
    ThrowSys("open network namespace " + path, "open", err, "CAP_SYS_ADMIN");
  }
  std::exception_ptr failure;
  // A fresh thread enters the namespace and dies with it: the caller's thread
  // (Node's main thread) never leaves its own namespace, even if setns back
  // would fail.
  std::thread worker([&] {
    try {
      if (setns(nsfd, CLONE_NEWNET) != 0)
        ThrowSys("enter network namespace " + path, "setns", errno, "CAP_SYS_ADMIN");
      fn();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  worker.join();
  close(nsfd);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ptp
