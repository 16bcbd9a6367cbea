#pragma once
// Tokens of the Triton DSL. Kinds come from tokens.def.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "triton/diag/source.h"

namespace triton::lang {

enum class Tok : uint8_t {
#define TOKEN(name, spelling) k##name,
#define KEYWORD(name, spelling) k##name,
#include "triton/lang/lex/tokens.def"
#undef TOKEN
#undef KEYWORD
};

// "identifier", "(", "layer", ...: how the token kind is named in diagnostics.
const char* TokSpelling(Tok t);
// "Identifier", "LParen", "KwLayer" style names for --emit=tokens and golden files.
const char* TokName(Tok t);

struct Token {
  Tok kind = Tok::kEof;
  diag::SourceRange range;
  std::string_view text;      // the exact source bytes (a view into the SourceFile)
  int64_t int_value = 0;      // kInteger (0 when out of range: an error was reported)
  double float_value = 0.0;   // kFloat
  std::string str_value;      // kString: the decoded contents
  bool space_before = false;  // whitespace or a comment precedes the token on the same line
};

}  // namespace triton::lang
