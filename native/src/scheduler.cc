#include "scheduler.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "clock_util.h"
#include "errors.h"

namespace ptp {

namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

Scheduler::Scheduler(Port* port) : port_(port) {
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  timerFd_ = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
  if (wakeFd_ < 0 || timerFd_ < 0) {
    const int err = errno;
    if (wakeFd_ >= 0) close(wakeFd_);
    if (timerFd_ >= 0) close(timerFd_);
    ThrowSys("create scheduler fds", "eventfd/timerfd_create", err);
  }
  rt_.note = "starting";
  thread_ = std::thread(&Scheduler::Loop, this);
}

Scheduler::~Scheduler() {
  Shutdown();
  close(wakeFd_);
  close(timerFd_);
}

void Scheduler::Wake() {
  uint64_t one = 1;
  (void)!write(wakeFd_, &one, sizeof one);
}

RealtimeState Scheduler::realtime() const {
  std::lock_guard<std::mutex> lk(m_);
  return rt_;
}

void Scheduler::SetUpRealtime() {
  port_->PinThread();
  RealtimeState st;
  // A 1 ns timer slack: the default 50 us would be added to every wake-up.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  // Unset (-1): SCHED_FIFO only with hardware timestamps. With software timestamps a SCHED_FIFO
  // sender gets its TX timestamp ~17 us before the receiver's RX timestamp on a veth (measured:
  // h->d one-way 17-22 us against 3-5 us from a SCHED_OTHER sender, d->h unchanged), an
  // asymmetry every lab DUT would see in its offset and peer delay.
  const int configured = port_->config().realtimePriority;
  const int prio = configured >= 0 ? configured : (port_->timestamping().mode == TsMode::Hardware ? 20 : 0);
  if (prio > 0) {
    sched_param sp;
    memset(&sp, 0, sizeof sp);
    sp.sched_priority = prio;
    const int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    if (rc == 0) {
      st.policy = "SCHED_FIFO";
      st.priority = prio;
    } else {
      st.note = "SCHED_FIFO not permitted (" + ErrnoText(rc) + "), running SCHED_OTHER";
    }
  } else {
    st.note = configured >= 0 ? "real-time priority disabled by configuration" : "SCHED_OTHER: software timestamps (a SCHED_FIFO sender skews them)";
  }
  // Lock this thread's stack so that a page fault cannot land between the
  // wake-up and the send. The whole process is not locked: that would pin
  // the JavaScript heap.
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && size > 0) {
      const size_t lockSize = std::min<size_t>(size, 256 * 1024);
      uint8_t* top = static_cast<uint8_t*>(addr) + size;
      if (mlock(top - lockSize, lockSize) == 0)
        st.memoryLocked = true;
      else if (st.note.empty())
        st.note = "mlock of the scheduler stack not permitted (" + ErrnoText(errno) + ")";
    }
    pthread_attr_destroy(&attr);
  }
  std::lock_guard<std::mutex> lk(m_);
  rt_ = st;
}

uint64_t Scheduler::AddTrain(const TrainSpec& spec) {
  if (spec.message.empty()) throw TransportError("EINVAL_FRAME", "train message is empty");
  if (spec.count != 1 && spec.periodNs <= 0)
    throw TransportError("EINVAL_PERIOD", "a periodic train needs periodNs > 0");
  Job j;
  j.id = port_->NextJobId();
  j.wire = port_->Frame(spec.message.data(), spec.message.size(), spec.send);
  const size_t len = spec.message.size();
  if (spec.sequenceIdOffset >= 0) {
    if (static_cast<size_t>(spec.sequenceIdOffset) + 2 > len)
      throw TransportError("EINVAL_OFFSET", "sequenceIdOffset lies outside the message");
    j.seqOffset = static_cast<int>(j.wire.msgOffset) + spec.sequenceIdOffset;
  }
  if (spec.originTimestampOffset >= 0) {
    if (static_cast<size_t>(spec.originTimestampOffset) + 10 > len)
      throw TransportError("EINVAL_OFFSET", "originTimestampOffset lies outside the message");
    j.originOffset = static_cast<int>(j.wire.msgOffset) + spec.originTimestampOffset;
  }
  j.sequenceIdStart = spec.sequenceIdStart;
  j.startNs = spec.startNs;
  j.periodNs = spec.periodNs;
  j.count = spec.count;
  j.followUp = spec.followUp;
  const uint64_t id = j.id;
  {
    std::lock_guard<std::mutex> lk(m_);
    jobs_.emplace(id, std::move(j));
  }
  Wake();
  return id;
}

bool Scheduler::Stop(uint64_t id) {
  std::lock_guard<std::mutex> lk(m_);
  auto it = jobs_.find(id);
  if (it != jobs_.end()) {
    it->second.stop = true;
    Wake();
    return true;
  }
  auto lt = loads_.find(id);
  if (lt != loads_.end()) {
    lt->second->stop = true;
    return true;
  }
  return false;
}

void Scheduler::FinishJob(Job& j, bool stopped) {
  Event e;
  e.type = Event::Type::JobDone;
  e.id = j.id;
  e.stopped = stopped;
  e.sent = j.sent;
  e.failed = j.failed;
  port_->Emit(std::move(e));
}

void Scheduler::Shutdown() {
  if (shutdown_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lk(m_);
    for (auto& kv : loads_) kv.second->stop = true;
  }
  Wake();
  if (thread_.joinable()) thread_.join();
  std::map<uint64_t, std::unique_ptr<LoadJob>> loads;
  {
    std::lock_guard<std::mutex> lk(m_);
    loads.swap(loads_);
  }
  for (auto& kv : loads)
    if (kv.second->thread.joinable()) kv.second->thread.join();
  std::lock_guard<std::mutex> lk(m_);
  for (auto& kv : jobs_) FinishJob(kv.second, true);
  jobs_.clear();
}

void Scheduler::Loop() {
  SetUpRealtime();
  const int64_t spinNs = port_->config().spinNs;
  const bool compensate = port_->config().compensateLatency;
  while (!shutdown_) {
    Job* job = nullptr;
    int64_t target = 0;
    {
      std::lock_guard<std::mutex> lk(m_);
      for (auto it = jobs_.begin(); it != jobs_.end();) {
        Job& j = it->second;
        if (j.stop) {
          FinishJob(j, true);
          it = jobs_.erase(it);
          continue;
        }
        if (!job || j.Deadline() < job->Deadline()) job = &j;
        ++it;
      }
      // Reap finished load threads here, off the JavaScript thread.
      for (auto it = loads_.begin(); it != loads_.end();) {
        if (it->second->finished) {
          if (it->second->thread.joinable()) it->second->thread.join();
          it = loads_.erase(it);
        } else {
          ++it;
        }
      }
      if (job) target = job->Deadline() - (compensate ? port_->latencyLeadNs() : 0);
    }
    pollfd fds[2] = {{wakeFd_, POLLIN, 0}, {timerFd_, POLLIN, 0}};
    if (!job) {
      poll(fds, 1, -1);
      uint64_t v;
      (void)!read(wakeFd_, &v, sizeof v);
      continue;
    }
    const int64_t now = RealtimeNs();
    if (target - now > spinNs) {
      itimerspec its;
      memset(&its, 0, sizeof its);
      its.it_value = ToTimespec(target - spinNs);
      timerfd_settime(timerFd_, TFD_TIMER_ABSTIME, &its, nullptr);
      poll(fds, 2, -1);
      uint64_t v;
      if (fds[0].revents & POLLIN) (void)!read(wakeFd_, &v, sizeof v);
      if (fds[1].revents & POLLIN) (void)!read(timerFd_, &v, sizeof v);
      continue;  // re-evaluate: a new job may be due earlier, this one may be stopped
    }
    // Within the spin window. Only this thread touches job->wire and the
    // map node stays put while we do not hold the lock (erase happens here only).
    const int64_t deadline = job->Deadline();
    const int seq = job->seqOffset >= 0 ? static_cast<int>((job->sequenceIdStart + job->index) & 0xFFFF) : -1;
    uint8_t* bytes = job->wire.bytes.data();
    if (job->seqOffset >= 0) WriteU16(bytes + job->seqOffset, static_cast<uint16_t>(seq));
    if (job->originOffset >= 0) WritePtpTimestamp(bytes + job->originOffset, deadline);
    Pending p;
    p.kind = PendingKind::Train;
    p.id = job->id;
    p.index = job->index;
    p.sequenceId = seq;
    p.deadlineNs = deadline;
    p.followUp = job->followUp;
    // Bounded spin: a clock step must not turn this into an endless loop.
    const int64_t spinLimit = RealtimeNs() + spinNs + 1000000;
    for (;;) {
      const int64_t t = RealtimeNs();
      if (t >= target || t > spinLimit) break;
      CpuRelax();
    }
    bool ok = true;
    try {
      port_->Transmit(job->wire, std::move(p), nullptr);
    } catch (const TransportError& err) {
      ok = false;
      Event e;
      e.type = Event::Type::Train;
      e.id = job->id;
      e.index = job->index;
      e.sequenceId = seq;
      e.deadlineNs = deadline;
      e.code = err.code;
      e.message = err.what();
      port_->Emit(std::move(e));
    }
    std::lock_guard<std::mutex> lk(m_);
    job->index++;
    if (ok)
      job->sent++;
    else
      job->failed++;
    if (job->count && job->index >= job->count) {
      FinishJob(*job, false);
      jobs_.erase(job->id);
    }
  }
}

uint64_t Scheduler::AddLoad(const LoadSpec& spec) {
  if (spec.message.empty()) throw TransportError("EINVAL_FRAME", "load message is empty");
  auto job = std::make_unique<LoadJob>();
  job->id = port_->NextJobId();
  job->spec = spec;
  if (job->spec.batch < 1) job->spec.batch = 1;
  if (job->spec.batch > 1024) job->spec.batch = 1024;
  // Validate the destination now, on the caller's thread, so that errors are thrown to it.
  (void)port_->Frame(spec.message.data(), spec.message.size(), spec.send);
  LoadJob* raw = job.get();
  const uint64_t id = job->id;
  std::lock_guard<std::mutex> lk(m_);
  loads_.emplace(id, std::move(job));
  raw->thread = std::thread(&Scheduler::LoadLoop, this, raw);
  return id;
}

void Scheduler::LoadLoop(LoadJob* job) {
  port_->PinThread();
  const LoadSpec& s = job->spec;
  const int b = s.batch;
  std::vector<Wire> wires;
  wires.reserve(b);
  for (int i = 0; i < b; i++) wires.push_back(port_->Frame(s.message.data(), s.message.size(), s.send));
  const int sock = wires[0].sock;
  std::vector<mmsghdr> mm(b);
  std::vector<iovec> iov(b);
  PrepareMmsg(wires, mm.data(), iov.data());
  const int seqOff = s.sequenceIdOffset >= 0 && static_cast<size_t>(s.sequenceIdOffset) + 2 <= s.message.size()
                         ? static_cast<int>(wires[0].msgOffset) + s.sequenceIdOffset
                         : -1;
  PortSocket& ps = port_->socks_[sock];
  const uint64_t stampedBefore = ps.loadStamped.load();
  Event e;
  e.type = Event::Type::Load;
  e.id = job->id;
  e.startNs = RealtimeNs();
  const int64_t end = e.startNs + s.durationNs;
  uint64_t seq = 0, batches = 0;
  while (!job->stop && !shutdown_) {
    if (s.ratePps > 0) {
      const int64_t due = e.startNs + static_cast<int64_t>((batches * static_cast<uint64_t>(b) * 1000000000ULL) / s.ratePps);
      if (due >= end) break;
      const timespec ts = ToTimespec(due);
      clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr);
    } else if (RealtimeNs() >= end) {
      break;
    }
    if (seqOff >= 0)
      for (int i = 0; i < b; i++) WriteU16(wires[i].bytes.data() + seqOff, static_cast<uint16_t>(seq + i));
    const int n = port_->SendLoadBatch(sock, mm.data(), b, job->id);
    if (n < 0) {
      if (errno == ENOBUFS || errno == EAGAIN) {
        e.failed += b;
        continue;
      }
      e.code = errno == ENETDOWN ? "EIFDOWN" : "ESEND";
      e.message = "sendmmsg failed: " + ErrnoText(errno);
      break;
    }
    e.sent += n;
    e.failed += b - n;
    seq += b;
    batches++;
  }
  e.endNs = RealtimeNs();
  // Give the receive thread time to drain the last timestamps.
  const int64_t drainUntil = MonotonicNs() + 500000000;
  while (ps.loadStamped.load() - stampedBefore < e.sent && MonotonicNs() < drainUntil) {
    const timespec ms = {0, 1000000};
    nanosleep(&ms, nullptr);
  }
  e.stamped = ps.loadStamped.load() - stampedBefore;
  e.stopped = job->stop.load();
  port_->Emit(std::move(e));
  job->finished = true;
  Wake();  // the scheduler thread joins us
}

}  // namespace ptp
