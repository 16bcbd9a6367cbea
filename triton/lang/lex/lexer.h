#pragma once
// The hand-written lexer. Contract:
// - Returns every token of the file, ending with exactly one kEof token.
// - Newlines end statements and are emitted as kNewline, except: inside ( ) and [ ] (nesting is
//   tracked; braces do not suppress), right after a binary operator, `,`, `(`, `[`, `{`, `->`,
//   `=`, `:` or another newline (runs collapse to one); a newline before the first token is
//   dropped. CRLF counts as one newline.
//   Refinements: `>` is not a continuation (it may close a type at the end of a line, as in
//   `let w: Tensor<float32, [4]>`; the parser skips a newline after a comparison `>`). A block
//   comment that spans lines counts as one newline. A newline followed by a keyword that can only
//   start a statement (`let layer fn model import return while`) is always emitted and closes the
//   `(`/`[` left open on earlier lines, so an unclosed bracket costs one diagnostic, not the rest
//   of the file.
// - `.5` is a float unless the previous token ends an operand (`a.0` is member syntax).
// - Errors (unknown character, unterminated string or comment, bad escape, malformed or
//   out-of-range number) are reported to `diags` and lexing continues; bad characters become a
//   kError token so the parser can recover.
#include <vector>

#include "triton/diag/diagnostic.h"
#include "triton/lang/lex/token.h"

namespace triton::lang {

std::vector<Token> Lex(const diag::SourceManager& sm, diag::FileId file, diag::DiagEngine& diags);

// Points each token's `text` into `text`, a copy of the bytes the tokens were lexed from (a token
// views text[range.begin, range.end)): tokens kept or handed over outlive the lexer's source.
void ViewTokensIn(std::vector<Token>& tokens, std::string_view text);

// One line per token: `1:5 Identifier "foo"` (line:col, kind, source text), for --emit=tokens.
std::string DumpTokens(const diag::SourceManager& sm, const std::vector<Token>& tokens);

}  // namespace triton::lang
