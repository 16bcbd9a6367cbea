// Golden IR text: builder-made modules must print exactly as testdata/<name>.ir, and every .ir
// file there must parse, verify and print back byte for byte. TRITON_UPDATE_GOLDEN=1 rewrites
// the expected files instead of comparing (review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "triton/base/file.h"
#include "triton/ir/printer.h"
#include "triton/ir/test_modules.h"
#include "triton/ir/verifier.h"

namespace triton::ir {
namespace {

const std::string kDir = TRITON_IR_TESTDATA;

bool UpdateMode() {
  const char* v = std::getenv("TRITON_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

void ExpectGolden(const std::string& file, const std::string& actual) {
  const std::string path = kDir + "/" + file;
  if (UpdateMode()) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  Result<std::string> expected = base::ReadFile(path);
  ASSERT_TRUE(expected.ok()) << expected.status().message()
                             << " (run with TRITON_UPDATE_GOLDEN=1 to create it)";
  EXPECT_EQ(actual, expected.value())
      << "golden mismatch for " << path << "; rerun with TRITON_UPDATE_GOLDEN=1 to accept";
}

void CheckBuilt(const Module& m, const std::string& file) {
  EXPECT_EQ(Verify(m), std::vector<std::string>{});
  ExpectGolden(file, Print(m));
}

TEST(Golden, TernaryMlp) { CheckBuilt(testing::TernaryMlp(), "ternary_mlp.ir"); }
TEST(Golden, ResNetBlock) { CheckBuilt(testing::ResNetBlock(), "resnet_block.ir"); }
TEST(Golden, EveryOp) { CheckBuilt(testing::EveryOp(), "every_op.ir"); }

// Hand-written text (comments, free spacing, statements out of canonical order) prints in the
// canonical form recorded beside it.
TEST(Golden, HandwrittenCanonicalizes) {
  Result<std::string> src = base::ReadFile(kDir + "/handwritten.ir.in");
  ASSERT_TRUE(src.ok()) << src.status().message();
  Result<Module> m = ParseModule(src.value(), "handwritten.ir.in");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Verify(m.value()), std::vector<std::string>{});
  ExpectGolden("handwritten.ir", Print(m.value()));
}

// Every checked-in .ir file is canonical: parse + print reproduces it exactly, and it verifies.
TEST(Golden, EveryFileRoundTrips) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() != ".ir") continue;
    ++files;
    Result<std::string> text = base::ReadFile(entry.path().string());
    ASSERT_TRUE(text.ok()) << text.status().message();
    Result<Module> m = ParseModule(text.value(), entry.path().filename().string());
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(Print(m.value()), text.value()) << entry.path();
    EXPECT_EQ(Verify(m.value()), std::vector<std::string>{}) << entry.path();
  }
  EXPECT_GE(files, 4);
}

}  // namespace
}  // namespace triton::ir
