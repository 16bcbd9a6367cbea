#pragma once
// The cache key of a compile, computed before anything is elaborated: the file and every file it
// imports are read and lexed to find the `import "path"` statements, resolved and loaded in the
// same order as compile.cc's Loader. cached_compile.cc checks after every miss that the compiler
// loaded exactly these files before it stores anything, so a divergence between this scan and
// the Loader can cost a miss, never a wrong hit. Every byte is hashed (no timestamps are
// trusted), which keeps the cache right across checkouts, copies and clock skew; for the zoo this
// costs tens of microseconds (bench_cache's BM_Key).
#include <string>
#include <vector>

#include "triton/cache/key.h"
#include "triton/driver/compile.h"
#include "triton/lang/check/depends.h"

namespace triton::driver {

// Bumped whenever the key's fields or the payload layout change (old entries then miss).
inline constexpr int64_t kCompileCacheFormat = 2;  // 2: the module in binary (ir/binary.h)

// Reads the imports of `main_text` (the file at `path`, whose canonical path is `canonical`, or
// is found when that is "") recursively. A file whose bytes `parsed` holds is not lexed: its
// imports are the entry's, and the compile takes the entry.
CompileInputs GatherInputs(const std::string& path, std::string main_text,
                           const CompileOptions& options, const ParsedFileCache* parsed = nullptr,
                           std::string canonical = {});

// Key = XXH3-128 over: kCompileCacheFormat, `compiler_id`, the prelude text, every input file
// (canonical path and bytes, in load order), and the options that change the output (model,
// opt level, import paths).
cache::Key CompileKey(const CompileInputs& inputs, const CompileOptions& options,
                      const std::string& compiler_id);

// "triton 0.1.0 (build <size>-<mtime>)": the version and the identity (size and modification
// time) of the running executable, so a rebuilt compiler never reuses an older build's entries.
const std::string& CompilerId();

// The incremental layer's key (cached_compile.h): XXH3-128 over kCompileCacheFormat, a layer tag,
// `compiler_id`, the prelude text, the same options as CompileKey, and what the entry model can
// read (lang/check/depends.h) instead of the whole files. `summary` (when given) receives what
// was included.
cache::Key DefinitionsKey(const lang::check::SourceSet& sources, const diag::SourceManager& sm,
                          const std::string& entry, const CompileOptions& options,
                          const std::string& compiler_id,
                          lang::check::DependencySummary* summary = nullptr);

}  // namespace triton::driver
