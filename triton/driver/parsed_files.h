#pragma once
// Parsed source files, kept for the compiles of one process (the compile cache's in-memory
// layer, cached_compile.h). An edit changes one file: the next compile re-lexes and re-parses that
// file alone, and the key's scan for imports (compile_key.h: GatherInputs) lexes it alone.
//
// A parse depends on the bytes and on the file id its ranges name, nothing else (the tree owns
// its strings and is immutable, lang/parse/ast.h), so an entry serves a compile that loads the
// same bytes under the same id; a different id parses again. Only files whose lexing and parsing
// reported nothing are kept: a hit reports nothing either, as the parse it stands for.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "triton/diag/source.h"
#include "triton/lang/check/depends.h"
#include "triton/lang/lex/token.h"
#include "triton/lang/parse/ast.h"

namespace triton::driver {

struct ParsedFile {
  std::string text;  // the bytes (the tokens view them)
  diag::FileId file = 0;
  std::vector<lang::Token> tokens;  // as the lexer made them, in `file`
  lang::ast::Program program;
  std::vector<std::string> imports;  // the `import "path"` strings, in order (as GatherInputs)
  // What the incremental layer's dependency scans read of each statement (depends.h).
  std::vector<lang::check::StatementFacts> facts;
  size_t bytes = 0;  // an estimate of what it holds (the bound)
};

// The `import "path"` strings of a file's tokens, in order: `import` is a keyword followed by the
// path string. "" in `problem` unless an `import` lacks its path.
std::vector<std::string> ImportsOf(const std::vector<lang::Token>& tokens, std::string* problem);

// An entry for `text` parsed as file `file`: copies the text and points the tokens (views into
// any copy of the same text) at the copy.
std::shared_ptr<const ParsedFile> MakeParsedFile(std::string_view text, diag::FileId file,
                                                 std::vector<lang::Token> tokens,
                                                 lang::ast::Program program);

// Thread-safe; entries are immutable. Bounded by kMaxBytes (estimated): past it, it starts over.
class ParsedFileCache {
 public:
  static constexpr size_t kMaxBytes = size_t{32} << 20;
  // The entry whose text is `text` (under whatever file id it was parsed), or null.
  std::shared_ptr<const ParsedFile> Find(std::string_view text) const;
  void Put(std::shared_ptr<const ParsedFile> f);  // replaces an entry of the same text
  size_t size() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  size_t bytes_ = 0;
  std::unordered_map<uint64_t, std::shared_ptr<const ParsedFile>> by_hash_;
};

}  // namespace triton::driver
