// Golden before/after IR for every pass: testdata/<pass>/<case>.ir is parsed (ir::ParseModule),
// verified, run through the one pass named by its folder, verified again, and printed; the text
// must equal testdata/<pass>/<case>.expected.ir. TRITON_UPDATE_GOLDEN=1 rewrites the expected
// files instead (review the diff). A case named no_* is one where the pass must not fire: it must
// report no change and print its input unchanged. Every case is also evaluated before and after
// the pass on seeded random inputs and parameters (symbolic dims = 2): the outputs must agree
// within 1e-5 relative to the largest output magnitude, so a golden file cannot record a wrong
// rewrite.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "triton/base/file.h"
#include "triton/ir/eval.h"
#include "triton/ir/passes/pass.h"
#include "triton/ir/passes/test_util.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"

namespace triton::ir::passes {
namespace {

namespace fs = std::filesystem;
const std::string kDir = TRITON_PASSES_TESTDATA;

struct Case {
  PassId pass;
  std::string input;     // testdata/<pass>/<case>.ir
  std::string expected;  // testdata/<pass>/<case>.expected.ir
  std::string name;      // <pass>__<case>, '-' -> '_'
  bool must_not_fire;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> Discover() {
  std::vector<Case> out;
  for (PassId p : AllPasses()) {
    const fs::path dir = fs::path(kDir) / PassName(p);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      const std::string file = f.filename().string();
      const std::string suffix = ".expected.ir";
      if (f.extension() != ".ir" || file.ends_with(suffix)) continue;
      const std::string stem = f.stem().string();
      std::string name = std::string(PassName(p)) + "__" + stem;
      std::replace(name.begin(), name.end(), '-', '_');
      out.push_back(
          {p, f.string(), (dir / (stem + suffix)).string(), name, stem.starts_with("no_")});
    }
  }
  return out;
}

bool UpdateMode() {
  const char* v = std::getenv("TRITON_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

class PassGolden : public ::testing::TestWithParam<Case> {};

TEST_P(PassGolden, BeforeAfter) {
  const Case& c = GetParam();
  Result<std::string> text = base::ReadFile(c.input);
  ASSERT_TRUE(text.ok()) << text.status().message();
  Result<Module> parsed = ParseModule(text.value(), fs::path(c.input).filename().string());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Module before = parsed.value();
  ASSERT_EQ(Verify(before), std::vector<std::string>{}) << "the input must verify";
  Module after = before;
  const bool changed = RunPass(c.pass, after);
  EXPECT_EQ(Verify(after), std::vector<std::string>{}) << "the pass produced invalid IR";
  const std::string actual = Print(after);
  if (!changed) EXPECT_EQ(actual, Print(before)) << "the pass reported no change but changed";
  if (c.must_not_fire) {
    EXPECT_FALSE(changed) << "a no_* case: the pass must not fire";
    EXPECT_EQ(actual, Print(before));
  } else {
    EXPECT_TRUE(changed) << "the pass should fire on this case (name it no_* otherwise)";
  }

  // Same outputs before and after, on random inputs and parameters. quantize-activations is
  // meant to change them: by int8 rounding only (a step of absmax / 127 per input element).
  const double tolerance = c.pass == PassId::kQuantizeActivations ? 5e-2 : 1e-5;
  const std::vector<HostTensor> inputs = testing::RandomInputs(before, 7, 2);
  const std::vector<HostTensor> params = testing::RandomParams(before, 8, 2);
  Result<std::vector<HostTensor>> want = Evaluate(before, inputs, params);
  ASSERT_TRUE(want.ok()) << want.status().message();
  Result<std::vector<HostTensor>> got = Evaluate(after, inputs, params);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got.value().size(), want.value().size());
  for (size_t i = 0; i < want.value().size(); ++i) {
    EXPECT_LE(testing::MaxRelativeError(got.value()[i], want.value()[i]), tolerance)
        << "output " << i;
  }

  if (UpdateMode()) {
    std::ofstream(c.expected, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << c.expected;
  }
  Result<std::string> expected = base::ReadFile(c.expected);
  ASSERT_TRUE(expected.ok()) << expected.status().message()
                             << " (run with TRITON_UPDATE_GOLDEN=1 to create it)";
  EXPECT_EQ(actual, expected.value())
      << "golden mismatch for " << c.expected << "; rerun with TRITON_UPDATE_GOLDEN=1 to accept";
}

INSTANTIATE_TEST_SUITE_P(Passes, PassGolden, ::testing::ValuesIn(Discover()),
                         [](const auto& info) { return info.param.name; });

// Every registered pass has golden cases, at least one where it fires and one where it must not.
TEST(PassGoldenCoverage, EveryPassHasCases) {
  const std::vector<Case> cases = Discover();
  for (PassId p : AllPasses()) {
    int fire = 0, no = 0;
    for (const Case& c : cases) {
      if (c.pass == p) (c.must_not_fire ? no : fire) += 1;
    }
    EXPECT_GE(fire, 1) << PassName(p) << " has no golden case where it fires";
    EXPECT_GE(no, 1) << PassName(p) << " has no no_* golden case";
  }
}

// The expected files are canonical IR: they parse, verify and print back byte for byte.
TEST(PassGoldenCoverage, ExpectedFilesRoundTrip) {
  for (const Case& c : Discover()) {
    Result<std::string> text = base::ReadFile(c.expected);
    if (!text.ok()) continue;  // reported by BeforeAfter
    Result<Module> m = ParseModule(text.value(), c.expected);
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(Print(m.value()), text.value()) << c.expected;
    EXPECT_EQ(Verify(m.value()), std::vector<std::string>{}) << c.expected;
  }
}

}  // namespace
}  // namespace triton::ir::passes
