// Timed sends on a native thread: absolute CLOCK_REALTIME deadlines (the clock
// of software timestamps), a timerfd sleep until shortly before the deadline,
// then a spin on clock_gettime. Periodic trains keep their grid: frame i is due
// at start + i * period whatever happened to frame i - 1.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "port.h"

namespace ptp {

class Scheduler {
 public:
  explicit Scheduler(Port* port);
  ~Scheduler();
  uint64_t AddTrain(const TrainSpec& spec);
  uint64_t AddLoad(const LoadSpec& spec);
  bool Stop(uint64_t id);
  void Shutdown();  // stops every job (each reports JobDone with stopped) and joins the threads
  RealtimeState realtime() const;

 private:
  struct Job {
    uint64_t id = 0;
    Wire wire;
    int seqOffset = -1;     // absolute offsets in wire.bytes, -1: not filled
    int originOffset = -1;
    int sequenceIdStart = 0;
    int64_t startNs = 0, periodNs = 0;
    uint64_t count = 0, index = 0, sent = 0, failed = 0;
    bool stop = false;
    std::shared_ptr<const FollowUpSpec> followUp;
    int64_t Deadline() const { return startNs + static_cast<int64_t>(index) * periodNs; }
  };
  struct LoadJob {
    uint64_t id = 0;
    LoadSpec spec;
    std::atomic<bool> stop{false};
    std::atomic<bool> finished{false};
    std::thread thread;
  };

  void Loop();
  void LoadLoop(LoadJob* job);
  void Wake();
  void SetUpRealtime();
  void FinishJob(Job& j, bool stopped);

  Port* port_;
  mutable std::mutex m_;
  std::map<uint64_t, Job> jobs_;
  std::map<uint64_t, std::unique_ptr<LoadJob>> loads_;
  std::atomic<bool> shutdown_{false};
  int wakeFd_ = -1;
  int timerFd_ = -1;
  RealtimeState rt_;
  std::thread thread_;
};

}  // namespace ptp
