#pragma once
// Runs a function on a thread with a large stack. The front end recurses on nesting that the user
// controls (expressions, blocks, layers calling layers); depth limits bound that recursion, and a
// large stack makes sure the limits, not the default 8 MB stack, are what stops hostile input
// (sanitizer builds use several times more stack per frame).
#include <cstddef>
#include <functional>

// AddressSanitizer and ThreadSanitizer track stacks per thread and need annotations for a
// user-level stack switch; under them the large stack is a thread's (stack.cc), as it is on
// failure. GCC names them with macros, clang with __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TRITON_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(TRITON_UNDER_SANITIZER)
#define TRITON_STACK_SWITCH 0
#else
#define TRITON_STACK_SWITCH 1
#endif

namespace triton::base {

inline constexpr size_t kLargeStackBytes = size_t{1} << 30;  // virtual; pages are touched lazily

// Runs `fn` to completion with `stack_bytes` of stack: on this thread, switched to a stack kept per
// thread (stack.cc); under ASan/TSan, or if that fails, on a new thread; if that fails too, on
// the current stack. Called again from inside `fn`, it runs in place. An exception thrown by `fn`
// reaches the caller.
void RunWithLargeStack(const std::function<void()>& fn, size_t stack_bytes = kLargeStackBytes);

}  // namespace triton::base
