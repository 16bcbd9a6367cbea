#pragma once
// Checking and elaboration: the AST of a file (with its imports and the prelude) becomes a
// static, shape-checked ir::Module. Every hyper-parameter expression, `if`, `for` and list
// comprehension runs at compile time; tensor expressions become IR ops whose shapes are checked
// by the IR's type rules. Errors are diagnostics; elaboration never stops at the first one.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "triton/base/function_ref.h"
#include "triton/diag/diagnostic.h"
#include "triton/ir/module.h"
#include "triton/lang/check/instance_memo.h"
#include "triton/lang/lex/token.h"
#include "triton/lang/parse/ast.h"

namespace triton::lang::check {

struct StatementFacts;  // depends.h

// Every parsed file of one compilation. `programs[prelude]` is the prelude, `programs[main]` the
// file being compiled; `import_targets` maps each import statement to the program it loads (the
// driver reads files and rejects cycles; a missing entry means the import failed and was reported).
struct SourceSet {
  std::vector<const ast::Program*> programs;
  // The tokens each program was parsed from, by the same index (empty for the shared prelude, or
  // when the caller kept none): the incremental layer keys declarations by them (depends.h).
  std::vector<std::span<const Token>> tokens;
  // Each program's statements' facts (depends.h) when the caller keeps them, by the same index;
  // null: computed when needed.
  std::vector<const std::vector<StatementFacts>*> facts;
  std::unordered_map<const ast::ImportStmt*, int> import_targets;
  int prelude = 0;
  int main = 0;
};

struct ElabOptions {
  std::string model;       // the entry to build; "" = the only one
  bool check_all = false;  // `triton check`: elaborate every entry and layer, keep no module
  // Asked once the name checks are done, before a `model` entry is elaborated, and only when
  // nothing has been reported: a module it returns is the result, and nothing is elaborated
  // (the compile cache's incremental layer, driver/cached_compile.h). Unset: always elaborate.
  std::function<std::shared_ptr<const ir::Module>(const std::string& entry)> reuse;
  // The instance memo (instance_memo.h) to read and fill: one shared across compiles (the
  // compile cache's), or, when null, one private to this compile. `memo_off`: interpret every
  // call (tests compare the two).
  std::shared_ptr<InstanceMemo> memo;
  bool memo_off = false;
};

struct ElabResult {
  std::optional<ir::Module> module;
  std::vector<std::string> model_names;  // `model` declarations of the main file, in order
  double resolve_ms = 0;                 // time of the static name checks (the rest elaborates)
  bool reused = false;                   // ElabOptions::reuse answered: `reused_module`
  std::shared_ptr<const ir::Module> reused_module;  // (shared, not copied; `module` is empty)
  double reuse_ms = 0;                              // time in ElabOptions::reuse (not elaboration)
  MemoStats memo;                                   // what the instance memo served and recorded
};

// Limits that turn runaway programs into diagnostics (never a stack overflow or a hang).
inline constexpr int kMaxCallDepth = 100;        // layer/fn calls nested (recursion)
inline constexpr int64_t kMaxSteps = 2'000'000;  // statements + loop iterations executed
inline constexpr int64_t kMaxListElements = 1'000'000;

ElabResult Elaborate(const SourceSet& sources, const ElabOptions& options, diag::DiagEngine& diags);

// Static name resolution over every statement of a program (also code that elaboration never
// reaches): UndefinedName, UseBeforeDefinition and Redefinition. `known` says whether a name is
// visible from outside (built-ins, prelude and imported declarations).
void ResolveNames(const ast::Program& program, base::FunctionRef<bool(std::string_view)> known,
                  diag::DiagEngine& diags);

// The prelude's source text (prelude.tri, compiled into the binary).
const char* PreludeSource();

}  // namespace triton::lang::check
