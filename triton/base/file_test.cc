// base/file.h: whole-file reads, and the canonical path a read reports (which must be what
// realpath(3) says: the compile cache keys files by it and resolves imports beside it).
#include "triton/base/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "triton/base/temp_dir.h"

namespace triton::base {
namespace {

namespace fs = std::filesystem;

std::string RealPath(const std::string& p) {
  char* r = ::realpath(p.c_str(), nullptr);
  std::string out = r ? r : "";
  std::free(r);
  return out;
}

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    root_ = dir_.path();
    fs::create_directories(root_ + "/a/b");
    std::ofstream(root_ + "/a/b/f.tri") << "layer X {}\n";
    fs::create_directory_symlink(root_ + "/a/b", root_ + "/linkdir");
    fs::create_symlink(root_ + "/a/b/f.tri", root_ + "/link.tri");
    fs::create_symlink("b/f.tri", root_ + "/a/rel.tri");  // relative to the link's directory
  }
  TempDir dir_{"triton-file-test"};
  std::string root_;
};

TEST_F(FileTest, TheCanonicalPathOfARead) {
  const std::string want = RealPath(root_ + "/a/b/f.tri");
  ASSERT_FALSE(want.empty());
  for (const std::string p :
       {root_ + "/a/b/f.tri", root_ + "/a/./b/../b/f.tri", root_ + "//a/b/f.tri",
        root_ + "/linkdir/f.tri", root_ + "/link.tri", root_ + "/a/rel.tri"}) {
    std::string canonical = "unset";
    Result<std::string> text = ReadFile(p, &canonical);
    ASSERT_TRUE(text.ok()) << p;
    EXPECT_EQ(text.value(), "layer X {}\n") << p;
    EXPECT_EQ(canonical, want) << p;
    EXPECT_EQ(canonical, RealPath(p)) << p;
  }
}

TEST_F(FileTest, ARelativePathResolvesFromTheWorkingDirectory) {
  const std::string cwd = fs::current_path().string();
  ASSERT_EQ(::chdir((root_ + "/a").c_str()), 0);
  std::string canonical;
  Result<std::string> text = ReadFile("b/f.tri", &canonical);
  std::string found = RegularFile("../linkdir/f.tri");
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(canonical, RealPath(root_ + "/a/b/f.tri"));
  EXPECT_EQ(found, canonical);
}

TEST_F(FileTest, ErrorsNameTheFileAndLeaveTheCanonicalPathAlone) {
  std::string canonical = "unset";
  Result<std::string> missing = ReadFile(root_ + "/nothere.tri", &canonical);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), root_ + "/nothere.tri: No such file or directory");
  Result<std::string> dir = ReadFile(root_ + "/a", &canonical);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().message(), root_ + "/a: is a directory, not a file");
  Result<std::string> under_file = ReadFile(root_ + "/a/b/f.tri/x", &canonical);
  ASSERT_FALSE(under_file.ok());
  EXPECT_NE(under_file.status().message().find("/a/b/f.tri/x: "), std::string::npos);
  EXPECT_EQ(canonical, "unset");
}

TEST_F(FileTest, RegularFileFindsOnlyRegularFiles) {
  const std::string want = RealPath(root_ + "/a/b/f.tri");
  EXPECT_EQ(RegularFile(root_ + "/linkdir/f.tri"), want);
  EXPECT_EQ(RegularFile(root_ + "/nothere.tri"), "");
  EXPECT_EQ(RegularFile(root_ + "/a"), "");
  EXPECT_EQ(RegularFile(root_ + "/a/b/f.tri/x"), "");
  EXPECT_EQ(RegularFile("/dev/null"), "");  // a device: not even opened
  // A FIFO is neither taken nor waited on (opening it to read would block without a writer).
  ASSERT_EQ(::mkfifo((root_ + "/pipe.tri").c_str(), 0644), 0);
  Result<std::string> text = std::string("untouched");
  EXPECT_EQ(RegularFile(root_ + "/pipe.tri", &text), "");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), "untouched");
}

TEST_F(FileTest, RegularFileReadsWhatItFinds) {
  Result<std::string> text = std::string();
  EXPECT_EQ(RegularFile(root_ + "/link.tri", &text), RealPath(root_ + "/a/b/f.tri"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), "layer X {}\n");
}

TEST_F(FileTest, AnUnreadableFileIsFoundAndItsReadFails) {
  if (::geteuid() == 0) GTEST_SKIP() << "permission bits do not stop root";
  ASSERT_EQ(::chmod((root_ + "/a/b/f.tri").c_str(), 0), 0);
  Result<std::string> text = std::string();
  EXPECT_EQ(RegularFile(root_ + "/a/b/f.tri", &text), RealPath(root_ + "/a/b/f.tri"));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(), root_ + "/a/b/f.tri: cannot open: Permission denied");
}

}  // namespace
}  // namespace triton::base
