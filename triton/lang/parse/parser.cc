// Statements, blocks, declarations, error recovery and the Parse entry point. Expressions are in
// parse_expr.cc, types in parse_type.cc; the shared class and its error rules in parser_impl.h.
#include "triton/lang/parse/parser.h"

#include <memory>
#include <utility>

#include "triton/lang/parse/parser_impl.h"

namespace triton::lang {
namespace detail {

using diag::Kind;
using diag::SourceRange;

namespace {

// The token vector Parse works on: the caller's if it ends with kEof, else a copy that does.
const std::vector<Token>& WithEof(const std::vector<Token>& in, std::vector<Token>& owned,
                                  diag::FileId file) {
  if (!in.empty() && in.back().kind == Tok::kEof) return in;
  owned = in;
  Token eof;
  eof.kind = Tok::kEof;
  uint32_t end = in.empty() ? 0 : in.back().range.end;
  eof.range = {in.empty() ? file : in.back().range.file, end, end};
  owned.push_back(std::move(eof));
  return owned;
}

// Text for a message: long identifiers and literals are cut.
std::string Abbrev(std::string_view text) {
  if (text.size() <= 32) return std::string(text);
  return std::string(text.substr(0, 24)) + "...";
}

bool IsTopLevelOnly(Tok k) { return k == Tok::kLayer || k == Tok::kModel || k == Tok::kImport; }

}  // namespace

Parser::Parser(const std::vector<Token>& tokens, diag::FileId file, diag::DiagEngine& diags)
    : toks_(WithEof(tokens, owned_, file)), file_(file), diags_(diags) {}

ast::Program Parser::ParseProgram() {
  ast::Program program;
  program.file = file_;
  ParseStatements(program.stmts, /*in_block=*/false, nullptr);
  return program;
}

// ------------------------------------------------------------------ diagnostics

std::string Parser::Where(SourceRange r) const {
  const diag::SourceManager& sm = diags_.sources();
  if (!r.valid() || static_cast<size_t>(r.file) >= sm.size()) return "?";
  diag::LineCol lc = sm.file(r.file).Resolve(r.begin);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

bool Parser::AtColumnOne() const {
  const diag::SourceManager& sm = diags_.sources();
  SourceRange r = Cur().range;
  if (!r.valid() || static_cast<size_t>(r.file) >= sm.size()) return false;
  return sm.file(r.file).Resolve(r.begin).column == 1;
}

std::string Parser::Describe(const Token& t) const {
  switch (t.kind) {
    case Tok::kNewline:
      return "newline";
    case Tok::kEof:
      return "end of file";
    case Tok::kIdentifier:
      return "identifier '" + Abbrev(t.text) + "'";
    case Tok::kInteger:
      return "integer literal '" + Abbrev(t.text) + "'";
    case Tok::kFloat:
      return "float literal '" + Abbrev(t.text) + "'";
    case Tok::kString:
      return "string literal " + Abbrev(t.text);
    case Tok::kError:
      return "invalid token";
    default:
      return std::string("'") + TokSpelling(t.kind) + "'";
  }
}

void Parser::Fail(Kind kind, std::string message) {
  if (pos_ == last_error_pos_) return;
  last_error_pos_ = pos_;
  if (Cur().kind == Tok::kError) return;  // the lexer reported this token
  diags_.Report(kind, Cur().range, std::move(message));
}

void Parser::FailClose(const char* closer, const Token& open) {
  Fail(Kind::kExpectedToken, std::string("expected '") + closer + "' to close '" +
                                 std::string(open.text) + "' at " + Where(open.range) + ", got " +
                                 Describe(Cur()));
}

void Parser::FailExpected(std::string_view what) {
  Fail(Kind::kExpectedToken, "expected " + std::string(what) + ", got " + Describe(Cur()));
}

// ------------------------------------------------------------------ statement lists

bool Parser::ParseStatements(std::vector<ast::StmtPtr>& out, bool in_block,
                             const Token* open_brace) {
  while (true) {
    while (At(Tok::kNewline) || At(Tok::kSemicolon)) Advance();
    if (At(Tok::kEof)) {
      if (!in_block) return true;
      FailClose("}", *open_brace);
      return false;
    }
    if (At(Tok::kRBrace)) {
      if (in_block) return true;  // the caller consumes it
      Fail(Kind::kUnexpectedToken, "unexpected '}' with no matching '{'");
      Advance();
      continue;
    }
    size_t start = pos_;
    bool keep = true;
    if (in_block && IsTopLevelOnly(Cur().kind)) {
      // In column 1 this is most likely the next top-level declaration after a missing `}`.
      if (AtColumnOne()) {
        FailClose("}", *open_brace);
        return false;
      }
      Fail(Kind::kUnexpectedToken,
           std::string("'") + TokSpelling(Cur().kind) + "' is only allowed at top level");
      keep = false;  // parse it to resume after it, then drop it
    }
    ast::StmtPtr stmt = ParseStatement();
    if (stmt) {
      if (At(Tok::kNewline) || At(Tok::kSemicolon)) {
        Advance();
        if (keep) out.push_back(std::move(stmt));
        continue;
      }
      if (At(Tok::kRBrace) || At(Tok::kEof)) {
        if (keep) out.push_back(std::move(stmt));
        continue;
      }
      FailExpected("a newline or ';' after the statement");
    }
    Sync();
    if (pos_ == start && !At(Tok::kEof) && !At(Tok::kRBrace)) Advance();  // always progress
  }
}

// Skips to the next statement boundary: past a newline or `;` at the current brace depth, or up
// to (not past) a `}` that closes the enclosing block, the end of file, or a top-level keyword in
// column 1 (the start of the next declaration).
void Parser::Sync() {
  int depth = 0;
  while (!At(Tok::kEof)) {
    Tok k = Cur().kind;
    if (k == Tok::kLBrace) {
      ++depth;
    } else if (k == Tok::kRBrace) {
      if (depth == 0) return;
      --depth;
    } else if ((k == Tok::kNewline || k == Tok::kSemicolon) && depth == 0) {
      Advance();
      return;
    } else if (IsTopLevelOnly(k) && AtColumnOne()) {
      return;
    }
    Advance();
  }
}

// ------------------------------------------------------------------ statements

ast::StmtPtr Parser::ParseStatement() {
  switch (Cur().kind) {
    case Tok::kLet:
      return ParseLet();
    case Tok::kReturn:
      return ParseReturn();
    case Tok::kIf:
      return ParseIf();
    case Tok::kFor:
      return ParseFor();
    case Tok::kWhile:
      return ParseWhile();
    case Tok::kLayer:
    case Tok::kFn:
      return ParseFnLike();
    case Tok::kModel:
      return ParseModel();
    case Tok::kImport:
      return ParseImport();
    case Tok::kLBrace:
      return ParseBlock("");
    case Tok::kElse:
      Fail(Kind::kUnexpectedToken, "'else' without a matching 'if'");
      return nullptr;
    default:
      return ParseExprOrAssign();
  }
}

ast::BlockPtr Parser::ParseBlock(std::string_view context) {
  if (At(Tok::kNewline) && PeekAt(1).kind == Tok::kLBrace) Advance();
  if (!At(Tok::kLBrace)) {
    FailExpected("'{' " + std::string(context));
    return nullptr;
  }
  DepthScope depth(this);
  if (!depth.Push()) return nullptr;
  const Token& open = Advance();
  std::vector<ast::StmtPtr> stmts;
  if (!ParseStatements(stmts, /*in_block=*/true, &open)) return nullptr;
  Advance();  // `}`
  return std::make_unique<ast::BlockStmt>(SpanFrom(open.range), std::move(stmts));
}

// `let name [: Type] [= expr]`
ast::StmtPtr Parser::ParseLet() {
  const Token& kw = Advance();
  if (!At(Tok::kIdentifier)) {
    FailExpected("a name after 'let'");
    return nullptr;
  }
  const Token& name = Advance();
  ast::TypePtr type;
  ast::ExprPtr init;
  if (Accept(Tok::kColon)) {
    type = ParseType("after ':'");
    if (!type) return nullptr;
  }
  if (Accept(Tok::kAssign)) {
    init = ParseExpr();
    if (!init) return nullptr;
  }
  return std::make_unique<ast::LetStmt>(SpanFrom(kw.range), std::string(name.text), name.range,
                                        std::move(type), std::move(init));
}

// `return [expr]`: no value when the statement ends right after the keyword.
ast::StmtPtr Parser::ParseReturn() {
  const Token& kw = Advance();
  ast::ExprPtr value;
  if (!AtStatementEnd()) {
    value = ParseExpr();
    if (!value) return nullptr;
  }
  return std::make_unique<ast::ReturnStmt>(SpanFrom(kw.range), std::move(value));
}

// `if cond { } [else if ... | else { }]`; `else` may start the line after the `}`.
ast::StmtPtr Parser::ParseIf() {
  const Token& kw = Advance();
  ast::ExprPtr cond = ParseExpr();
  if (!cond) return nullptr;
  ast::BlockPtr then_block = ParseBlock("after the 'if' condition");
  if (!then_block) return nullptr;
  ast::StmtPtr else_stmt;
  if (At(Tok::kNewline) && PeekAt(1).kind == Tok::kElse) Advance();
  if (Accept(Tok::kElse)) {
    if (At(Tok::kIf)) {
      DepthScope depth(this);  // an else-if chain nests in the tree
      if (!depth.Push()) return nullptr;
      else_stmt = ParseIf();
    } else {
      else_stmt = ParseBlock("after 'else'");
    }
    if (!else_stmt) return nullptr;
  }
  return std::make_unique<ast::IfStmt>(SpanFrom(kw.range), std::move(cond), std::move(then_block),
                                       std::move(else_stmt));
}

// `for name in expr { }`
ast::StmtPtr Parser::ParseFor() {
  const Token& kw = Advance();
  if (!At(Tok::kIdentifier)) {
    FailExpected("a loop variable after 'for'");
    return nullptr;
  }
  const Token& var = Advance();
  if (!Accept(Tok::kIn)) {
    FailExpected("'in' after the loop variable");
    return nullptr;
  }
  ast::ExprPtr iter = ParseExpr();
  if (!iter) return nullptr;
  ast::BlockPtr body = ParseBlock("after the 'for' iterable");
  if (!body) return nullptr;
  return std::make_unique<ast::ForStmt>(SpanFrom(kw.range), std::string(var.text), var.range,
                                        std::move(iter), std::move(body));
}

// `while cond { }`
ast::StmtPtr Parser::ParseWhile() {
  const Token& kw = Advance();
  ast::ExprPtr cond = ParseExpr();
  if (!cond) return nullptr;
  ast::BlockPtr body = ParseBlock("after the 'while' condition");
  if (!body) return nullptr;
  return std::make_unique<ast::WhileStmt>(SpanFrom(kw.range), std::move(cond), std::move(body));
}

// `layer Name(params) [-> Type] { body }` and `fn name(params) [-> Type] { body }`
ast::StmtPtr Parser::ParseFnLike() {
  const Token& kw = Advance();
  bool is_layer = kw.kind == Tok::kLayer;
  std::string what = is_layer ? "layer" : "function";
  if (!At(Tok::kIdentifier)) {
    FailExpected("a " + what + " name after '" + std::string(kw.text) + "'");
    return nullptr;
  }
  const Token& name = Advance();
  if (!At(Tok::kLParen)) {
    FailExpected("'(' after the " + what + " name");
    return nullptr;
  }
  std::vector<ast::Param> params;
  if (!ParseParams(params)) return nullptr;
  ast::TypePtr ret;
  if (At(Tok::kNewline) && PeekAt(1).kind == Tok::kArrow) Advance();  // `-> T` on its own line
  if (Accept(Tok::kArrow)) {
    ret = ParseType("after '->'");
    if (!ret) return nullptr;
  }
  ast::BlockPtr body = ParseBlock("to start the " + what + " body");
  if (!body) return nullptr;
  return std::make_unique<ast::FnStmt>(is_layer ? ast::StmtKind::kLayer : ast::StmtKind::kFn,
                                       SpanFrom(kw.range), std::string(name.text), name.range,
                                       std::move(params), std::move(ret), std::move(body));
}

// `( [name [: Type] [= default] {, ...} [,]] )`
bool Parser::ParseParams(std::vector<ast::Param>& out) {
  const Token& open = Advance();
  while (!At(Tok::kRParen)) {
    if (AtStatementEnd()) {
      FailClose(")", open);
      return false;
    }
    if (!At(Tok::kIdentifier)) {
      FailExpected("a parameter name");
      return false;
    }
    const Token& name = Advance();
    ast::Param p;
    p.name = std::string(name.text);
    p.name_range = name.range;
    if (Accept(Tok::kColon)) {
      p.type = ParseType("after ':'");
      if (!p.type) return false;
    }
    if (Accept(Tok::kAssign)) {
      p.default_value = ParseExpr();
      if (!p.default_value) return false;
    }
    p.range = SpanFrom(name.range);
    out.push_back(std::move(p));
    if (Accept(Tok::kComma)) continue;
    if (!At(Tok::kRParen)) {
      FailClose(")", open);
      return false;
    }
  }
  Advance();
  return true;
}

// `model name = expr`
ast::StmtPtr Parser::ParseModel() {
  const Token& kw = Advance();
  if (!At(Tok::kIdentifier)) {
    FailExpected("a model name after 'model'");
    return nullptr;
  }
  const Token& name = Advance();
  if (!Accept(Tok::kAssign)) {
    FailExpected("'=' after the model name");
    return nullptr;
  }
  ast::ExprPtr value = ParseExpr();
  if (!value) return nullptr;
  return std::make_unique<ast::ModelStmt>(SpanFrom(kw.range), std::string(name.text), name.range,
                                          std::move(value));
}

// `import "path"`
ast::StmtPtr Parser::ParseImport() {
  const Token& kw = Advance();
  if (!At(Tok::kString)) {
    FailExpected("a path string after 'import'");
    return nullptr;
  }
  const Token& path = Advance();
  return std::make_unique<ast::ImportStmt>(SpanFrom(kw.range), path.str_value);
}

// An expression statement, or `target = value` where target is a name, member or index.
ast::StmtPtr Parser::ParseExprOrAssign() {
  ast::ExprPtr expr = ParseExpr();
  if (!expr) return nullptr;
  if (!At(Tok::kAssign)) {
    SourceRange r = expr->range;
    return std::make_unique<ast::ExprStmt>(r, std::move(expr));
  }
  ast::ExprKind k = expr->kind;
  if (k != ast::ExprKind::kName && k != ast::ExprKind::kMember && k != ast::ExprKind::kIndex) {
    Fail(Kind::kUnexpectedToken, std::string("cannot assign to ") + ExprNoun(k) +
                                     "; the target of '=' must be a name, a member or an index");
    return nullptr;
  }
  Advance();
  ast::ExprPtr value = ParseExpr();
  if (!value) return nullptr;
  SourceRange r = SpanFrom(expr->range);
  return std::make_unique<ast::AssignStmt>(r, std::move(expr), std::move(value));
}

}  // namespace detail

ast::Program Parse(const std::vector<Token>& tokens, diag::FileId file, diag::DiagEngine& diags) {
  return detail::Parser(tokens, file, diags).ParseProgram();
}

}  // namespace triton::lang
