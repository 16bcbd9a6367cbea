#include "triton/base/stack.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace triton::base {
namespace {

// Recurses `depth` frames of ~4 KB each; the volatile buffer keeps the frames from being folded.
int Deep(int depth) {
  volatile char pad[4000];
  pad[0] = static_cast<char>(depth);
  pad[3999] = pad[0];
  return depth == 0 ? pad[3999] : Deep(depth - 1) + 1 + (pad[0] - pad[3999]);
}

TEST(LargeStack, RecursionFarBeyondTheDefaultStack) {
  // 64 MB of frames: eight times the usual 8 MB main-thread limit.
  int got = -1;
  RunWithLargeStack([&] { got = Deep(16000); });
  EXPECT_EQ(got, 16000);
}

// Resident set size in bytes (/proc/self/statm's second field, in pages).
size_t ResidentBytes() {
  std::ifstream f("/proc/self/statm");
  size_t size = 0, resident = 0;
  f >> size >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

TEST(LargeStack, ADeepCallDoesNotStayResident) {
  RunWithLargeStack([] { Deep(10); });
  const size_t before = ResidentBytes();
  // Deeper than any other test here (they may have run first, and been trimmed the same way).
  RunWithLargeStack([] { Deep(32000); });  // touches 128 MB of stack
  EXPECT_LT(ResidentBytes(), before + (size_t{32} << 20));
}

TEST(LargeStack, RepeatedAndNestedCalls) {
  int calls = 0;
  for (int i = 0; i < 100; ++i) {
    RunWithLargeStack([&] {
      ++calls;
      RunWithLargeStack([&] { calls += Deep(1000) > 0 ? 1 : 0; });  // in place: already large
    });
  }
  EXPECT_EQ(calls, 200);
}

TEST(LargeStack, ExceptionsReachTheCaller) {
  EXPECT_THROW(RunWithLargeStack([] { throw std::runtime_error("boom"); }), std::runtime_error);
  int after = 0;
  RunWithLargeStack([&] { after = Deep(100); });  // the stack is usable again
  EXPECT_EQ(after, 100);
}

TEST(LargeStack, ExitFromInsideIsClean) {
  // exit() runs thread-local destructors on the large stack itself; unmapping it there crashed.
  EXPECT_EXIT(RunWithLargeStack([] { std::exit(3); }), testing::ExitedWithCode(3), "");
}

TEST(LargeStack, EveryThreadHasItsOwn) {
  std::vector<std::thread> threads;
  std::vector<int> got(4, -1);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&got, t] {
      for (int i = 0; i < 20; ++i) RunWithLargeStack([&] { got[t] = Deep(2000 + t); });
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(got[t], 2000 + t);
}

#if TRITON_STACK_SWITCH
TEST(LargeStack, RunsOnTheCallersThread) {
  // The stack switch keeps thread-local state (allocator heaps, caches) warm between calls.
  pthread_t inside{};
  RunWithLargeStack([&] { inside = pthread_self(); });
  EXPECT_TRUE(pthread_equal(inside, pthread_self()));
}
#endif

}  // namespace
}  // namespace triton::base
