// Golden-file tests of the lexer and parser. For every testdata/NAME.tri:
//   NAME.tokens  DumpTokens of the file
//   NAME.ast     DumpAst of the file
//   NAME.diags   the diagnostics as console text; absent when the file must have none
// plus the prelude (triton/lang/check/prelude.tri), which must parse cleanly: prelude.ast.
// With TRITON_UPDATE_GOLDEN=1 the expected files are rewritten instead of compared.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "triton/lang/lex/lexer.h"
#include "triton/lang/parse/parser.h"

namespace triton::lang {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string name;  // test name and the stem of the expected files
  fs::path source;   // the .tri input
  bool tokens;       // compare a .tokens file too
};

std::vector<GoldenCase> Cases() {
  std::vector<GoldenCase> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(TRITON_PARSE_TESTDATA, ec)) {
    if (entry.path().extension() == ".tri") {
      cases.push_back({entry.path().stem().string(), entry.path(), true});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
  cases.push_back({"prelude", TRITON_PRELUDE_PATH, false});
  return cases;
}

bool UpdateMode() {
  const char* v = std::getenv("TRITON_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Where two texts first differ, as "line N: expected `...`, got `...`".
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = static_cast<bool>(std::getline(a, la));
    bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "texts differ only in line endings";
    if (!ha) la = "<end of file>";
    if (!hb) lb = "<end of file>";
    if (la != lb || !ha || !hb) {
      return "line " + std::to_string(line) + ":\n  expected: " + la + "\n  actual:   " + lb;
    }
  }
}

// Compares `actual` with the file (or rewrites it in update mode). An empty `actual` with
// `optional` set means the file must not exist.
void Check(const fs::path& expected_path, const std::string& actual, bool optional) {
  if (UpdateMode()) {
    if (optional && actual.empty()) {
      fs::remove(expected_path);
      return;
    }
    std::ofstream out(expected_path, std::ios::binary);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << expected_path;
    return;
  }
  std::string expected;
  if (!ReadFile(expected_path, &expected)) {
    if (optional && actual.empty()) return;
    FAIL() << expected_path << " is missing; run with TRITON_UPDATE_GOLDEN=1 to create it.\n"
           << "actual output:\n"
           << actual;
  }
  EXPECT_EQ(expected, actual) << expected_path << " differs at "
                              << FirstDifference(expected, actual)
                              << "\n(run with TRITON_UPDATE_GOLDEN=1 to accept the new output)";
}

class GoldenTest : public testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, Matches) {
  const GoldenCase& c = GetParam();
  std::string text;
  ASSERT_TRUE(ReadFile(c.source, &text)) << "cannot read " << c.source;
  diag::SourceManager sm;
  diag::FileId file = sm.Add(c.source.filename().string(), std::move(text));
  diag::DiagEngine diags(sm);
  std::vector<Token> tokens = Lex(sm, file, diags);
  ast::Program program = Parse(tokens, file, diags);
  fs::path stem = fs::path(TRITON_PARSE_TESTDATA) / c.name;
  if (c.tokens) Check(stem.string() + ".tokens", DumpTokens(sm, tokens), false);
  Check(stem.string() + ".ast", DumpAst(program, sm), false);
  Check(stem.string() + ".diags", diags.RenderText(), /*optional=*/true);
}

INSTANTIATE_TEST_SUITE_P(Parse, GoldenTest, testing::ValuesIn(Cases()),
                         [](const testing::TestParamInfo<GoldenCase>& info) {
                           std::string n = info.param.name;
                           for (char& ch : n) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace triton::lang
