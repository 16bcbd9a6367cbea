#pragma once
// The recursive-descent parser with error recovery. Contract:
// - Consumes the token vector of one file (as produced by Lex) and returns its Program; never
//   throws, never crashes on any token sequence.
// - Syntax errors are reported to `diags` (ExpectedToken, ExpectedExpression, ExpectedType,
//   UnexpectedToken) and parsing resumes at the next statement boundary (newline, `;`, `}`), so a
//   file with several errors reports all of them. Erroneous sub-trees are dropped, never
//   half-built.
// - Nesting deeper than kMaxNesting (expressions, blocks, types together) reports NestingTooDeep
//   once and unwinds; recursion depth is bounded so 20,000 nested parentheses cannot overflow the
//   stack.
// - Types are parsed after `:` and `->` and as type arguments; there `<` and `>` are brackets.
#include <string>
#include <vector>

#include "triton/diag/diagnostic.h"
#include "triton/lang/lex/token.h"
#include "triton/lang/parse/ast.h"

namespace triton::lang {

inline constexpr int kMaxNesting = 200;

ast::Program Parse(const std::vector<Token>& tokens, diag::FileId file, diag::DiagEngine& diags);

// An indented S-expression dump of the tree with line:col of every node, for --emit=ast and
// golden tests, e.g. `(let x @2:5 (type Tensor @2:8 ...) (binary + @2:20 ...))`.
std::string DumpAst(const ast::Program& program, const diag::SourceManager& sm);

}  // namespace triton::lang
