#include "triton/base/check.h"

namespace triton::base {

void CheckFailed(const char* cond, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "triton: internal error: check failed: %s at %s:%d%s%s\n", cond, file, line,
               msg[0] ? ": " : "", msg);
  std::fflush(stderr);
  std::abort();
}

}  // namespace triton::base
