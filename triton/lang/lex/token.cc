// Names of token kinds, generated from tokens.def.
#include "triton/lang/lex/token.h"

namespace triton::lang {

namespace {
constexpr const char* kSpellings[] = {
#define TOKEN(name, spelling) spelling,
#define KEYWORD(name, spelling) spelling,
#include "triton/lang/lex/tokens.def"
#undef TOKEN
#undef KEYWORD
};
constexpr const char* kNames[] = {
#define TOKEN(name, spelling) #name,
#define KEYWORD(name, spelling) "Kw" #name,
#include "triton/lang/lex/tokens.def"
#undef TOKEN
#undef KEYWORD
};
constexpr size_t kNumTokens = sizeof(kNames) / sizeof(kNames[0]);
}  // namespace

const char* TokSpelling(Tok t) {
  size_t i = static_cast<size_t>(t);
  return i < kNumTokens ? kSpellings[i] : "?";
}

const char* TokName(Tok t) {
  size_t i = static_cast<size_t>(t);
  return i < kNumTokens ? kNames[i] : "?";
}

}  // namespace triton::lang
