#pragma once
// The library entry point behind `triton check` and `triton compile`: source file -> tokens ->
// AST -> checked, elaborated ir::Module -> verified. Never throws; every user error is a
// diagnostic in `diags`.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "triton/diag/diagnostic.h"
#include "triton/driver/module_memo.h"
#include "triton/driver/sources.h"
#include "triton/ir/module.h"
#include "triton/ir/module_handle.h"
#include "triton/ir/passes/pass.h"
#include "triton/lang/check/elaborator.h"

namespace triton::driver {

struct CompileOptions {
  std::string model;        // which `model` declaration to elaborate; "" = the only one
  int opt_level = 2;        // -O0..-O3: the pass pipeline (triton/ir/passes/pipeline.cc)
  bool check_only = false;  // `triton check`: check every declaration, build no module
  std::vector<std::string> import_paths;  // extra directories searched by `import`
  bool verify_each = false;               // --verify-each: run the verifier after every pass
  std::string print_after;                // --print-after=PASS|all
  // The compile cache's incremental layer (cached_compile.h): asked after the name checks when
  // nothing was reported, with every loaded file and the entry `model`; a module it returns is
  // taken as the optimized result (no elaboration, verification or passes), shared, not copied.
  // Not part of any key.
  std::function<std::shared_ptr<const ir::Module>(
      const lang::check::SourceSet&, const diag::SourceManager&, const std::string& entry)>
      reuse;
  // The elaborator's instance memo (lang/check/instance_memo.h): one shared across compiles, or
  // null for one private to this compile; `memo_off` interprets every layer call (tests).
  // Neither is part of any key: a module built with the memo is the one built without.
  std::shared_ptr<lang::check::InstanceMemo> memo;
  bool memo_off = false;
  // The optimized-module memo (module_memo.h) to read and fill, or null. Not used with
  // --verify-each or --print-after, whose output is the passes' own.
  std::shared_ptr<OptimizedMemo> optimized;
  // Sources already read (sources.h; the compile cache's GatherInputs): an import they resolved
  // resolves the same way, a file among them is taken from here instead of the disk, and its
  // tokens are taken (moved out) instead of lexing it again. Must outlive the compile. Not part
  // of any key: the key was computed from these very bytes.
  CompileInputs* preloaded = nullptr;
  // This process's parsed files (parsed_files.h) to read and fill, or null: a file loaded with
  // the bytes and file id of an entry takes its tokens and tree instead of lexing and parsing.
  // Not part of any key (a parse is a function of those two).
  std::shared_ptr<ParsedFileCache> parsed_files;
};

// Wall time of every stage in milliseconds (for --timing and the compile benchmark).
struct StageTimes {
  double lex_ms = 0, parse_ms = 0, check_ms = 0, elaborate_ms = 0, verify_ms = 0, passes_ms = 0;
  double total_ms() const {
    return lex_ms + parse_ms + check_ms + elaborate_ms + verify_ms + passes_ms;
  }
  StageTimes& operator+=(const StageTimes& o) {
    lex_ms += o.lex_ms;
    parse_ms += o.parse_ms;
    check_ms += o.check_ms;
    elaborate_ms += o.elaborate_ms;
    verify_ms += o.verify_ms;
    passes_ms += o.passes_ms;
    return *this;
  }
};

struct CompileResult {
  std::unique_ptr<diag::SourceManager> sources;
  std::unique_ptr<diag::DiagEngine> diags;
  // Set when a model was elaborated without errors. Shared: a compile answered by the compile
  // cache or the optimized-module memo holds the module they keep (module_handle.h).
  ir::ModuleHandle module;
  std::vector<std::string> model_names;  // every `model` declared in the file, in order
  StageTimes times;
  size_t lines = 0;                        // source lines of the file and its imports
  std::vector<std::string> verify_errors;  // IR verifier problems: a compiler bug (exit 3)
  std::string source_hash;        // XXH3-64 (hex) of the file and its imports, in load order
  ir::passes::PassResult passes;  // per-pass timings and --print-after output
  bool reused = false;            // `module` came from CompileOptions::reuse
  double reuse_ms = 0;  // time in CompileOptions::reuse (cache work: in no stage of `times`)
  lang::check::MemoStats memo;    // what the instance memo served
  bool optimized_reused = false;  // the verifier's and passes' result came from `optimized`
  bool ok() const { return !diags->has_errors(); }
};

// Compiles the file at `path` (read errors become a diagnostic-free CompileResult whose
// `read_error` is set).
struct FileCompileResult : CompileResult {
  std::string read_error;  // "model.tri: No such file or directory"; empty when read
};
FileCompileResult CompileFile(const std::string& path, const CompileOptions& options);

// Compiles in-memory source text; `name` is the file name used in diagnostics and for
// resolving relative imports.
CompileResult CompileSource(const std::string& name, std::string text,
                            const CompileOptions& options);

}  // namespace triton::driver
