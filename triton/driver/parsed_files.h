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
  std::string name;                  // as the compiler names the file (sources.h: InputFile::name)
  std::string text;                  // the bytes (the tokens view them)
  std::vector<lang::Token> tokens;   // as the lexer made them, in program.file
  lang::ast::Program program;        // program.file: the file id its ranges name
  std::vector<std::string> imports;  // the `import "path"` strings, in order (as GatherInputs)

  // What the incremental layer's dependency scans read of each statement (depends.h), computed
  // on first use: a file is asked for them once it is reused, so the file an edit just changed
  // does not pay for them (the scans read the few statements they need from the tokens).
  const std::vector<lang::check::StatementFacts>& Facts() const;

 private:
  mutable std::once_flag facts_once_;
  mutable std::vector<lang::check::StatementFacts> facts_;
};

// The `import "path"` strings of a file's tokens, in order: `import` is a keyword followed by the
// path string. "" in `problem` unless an `import` lacks its path.
std::vector<std::string> ImportsOf(const std::vector<lang::Token>& tokens, std::string* problem);

// An entry for `text`, the file `name`, parsed into `program`: copies the text and points the
// tokens (views into any copy of the same text) at the copy.
std::shared_ptr<const ParsedFile> MakeParsedFile(std::string name, std::string_view text,
                                                 std::vector<lang::Token> tokens,
                                                 lang::ast::Program program);

// Thread-safe; entries are immutable. One entry per file name, the latest parse (an edit replaces
// the entry of the text before it); at most kMaxFiles, past which it starts over.
class ParsedFileCache {
 public:
  static constexpr size_t kMaxFiles = 128;
  // The entry of file `name` if its text is `text` (under whatever file id it was parsed), or
  // null.
  std::shared_ptr<const ParsedFile> Find(const std::string& name, std::string_view text) const;
  void Put(std::shared_ptr<const ParsedFile> f);
  size_t size() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const ParsedFile>> by_name_;
};

}  // namespace triton::driver
