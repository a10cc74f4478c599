// Network namespaces: the harness is one process that talks to several
// namespaces. Sockets belong to the namespace they were created in, so a port
// is opened on a short-lived thread that enters the namespace with setns(),
// creates its sockets and ends; no other thread of the process ever changes
// namespace.
#pragma once

#include <functional>
#include <string>

namespace ptp {

// `netns` is a name under /var/run/netns (as `ip netns add` creates) or an
// absolute path such as /proc/PID/ns/net. Empty: the current namespace, run inline.
void RunInNetns(const std::string& netns, const std::function<void()>& fn);

}  // namespace ptp
