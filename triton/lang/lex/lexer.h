#pragma once
// The hand-written lexer. Contract:
// - Returns every token of the file, ending with exactly one kEof token.
// - Newlines end statements and are emitted as kNewline, except: inside ( ) and [ ] (nesting is
//   tracked; braces do not suppress), right after a binary operator, `,`, `(`, `[`, `{`, `->`,
//   `=`, `:` or another newline (runs collapse to one); a newline before the first token is
//   dropped. CRLF counts as one newline.
// - Errors (unknown character, unterminated string or comment, bad escape, malformed or
//   out-of-range number) are reported to `diags` and lexing continues; bad characters become a
//   kError token so the parser can recover.
#include <vector>

#include "triton/diag/diagnostic.h"
#include "triton/lang/lex/token.h"

namespace triton::lang {

std::vector<Token> Lex(const diag::SourceManager& sm, diag::FileId file, diag::DiagEngine& diags);

// One line per token: `1:5 Identifier "foo"` (line:col, kind, source text), for --emit=tokens.
std::string DumpTokens(const diag::SourceManager& sm, const std::vector<Token>& tokens);

}  // namespace triton::lang
