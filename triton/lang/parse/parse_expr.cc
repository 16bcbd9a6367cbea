// Expressions, lowest to highest precedence (language.md): `a if c else b` · `or ||` ·
// `and &&` · `not !` · comparisons (not chained) · `+ -` · `* / % @` · unary `- +` · `**`
// (right-associative, its right operand may be unary) · postfix call, index, member · primary.
// The binary levels are one precedence-climbing loop, so a nesting level costs few stack frames.
#include <memory>
#include <utility>

#include "triton/lang/parse/parser_impl.h"

namespace triton::lang::detail {

using ast::BinaryOp;
using ast::ExprPtr;
using diag::Kind;
using diag::SourceRange;

namespace {

struct BinInfo {
  int prec;
  BinaryOp op;
};

bool BinaryInfo(Tok k, BinInfo* out) {
  switch (k) {
    case Tok::kOr:
    case Tok::kPipePipe:
      *out = {kPrecOr, BinaryOp::kOr};
      return true;
    case Tok::kAnd:
    case Tok::kAmpAmp:
      *out = {kPrecAnd, BinaryOp::kAnd};
      return true;
    case Tok::kEqEq:
      *out = {kPrecCmp, BinaryOp::kEq};
      return true;
    case Tok::kNotEq:
      *out = {kPrecCmp, BinaryOp::kNe};
      return true;
    case Tok::kLess:
      *out = {kPrecCmp, BinaryOp::kLt};
      return true;
    case Tok::kLessEq:
      *out = {kPrecCmp, BinaryOp::kLe};
      return true;
    case Tok::kGreater:
      *out = {kPrecCmp, BinaryOp::kGt};
      return true;
    case Tok::kGreaterEq:
      *out = {kPrecCmp, BinaryOp::kGe};
      return true;
    case Tok::kPlus:
      *out = {kPrecAdd, BinaryOp::kAdd};
      return true;
    case Tok::kMinus:
      *out = {kPrecAdd, BinaryOp::kSub};
      return true;
    case Tok::kStar:
      *out = {kPrecMul, BinaryOp::kMul};
      return true;
    case Tok::kSlash:
      *out = {kPrecMul, BinaryOp::kDiv};
      return true;
    case Tok::kPercent:
      *out = {kPrecMul, BinaryOp::kMod};
      return true;
    case Tok::kAt:
      *out = {kPrecMul, BinaryOp::kMatMul};
      return true;
    default:
      return false;
  }
}

}  // namespace

const char* ExprNoun(ast::ExprKind k) {
  switch (k) {
    case ast::ExprKind::kInt:
      return "an integer literal";
    case ast::ExprKind::kFloat:
      return "a float literal";
    case ast::ExprKind::kString:
      return "a string literal";
    case ast::ExprKind::kBool:
      return "a boolean literal";
    case ast::ExprKind::kName:
      return "a name";
    case ast::ExprKind::kUnary:
      return "a unary expression";
    case ast::ExprKind::kBinary:
      return "a binary expression";
    case ast::ExprKind::kConditional:
      return "a conditional expression";
    case ast::ExprKind::kCall:
      return "a call";
    case ast::ExprKind::kIndex:
      return "an index expression";
    case ast::ExprKind::kMember:
      return "a member access";
    case ast::ExprKind::kList:
      return "a list";
    case ast::ExprKind::kListComp:
      return "a list comprehension";
    case ast::ExprKind::kParen:
      return "a parenthesized expression";
  }
  return "an expression";
}

// `then if cond else other`: cond at `or` level, `other` may itself be conditional.
ExprPtr Parser::ParseExpr() {
  DepthScope depth(this);
  if (!depth.Push()) return nullptr;
  ExprPtr then_expr = ParseBinary(kPrecOr);
  if (!then_expr || !At(Tok::kIf)) return then_expr;
  Advance();
  ExprPtr cond = ParseBinary(kPrecOr);
  if (!cond) return nullptr;
  if (At(Tok::kNewline) && PeekAt(1).kind == Tok::kElse) Advance();  // `else` may start a line
  if (!At(Tok::kElse)) {
    FailExpected("'else' in the conditional expression");
    return nullptr;
  }
  Advance();
  ExprPtr else_expr = ParseExpr();
  if (!else_expr) return nullptr;
  SourceRange r = SpanFrom(then_expr->range);
  return std::make_unique<ast::ConditionalExpr>(r, std::move(then_expr), std::move(cond),
                                                std::move(else_expr));
}

// Binary operators with precedence >= min_prec, and the prefix `not` (which binds looser than
// comparisons: `not a == b` is `not (a == b)`).
ExprPtr Parser::ParseBinary(int min_prec) {
  DepthScope depth(this);
  ExprPtr lhs;
  if (At(Tok::kNot) || At(Tok::kBang)) {
    if (!depth.Push()) return nullptr;
    const Token& op = Advance();
    ExprPtr operand = ParseBinary(std::max(min_prec, static_cast<int>(kPrecNot)));
    if (!operand) return nullptr;
    lhs = std::make_unique<ast::UnaryExpr>(SpanFrom(op.range), ast::UnaryOp::kNot,
                                           std::move(operand));
  } else {
    lhs = ParseUnary();
    if (!lhs) return nullptr;
  }
  bool lhs_is_comparison = false;
  BinInfo info;
  while (BinaryInfo(Cur().kind, &info) && info.prec >= min_prec) {
    bool is_comparison = info.prec == kPrecCmp;
    if (is_comparison && lhs_is_comparison) {
      Fail(Kind::kUnexpectedToken,
           "comparison operators cannot be chained; combine the comparisons with 'and'");
      return nullptr;
    }
    if (!depth.Push()) return nullptr;  // each operator nests the tree one level deeper
    const Token& op = Advance();
    if (op.kind == Tok::kGreater && At(Tok::kNewline)) Advance();  // see lexer.h on `>`
    ExprPtr rhs = ParseBinary(info.prec + 1);
    if (!rhs) return nullptr;
    SourceRange r = SpanFrom(lhs->range);
    lhs = std::make_unique<ast::BinaryExpr>(r, info.op, op.range, std::move(lhs), std::move(rhs));
    lhs_is_comparison = is_comparison;
  }
  return lhs;
}

// Unary `-` and `+`; `-2 ** 2` is `-(2 ** 2)`.
ExprPtr Parser::ParseUnary() {
  if (!At(Tok::kMinus) && !At(Tok::kPlus)) return ParsePower();
  DepthScope depth(this);
  if (!depth.Push()) return nullptr;
  const Token& op = Advance();
  ExprPtr operand = ParseUnary();
  if (!operand) return nullptr;
  return std::make_unique<ast::UnaryExpr>(
      SpanFrom(op.range), op.kind == Tok::kMinus ? ast::UnaryOp::kNeg : ast::UnaryOp::kPos,
      std::move(operand));
}

// `base ** exponent`, right-associative; the exponent may carry a sign (`2 ** -1`).
ExprPtr Parser::ParsePower() {
  ExprPtr base = ParsePostfix();
  if (!base || !At(Tok::kStarStar)) return base;
  DepthScope depth(this);
  if (!depth.Push()) return nullptr;
  const Token& op = Advance();
  ExprPtr exponent = ParseUnary();
  if (!exponent) return nullptr;
  SourceRange r = SpanFrom(base->range);
  return std::make_unique<ast::BinaryExpr>(r, BinaryOp::kPow, op.range, std::move(base),
                                           std::move(exponent));
}

// Calls, indexing and member access, left to right.
ExprPtr Parser::ParsePostfix() {
  ExprPtr e = ParsePrimary();
  if (!e) return nullptr;
  DepthScope depth(this);
  while (At(Tok::kLParen) || At(Tok::kLBracket) || At(Tok::kDot)) {
    if (!depth.Push()) return nullptr;
    if (At(Tok::kLParen)) {
      e = ParseCall(std::move(e));
    } else if (At(Tok::kLBracket)) {
      e = ParseIndex(std::move(e));
    } else {
      Advance();
      if (!At(Tok::kIdentifier)) {
        FailExpected("a member name after '.'");
        return nullptr;
      }
      const Token& member = Advance();
      SourceRange r = SpanFrom(e->range);
      e = std::make_unique<ast::MemberExpr>(r, std::move(e), std::string(member.text),
                                            member.range);
    }
    if (!e) return nullptr;
  }
  return e;
}

// `callee(a, b, key=value, )`
ExprPtr Parser::ParseCall(ExprPtr callee) {
  const Token& open = Advance();
  std::vector<ast::Arg> args;
  while (!At(Tok::kRParen)) {
    if (AtStatementEnd()) {
      FailClose(")", open);
      return nullptr;
    }
    ast::Arg arg;
    SourceRange begin = Cur().range;
    if (At(Tok::kIdentifier) && PeekAt(1).kind == Tok::kAssign) {
      arg.name = std::string(Cur().text);
      Advance();
      Advance();
    }
    arg.value = ParseExpr();
    if (!arg.value) return nullptr;
    arg.range = SpanFrom(begin);
    args.push_back(std::move(arg));
    if (Accept(Tok::kComma)) continue;
    if (!At(Tok::kRParen)) {
      FailClose(")", open);
      return nullptr;
    }
  }
  Advance();
  SourceRange r = SpanFrom(callee->range);
  return std::make_unique<ast::CallExpr>(r, std::move(callee), std::move(args));
}

// `base[i, ?, j, ]`: a `?` index is stored as nullptr.
ExprPtr Parser::ParseIndex(ExprPtr base) {
  const Token& open = Advance();
  std::vector<ExprPtr> indices;
  std::vector<SourceRange> ranges;
  while (true) {
    if (AtStatementEnd()) {
      FailClose("]", open);
      return nullptr;
    }
    if (At(Tok::kQuestion)) {
      ranges.push_back(Cur().range);
      indices.push_back(nullptr);
      Advance();
    } else {
      ExprPtr index = ParseExpr();
      if (!index) return nullptr;
      ranges.push_back(index->range);
      indices.push_back(std::move(index));
    }
    if (Accept(Tok::kComma)) {
      if (At(Tok::kRBracket)) break;
      continue;
    }
    if (At(Tok::kRBracket)) break;
    FailClose("]", open);
    return nullptr;
  }
  Advance();
  SourceRange r = SpanFrom(base->range);
  return std::make_unique<ast::IndexExpr>(r, std::move(base), std::move(indices),
                                          std::move(ranges));
}

// `[a, b, ]` or `[elem for var in iter if cond]` (iter and cond at `or` level, so the `if` after
// the iterable is the filter).
ExprPtr Parser::ParseList() {
  const Token& open = Advance();
  std::vector<ExprPtr> elems;
  if (Accept(Tok::kRBracket)) return std::make_unique<ast::ListExpr>(open.range, std::move(elems));
  if (AtStatementEnd()) {
    FailClose("]", open);
    return nullptr;
  }
  ExprPtr first = ParseExpr();
  if (!first) return nullptr;
  if (Accept(Tok::kFor)) {
    if (!At(Tok::kIdentifier)) {
      FailExpected("a loop variable after 'for'");
      return nullptr;
    }
    const Token& var = Advance();
    if (!Accept(Tok::kIn)) {
      FailExpected("'in' after the loop variable");
      return nullptr;
    }
    ExprPtr iter = ParseBinary(kPrecOr);
    if (!iter) return nullptr;
    ExprPtr cond;
    if (Accept(Tok::kIf)) {
      cond = ParseBinary(kPrecOr);
      if (!cond) return nullptr;
    }
    if (!At(Tok::kRBracket)) {
      FailClose("]", open);
      return nullptr;
    }
    Advance();
    return std::make_unique<ast::ListCompExpr>(SpanFrom(open.range), std::move(first),
                                               std::string(var.text), var.range, std::move(iter),
                                               std::move(cond));
  }
  elems.push_back(std::move(first));
  while (Accept(Tok::kComma)) {
    if (At(Tok::kRBracket)) break;
    if (AtStatementEnd()) {
      FailClose("]", open);
      return nullptr;
    }
    ExprPtr e = ParseExpr();
    if (!e) return nullptr;
    elems.push_back(std::move(e));
  }
  if (!At(Tok::kRBracket)) {
    FailClose("]", open);
    return nullptr;
  }
  Advance();
  return std::make_unique<ast::ListExpr>(SpanFrom(open.range), std::move(elems));
}

ExprPtr Parser::ParsePrimary() {
  const Token& t = Cur();
  switch (t.kind) {
    case Tok::kInteger:
      Advance();
      return std::make_unique<ast::IntExpr>(t.range, t.int_value);
    case Tok::kFloat:
      Advance();
      return std::make_unique<ast::FloatExpr>(t.range, t.float_value);
    case Tok::kString:
      Advance();
      return std::make_unique<ast::StringExpr>(t.range, t.str_value);
    case Tok::kTrue:
    case Tok::kFalse:
      Advance();
      return std::make_unique<ast::BoolExpr>(t.range, t.kind == Tok::kTrue);
    case Tok::kIdentifier:
      Advance();
      return std::make_unique<ast::NameExpr>(t.range, std::string(t.text));
    case Tok::kLParen: {
      const Token& open = Advance();
      if (AtStatementEnd()) {
        FailClose(")", open);
        return nullptr;
      }
      ExprPtr inner = ParseExpr();
      if (!inner) return nullptr;
      if (!At(Tok::kRParen)) {
        FailClose(")", open);
        return nullptr;
      }
      Advance();
      return std::make_unique<ast::ParenExpr>(SpanFrom(open.range), std::move(inner));
    }
    case Tok::kLBracket:
      return ParseList();
    default:
      Fail(Kind::kExpectedExpression, "expected an expression, got " + Describe(t));
      return nullptr;
  }
}

}  // namespace triton::lang::detail
