#pragma once
// A compile's source files: the canonical path of a file, where an `import` resolves, and the
// sources a caller has already read. The compile cache reads and resolves every file to key it
// (compile_key.h: GatherInputs) before it compiles; handing those files to the compile
// (CompileOptions::preloaded) makes it read and resolve each file once, and compile exactly the
// bytes the key was computed from.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/status.h"
#include "triton/diag/source.h"
#include "triton/driver/parsed_files.h"
#include "triton/lang/lex/token.h"

namespace triton::driver {

// The weakly canonical form of `p` (std::filesystem), or `p` itself when that fails.
std::string CanonicalPath(const std::string& p);

// Where `import "rel"` in the file whose canonical path is `from` resolves: `rel` beside that
// file, then in each of `import_paths` (an absolute `rel` as is); the canonical path of the first
// regular file found, or "" when there is none. With `text`, that file is read too (*text: its
// bytes or the read's error), in the same open.
std::string ResolveImport(const std::string& rel, const std::string& from,
                          const std::vector<std::string>& import_paths,
                          Result<std::string>* text = nullptr);

struct InputFile {
  std::string name;       // as the compiler names it: the path as given (main), else canonical
  std::string canonical;  // the canonical path (hashed into the key)
  std::string text;
  // The tokens GatherInputs lexed the text into (to find its imports), views into
  // CompileInputs::lexed; a compile takes them (TakeTokens) instead of lexing the file again.
  std::vector<lang::Token> tokens;
  // Instead of tokens: this process's parse of the same bytes (parsed_files.h), when it has one.
  std::shared_ptr<const ParsedFile> parsed;
};

struct CompileInputs {
  std::vector<InputFile> files;  // load order: the main file, then its imports depth-first
  // Every resolution made while reading them: `import "rel"` in file `from` is file `target`.
  struct Import {
    std::string from, rel, target;
  };
  std::vector<Import> imports;
  // Non-empty when the sources have lex/parse errors or an import that cannot be resolved, read
  // or that forms a cycle: the compile fails, so there is nothing to look up or store.
  std::string problem;
  // The copies of the texts the files' tokens view (and whose file ids their ranges name).
  std::shared_ptr<diag::SourceManager> lexed;

  // The recorded resolution of `import "rel"` in `from`, or null.
  const std::string* FindImport(std::string_view from, std::string_view rel) const;
  // The file whose canonical path is `canonical`, or null.
  InputFile* FindFile(std::string_view canonical);
};

// Moves `file`'s tokens out for a compile that added its text as file `id` of `sm`: each token's
// range then names `id` and its text views sm's copy. Empty (the caller lexes) when there are no
// tokens or sm's text is not the file's. The lexer reports only errors, and a file with lexical
// errors is never preloaded, so no diagnostic is lost by not lexing again.
std::vector<lang::Token> TakeTokens(InputFile& file, const diag::SourceManager& sm,
                                    diag::FileId id);

}  // namespace triton::driver
