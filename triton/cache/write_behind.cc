#include "triton/cache/write_behind.h"

#include <chrono>

namespace triton::cache {

WriteBehind::WriteBehind(size_t max_pending) : max_pending_(max_pending) {}

WriteBehind::~WriteBehind() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();  // the thread drains the queue before it stops
}

void WriteBehind::Run(std::function<void()>& job) {
  const auto t0 = std::chrono::steady_clock::now();
  job();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::lock_guard<std::mutex> lock(mu_);
  --running_;
  ++done_;
  busy_ms_ += ms;
  if (queue_.empty() && running_ == 0) idle_.notify_all();
}

void WriteBehind::Post(std::function<void()> job) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (queue_.size() < max_pending_) {
      queue_.push_back(std::move(job));
      if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
      lock.unlock();
      wake_.notify_one();
      return;
    }
    ++running_;
  }
  Run(job);  // the queue is full: this caller does the work
}

void WriteBehind::Loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_, and nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    Run(job);
  }
}

void WriteBehind::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
}

size_t WriteBehind::jobs_done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return done_;
}

double WriteBehind::busy_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  return busy_ms_;
}

}  // namespace triton::cache
