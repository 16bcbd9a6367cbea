#include "triton/driver/bench_machine.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "triton/base/allocator.h"

namespace triton::driver {

namespace {

std::string CpuModelName() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t b = line.find_first_not_of(" \t", colon + 1);
    if (b != std::string::npos) return line.substr(b);
  }
  return Cpu().brand.empty() ? "unknown CPU" : Cpu().brand;
}

std::string Compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

std::string UtcDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json MachineJson(Isa isa, int threads) {
  struct utsname u {};
  std::string kernel = "unknown", arch = "unknown";
  if (::uname(&u) == 0) {
    kernel = std::string(u.sysname) + " " + u.release;
    arch = u.machine;
  }
  double load[1] = {-1};
  if (::getloadavg(load, 1) != 1) load[0] = -1;
  return {{"cpu", CpuModelName()},
          {"logical_cores", ::sysconf(_SC_NPROCESSORS_ONLN)},
          {"kernel", kernel},
          {"arch", arch},
          {"isa", std::string(IsaName(isa))},
          {"threads", threads},
          {"build_type", TRITON_BUILD_TYPE},
          {"compiler", Compiler()},
          {"allocator", base::AllocatorName()},
          {"date", UtcDate()},
          {"load_average_1m", load[0]}};
}

std::string DisplayPath(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  const fs::path abs = fs::absolute(path, ec).lexically_normal();
  if (ec) return path;
  const fs::path rel = abs.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

std::string ShellQuote(const std::string& w) {
  if (!w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_./:=,+@%") == std::string::npos) {
    return w;
  }
  std::string out = "'";
  for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ProcessCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string raw = ss.str();
  std::string out;
  size_t start = 0;
  for (int i = 0; start < raw.size(); ++i) {
    size_t end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    if (i) out += ' ';
    out += i == 0 ? std::string("triton") : ShellQuote(raw.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace triton::driver
