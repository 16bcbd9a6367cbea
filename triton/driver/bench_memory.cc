// Peak resident memory of one engine, measured in a forked child (bench_perf.h, bench_engines.h).
//
// Why a child: VmHWM is per process and only ever grows; a child starts from the parent's
// resident set (its pages are shared, copy-on-write, and only read), so VmHWM - VmRSS after a
// reset counts exactly what the engine allocates and touches. The parent must fork before it
// has run any OpenMP region: libgomp's thread pool does not survive fork, so the child of a
// parent that has used it can hang; RunPerf measures memory first, and a child that does not
// answer within the timeout is killed and the engine's own count is used instead.
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "triton/driver/bench_engines.h"

namespace triton::driver::bench {
namespace {

// Resets VmHWM to the current VmRSS (Linux >= 4.0).
bool ResetHighWaterMark() {
  std::ofstream f("/proc/self/clear_refs");
  if (!f) return false;
  f << "5";
  f.flush();
  return static_cast<bool>(f);
}

// A "Name:   123 kB" line of /proc/self/status, in bytes; -1 when missing.
int64_t StatusBytes(const char* name) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(name);
  while (std::getline(f, line)) {
    if (line.compare(0, n, name) == 0 && line.size() > n && line[n] == ':') {
      return std::stoll(line.substr(n + 1)) * 1024;
    }
  }
  return -1;
}

void WriteAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t w = ::write(fd, s.data() + off, s.size() - off);
    if (w <= 0) return;
    off += static_cast<size_t>(w);
  }
}

// The child's side: one line "OK <peak> <load_peak>" or "ERR <message>". File-backed pages
// that the engine maps for the first time (library code: oneDNN, BLAS kernels) count in VmHWM
// but are not weights or activations: their growth (RssFile) is subtracted.
std::string ChildMeasure(const std::function<Result<std::unique_ptr<PerfEngine>>()>& make) {
  // Free heap pages inherited from the parent stay resident; an allocation reusing them would not
  // grow the resident set. Return them to the OS first, so that every byte the engine touches
  // counts.
  ::malloc_trim(0);
  if (!ResetHighWaterMark()) return "ERR cannot write /proc/self/clear_refs";
  const int64_t rss0 = StatusBytes("VmRSS"), file0 = StatusBytes("RssFile");
  if (rss0 < 0 || file0 < 0) return "ERR no VmRSS/RssFile in /proc/self/status";
  Result<std::unique_ptr<PerfEngine>> e = make();
  if (!e.ok()) return "ERR " + e.status().message();
  const int64_t load_peak = StatusBytes("VmHWM") - rss0 - (StatusBytes("RssFile") - file0);
  // Freed build-time buffers (copies of the params before repacking) are not the engine's
  // memory: give them back to the OS, then measure the run from the resident set that remains.
  ::malloc_trim(0);
  if (!ResetHighWaterMark()) return "ERR cannot write /proc/self/clear_refs";
  e.value()->BeforeRun();
  Status st = e.value()->Run();
  if (!st.ok()) return "ERR " + st.message();
  const int64_t peak = StatusBytes("VmHWM") - rss0 - (StatusBytes("RssFile") - file0);
  return "OK " + std::to_string(peak) + " " + std::to_string(load_peak);
}

}  // namespace

PeakMemory MeasurePeakInChild(const std::function<Result<std::unique_ptr<PerfEngine>>()>& make,
                              double timeout_s) {
  PeakMemory r;
  if (::access("/proc/self/clear_refs", W_OK) != 0 || ::access("/proc/self/status", R_OK) != 0) {
    r.error = "/proc/self/clear_refs or /proc/self/status is not available";
    return r;
  }
  int fds[2];
  if (::pipe(fds) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  std::fflush(nullptr);  // the child must not flush the parent's buffered output again
  const pid_t pid = ::fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return r;
  }
  if (pid == 0) {
    ::close(fds[0]);
    std::string line;
    try {
      line = ChildMeasure(make);
    } catch (const std::exception& ex) {
      line = std::string("ERR ") + ex.what();
    }
    for (char& c : line) c = c == '\n' ? ' ' : c;
    WriteAll(fds[1], line + "\n");
    ::close(fds[1]);
    ::_exit(0);  // no destructors, atexit handlers or stdio flushes of the parent's state
  }
  ::close(fds[1]);
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    char buf[512];
    const ssize_t got = ::read(fds[0], buf, sizeof buf);
    if (got <= 0) break;  // EOF: the child is done (or died)
    text.append(buf, static_cast<size_t>(got));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) {
    r.error = "the measuring child did not finish within " + std::to_string(timeout_s) + " s";
    return r;
  }
  if (text.rfind("OK ", 0) == 0) {
    long long peak = 0, load = 0;
    if (std::sscanf(text.c_str() + 3, "%lld %lld", &peak, &load) == 2) {
      r.measured = true;
      r.peak_bytes = peak;
      r.load_peak_bytes = load;
      return r;
    }
  }
  if (text.rfind("ERR ", 0) == 0) {
    r.error = text.substr(4, text.find('\n') - 4);
  } else if (WIFSIGNALED(status)) {
    r.error = "the measuring child died of signal " + std::to_string(WTERMSIG(status));
  } else {
    r.error = "the measuring child sent no result";
  }
  return r;
}

}  // namespace triton::driver::bench
