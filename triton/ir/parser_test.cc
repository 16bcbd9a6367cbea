// ParseModule on malformed text: every error names line and column, nothing crashes, and any
// text that does parse prints to a canonical form that is a fixed point.
#include <gtest/gtest.h>

#include <random>

#include "triton/ir/printer.h"
#include "triton/ir/test_modules.h"
#include "triton/ir/verifier.h"

namespace triton::ir {
namespace {

std::string ParseError(std::string_view text, const std::string& file = "<ir>") {
  Result<Module> r = ParseModule(text, file);
  if (r.ok()) return "<parsed>";
  return r.status().message();
}

// Wraps statements into a module with one input %x: f32[N, 4].
std::string Wrap(const std::string& body) {
  return "module m {\n  input %x: f32[N, 4]\n" + body + "}\n";
}

TEST(ParserErrors, Structure) {
  EXPECT_EQ(ParseError(""), "<ir>:1:1: expected 'module', found end of input");
  EXPECT_EQ(ParseError("  \n module"), "<ir>:2:8: expected a module name, found end of input");
  EXPECT_EQ(ParseError("module m"), "<ir>:1:9: expected '{', found end of input");
  EXPECT_EQ(ParseError("module m {"),
            "<ir>:1:11: expected a statement (input, param, buffer, const, %N = op, return), found "
            "end of input");
  EXPECT_EQ(ParseError("module m {\n}"),
            "<ir>:2:1: expected 'return' before the end of the module");
  EXPECT_EQ(ParseError("module m {\n  return\n}\nmodule n"),
            "<ir>:4:1: unexpected 'module' after the module");
  EXPECT_EQ(ParseError(Wrap("  return %x\n  input %y: f32[1]\n")),
            "<ir>:4:3: expected ',' or '}' after a return value, found 'input'");
  EXPECT_EQ(ParseError(Wrap("  frob %x\n")),
            "<ir>:3:3: expected a statement (input, param, buffer, const, %N = op, return), found "
            "'frob'");
  EXPECT_EQ(ParseError("module m {\n  return\n}", "model.ir"), "<parsed>");
  EXPECT_EQ(ParseError("module m {\n  return %x\n}", "model.ir"),
            "model.ir:2:10: use of undefined value %x");
}

TEST(ParserErrors, Types) {
  EXPECT_EQ(ParseError(Wrap("  input %y f32[3]\n")), "<ir>:3:12: expected ':', found 'f32'");
  EXPECT_EQ(ParseError(Wrap("  input %y: f33[3]\n")), "<ir>:3:13: unknown element type 'f33'");
  EXPECT_EQ(ParseError(Wrap("  input %y: float32[3]\n")),
            "<ir>:3:13: unknown element type 'float32'");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32\n")), "<ir>:4:1: expected '[', found '}'");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32[-3]\n")),
            "<ir>:3:17: dimension sizes must be non-negative");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32[99999999999999999999]\n")),
            "<ir>:3:17: integer out of range");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32[3 4]\n")), "<ir>:3:19: expected ',', found number 4");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32[3, ]\n")),
            "<ir>:3:20: expected a dimension, found ']'");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32[\"\"]\n")), "<ir>:3:17: empty dimension name");
  EXPECT_EQ(ParseError(Wrap("  input %y: f32[1.5]\n")),
            "<ir>:3:17: expected a dimension, found number 1.5");
}

TEST(ParserErrors, Names) {
  EXPECT_EQ(ParseError(Wrap("  input %x: f32[1]\n")), "<ir>:3:9: redefinition of %x");
  EXPECT_EQ(ParseError(Wrap("  param %0: f32[1]\n")),
            "<ir>:3:9: %0 is a numbered name; inputs and params need a name");
  EXPECT_EQ(ParseError(Wrap("  input %c3: f32[1]\n")),
            "<ir>:3:9: %c3 is a numbered name; inputs and params need a name");
  EXPECT_EQ(ParseError(Wrap("  input x: f32[1]\n")), "<ir>:3:9: expected a %name, found 'x'");
  EXPECT_EQ(ParseError(Wrap("  input %: f32[1]\n")), "<ir>:3:9: expected a value name after '%'");
  EXPECT_EQ(ParseError(Wrap("  %1 = relu(%x) : f32[N, 4]\n  return %1\n")),
            "<ir>:3:3: expected %0 (op results are numbered in order), found %1");
  EXPECT_EQ(ParseError(Wrap("  %0 = add(%x, %0) : f32[N, 4]\n  return %0\n")),
            "<ir>:3:16: use of undefined value %0");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%y) : f32[N, 4]\n  return %0\n")),
            "<ir>:3:13: use of undefined value %y");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%c0) : f32[N, 4]\n  return %0\n")),
            "<ir>:3:13: use of undefined value %c0");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%99999999999999999999) : f32[N, 4]\n  return %0\n")),
            "<ir>:3:13: use of undefined value %99999999999999999999");
  EXPECT_EQ(ParseError(Wrap("  const %c1: f32[] = [1.0]\n  return\n")),
            "<ir>:3:9: expected %c0 (constants are numbered in order), found %c1");
  EXPECT_EQ(ParseError(Wrap("  const %k: f32[] = [1.0]\n  return\n")),
            "<ir>:3:9: expected %c0 (constants are numbered in order), found %k");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) : f32[N, 4] @\n  return\n")),
            "<ir>:3:29: expected a scope after '@'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) : f32[N, 4] @\"\"\n  return\n")),
            "<ir>:3:29: empty scope");
}

TEST(ParserErrors, OpsAndAttributes) {
  EXPECT_EQ(ParseError(Wrap("  %0 = frob(%x) : f32[N, 4]\n  return %0\n")),
            "<ir>:3:8: unknown op 'frob'");
  EXPECT_EQ(ParseError(Wrap("  %0 = (%x) : f32[N, 4]\n  return %0\n")),
            "<ir>:3:8: expected an op name, found '('");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu %x : f32[N, 4]\n  return %0\n")),
            "<ir>:3:13: expected '(', found %x");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x)\n  return %0\n")),
            "<ir>:4:3: expected ':', found 'return'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a=1, a=2} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:23: duplicate attribute 'a'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:19: expected '=', found '}'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a=} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:20: expected an attribute value, found '}'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a=[1, \"s\"]} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:24: expected a number, found a string");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a=maybe} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:20: expected an attribute value, found 'maybe'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a=float[1]} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:26: expected ']', found number 1");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) {a=1,} : f32[N, 4]\n  return %0\n")),
            "<ir>:3:22: expected an attribute name, found '}'");
  EXPECT_EQ(ParseError(Wrap("  %0 = relu(%x) : f32[N, 4] hint=3\n  return %0\n")),
            "<ir>:3:34: expected a string, found number 3");
}

TEST(ParserErrors, ParamsAndConsts) {
  EXPECT_EQ(ParseError(Wrap("  param %w: trit[2] ternary(twn, 0.7, per_row)\n  return\n")),
            "<ir>:3:39: expected 'per_channel' or 'per_tensor', found 'per_row'");
  EXPECT_EQ(ParseError(Wrap("  param %w: trit[2] ternary(twn, high, per_tensor)\n  return\n")),
            "<ir>:3:34: expected a number, found 'high'");
  EXPECT_EQ(ParseError(Wrap("  param %w: trit[2] ternary twn\n  return\n")),
            "<ir>:3:29: expected '(', found 'twn'");
  EXPECT_EQ(ParseError(Wrap("  param %w: f32[2] init=[\n  return\n")),
            "<ir>:3:25: expected an initializer name, found '['");
  EXPECT_EQ(ParseError(Wrap("  return\n  input %y: f32[1]\n")),
            "<ir>:4:3: expected a value, found 'input'");
  EXPECT_EQ(ParseError(Wrap("  param %w: f32[2] init=normal {std}\n  return\n")),
            "<ir>:3:36: expected '=', found '}'");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[2] [1.0, 2.0]\n  return\n")),
            "<ir>:3:21: expected '=', found '['");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[2] = [1.0 2.0]\n  return\n")),
            "<ir>:3:28: expected ',', found number 2.0");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[2] = [1.0, x]\n  return\n")),
            "<ir>:3:29: expected a number, found 'x'");
  // Data count and type agreement are the verifier's business, not the parser's.
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[2] = [1.0]\n  return\n")), "<parsed>");
}

TEST(ParserErrors, Lexical) {
  EXPECT_EQ(ParseError("module m {\n  $\n"), "<ir>:2:3: unexpected character '$'");
  EXPECT_EQ(ParseError("module m {\n  \x01"), "<ir>:2:3: unexpected character '\\x01'");
  EXPECT_EQ(ParseError("module \"m\n\" {"), "<ir>:1:8: unterminated string");
  EXPECT_EQ(ParseError("module \"m"), "<ir>:1:8: unterminated string");
  EXPECT_EQ(ParseError("module \"a\\q\" {"), "<ir>:1:8: invalid escape '\\q' in string");
  EXPECT_EQ(ParseError("module \"a\\x4\" {"),
            "<ir>:1:8: invalid \\x escape: expected two hex digits");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[] = [1e]\n  return\n")),
            "<ir>:3:23: malformed number: expected digits in the exponent");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[] = [12ab]\n  return\n")),
            "<ir>:3:23: malformed number: unexpected 'a'");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[] = [-x]\n  return\n")),
            "<ir>:3:23: expected a number after '-'");
  EXPECT_EQ(ParseError(Wrap("  const %c0: f32[] = [1e999]\n  return\n")),
            "<ir>:3:23: number out of range");
  // A lexical error after a syntax error is not what gets reported.
  EXPECT_EQ(ParseError("modul m { $"), "<ir>:1:1: expected 'module', found 'modul'");
}

TEST(Parser, AcceptsCommentsSpacingAndSpecialFloats) {
  Result<Module> m = ParseModule(
      "# leading comment\nmodule m{input %x:f32[N,4]#trailing\n"
      "%0=clip(%x){max=inf,min=-inf}:f32[N,4]\n"
      "const %c0: f32[4] = [nan, -inf, 1, -nan]\n"
      "return %0,%c0}");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Print(m.value()),
            "module m {\n"
            "  input %x: f32[N, 4]\n"
            "  const %c0: f32[4] = [nan, -inf, 1.0, -nan]\n"
            "  %0 = clip(%x) {max=inf, min=-inf} : f32[N, 4]\n"
            "  return %0, %c0\n"
            "}\n");
}

TEST(Parser, MixedNumberListsAreFloatLists) {
  Result<Module> m =
      ParseModule(Wrap("  %0 = relu(%x) {a=[1, 2.5], b=[1, 2]} : f32[N, 4]\n  return %0\n"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Attrs& a = m.value().ops[0].attrs;
  ASSERT_TRUE(std::holds_alternative<std::vector<double>>(*a.Find("a")));
  EXPECT_EQ(std::get<std::vector<double>>(*a.Find("a")), (std::vector<double>{1.0, 2.5}));
  EXPECT_EQ(a.GetInts("b", {}), (std::vector<int64_t>{1, 2}));
}

// "<ir>:LINE:COL: message" with a lower-case (or quoted/%-name) start of the message.
bool LooksLikeError(const std::string& m) {
  size_t i = 5;  // after "<ir>:"
  if (m.compare(0, 5, "<ir>:") != 0) return false;
  for (int part = 0; part < 2; ++part) {
    const size_t start = i;
    while (i < m.size() && m[i] >= '0' && m[i] <= '9') ++i;
    if (i == start || i >= m.size() || m[i] != ':') return false;
    ++i;
  }
  return i + 1 < m.size() && m[i] == ' ' &&
         ((m[i + 1] >= 'a' && m[i + 1] <= 'z') || m[i + 1] == '%' || m[i + 1] == '\'');
}

// For any input: no crash; an error has the "<ir>:LINE:COL: " prefix; a successful parse prints
// a canonical text that parses again to the same text, and Verify runs on it without crashing.
void CheckRobust(std::string_view text) {
  Result<Module> r = ParseModule(text);
  if (!r.ok()) {
    EXPECT_TRUE(LooksLikeError(r.status().message())) << r.status().message();
    return;
  }
  const std::string printed = Print(r.value());
  Result<Module> again = ParseModule(printed);
  ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << printed;
  EXPECT_EQ(Print(again.value()), printed);
  (void)Verify(r.value());
  (void)r.value().MacCount();
  (void)r.value().ParameterCount();
}

TEST(ParserFuzz, EveryTruncation) {
  const std::string text = Print(testing::ResNetBlock());
  for (size_t n = 0; n < text.size(); ++n) {
    CheckRobust(std::string_view(text).substr(0, n));
    if (n + 2 < text.size()) {
      EXPECT_FALSE(ParseModule(text.substr(0, n)).ok()) << n;
    }
  }
  const std::string every = Print(testing::EveryOp());
  for (size_t n = 0; n < every.size(); n += 7) CheckRobust(std::string_view(every).substr(0, n));
}

TEST(ParserFuzz, SingleByteMutations) {
  const std::string text = Print(testing::ResNetBlock());
  const char replacements[] = {'\0', '%', '"',  '[', ']', '{', '}', ',',  '=',   '-',
                               '9',  'x', '\n', '#', '@', '?', ':', '\\', '\xff'};
  std::mt19937 rng(42);
  for (size_t i = 0; i < text.size(); ++i) {
    for (int k = 0; k < 2; ++k) {  // two of the replacements per position keep the test quick
      std::string mutated = text;
      mutated[i] = replacements[rng() % sizeof(replacements)];
      CheckRobust(mutated);
      if (::testing::Test::HasFailure()) return;  // one report is enough
    }
  }
}

TEST(ParserFuzz, RandomBytesAndTokens) {
  std::mt19937 rng(1234);
  // Raw bytes.
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 200, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xff);
    CheckRobust(s);
  }
  // Token soup: plausible pieces in random order reach deeper into the grammar.
  const char* pieces[] = {
      "module",     " m",        " {",    "}",      "\n",         "input",
      "param",      "buffer",    "const", "return", " %x",        " %0",
      " %c0",       " %\"a b\"", ":",     " f32",   " trit",      "[",
      "]",          "N",         "3",     ", ",     " = ",        "relu",
      "conv2d",     "add",       "(",     ")",      "{",          "stride=[1, 1]",
      "1e-05",      "-1",        "\"s\"", "@s",     "hint=\"h\"", "ternary(twn, 0.7, per_channel)",
      "init=zeros", "float[]",   "?",     "#c\n"};
  for (int i = 0; i < 5000; ++i) {
    std::string s = "module m {\n";
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) s += pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
    CheckRobust(s);
  }
}

}  // namespace
}  // namespace triton::ir
