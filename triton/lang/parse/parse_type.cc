// Types, parsed after `:` and `->` and as type arguments; here `<` and `>` are brackets.
//   type      := '[' type ']'                       a list type, `[int]`
//              | Name [ '<' targ {',' targ} [','] '>' | dims ]
//   targ      := dims | type                        `[` always starts dims inside `<>`
//   dims      := '[' [ dim {',' dim} [','] ] ']'
//   dim       := '?' | additive-expression           so `>` and `,` end a dimension
#include <memory>
#include <utility>

#include "triton/lang/parse/parser_impl.h"

namespace triton::lang::detail {

using diag::Kind;

ast::TypePtr Parser::ParseType(std::string_view after) {
  DepthScope depth(this);
  if (!depth.Push()) return nullptr;
  auto type = std::make_unique<ast::TypeExpr>();
  if (At(Tok::kLBracket)) {
    const Token& open = Advance();
    type->is_list = true;
    type->elem = ParseType("after '['");
    if (!type->elem) return nullptr;
    if (!At(Tok::kRBracket)) {
      FailClose("]", open);
      return nullptr;
    }
    Advance();
    type->range = SpanFrom(open.range);
    return type;
  }
  if (!At(Tok::kIdentifier)) {
    std::string msg = "expected a type";
    if (!after.empty()) {
      msg += ' ';
      msg += after;
    }
    Fail(Kind::kExpectedType, msg + ", got " + Describe(Cur()));
    return nullptr;
  }
  const Token& name = Advance();
  type->name = std::string(name.text);
  type->name_range = name.range;
  if (At(Tok::kLess)) {
    const Token& open = Advance();
    while (true) {
      if (At(Tok::kLBracket)) {
        if (type->has_dims) {
          Fail(Kind::kUnexpectedToken, "a type has at most one dimension list");
          return nullptr;
        }
        if (!ParseDims(*type)) return nullptr;
      } else if (At(Tok::kIdentifier)) {
        ast::TypePtr arg = ParseType("");
        if (!arg) return nullptr;
        type->type_args.push_back(std::move(arg));
      } else if (AtStatementEnd()) {
        FailClose(">", open);
        return nullptr;
      } else {
        Fail(Kind::kExpectedType, "expected a type or a dimension list, got " + Describe(Cur()));
        return nullptr;
      }
      if (At(Tok::kNewline) && PeekAt(1).kind == Tok::kGreater) Advance();  // `>` on its own line
      if (Accept(Tok::kComma)) {
        if (At(Tok::kGreater)) break;
        continue;
      }
      if (At(Tok::kGreater)) break;
      FailClose(">", open);
      return nullptr;
    }
    Advance();
  } else if (At(Tok::kLBracket)) {
    if (!ParseDims(*type)) return nullptr;
  }
  type->range = SpanFrom(name.range);
  return type;
}

bool Parser::ParseDims(ast::TypeExpr& type) {
  const Token& open = Advance();
  type.has_dims = true;
  if (Accept(Tok::kRBracket)) return true;
  while (true) {
    if (AtStatementEnd()) {
      FailClose("]", open);
      return false;
    }
    ast::DimExpr dim;
    if (At(Tok::kQuestion)) {
      dim.range = Cur().range;
      Advance();
    } else {
      dim.expr = ParseBinary(kPrecAdd);
      if (!dim.expr) return false;
      dim.range = dim.expr->range;
    }
    type.dims.push_back(std::move(dim));
    if (Accept(Tok::kComma)) {
      if (At(Tok::kRBracket)) break;
      continue;
    }
    if (At(Tok::kRBracket)) break;
    FailClose("]", open);
    return false;
  }
  Advance();
  return true;
}

}  // namespace triton::lang::detail
