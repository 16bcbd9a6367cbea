#pragma once
// Stores that run after the compile has answered: one background thread runs posted jobs in
// order, so a compile-cache miss in a long-lived process (a server, a watch loop, the benchmarks)
// returns its module without waiting for the disk. On this kind of VM a store (print the IR,
// create two entry files, update the counters) costs several times the compile it follows.
//
// Contract:
// - Post() returns at once, unless `max_pending` jobs already wait: then it runs the job itself,
//   so a producer faster than the disk is slowed to the disk's pace instead of queueing without
//   bound.
// - Flush() returns once every job posted before it has finished.
// - The destructor flushes: a process that exits normally (static destruction) loses no store.
//   A process that is killed may lose queued stores; the cache is only ever missing entries then,
//   never holding bad ones (entries are written to a temp file and renamed, disk_cache.h).
// - Jobs must not throw, and must not Post or Flush.
// - A child forked after the first Post has no thread: it must not Post or Flush (the one fork in
//   the tree, bench_memory.cc's peak-memory child, compiles nothing through the cache).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace triton::cache {

class WriteBehind {
 public:
  explicit WriteBehind(size_t max_pending = 8);
  ~WriteBehind();
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  void Post(std::function<void()> job);
  void Flush();

  // Jobs finished so far and the milliseconds they took, for the benchmarks: the store work
  // that no compile waited for.
  size_t jobs_done() const;
  double busy_ms() const;

 private:
  void Loop();
  void Run(std::function<void()>& job);

  const size_t max_pending_;
  mutable std::mutex mu_;
  std::condition_variable wake_;  // a job was posted, or stop
  std::condition_variable idle_;  // the queue drained
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;  // jobs taken off the queue and not finished (the thread's, Post's own)
  bool stop_ = false;
  size_t done_ = 0;
  double busy_ms_ = 0;
  std::thread thread_;  // started on the first Post: a process that never stores has no thread
};

}  // namespace triton::cache
