// Diagnostics: golden files, the coverage of every kind of triton/diag/kinds.def, and the spec's
// error cases pinned to their kind, line and column.
//
// tests/diagnostics/<Kind>.tri triggers the diagnostic kind <Kind>; <Kind>.expected holds the
// exact text that DiagEngine::RenderText(/*color=*/false) prints for it (location, message,
// source line, caret, notes). Every file is checked as `triton check` does (check_only), named
// "tests/diagnostics/<Kind>.tri" so that the output does not depend on the checkout. The first
// line of a .tri file may change how it is compiled:
//   `# compile`      compile it (as `triton compile FILE`), not check it: for NoModel.
//   `# model: NAME`  compile it with --model NAME: for UnknownModel.
// Absolute paths in messages (an import's "looked beside ...") are shown relative to the
// repository root.
//
// Run with TRITON_UPDATE_GOLDEN=1 to rewrite the .expected files from the current output
// (then review the diff).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "triton/diag/diagnostic.h"
#include "triton/driver/compile.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton {
namespace {

namespace fs = std::filesystem;

constexpr char kDir[] = "tests/diagnostics";

// Kinds that nothing in the compiler emits yet (a known gap, see the test below): their file
// exists, but is not required to produce the kind.
const std::set<std::string> kNotEmittedYet = {"UnusedValue"};

// The repository root as a prefix for reading files: "" when the tests run there (ctest does),
// else the source directory the test was built from.
std::string Root() {
  std::error_code ec;
  if (fs::is_directory(kDir, ec)) return "";
  return std::string(TRITON_SOURCE_DIR) + "/";
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool UpdateGolden() {
  const char* v = std::getenv("TRITON_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

// The kinds' names from the registry.
std::vector<std::string> KindNames() {
  std::vector<std::string> out;
  for (diag::Kind k : diag::AllKinds()) out.emplace_back(diag::KindName(k));
  return out;
}

// Every case file's stem, sorted (read when the test binary starts: the list of tests).
std::vector<std::string> CaseNames() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(Root() + kDir, ec)) {
    if (e.path().extension() == ".tri") out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  std::string name;  // "tests/diagnostics/X.tri"
  std::string text;
  driver::CompileOptions options;
};

Case LoadCase(const std::string& stem) {
  Case c;
  c.name = std::string(kDir) + "/" + stem + ".tri";
  c.text = ReadText(Root() + c.name);
  c.options.check_only = true;
  std::string first = c.text.substr(0, c.text.find('\n'));
  if (first == "# compile") {
    c.options.check_only = false;
  } else if (first.rfind("# model: ", 0) == 0) {
    c.options.check_only = false;
    c.options.model = first.substr(9);
  }
  return c;
}

// Replaces every occurrence of `from` in `s` by `to`.
void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

std::string Render(const driver::CompileResult& r) {
  std::string text = r.diags->RenderText(/*color=*/false);
  std::error_code ec;
  std::string cwd = fs::current_path(ec).string();
  if (!ec) ReplaceAll(text, cwd + "/", "");
  return text;
}

class DiagnosticsGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DiagnosticsGolden, MatchesExpected) {
  Case c = LoadCase(GetParam());
  ASSERT_FALSE(c.text.empty()) << "cannot read " << c.name;
  driver::CompileResult r = driver::CompileSource(c.name, c.text, c.options);
  std::string actual = Render(r);
  std::string expected_path = Root() + kDir + "/" + GetParam() + ".expected";
  if (UpdateGolden()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    GTEST_SKIP() << "updated " << expected_path;
  }
  std::error_code ec;
  ASSERT_TRUE(fs::exists(expected_path, ec))
      << expected_path << " is missing; run with TRITON_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(ReadText(expected_path), actual) << "for " << c.name;
}

INSTANTIATE_TEST_SUITE_P(Files, DiagnosticsGolden, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(DiagnosticKinds, EveryKindHasACaseThatTriggersIt) {
  std::error_code ec;
  ASSERT_TRUE(fs::is_directory(Root() + kDir, ec)) << "run the tests from the repository root";
  for (const std::string& kind : KindNames()) {
    SCOPED_TRACE(kind);
    std::string path = Root() + kDir + "/" + kind + ".tri";
    ASSERT_TRUE(fs::exists(path, ec)) << "add " << kDir << "/" << kind << ".tri (and .expected)";
    EXPECT_TRUE(fs::exists(Root() + kDir + "/" + kind + ".expected", ec));
    if (kNotEmittedYet.count(kind)) continue;
    Case c = LoadCase(kind);
    driver::CompileResult r = driver::CompileSource(c.name, c.text, c.options);
    bool found = false;
    for (const diag::Diagnostic& d : r.diags->diagnostics()) {
      found = found || kind == diag::KindName(d.kind);
    }
    EXPECT_TRUE(found) << c.name << " does not produce " << kind << "; it produces:\n"
                       << Render(r);
  }
}

TEST(DiagnosticKinds, EveryCaseNamesAKind) {
  std::vector<std::string> kinds = KindNames();
  std::vector<std::string> cases = CaseNames();
  EXPECT_EQ(cases.size(), kinds.size());
  for (const std::string& c : cases) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), c), kinds.end())
        << kDir << "/" << c << ".tri names no kind of kinds.def";
  }
}

TEST(DiagnosticKinds, UnusedValueIsEmitted) {
  // known bug: no stage reports UnusedValue (kinds.def declares it; nothing calls Report with
  // it). tests/diagnostics/UnusedValue.tri holds an expression statement whose value is dropped,
  // and its .expected is empty. Remove this skip and the entry in kNotEmittedYet when it lands.
  GTEST_SKIP() << "known gap: nothing emits UnusedValue yet";
}

TEST(DiagnosticKinds, SeveritiesAndNamesAreConsistent) {
  std::set<std::string> seen;
  for (diag::Kind k : diag::AllKinds()) {
    std::string name = diag::KindName(k);
    EXPECT_TRUE(seen.insert(name).second) << "duplicate kind " << name;
    EXPECT_FALSE(std::string(diag::KindDescription(k)).empty()) << name;
    EXPECT_EQ(diag::KindSeverity(k) == diag::Severity::kWarning, name == "UnusedValue") << name;
  }
}

}  // namespace
}  // namespace triton
