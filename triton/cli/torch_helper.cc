#include "triton/cli/torch_helper.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "triton/cli/common.h"

namespace triton::cli {

namespace {

// The first two words of the command line, up to the first option ("bench", "perf"): the
// subcommand path. Nothing comes before the subcommand, since the top-level app's only options
// are --help and --version.
std::vector<std::string_view> Words(int argc, char** argv) {
  std::vector<std::string_view> w;
  for (int i = 1; i < argc && w.size() < 2; ++i) {
    std::string_view a = argv[i];
    if (a.empty() || a[0] == '-') break;
    w.push_back(a);
  }
  return w;
}

}  // namespace

bool NeedsTorch(int argc, char** argv) {
  const std::vector<std::string_view> w = Words(argc, argv);
  if (w.empty()) return false;
  if (w[0] == "train") return true;
  return w[0] == "bench" && w.size() > 1 && w[1] == "perf";
}

int ExecTorchHelper(const char* name, int argc, char** argv) {
  std::string self(4096, '\0');
  const ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
  std::string dir = ".";
  if (n > 0) {
    self.resize(static_cast<size_t>(n));
    const size_t slash = self.find_last_of('/');
    if (slash != std::string::npos) dir = self.substr(0, slash);
  }
  const std::string helper = dir + "/" + name;
  std::vector<char*> args(argv, argv + argc);
  args.push_back(nullptr);
  ::execv(helper.c_str(), args.data());
  const int err = errno;
  std::fprintf(stderr,
               "triton: error: this command needs libtorch, which runs in the helper %s: %s "
               "(build it with the `triton` target; it is installed beside `triton`)\n",
               helper.c_str(), std::strerror(err));
  return kUserError;
}

}  // namespace triton::cli
