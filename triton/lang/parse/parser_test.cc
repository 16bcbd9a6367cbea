// Unit tests of the parser: every statement and expression form, precedence, types, both the
// original implementation's and the documented syntax, the AST dump and the prelude. Trees are
// compared in the compact form Sx (parse_test_util.h); positions are tested separately.
#include "triton/lang/parse/parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "triton/lang/parse/parse_test_util.h"

namespace triton::lang {
namespace {

using namespace ast;           // NOLINT
using namespace testing_util;  // NOLINT

// ------------------------------------------------------------------ expressions

TEST(ParserTest, Literals) {
  EXPECT_EQ(Expr1("42"), "42");
  EXPECT_EQ(Expr1("0x10"), "16");
  EXPECT_EQ(Expr1("0b101"), "5");
  EXPECT_EQ(Expr1("1.5"), "1.5f");
  EXPECT_EQ(Expr1("1e-5"), "1e-05f");
  EXPECT_EQ(Expr1("2.5E+3"), "2500f");
  EXPECT_EQ(Expr1(".5"), "0.5f");
  EXPECT_EQ(Expr1("\"twn\""), "\"twn\"");
  EXPECT_EQ(Expr1("true"), "true");
  EXPECT_EQ(Expr1("false"), "false");
  EXPECT_EQ(Expr1("name_1"), "name_1");
}

TEST(ParserTest, Precedence) {
  EXPECT_EQ(Expr1("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(Expr1("a * b + c"), "(+ (* a b) c)");
  EXPECT_EQ(Expr1("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(Expr1("a / b % c"), "(% (/ a b) c)");
  // `@` binds like `*`.
  EXPECT_EQ(Expr1("x @ w + b"), "(+ (@ x w) b)");
  EXPECT_EQ(Expr1("a + b @ c"), "(+ a (@ b c))");
  EXPECT_EQ(Expr1("a @ b * c"), "(* (@ a b) c)");
  EXPECT_EQ(Expr1("a * b @ c"), "(@ (* a b) c)");
  // `x-1` is subtraction, `-1` is negation.
  EXPECT_EQ(Expr1("x-1"), "(- x 1)");
  EXPECT_EQ(Expr1("-1"), "(- 1)");
  EXPECT_EQ(Expr1("x - -1"), "(- x (- 1))");
  EXPECT_EQ(Expr1("-a * b"), "(* (- a) b)");
  EXPECT_EQ(Expr1("+a"), "(+ a)");
  EXPECT_EQ(Expr1("- - a"), "(- (- a))");
  // `**` is right-associative and binds tighter than a unary minus on its left.
  EXPECT_EQ(Expr1("2 ** 3 ** 2"), "(** 2 (** 3 2))");
  EXPECT_EQ(Expr1("-2 ** 2"), "(- (** 2 2))");
  EXPECT_EQ(Expr1("2 ** -1"), "(** 2 (- 1))");
  EXPECT_EQ(Expr1("a * b ** c"), "(* a (** b c))");
  EXPECT_EQ(Expr1("f(x) ** 2"), "(** (call f x) 2)");
  // Comparisons, not, and, or.
  EXPECT_EQ(Expr1("a == b + c"), "(== a (+ b c))");
  EXPECT_EQ(Expr1("a < b and c >= d"), "(and (< a b) (>= c d))");
  EXPECT_EQ(Expr1("a != b or c <= d"), "(or (!= a b) (<= c d))");
  EXPECT_EQ(Expr1("a > b"), "(> a b)");
  EXPECT_EQ(Expr1("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(Expr1("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(Expr1("a || b && c"), "(or a (and b c))");
  EXPECT_EQ(Expr1("not a == b"), "(not (== a b))");
  EXPECT_EQ(Expr1("not a and b"), "(and (not a) b)");
  EXPECT_EQ(Expr1("!a || not not b"), "(or (not a) (not (not b)))");
  // Conditional: lowest, right-associative.
  EXPECT_EQ(Expr1("a if c else b"), "(if c a b)");
  EXPECT_EQ(Expr1("a + 1 if c or d else b"), "(if (or c d) (+ a 1) b)");
  EXPECT_EQ(Expr1("a if b else c if d else e"), "(if b a (if d c e))");
  // Parentheses are kept.
  EXPECT_EQ(Expr1("(a + b) * c"), "(* (paren (+ a b)) c)");
  EXPECT_EQ(Expr1("((a))"), "(paren (paren a))");
}

TEST(ParserTest, Postfix) {
  EXPECT_EQ(Expr1("f()"), "(call f)");
  EXPECT_EQ(Expr1("f(a, b)"), "(call f a b)");
  EXPECT_EQ(Expr1("f(a, k=v, )"), "(call f a k=v)");
  EXPECT_EQ(Expr1("f(k=a == b)"), "(call f k=(== a b))");
  EXPECT_EQ(Expr1("f(a)(b)"), "(call (call f a) b)");
  EXPECT_EQ(Expr1("a.b.c"), "(. (. a b) c)");
  EXPECT_EQ(Expr1("a[1][2]"), "(index (index a 1) 2)");
  EXPECT_EQ(Expr1("a[i, j]"), "(index a i j)");
  EXPECT_EQ(Expr1("a[i,]"), "(index a i)");
  EXPECT_EQ(Expr1("Tensor[?, 4]"), "(index Tensor ? 4)");
  EXPECT_EQ(Expr1("self.conv1(x).relu()[0]"), "(index (call (. (call (. self conv1) x) relu)) 0)");
  EXPECT_EQ(Expr1("-a.b"), "(- (. a b))");
  EXPECT_EQ(Expr1("TernaryTensor[2, 2](1, 0, -1, 1)"),
            "(call (index TernaryTensor 2 2) 1 0 (- 1) 1)");
  EXPECT_EQ(Expr1("trit(-1)"), "(call trit (- 1))");
  EXPECT_EQ(Expr1("ternary_quantize(x, threshold=0.7, method=\"twn\")"),
            "(call ternary_quantize x threshold=0.7f method=\"twn\")");
  EXPECT_EQ(Expr1("f(\n  a,\n  b,\n)"), "(call f a b)");
}

TEST(ParserTest, Lists) {
  EXPECT_EQ(Expr1("[]"), "[]");
  EXPECT_EQ(Expr1("[1, 2, 3]"), "[1 2 3]");
  EXPECT_EQ(Expr1("[1, 2, 3,]"), "[1 2 3]");
  EXPECT_EQ(Expr1("[[1], [2, 3]]"), "[[1] [2 3]]");
  EXPECT_EQ(Expr1("[e for i in range(n)]"), "(listcomp e i (call range n))");
  EXPECT_EQ(Expr1("[e for i in range(n) if i % 2 == 0]"),
            "(listcomp e i (call range n) (== (% i 2) 0))");
  EXPECT_EQ(Expr1("[a if c else b for i in xs]"), "(listcomp (if c a b) i xs)");
  EXPECT_EQ(Expr1("[i for i in a or b if c and d]"), "(listcomp i i (or a b) (and c d))");
  EXPECT_EQ(Expr1("[\n  Block(i)\n  for i in range(3)\n]"),
            "(listcomp (call Block i) i (call range 3))");
}

TEST(ParserTest, ExpressionRanges) {
  Parsed p("x = a + b * c");
  ASSERT_EQ(p.program.stmts.size(), 1u);
  const auto& assign = p.program.stmts[0]->As<AssignStmt>();
  EXPECT_EQ(p.Where(assign.range), "1:1-1:14");
  const auto& add = assign.value->As<BinaryExpr>();
  EXPECT_EQ(p.Where(add.range), "1:5-1:14");
  EXPECT_EQ(p.Where(add.op_range), "1:7-1:8");
  EXPECT_EQ(p.Where(add.rhs->range), "1:9-1:14");
  Parsed q("y = f(a, k=1)[?, 2].m");
  const auto& member = q.program.stmts[0]->As<AssignStmt>().value->As<MemberExpr>();
  EXPECT_EQ(q.Where(member.range), "1:5-1:22");
  EXPECT_EQ(q.Where(member.member_range), "1:21-1:22");
  const auto& index = member.base->As<IndexExpr>();
  ASSERT_EQ(index.indices.size(), 2u);
  EXPECT_EQ(index.indices[0], nullptr);
  EXPECT_EQ(q.Where(index.index_ranges[0]), "1:15-1:16");
  const auto& call = index.base->As<CallExpr>();
  EXPECT_EQ(q.Where(call.args[1].range), "1:10-1:13");
  EXPECT_EQ(call.args[1].name, "k");
}

// ------------------------------------------------------------------ types

std::string TypeOf(std::string type) {
  Parsed p("let x: " + type);
  EXPECT_TRUE(p.Diags().empty()) << type << ": " << p.Diags()[0];
  if (p.program.stmts.empty()) return "";
  const auto& let = p.program.stmts[0]->As<LetStmt>();
  return let.type ? Sx(*let.type) : "";
}

TEST(ParserTest, Types) {
  EXPECT_EQ(TypeOf("int"), "int");
  EXPECT_EQ(TypeOf("Tensor"), "Tensor");
  EXPECT_EQ(TypeOf("Tensor<float32, [?, 784]>"), "Tensor<float32>[?,784]");
  EXPECT_EQ(TypeOf("tensor<float32, [1, 4]>"), "tensor<float32>[1,4]");
  EXPECT_EQ(TypeOf("TernaryTensor<trit, [4, 2]>"), "TernaryTensor<trit>[4,2]");
  EXPECT_EQ(TypeOf("Tensor[N, 3]"), "Tensor[N,3]");
  EXPECT_EQ(TypeOf("TernaryTensor[?, 4]"), "TernaryTensor[?,4]");
  EXPECT_EQ(TypeOf("Tensor<float32, [N, in_ch * 4, H / 2 + 1]>"),
            "Tensor<float32>[N,(* in_ch 4),(+ (/ H 2) 1)]");
  EXPECT_EQ(TypeOf("Tensor<float32, [N, -1]>"), "Tensor<float32>[N,(- 1)]");
  EXPECT_EQ(TypeOf("[int]"), "[int]");
  EXPECT_EQ(TypeOf("[[float]]"), "[[float]]");
  EXPECT_EQ(TypeOf("Tensor[]"), "Tensor[]");
  EXPECT_EQ(TypeOf("Map<str, List<int>>"), "Map<str,List<int>>");
  EXPECT_EQ(TypeOf("Tensor<float32, [N, 4],>"), "Tensor<float32>[N,4]");
  EXPECT_EQ(TypeOf("Tensor<[N, (a > b)]>"), "Tensor[N,(paren (> a b))]");
  EXPECT_EQ(TypeOf("Tensor<\n  float32,\n  [N, 4]\n>"), "Tensor<float32>[N,4]");
}

TEST(ParserTest, TypeEndingALine) {
  EXPECT_EQ(Ok("let w: TernaryTensor<trit, [4, 2]>\nlet b: Tensor<float32, [2]>\n"),
            "(let w : TernaryTensor<trit>[4,2]); (let b : Tensor<float32>[2])");
  // A comparison `>` at the end of a line continues the expression.
  EXPECT_EQ(Ok("y = a >\n  b"), "(= y (> a b))");
}

// ------------------------------------------------------------------ statements

TEST(ParserTest, Let) {
  EXPECT_EQ(Ok("let x = 1"), "(let x = 1)");
  EXPECT_EQ(Ok("let x"), "(let x)");
  EXPECT_EQ(Ok("let x: int"), "(let x : int)");
  EXPECT_EQ(Ok("let x: tensor<float32, [1, 4]> = [[1.0, 2.0, 3.0, 4.0]]"),
            "(let x : tensor<float32>[1,4] = [[1f 2f 3f 4f]])");
  EXPECT_EQ(Ok("let w: TernaryTensor<trit, [out_ch, in_ch, 3, 3]> = kaiming_normal()"),
            "(let w : TernaryTensor<trit>[out_ch,in_ch,3,3] = (call kaiming_normal))");
  EXPECT_EQ(Ok("let x =\n  1 +\n  2"), "(let x = (+ 1 2))");
}

TEST(ParserTest, Assignment) {
  EXPECT_EQ(Ok("x = 1"), "(= x 1)");
  EXPECT_EQ(Ok("a.b = f(x)"), "(= (. a b) (call f x))");
  EXPECT_EQ(Ok("a[i] = 2"), "(= (index a i) 2)");
}

TEST(ParserTest, ExpressionStatements) {
  EXPECT_EQ(Ok("f(x)"), "(call f x)");
  EXPECT_EQ(Ok("a + b"), "(+ a b)");
  // A newline before a binary operator ends the statement.
  EXPECT_EQ(Ok("a\n+ b"), "a; (+ b)");
}

TEST(ParserTest, Return) {
  EXPECT_EQ(Ok("return"), "(return)");
  EXPECT_EQ(Ok("return\n"), "(return)");
  EXPECT_EQ(Ok("return;"), "(return)");
  EXPECT_EQ(Ok("return x @ w"), "(return (@ x w))");
  EXPECT_EQ(Ok("return x;\nreturn"), "(return x); (return)");
  EXPECT_EQ(Ok("fn f() { return }"), "(fn f() {(return)})");
  EXPECT_EQ(Ok("fn f() { return x }"), "(fn f() {(return x)})");
}

TEST(ParserTest, Semicolons) {
  EXPECT_EQ(Ok("let a = 1; let b = 2;"), "(let a = 1); (let b = 2)");
  EXPECT_EQ(Ok(";;\nx = 1;;;\n;"), "(= x 1)");
  EXPECT_EQ(Ok("{ a; b }"), "{a; b}");
}

TEST(ParserTest, If) {
  EXPECT_EQ(Ok("if c { a }"), "(if c {a})");
  EXPECT_EQ(Ok("if c { a } else { b }"), "(if c {a} else {b})");
  EXPECT_EQ(Ok("if a { x } else if b { y } else { z }"), "(if a {x} else (if b {y} else {z}))");
  EXPECT_EQ(Ok("if c {\n  a\n}\nelse {\n  b\n}"), "(if c {a} else {b})");
  EXPECT_EQ(Ok("if c\n{\n  a\n}"), "(if c {a})");
  EXPECT_EQ(Ok("if stride != 1 or in_ch != out_ch {\n  x = 1\n}\n"),
            "(if (or (!= stride 1) (!= in_ch out_ch)) {(= x 1)})");
  EXPECT_EQ(Ok("if c {}"), "(if c {})");
}

TEST(ParserTest, ForWhile) {
  EXPECT_EQ(Ok("for i in range(n) {\n  x = x + i\n}"), "(for i (call range n) {(= x (+ x i))})");
  EXPECT_EQ(Ok("for l in _layers { x = l(x) }"), "(for l _layers {(= x (call l x))})");
  EXPECT_EQ(Ok("while i < 10 { i = i + 1 }"), "(while (< i 10) {(= i (+ i 1))})");
}

TEST(ParserTest, LayerAndFn) {
  EXPECT_EQ(Ok("layer L(x: tensor<float32,[1,4]>, w: TernaryTensor<trit,[4,2]>) -> "
               "tensor<float32,[1,2]> { return x @ w }"),
            "(layer L(x: tensor<float32>[1,4], w: TernaryTensor<trit>[4,2]) -> "
            "tensor<float32>[1,2] {(return (@ x w))})");
  EXPECT_EQ(Ok("fn conv_bn(x: Tensor, stride: int = 1, pad = 0,) -> Tensor { return x }"),
            "(fn conv_bn(x: Tensor, stride: int = 1, pad = 0) -> Tensor {(return x)})");
  EXPECT_EQ(Ok("layer Empty() {}"), "(layer Empty() {})");
  EXPECT_EQ(Ok("layer M(c: int) {\n  let w = zeros([c])\n  fn forward(x: Tensor) -> Tensor {\n"
               "    fn helper(y) { return y }\n    return helper(x)\n  }\n}"),
            "(layer M(c: int) {(let w = (call zeros [c])); (fn forward(x: Tensor) -> Tensor "
            "{(fn helper(y) {(return y)}); (return (call helper x))})})");
  EXPECT_EQ(Ok("layer S(_layers: [Layer]) { }"), "(layer S(_layers: [Layer]) {})");
  EXPECT_EQ(Ok("fn f(\n  a: int,\n  b: int = 2,\n) -> int\n{\n  return a + b\n}"),
            "(fn f(a: int, b: int = 2) -> int {(return (+ a b))})");
}

TEST(ParserTest, ModelImportBlock) {
  EXPECT_EQ(Ok("model resnet50 = ResNet([3, 4, 6, 3], num_classes=1000)"),
            "(model resnet50 (call ResNet [3 4 6 3] num_classes=1000))");
  EXPECT_EQ(Ok("import \"layers/common.tri\""), "(import \"layers/common.tri\")");
  EXPECT_EQ(Ok("{ let a = 1\n { b } }"), "{(let a = 1); {b}}");
}

TEST(ParserTest, StatementRanges) {
  Parsed p("layer L(x: int = 3) -> T {\n  let y = x\n}\nmodel m = L()");
  ASSERT_EQ(p.program.stmts.size(), 2u);
  const auto& layer = p.program.stmts[0]->As<FnStmt>();
  EXPECT_EQ(p.Where(layer.range), "1:1-3:2");
  EXPECT_EQ(p.Where(layer.name_range), "1:7-1:8");
  EXPECT_EQ(p.Where(layer.params[0].range), "1:9-1:19");
  EXPECT_EQ(p.Where(layer.params[0].type->range), "1:12-1:15");
  EXPECT_EQ(p.Where(layer.body->range), "1:26-3:2");
  EXPECT_EQ(p.Where(layer.body->stmts[0]->range), "2:3-2:12");
  EXPECT_EQ(p.Where(p.program.stmts[1]->range), "4:1-4:14");
}

TEST(ParserTest, OriginalSyntax) {
  // The original implementation's unit-test programs.
  EXPECT_EQ(Ok("let x: tensor<float32, [1, 4]> = [[1.0, -2.0, 3.0, 0.5]];\n"
               "let w: TernaryTensor<trit, [4, 2]> = TernaryTensor[4, 2](1, 0, -1, 1, 0, 1, -1, "
               "0);\n"
               "layer L(x: tensor<float32,[1,4]>, w: TernaryTensor<trit,[4,2]>) -> "
               "tensor<float32,[1,2]> {\n"
               "  return x @ w;\n"
               "}\n"
               "let y = L(x, w)\n"
               "return y\n"),
            "(let x : tensor<float32>[1,4] = [[1f (- 2f) 3f 0.5f]]); "
            "(let w : TernaryTensor<trit>[4,2] = (call (index TernaryTensor 4 2) 1 0 (- 1) 1 0 1 "
            "(- 1) 0)); "
            "(layer L(x: tensor<float32>[1,4], w: TernaryTensor<trit>[4,2]) -> "
            "tensor<float32>[1,2] {(return (@ x w))}); "
            "(let y = (call L x w)); (return y)");
  EXPECT_EQ(Ok("let a: int = 1 + 2 * 3\nreturn"), "(let a : int = (+ 1 (* 2 3))); (return)");
}

TEST(ParserTest, DocumentedSyntax) {
  EXPECT_EQ(Ok("/* a ternary MLP */\n"
               "fn dense(x: Tensor<float32, [?, 784]>, w: TernaryTensor<trit, [784, 10]>, "
               "scale: float = 1e-3) -> Tensor<float32, [?, 10]> {\n"
               "  let mask = 0xFF // hex\n"
               "  let bits = 0b1010\n"
               "  let t = trit(-1)\n"
               "  return relu(x @ w * scale, inplace=false)\n"
               "}\n"),
            "(fn dense(x: Tensor<float32>[?,784], w: TernaryTensor<trit>[784,10], "
            "scale: float = 0.001f) -> Tensor<float32>[?,10] {(let mask = 255); (let bits = 10); "
            "(let t = (call trit (- 1))); (return (call relu (* (@ x w) scale) inplace=false))})");
}

// ------------------------------------------------------------------ dump and prelude

TEST(ParserTest, DumpAstFormat) {
  Parsed p("let x: Tensor<float32, [?, 4]> = f(a, k=-1.5)\nreturn");
  EXPECT_EQ(DumpAst(p.program, p.sm),
            "(program\n"
            "  (let x @1:1\n"
            "    (type Tensor @1:8\n"
            "      (type float32 @1:15)\n"
            "      (dims\n"
            "        (? @1:25)\n"
            "        (int 4 @1:28)))\n"
            "    (call @1:34\n"
            "      (name f @1:34)\n"
            "      (name a @1:36)\n"
            "      (kwarg k @1:39\n"
            "        (unary - @1:41\n"
            "          (float 1.5 @1:42)))))\n"
            "  (return @2:1))\n");
  EXPECT_EQ(DumpAst(Parsed("").program, p.sm), "(program)\n");
}

TEST(ParserTest, PreludeParsesCleanly) {
  std::ifstream in(TRITON_PRELUDE_PATH);
  ASSERT_TRUE(in) << TRITON_PRELUDE_PATH;
  std::stringstream ss;
  ss << in.rdbuf();
  Parsed p(ss.str());
  EXPECT_TRUE(p.Diags().empty()) << p.Diags()[0];
  EXPECT_GT(p.program.stmts.size(), 10u);
  for (const StmtPtr& s : p.program.stmts) EXPECT_EQ(s->kind, StmtKind::kLayer);
}

}  // namespace
}  // namespace triton::lang
