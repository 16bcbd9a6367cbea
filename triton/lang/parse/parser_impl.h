#pragma once
// Internal to triton_parse: the Parser class shared by parser.cc (statements), parse_expr.cc
// (expressions) and parse_type.cc (types). Not a public header.
//
// Error discipline (the anti-cascade rules behind parser.h's contract):
// - A parse function that fails reports at most one diagnostic and returns nullptr; a caller that
//   gets nullptr from a child returns nullptr at once without reporting anything itself.
// - The statement loops drop a failed statement and call Sync(), which skips to the next
//   statement boundary at the current brace depth.
// - No diagnostic is reported at a kError token (the lexer already reported it), and never two
//   at the same token.
// - A newline is skipped where no statement can end: before the `{` of a body, before `->` after
//   a parameter list, before `else` (statement or conditional expression), before a type's
//   closing `>`, and after a comparison `>` (which the lexer does not treat as a continuation).
// - Depth: every recursive construct and every node a loop wraps around a previous one (a binary
//   chain, a postfix chain) takes a level from a DepthScope; past kMaxNesting one NestingTooDeep
//   is reported and everything unwinds, so the stack and the tree depth stay bounded.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "triton/diag/diagnostic.h"
#include "triton/lang/lex/token.h"
#include "triton/lang/parse/ast.h"
#include "triton/lang/parse/parser.h"

namespace triton::lang::detail {

// Binding strength of binary operators (higher binds tighter). `not` sits between `and` and the
// comparisons; unary `-`/`+`, `**` and postfix operators are above kMul and handled by their own
// functions.
enum Prec : int { kPrecNone = 0, kPrecOr, kPrecAnd, kPrecNot, kPrecCmp, kPrecAdd, kPrecMul };

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, diag::FileId file, diag::DiagEngine& diags);
  ast::Program ParseProgram();

  // ---- statements (parser.cc)
  // Statements until `}` (when `in_block`) or the end of the file; a failed statement is dropped.
  // Returns false if a block lacked its `}` (reported).
  bool ParseStatements(std::vector<ast::StmtPtr>& out, bool in_block, const Token* open_brace);
  ast::StmtPtr ParseStatement();
  ast::StmtPtr ParseLet();
  ast::StmtPtr ParseReturn();
  ast::StmtPtr ParseIf();
  ast::StmtPtr ParseFor();
  ast::StmtPtr ParseWhile();
  ast::StmtPtr ParseFnLike();
  ast::StmtPtr ParseModel();
  ast::StmtPtr ParseImport();
  ast::StmtPtr ParseExprOrAssign();
  bool ParseParams(std::vector<ast::Param>& out);
  // `{ statements }`; `context` completes "expected '{' <context>, got ...". A single newline
  // before the `{` is allowed.
  ast::BlockPtr ParseBlock(std::string_view context);
  void Sync();

  // ---- expressions (parse_expr.cc)
  ast::ExprPtr ParseExpr();  // the full expression: `a if c else b` and everything below
  ast::ExprPtr ParseBinary(int min_prec);
  ast::ExprPtr ParseUnary();
  ast::ExprPtr ParsePower();
  ast::ExprPtr ParsePostfix();
  ast::ExprPtr ParsePrimary();
  ast::ExprPtr ParseCall(ast::ExprPtr callee);
  ast::ExprPtr ParseIndex(ast::ExprPtr base);
  ast::ExprPtr ParseList();

  // ---- types (parse_type.cc)
  // `after` completes "expected a type <after>, got ..." (e.g. "after ':'"); may be empty.
  ast::TypePtr ParseType(std::string_view after);
  bool ParseDims(ast::TypeExpr& type);

  // ---- tokens
  const Token& Cur() const { return toks_[pos_]; }
  const Token& PeekAt(size_t k) const {
    return pos_ + k < toks_.size() ? toks_[pos_ + k] : toks_.back();
  }
  const Token& Prev() const { return toks_[pos_ > 0 ? pos_ - 1 : 0]; }
  bool At(Tok k) const { return Cur().kind == k; }
  const Token& Advance() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool Accept(Tok k) {
    if (!At(k)) return false;
    Advance();
    return true;
  }
  // The range from `begin` to the end of the last consumed token.
  diag::SourceRange SpanFrom(diag::SourceRange begin) const {
    return {begin.file, begin.begin, std::max(begin.end, Prev().range.end)};
  }
  // Newline, `;`, `}` or end of file: where a statement (or an unclosed bracket) stops.
  bool AtStatementEnd() const {
    Tok k = Cur().kind;
    return k == Tok::kNewline || k == Tok::kSemicolon || k == Tok::kRBrace || k == Tok::kEof;
  }
  // True if the current token is the first of its line and starts in column 1.
  bool AtColumnOne() const;

  // ---- diagnostics
  // Reports at the current token unless the rules above suppress it.
  void Fail(diag::Kind kind, std::string message);
  // "expected ')' to close '(' at 3:5, got newline"
  void FailClose(const char* closer, const Token& open);
  void FailExpected(std::string_view what);  // ExpectedToken "expected <what>, got <cur>"
  std::string Describe(const Token& t) const;
  std::string Where(diag::SourceRange r) const;  // "3:5"

  // ---- nesting
  class DepthScope {
   public:
    explicit DepthScope(Parser* p) : p_(p), saved_(p->depth_) {}
    ~DepthScope() { p_->depth_ = saved_; }
    DepthScope(const DepthScope&) = delete;
    DepthScope& operator=(const DepthScope&) = delete;
    // Takes one more level; false (after reporting NestingTooDeep) past kMaxNesting.
    bool Push() {
      if (++p_->depth_ <= kMaxNesting) return true;
      p_->Fail(diag::Kind::kNestingTooDeep,
               "nesting is deeper than " + std::to_string(kMaxNesting) + " levels");
      return false;
    }

   private:
    Parser* p_;
    int saved_;
  };

 private:
  std::vector<Token> owned_;  // a copy with an Eof appended, only for malformed token vectors
  const std::vector<Token>& toks_;
  size_t pos_ = 0;
  diag::FileId file_;
  diag::DiagEngine& diags_;
  int depth_ = 0;
  size_t last_error_pos_ = static_cast<size_t>(-1);
};

// "a call", "a binary expression", ...: how an expression kind is named in diagnostics.
const char* ExprNoun(ast::ExprKind k);

}  // namespace triton::lang::detail
