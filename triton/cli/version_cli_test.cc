// `triton --version`: the version and the allocator the process runs with (base/allocator.h).
// When the build links mimalloc (TRITON_EXPECT_MIMALLOC), the binary must run with it: this
// catches a link that silently drops the library (for example under --as-needed).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/cli_util.h"
#include "triton/base/allocator.h"

namespace {

TEST(VersionCliTest, NamesTheVersionAndTheAllocator) {
  const std::string err = (std::filesystem::temp_directory_path() /
                           ("version_cli_test_" + std::to_string(::getpid()) + ".txt"))
                              .string();
  triton::testing::CliOutput o = triton::testing::RunCli(TRITON_BINARY, "--version", err);
  std::filesystem::remove(err);
  EXPECT_EQ(o.code, 0) << o.err;
#ifdef TRITON_EXPECT_MIMALLOC
  EXPECT_EQ(o.out.rfind("triton 0.1.0 (mimalloc ", 0), 0u) << o.out;
#else
  EXPECT_EQ(o.out, "triton 0.1.0 (glibc malloc)\n");
#endif
}

// This test binary does not link mimalloc, so it answers for glibc.
TEST(AllocatorNameTest, GlibcWithoutMimalloc) {
  EXPECT_EQ(triton::base::AllocatorName(), "glibc malloc");
}

}  // namespace
