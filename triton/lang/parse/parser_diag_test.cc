// Unit tests of the parser's diagnostics and error recovery: every syntax diagnostic kind with
// its exact line:column, several errors per file, no cascades, and hostile inputs (deep nesting,
// huge tokens, NUL and random bytes, random token soup).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "triton/lang/parse/parse_test_util.h"
#include "triton/lang/parse/parser.h"

namespace triton::lang {
namespace {

using namespace ast;           // NOLINT
using namespace testing_util;  // NOLINT

// ------------------------------------------------------------------ diagnostics

TEST(ParserTest, ExpectedTokenDiagnostics) {
  EXPECT_EQ(Errs("let x = (1 + 2\nlet y = 3"),
            One("1:15 ExpectedToken expected ')' to close '(' at 1:9, got newline"));
  EXPECT_EQ(Errs("let x = (1 + 2\n"),
            One("2:1 ExpectedToken expected ')' to close '(' at 1:9, got end of file"));
  EXPECT_EQ(Errs("x = 1\n\n   y = [1, 2)"),
            One("3:13 ExpectedToken expected ']' to close '[' at 3:8, got ')'"));
  EXPECT_EQ(Errs("f(a b)"), One("1:5 ExpectedToken expected ')' to close '(' at 1:2, got "
                                "identifier 'b'"));
  EXPECT_EQ(Errs("a[1 2]"), One("1:5 ExpectedToken expected ']' to close '[' at 1:2, got "
                                "integer literal '2'"));
  EXPECT_EQ(Errs("x = f(a,\nlet y = 1"),
            One("1:9 ExpectedToken expected ')' to close '(' at 1:6, got newline"));
  EXPECT_EQ(Errs("layer L() {\n  let y = 1\n"),
            One("3:1 ExpectedToken expected '}' to close '{' at 1:11, got end of file"));
  EXPECT_EQ(Errs("let = 1"), One("1:5 ExpectedToken expected a name after 'let', got '='"));
  EXPECT_EQ(Errs("let 5"), One("1:5 ExpectedToken expected a name after 'let', got integer "
                               "literal '5'"));
  EXPECT_EQ(Errs("x = 1 2"), One("1:7 ExpectedToken expected a newline or ';' after the "
                                 "statement, got integer literal '2'"));
  EXPECT_EQ(Errs("x = a if b"), One("1:11 ExpectedToken expected 'else' in the conditional "
                                    "expression, got end of file"));
  EXPECT_EQ(Errs("if c d"), One("1:6 ExpectedToken expected '{' after the 'if' condition, got "
                                "identifier 'd'"));
  EXPECT_EQ(Errs("if c { } else d"), One("1:15 ExpectedToken expected '{' after 'else', got "
                                         "identifier 'd'"));
  EXPECT_EQ(Errs("for 1 in x {}"), One("1:5 ExpectedToken expected a loop variable after 'for', "
                                       "got integer literal '1'"));
  EXPECT_EQ(Errs("for i of x {}"), One("1:7 ExpectedToken expected 'in' after the loop "
                                       "variable, got identifier 'of'"));
  EXPECT_EQ(Errs("for i in x y"), One("1:12 ExpectedToken expected '{' after the 'for' "
                                      "iterable, got identifier 'y'"));
  EXPECT_EQ(Errs("while c"), One("1:8 ExpectedToken expected '{' after the 'while' condition, "
                                 "got end of file"));
  EXPECT_EQ(Errs("layer (x) {}"), One("1:7 ExpectedToken expected a layer name after 'layer', "
                                      "got '('"));
  EXPECT_EQ(Errs("fn f {}"), One("1:6 ExpectedToken expected '(' after the function name, got "
                                 "'{'"));
  EXPECT_EQ(Errs("fn f() -> T"), One("1:12 ExpectedToken expected '{' to start the function "
                                     "body, got end of file"));
  EXPECT_EQ(Errs("layer L(1) {}"), One("1:9 ExpectedToken expected a parameter name, got "
                                       "integer literal '1'"));
  EXPECT_EQ(Errs("layer L(a b) {}"), One("1:11 ExpectedToken expected ')' to close '(' at 1:8, "
                                         "got identifier 'b'"));
  EXPECT_EQ(Errs("model = L()"), One("1:7 ExpectedToken expected a model name after 'model', "
                                     "got '='"));
  EXPECT_EQ(Errs("model m L()"), One("1:9 ExpectedToken expected '=' after the model name, got "
                                     "identifier 'L'"));
  EXPECT_EQ(Errs("import foo"), One("1:8 ExpectedToken expected a path string after 'import', "
                                    "got identifier 'foo'"));
  EXPECT_EQ(Errs("x = a."), One("1:7 ExpectedToken expected a member name after '.', got end "
                                "of file"));
  EXPECT_EQ(Errs("let t: Tensor<float32, [N, 4]"),
            One("1:30 ExpectedToken expected '>' to close '<' at 1:14, got end of file"));
  EXPECT_EQ(Errs("let t: Tensor[N 4]"),
            One("1:17 ExpectedToken expected ']' to close '[' at 1:14, got integer literal '4'"));
  EXPECT_EQ(Errs("let t: [int"),
            One("1:12 ExpectedToken expected ']' to close '[' at 1:8, got end of file"));
  EXPECT_EQ(Errs("x = [e for i in xs"),
            One("1:19 ExpectedToken expected ']' to close '[' at 1:5, got end of file"));
}

TEST(ParserTest, ExpectedExpressionDiagnostics) {
  EXPECT_EQ(Errs("{ x = }"), One("1:7 ExpectedExpression expected an expression, got '}'"));
  EXPECT_EQ(Errs("x = 1 +"), One("1:8 ExpectedExpression expected an expression, got end of "
                                 "file"));
  EXPECT_EQ(Errs("f(a,, b)"), One("1:5 ExpectedExpression expected an expression, got ','"));
  EXPECT_EQ(Errs(")"), One("1:1 ExpectedExpression expected an expression, got ')'"));
  EXPECT_EQ(Errs("x = a[]"), One("1:7 ExpectedExpression expected an expression, got ']'"));
  EXPECT_EQ(Errs("x = -not a"), One("1:6 ExpectedExpression expected an expression, got 'not'"));
  EXPECT_EQ(Errs("x = ?"), One("1:5 ExpectedExpression expected an expression, got '?'"));
  EXPECT_EQ(Errs("x = in"), One("1:5 ExpectedExpression expected an expression, got 'in'"));
  EXPECT_EQ(Errs("let x = let"), One("1:9 ExpectedExpression expected an expression, got "
                                     "'let'"));
}

TEST(ParserTest, ExpectedTypeDiagnostics) {
  EXPECT_EQ(Errs("let w: = 3"), One("1:8 ExpectedType expected a type after ':', got '='"));
  EXPECT_EQ(Errs("fn f() -> { }"), One("1:11 ExpectedType expected a type after '->', got "
                                       "'{'"));
  EXPECT_EQ(Errs("fn f(x: 3) { }"), One("1:9 ExpectedType expected a type after ':', got "
                                        "integer literal '3'"));
  EXPECT_EQ(Errs("let t: Tensor<4>"), One("1:15 ExpectedType expected a type or a dimension "
                                          "list, got integer literal '4'"));
  EXPECT_EQ(Errs("let t: [?]"), One("1:9 ExpectedType expected a type after '[', got '?'"));
}

TEST(ParserTest, UnexpectedTokenDiagnostics) {
  EXPECT_EQ(Errs("x = 1\n}"), One("2:1 UnexpectedToken unexpected '}' with no matching '{'"));
  EXPECT_EQ(Errs("else { }"), One("1:1 UnexpectedToken 'else' without a matching 'if'"));
  EXPECT_EQ(Errs("x = a < b < c"), One("1:11 UnexpectedToken comparison operators cannot be "
                                       "chained; combine the comparisons with 'and'"));
  EXPECT_EQ(Errs("f(x) = 3"), One("1:6 UnexpectedToken cannot assign to a call; the target of "
                                  "'=' must be a name, a member or an index"));
  EXPECT_EQ(Errs("x = y = 1"), One("1:7 ExpectedToken expected a newline or ';' after the "
                                   "statement, got '='"));
  EXPECT_EQ(Errs("let t: Tensor<[1], [2]>"),
            One("1:20 UnexpectedToken a type has at most one dimension list"));
  // An indented `layer` inside a block is reported and skipped; the block goes on.
  Parsed p("layer A() {\n  layer B() { }\n  let x = 1\n}");
  EXPECT_EQ(p.Diags(), One("2:3 UnexpectedToken 'layer' is only allowed at top level"));
  EXPECT_EQ(p.Sx(), "(layer A() {(let x = 1)})");
  EXPECT_EQ(Errs("fn f() {\n  model m = X()\n}"),
            One("2:3 UnexpectedToken 'model' is only allowed at top level"));
  EXPECT_EQ(Errs("fn f() {\n  import \"x\"\n}"),
            One("2:3 UnexpectedToken 'import' is only allowed at top level"));
}

TEST(ParserTest, NestingTooDeepDiagnostic) {
  std::string ok = "x = " + std::string(150, '(') + "1" + std::string(150, ')');
  EXPECT_TRUE(Errs(ok).empty());
  std::string deep = "x = " + std::string(250, '(') + "1" + std::string(250, ')') + "\ny = 2";
  Parsed p(deep);
  ASSERT_EQ(p.Diags().size(), 1u);
  EXPECT_EQ(p.Diags()[0], "1:205 NestingTooDeep nesting is deeper than 200 levels");
  EXPECT_EQ(p.Sx(), "(= y 2)");  // the broken statement is dropped, the next one parsed
}

TEST(ParserTest, LexerErrorsDoNotCascade) {
  EXPECT_EQ(Errs("let q = $ + 1"), One("1:9 UnknownCharacter unknown character '$'"));
  EXPECT_EQ(Errs("let q = 0x\nlet r = 1e"),
            (std::vector<std::string>{"1:9 BadNumber expected hexadecimal digits after '0x'",
                                      "2:9 BadNumber missing exponent digits in number literal "
                                      "'1e'"}));
  EXPECT_EQ(Errs("import \"abc"), One("1:8 UnterminatedString unterminated string literal"));
}

// ------------------------------------------------------------------ recovery

TEST(ParserTest, ReportsEveryBrokenLine) {
  Parsed p("let a = (1 +\nlet b = 2\nlet c = [1, 2)\nlet d = 3\nlet e: = 4\nlet f = 5\n");
  EXPECT_EQ(p.Diags(), (std::vector<std::string>{
                           "1:13 ExpectedExpression expected an expression, got newline",
                           "3:14 ExpectedToken expected ']' to close '[' at 3:9, got ')'",
                           "5:8 ExpectedType expected a type after ':', got '='"}));
  EXPECT_EQ(p.Sx(), "(let b = 2); (let d = 3); (let f = 5)");
}

TEST(ParserTest, RecoveryInsideBlocks) {
  Parsed p(
      "layer L() {\n  let a = )\n  let b = 1\n  fn f() {\n    x = = 2\n    y = 3\n  }\n"
      "  let c = 2 2\n}\nmodel m = L()\n");
  EXPECT_EQ(p.Diags(),
            (std::vector<std::string>{
                "2:11 ExpectedExpression expected an expression, got ')'",
                "5:9 ExpectedExpression expected an expression, got '='",
                "8:13 ExpectedToken expected a newline or ';' after the statement, got integer "
                "literal '2'"}));
  EXPECT_EQ(p.Sx(), "(layer L() {(let b = 1); (fn f() {(= y 3)})}); (model m (call L))");
}

TEST(ParserTest, RecoverySkipsBraceGroups) {
  Parsed p("if x == { y = 1 }\nz = 2");
  EXPECT_EQ(p.Diags(), One("1:9 ExpectedExpression expected an expression, got '{'"));
  EXPECT_EQ(p.Sx(), "(= z 2)");
}

TEST(ParserTest, MissingCloseBraceBeforeNextLayer) {
  Parsed p("layer A() {\n  let x = 1\n\nlayer B() {\n  let y = 2\n}\n");
  EXPECT_EQ(p.Diags(), One("4:1 ExpectedToken expected '}' to close '{' at 1:11, got 'layer'"));
  EXPECT_EQ(p.Sx(), "(layer B() {(let y = 2)})");
}

TEST(ParserTest, UnclosedParenAcrossLines) {
  Parsed p("let a = f(1,\n  2\nlet b = 3\n");
  EXPECT_EQ(p.Diags(), One("2:4 ExpectedToken expected ')' to close '(' at 1:10, got newline"));
  EXPECT_EQ(p.Sx(), "(let b = 3)");
}

TEST(ParserTest, ErrorsAtEndOfFileAreReportedOnce) {
  Parsed p("layer A() {\n  fn f() {\n    if x {\n      y = (");
  EXPECT_EQ(p.Diags(), One("4:12 ExpectedToken expected ')' to close '(' at 4:11, got end of "
                           "file"));
}

// ------------------------------------------------------------------ hostile inputs

TEST(ParserTest, TwentyThousandNestedParens) {
  Parsed p("x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + "\ny = 2\n");
  EXPECT_EQ(p.Diags().size(), 1u);
  EXPECT_EQ(p.Sx(), "(= y 2)");
  Parsed open_only("x = " + std::string(20000, '('));
  EXPECT_EQ(open_only.Diags().size(), 1u);
  Parsed brackets("x = " + std::string(20000, '['));
  EXPECT_EQ(brackets.Diags().size(), 1u);
}

TEST(ParserTest, DeepBlocksTypesAndOperators) {
  EXPECT_EQ(Errs(std::string(20000, '{') + std::string(20000, '}') + "\n").size(), 1u);
  EXPECT_LE(Errs(std::string(20000, '{')).size(), 2u);
  EXPECT_EQ(Errs("x = " + std::string(20000, '-') + "1").size(), 1u);
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  EXPECT_EQ(Errs("x = " + nots + "a").size(), 1u);
  std::string pow = "x = 2";
  for (int i = 0; i < 5000; ++i) pow += "**2";
  EXPECT_EQ(Errs(pow).size(), 1u);
  std::string sum = "x = a";
  for (int i = 0; i < 20000; ++i) sum += "+a";
  EXPECT_EQ(Errs(sum).size(), 1u);
  std::string calls = "x = f";
  for (int i = 0; i < 20000; ++i) calls += "()";
  EXPECT_EQ(Errs(calls).size(), 1u);
  std::string cond = "x = a";
  for (int i = 0; i < 5000; ++i) cond += " if b else a";
  EXPECT_EQ(Errs(cond).size(), 1u);
  std::string elifs = "if a {}";
  for (int i = 0; i < 5000; ++i) elifs += " else if a {}";
  EXPECT_EQ(Errs(elifs).size(), 1u);
  std::string type = "let x: ";
  for (int i = 0; i < 20000; ++i) type += "T<";
  EXPECT_EQ(Errs(type).size(), 1u);
  EXPECT_EQ(Errs("let x: " + std::string(20000, '[')).size(), 1u);
  // 199 levels of blocks are fine.
  EXPECT_TRUE(Errs(std::string(150, '{') + std::string(150, '}')).empty());
}

TEST(ParserTest, HugeIdentifierAndInteger) {
  std::string name(200000, 'n');
  Parsed p("let " + name + " = " + std::string(5000, '9') + "\nreturn " + name);
  ASSERT_EQ(p.Diags().size(), 1u);
  EXPECT_NE(p.Diags()[0].find("IntegerOverflow"), std::string::npos);
  ASSERT_EQ(p.program.stmts.size(), 2u);
  EXPECT_EQ(p.program.stmts[0]->As<LetStmt>().name.size(), 200000u);
  // A huge identifier in a message is cut.
  Parsed q("x = 1 " + name);
  ASSERT_EQ(q.Diags().size(), 1u);
  EXPECT_LT(q.Diags()[0].size(), 200u);
}

TEST(ParserTest, NulBytesCrlfAndRandomBytes) {
  Parsed nul(std::string("let a = 1\0\0\nlet b = 2", 21));
  EXPECT_EQ(nul.Diags().size(), 1u);
  Parsed crlf("layer L(x) {\r\n  return x\r\n}\r\nmodel m = L(1)\r\n");
  EXPECT_TRUE(crlf.Diags().empty());
  EXPECT_EQ(crlf.Sx(), "(layer L(x) {(return x)}); (model m (call L 1))");
  std::mt19937 rng(7);
  for (int iter = 0; iter < 1000; ++iter) {
    std::string src(rng() % 400, '\0');
    for (char& c : src) c = static_cast<char>(rng() & 0xFF);
    Parsed p(src);
    (void)DumpAst(p.program, p.sm);
  }
}

TEST(ParserTest, RandomTokenSequencesNeverCrash) {
  const char* pieces[] = {
      "(",     ")",     "[",      "]",     "{",  "}",   "\n",     ";",   ",",     ":",   ".",
      "->",    "=",     "+",      "-",     "*",  "**",  "/",      "@",   "==",    "<",   ">",
      "and",   "not",   "?",      "layer", "fn", "let", "return", "if",  "else",  "for", "in",
      "while", "model", "import", "true",  "x",  "T",   "1",      "2.5", "\"s\"", "$",   " "};
  std::mt19937 rng(42);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string src;
    for (int i = rng() % 80; i > 0; --i) {
      src += pieces[rng() % std::size(pieces)];
      src += ' ';
    }
    Parsed p(src);
    std::string dump = DumpAst(p.program, p.sm);
    ASSERT_FALSE(dump.empty());
  }
}

TEST(ParserTest, MalformedTokenVectors) {
  diag::SourceManager sm;
  diag::FileId f = sm.Add("t.tri", "x");
  diag::DiagEngine diags(sm);
  EXPECT_TRUE(Parse({}, f, diags).stmts.empty());
  Token t;
  t.kind = Tok::kIdentifier;
  t.text = "x";
  t.range = {f, 0, 1};
  Program p = Parse({t, t}, f, diags);  // no Eof
  EXPECT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(p.file, f);
}

}  // namespace
}  // namespace triton::lang
