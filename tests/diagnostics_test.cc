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
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_files.h"
#include "triton/diag/diagnostic.h"
#include "triton/driver/compile.h"

namespace triton {
namespace {

namespace fs = std::filesystem;

constexpr char kDir[] = "tests/diagnostics";

std::string Root() { return test_files::RepoRoot(kDir); }

using test_files::ReadText;

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
    Case c = LoadCase(kind);
    driver::CompileResult r = driver::CompileSource(c.name, c.text, c.options);
    bool found = false;
    for (const diag::Diagnostic& d : r.diags->diagnostics()) {
      found = found || kind == diag::KindName(d.kind);
    }
    EXPECT_TRUE(found) << c.name << " does not produce " << kind << "; it produces:\n" << Render(r);
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

TEST(DiagnosticKinds, SeveritiesAndNamesAreConsistent) {
  std::set<std::string> seen;
  for (diag::Kind k : diag::AllKinds()) {
    std::string name = diag::KindName(k);
    EXPECT_TRUE(seen.insert(name).second) << "duplicate kind " << name;
    EXPECT_FALSE(std::string(diag::KindDescription(k)).empty()) << name;
    EXPECT_EQ(diag::KindSeverity(k) == diag::Severity::kWarning, name == "UnusedValue") << name;
  }
}

TEST(Rendering, CaretUnderTextAfterMultiByteCharacters) {
  driver::CompileOptions o;
  o.check_only = true;
  driver::CompileResult r = driver::CompileSource("u.tri", "let s = \"h\xc3\xa9llo\" + z\n", o);
  // The caret should stand under `z`: 19 display columns of text before it, not 20 bytes.
  EXPECT_EQ(r.diags->RenderText(false),
            "u.tri:1:20: error: undefined name 'z' [UndefinedName]\n"
            "  let s = \"h\xc3\xa9llo\" + z\n"
            "                    ^\n");
}

// ---------------------------------------------------------------- the spec's error cases
// Each gives exactly one diagnostic, of the right kind, at the right line and column.

struct Located {
  std::string kind;
  uint32_t line = 0, column = 0;  // 0 when unlocated
  std::string message;
};

std::vector<Located> Diagnose(const std::string& src, bool check_only = true) {
  driver::CompileOptions o;
  o.check_only = check_only;
  driver::CompileResult r = driver::CompileSource("spec.tri", src, o);
  std::vector<Located> out;
  for (const diag::Diagnostic& d : r.diags->diagnostics()) {
    Located l;
    l.kind = diag::KindName(d.kind);
    l.message = d.message;
    if (d.range.valid()) {
      diag::LineCol lc = r.sources->file(d.range.file).Resolve(d.range.begin);
      l.line = lc.line;
      l.column = lc.column;
    }
    out.push_back(l);
  }
  // Source order, as the renderings list them (the engine keeps the order of reporting).
  std::stable_sort(out.begin(), out.end(), [](const Located& a, const Located& b) {
    if ((a.line == 0) != (b.line == 0)) return b.line == 0;
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

std::string Show(const std::vector<Located>& ds) {
  std::string s;
  for (const Located& d : ds) {
    s += std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.kind + " " + d.message +
         "\n";
  }
  return s;
}

// Expects exactly one diagnostic of `kind` at line:column; returns its message.
std::string ExpectOne(const std::string& src, const std::string& kind, uint32_t line,
                      uint32_t column) {
  std::vector<Located> ds = Diagnose(src);
  EXPECT_EQ(ds.size(), 1u) << src << "\n" << Show(ds);
  if (ds.empty()) return "";
  EXPECT_EQ(ds[0].kind, kind) << src << "\n" << Show(ds);
  EXPECT_EQ(ds[0].line, line) << src << "\n" << Show(ds);
  EXPECT_EQ(ds[0].column, column) << src << "\n" << Show(ds);
  return ds[0].message;
}

TEST(SpecErrors, BadTritValue) {
  EXPECT_EQ(ExpectOne("let t: trit = 2\n", "BadTritValue", 1, 15),
            "trit value must be -1, 0, or 1, got 2");
  EXPECT_EQ(
      ExpectOne("let a = 1\nlet w = TernaryTensor[2, 2](1, 0, 2, -1)\n", "BadTritValue", 2, 35),
      "trit value must be -1, 0, or 1, got 2");
  EXPECT_EQ(ExpectOne("let u = trit(2)\n", "BadTritValue", 1, 14),
            "trit value must be -1, 0, or 1, got 2");
  EXPECT_EQ(ExpectOne("let u = trit(-2)\n", "BadTritValue", 1, 14),
            "trit value must be -1, 0, or 1, got -2");
  // A compile-time constant outside the set, at the expression.
  ExpectOne("let k = 3\nlet t: trit = k - 1\n", "BadTritValue", 2, 15);
  // In a TernaryTensor literal written with a list, and as a float.
  ExpectOne("let w = TernaryTensor[2](0.5, 1)\n", "BadTritValue", 1, 26);
  // Every bad value of one literal is reported.
  std::vector<Located> ds = Diagnose("let w = TernaryTensor[3](5, 0, -7)\n");
  ASSERT_EQ(ds.size(), 2u) << Show(ds);
  EXPECT_EQ(ds[0].column, 26u);
  EXPECT_EQ(ds[1].column, 32u);
}

TEST(SpecErrors, TernaryValueCount) {
  EXPECT_EQ(ExpectOne("let v = TernaryTensor[2, 2](1, 0, 1)\n", "TernaryValueCount", 1, 9),
            "TernaryTensor[2, 2] needs 4 values, got 3");
  EXPECT_EQ(ExpectOne("let v = TernaryTensor[3](1, 0, 1, 0)\n", "TernaryValueCount", 1, 9),
            "TernaryTensor[3] needs 3 values, got 4");
  ExpectOne("let v = TernaryTensor[2, 3]([1, 0, 1])\n", "TernaryValueCount", 1, 9);
}

TEST(SpecErrors, UndefinedName) {
  EXPECT_EQ(ExpectOne("let x = 1\nlet y = x + z\n", "UndefinedName", 2, 13), "undefined name 'z'");
  // Also in code that elaboration never reaches.
  ExpectOne("fn never() -> int {\n  return missing\n}\n", "UndefinedName", 2, 10);
  ExpectOne("layer L(x: Tensor[N, 4]) -> Tensor {\n  return relu(y)\n}\n", "UndefinedName", 2, 15);
}

TEST(SpecErrors, UseBeforeDefinition) {
  EXPECT_EQ(ExpectOne("let y = x + 1\nlet x = 2\n", "UseBeforeDefinition", 1, 9),
            "'x' is used before its definition");
  ExpectOne(
      "layer L() {\n  let a = w\n  let w: Tensor[4, 4] = zeros()\n"
      "  fn forward(x: Tensor[N, 4]) -> Tensor { return x @ w }\n}\n",
      "UseBeforeDefinition", 2, 11);
}

TEST(SpecErrors, MatmulMismatch) {
  std::string msg = ExpectOne(
      "layer Mlp(x: Tensor<float32, [N, 512]>, w: TernaryTensor<trit, [256, 10]>) -> Tensor {\n"
      "  return x @ w\n"
      "}\n",
      "ShapeMismatch", 2, 10);
  EXPECT_EQ(msg,
            "cannot multiply Tensor<float32, [N, 512]> by TernaryTensor<trit, [256, 10]>: inner "
            "dimensions 512 and 256 differ");
  // Through matmul(...) and in a module-style layer's forward.
  ExpectOne(
      "layer L() {\n  let w: Tensor[3, 2] = zeros()\n"
      "  fn forward(x: Tensor[N, 4]) -> Tensor {\n    return matmul(x, w)\n  }\n}\n"
      "model m = L()\n",
      "ShapeMismatch", 4, 12);
}

TEST(SpecErrors, ConvolutionChannelMismatch) {
  std::string msg = ExpectOne(
      "layer C(x: Tensor<float32, [N, 3, 8, 8]>, w: TernaryTensor<trit, [16, 4, 3, 3]>) -> Tensor "
      "{\n"
      "  return conv2d(x, w, padding=1)\n"
      "}\n",
      "ShapeMismatch", 2, 10);
  EXPECT_NE(msg.find("3 channels"), std::string::npos) << msg;
}

TEST(SpecErrors, WrongArity) {
  std::string fn = "fn f(a: int, b: int = 2) -> int { return a + b }\n";
  EXPECT_EQ(ExpectOne(fn + "let p = f(1, 2, 3)\n", "WrongArity", 2, 9),
            "function f takes 2 arguments, got 3");
  EXPECT_EQ(ExpectOne(fn + "let q = f()\n", "WrongArity", 2, 9),
            "function f is missing argument 'a'");
  EXPECT_EQ(ExpectOne(fn + "let r = f(1, c=3)\n", "UnknownArgument", 2, 14),
            "function f has no parameter 'c' (it takes a, b)");
  EXPECT_EQ(ExpectOne(fn + "let s = f(1, b=2, b=3)\n", "DuplicateArgument", 2, 19),
            "argument 'b' of function f is given twice");
  EXPECT_EQ(ExpectOne(fn + "let s = f(1, a=2)\n", "DuplicateArgument", 2, 14),
            "argument 'a' of function f is given twice");
  // Layers and built-ins.
  ExpectOne("let l = Linear(4)\n", "WrongArity", 1, 9);
  ExpectOne("let l = Linear(4, 2, outs=3)\n", "UnknownArgument", 1, 22);
  ExpectOne("let r = range(1, 2, 3, 4)\n", "WrongArity", 1, 9);
  ExpectOne("let r = range(stop=3)\n", "WrongArity", 1, 9);
  ExpectOne("let r = range(3, stpe=1)\n", "UnknownArgument", 1, 18);
  ExpectOne("let r = range(3, start=1)\n", "DuplicateArgument", 1, 18);
}

TEST(SpecErrors, Narrowing) {
  EXPECT_EQ(ExpectOne("let big: int64 = 5\nlet n8: int8 = big\n", "Narrowing", 2, 16),
            "cannot implicitly narrow int64 to int8 ('n8'); convert explicitly with int8(...)");
  ExpectOne("let fl = 2.5\nlet ni: int = fl\n", "Narrowing", 2, 15);
  ExpectOne("let ni: int = 2.5\n", "Narrowing", 1, 15);
  ExpectOne("let f64: float64 = 1.5\nlet f32: float32 = f64\n", "Narrowing", 2, 20);
  // A float64 tensor does not narrow to float32 implicitly; float32 -> float64 widens.
  ExpectOne("let d64 = float64(Tensor[2](1.0, 2.0))\nlet d32: Tensor<float32, [2]> = d64\n",
            "Narrowing", 2, 33);
  EXPECT_TRUE(Diagnose("let d = Tensor[2](1.0, 2.0)\nlet e: Tensor<float64, [2]> = d\n").empty());
  // An int8 tensor into an int8 parameter is fine, an int32 tensor is not.
  ExpectOne(
      "fn f(x: Tensor<int8, [2]>) -> Tensor { return x }\n"
      "let y = f(int32(Tensor[2](1, 2)))\n",
      "Narrowing", 2, 11);
  // An explicit cast narrows.
  EXPECT_TRUE(Diagnose("let big: int64 = 5\nlet n8: int8 = int8(big)\n").empty());
}

TEST(SpecErrors, FloatIntoTernary) {
  ExpectOne("let f = Tensor[2, 2](0.5, -0.25, 1.0, 0.0)\nlet w: TernaryTensor<trit, [2, 2]> = f\n",
            "FloatIntoTernary", 2, 38);
  std::string msg = ExpectOne(
      "layer T(w: TernaryTensor<trit, [2, 2]>) -> Tensor { return w * 2 }\n"
      "let f = Tensor[2, 2](0.5, -0.25, 1.0, 0.0)\n"
      "let t = T(f)\n",
      "FloatIntoTernary", 3, 11);
  EXPECT_NE(msg.find("ternary_quantize"), std::string::npos) << msg;
  // With the quantizer it is fine.
  EXPECT_TRUE(Diagnose("let f = Tensor[2, 2](0.5, -0.25, 1.0, 0.0)\n"
                       "let w: TernaryTensor<trit, [2, 2]> = ternary_quantize(f)\n")
                  .empty());
}

TEST(SpecErrors, TensorDependentControlFlow) {
  std::string head = "layer A(x: Tensor<float32, [N, 4]>) -> Tensor {\n";
  ExpectOne(head + "  if x > 0 {\n    return x\n  }\n  return x\n}\n", "DynamicControlFlow", 2, 6);
  ExpectOne(head + "  if x {\n    return x\n  }\n  return x\n}\n", "DynamicControlFlow", 2, 6);
  ExpectOne(head + "  while x {\n    x = relu(x)\n  }\n  return x\n}\n", "DynamicControlFlow", 2,
            9);
  ExpectOne(head + "  for row in x {\n    x = relu(x)\n  }\n  return x\n}\n", "DynamicControlFlow",
            2, 14);
  ExpectOne(head + "  return x if x else x\n}\n", "DynamicControlFlow", 2, 15);
  ExpectOne(head + "  let l = [x for r in x]\n  return x\n}\n", "DynamicControlFlow", 2, 23);
}

TEST(SpecErrors, UnterminatedStringAndComment) {
  EXPECT_EQ(ExpectOne("let a = 1\nlet s = \"abc\nlet t = 1\n", "UnterminatedString", 2, 9),
            "unterminated string literal");
  EXPECT_EQ(ExpectOne("let t = 1\n/* abc\n\n", "UnterminatedComment", 2, 1),
            "unterminated block comment");
  // A closed comment is fine, also across lines; `/*` after `//` opens nothing. (A comment
  // that spans lines ends the statement, like the newline it contains.)
  EXPECT_TRUE(Diagnose("let t = 1 /* a */ + 2\n/* a\n b */ let u = (1 /* c\n d */ + 2)\n"
                       "// /* not a block\n")
                  .empty());
}

TEST(SpecErrors, SeveralErrorsAreAllReported) {
  std::string src =
      "let t: trit = 2\n"                       // 1 BadTritValue
      "let w = TernaryTensor[2, 2](1, 0, 1)\n"  // 2 TernaryValueCount
      "let y = undefined_thing + 1\n"           // 3 UndefinedName
      "fn f(a: int) -> int { return a }\n"      // 4
      "let p = f(1, 2)\n"                       // 5 WrongArity
      "let big: int64 = 300\n"                  // 6
      "let small: int8 = big\n"                 // 7 Narrowing
      "let l = [1, 2][5]\n"                     // 8 IndexOutOfRange
      "let d = 1 / 0\n"                         // 9 DivisionByZero
      "let s: str = 3\n"                        // 10 TypeMismatch
      "layer M(x: Tensor<float32, [N, 8]>, w: TernaryTensor<trit, [4, 2]>) -> Tensor {\n"
      "  return x @ w\n"  // 12 ShapeMismatch
      "}\n";
  std::vector<Located> ds = Diagnose(src);
  std::vector<std::pair<uint32_t, std::string>> got;
  for (const Located& d : ds) got.emplace_back(d.line, d.kind);
  std::vector<std::pair<uint32_t, std::string>> want = {
      {1, "BadTritValue"},   {2, "TernaryValueCount"}, {3, "UndefinedName"},
      {5, "WrongArity"},     {7, "Narrowing"},         {8, "IndexOutOfRange"},
      {9, "DivisionByZero"}, {10, "TypeMismatch"},     {12, "ShapeMismatch"}};
  EXPECT_EQ(got, want) << Show(ds);
  driver::CompileOptions o;
  o.check_only = true;
  driver::CompileResult r = driver::CompileSource("spec.tri", src, o);
  EXPECT_EQ(r.diags->error_count(), 9u);
  // Lexical errors are all reported too (elaboration then stops: the tree is broken).
  std::vector<Located> lex = Diagnose("let a = 1 $ 2\nlet b = \"x\\q\"\nlet c = 0x\n");
  ASSERT_EQ(lex.size(), 3u) << Show(lex);
  EXPECT_EQ(lex[0].kind, "UnknownCharacter");
  EXPECT_EQ(lex[1].kind, "BadEscape");
  EXPECT_EQ(lex[2].kind, "BadNumber");
}

TEST(SpecErrors, JsonRenderingAgreesWithTheStructs) {
  driver::CompileOptions o;
  o.check_only = true;
  driver::CompileResult r =
      driver::CompileSource("spec.tri", "let y = x + 1\nlet x = 2\nlet t: trit = 2\n", o);
  nlohmann::json j = nlohmann::json::parse(r.diags->RenderJson());
  ASSERT_EQ(j["diagnostics"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["errors"], 2);
  const auto& first = j["diagnostics"][0];
  EXPECT_EQ(first["kind"], "UseBeforeDefinition");
  EXPECT_EQ(first["severity"], "error");
  EXPECT_EQ(first["file"], "spec.tri");
  EXPECT_EQ(first["line"], 1);
  EXPECT_EQ(first["column"], 9);
  EXPECT_EQ(first["end_line"], 1);
  EXPECT_EQ(first["end_column"], 10);
  ASSERT_EQ(first["notes"].size(), 1u);
  EXPECT_EQ(first["notes"][0]["line"], 2);
  EXPECT_EQ(first["notes"][0]["column"], 5);
  EXPECT_EQ(first["notes"][0]["message"], "'x' is defined here");
  EXPECT_EQ(j["diagnostics"][1]["kind"], "BadTritValue");
  EXPECT_EQ(j["diagnostics"][1]["line"], 3);
  EXPECT_EQ(j["diagnostics"][1]["column"], 15);
}

}  // namespace
}  // namespace triton
