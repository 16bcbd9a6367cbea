#pragma once
// What elaborating one `model` can read: the definition-level dependencies behind the compile
// cache's incremental layer (driver/cached_compile.h). Editing a declaration outside this set
// cannot change the model's module, so a compile of the edited file may reuse it.
//
// The set is an over-approximation computed from source text, never from elaboration:
//   - every top-level statement that is not a declaration, in every loaded file but the prelude
//     (they run whenever their file is loaded: a main file's script, an import's constants);
//   - every `import` statement and the file it resolved to;
//   - the entry `model` declaration;
//   - closed under reference: every identifier-shaped word in an included statement's text
//     (comments and strings too) pulls in every top-level `layer`, `fn` or `model` of that name
//     in any loaded file.
// Name resolution only ever looks names up, so a declaration no included text names cannot be
// reached; extra words only make the set larger (a missed reuse, never a wrong one). The prelude
// is part of the compiler (its identity is in every cache key).
//
// Diagnostics are outside this contract: a caller reuses a module only for sources whose name
// checks (ResolveNames over the main file, run live) report nothing, and only a module whose own
// compile reported nothing.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "triton/diag/source.h"
#include "triton/lang/check/elaborator.h"
#include "triton/lang/check/instance_memo.h"

namespace triton::lang::check {

// What the scans below read of one top-level statement: every identifier-shaped word of its text,
// each once (views into the text), and its tokens as FeedModelDependencies feeds them. Computed
// once per file text by a caller that keeps parsed files (SourceSet::facts), else on demand.
struct StatementFacts {
  std::vector<std::string_view> words;
  std::string spelled;
};
// `text`: the file's text, which the words view; `tokens`: its tokens, or empty (then `spelled`
// is the statement's exact text).
std::vector<StatementFacts> ComputeFileFacts(const ast::Program& prog, std::string_view text,
                                             std::span<const Token> tokens);

struct DependencySummary {
  int statements = 0;    // included top-level statements (declarations, imports, script)
  int declarations = 0;  // of which `layer`, `fn` and `model` declarations
  int skipped = 0;       // top-level declarations left out: edits to these reuse the module
};

// A top-level declaration of a loaded file (not the prelude) and whether the set includes it.
struct DeclarationUse {
  std::string file, name;  // the file as the compiler names it
  ast::StmtKind kind;
  uint32_t begin = 0, end = 0;  // byte range of the declaration in its file
  bool included = false;
};

// Feeds, in a fixed order, everything the module of `entry` (a `model` of the main file) can
// depend on: for each loaded file but the prelude, its name, then each included statement's kind
// and its tokens, each as its kind and exact source text (imports with their resolved file's
// name). Comments and layout are not tokens: editing them keeps what is fed. The tokens are
// `sources.tokens` (the compile keeps them); a program without them is fed its exact text.
// Returns what was included; `uses` (when given; benchmarks) receives every declaration in load
// and source order.
DependencySummary FeedModelDependencies(const SourceSet& sources, const diag::SourceManager& sm,
                                        const std::string& entry,
                                        const std::function<void(std::string_view)>& feed,
                                        std::vector<DeclarationUse>* uses = nullptr);

// Content keys of top-level `layer` and `fn` declarations, for the instance memo
// (instance_memo.h). A declaration's key hashes every top-level statement its code can read,
// found as above (the declaration itself, every non-declaration statement of every loaded file
// but the prelude, closed under naming): for each, its file's id and name, its offset and its
// exact bytes (an import also with its resolved file). Exact bytes, not tokens, because a record
// keeps source ranges for diagnostics' notes. A prelude declaration is keyed by its offset: the
// prelude is part of the binary, and the memo lives in one process. Keys are computed on first
// use.
class DeclarationKeys {
 public:
  DeclarationKeys(const SourceSet& sources, const diag::SourceManager& sm);
  // The key of a top-level declaration of a loaded program; nullptr for any other.
  const MemoKey* Find(const ast::FnStmt* decl);

 private:
  using Where = std::pair<size_t, size_t>;  // program, statement
  const std::vector<Where>& Refs(Where w);  // the declarations statement w names
  std::string_view TextOf(Where w) const;

  const SourceSet& sources_;
  const diag::SourceManager& sm_;
  std::unordered_map<const ast::Stmt*, Where> where_;
  std::unordered_map<std::string_view, std::vector<Where>> by_name_;
  std::vector<std::vector<std::vector<Where>>> refs_;  // [program][statement], on demand
  std::vector<std::vector<char>> refs_done_;
  std::vector<Where> base_;  // the non-declaration statements' closure
  bool base_done_ = false;
  std::unordered_map<const ast::FnStmt*, MemoKey> keys_;
};

}  // namespace triton::lang::check
