#pragma once
// Internal invariant checks. A failed TRITON_CHECK is a bug in Triton, never a user error: it
// prints the condition, the location and a message, then aborts (exit code 3 via the CLI's
// terminate handler is not attempted: abort gives a core and a stack for the bug report).
#include <cstdio>
#include <cstdlib>

namespace triton::base {
[[noreturn]] void CheckFailed(const char* cond, const char* file, int line, const char* msg);
}  // namespace triton::base

#define TRITON_CHECK(cond)                                                   \
  do {                                                                       \
    if (!(cond)) ::triton::base::CheckFailed(#cond, __FILE__, __LINE__, ""); \
  } while (0)

#define TRITON_CHECK_MSG(cond, msg)                                             \
  do {                                                                          \
    if (!(cond)) ::triton::base::CheckFailed(#cond, __FILE__, __LINE__, (msg)); \
  } while (0)

#define TRITON_UNREACHABLE(msg) \
  ::triton::base::CheckFailed("unreachable", __FILE__, __LINE__, (msg))
