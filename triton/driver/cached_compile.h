#pragma once
// `triton compile` through the content-addressed compile cache (triton/cache).
//
// Lookup: the key (compile_key.h) is computed from the bytes of the file and its imports, the
// options and the compiler's identity; then the in-memory layer (process-wide, for repeated
// compiles in one process) and the disk layer are asked, in that order. A hit rebuilds the
// CompileResult the CLI prints from: the optimized module (decoded from its stored binary form,
// ir/binary.h, and verified), the
// model names, and the warnings (replayed into a DiagEngine over the same source files, so they
// render exactly as a cold compile renders them, in every format). Stage times are not cached:
// a hit has zero stage times and reports its own time in CacheReport.
//
// Incremental layer: an exact-key miss compiles with CompileOptions::reuse set. Once the sources
// are lexed, parsed and name-checked (live: cheap, and their diagnostics are the cold compile's),
// a second key is computed over only what the entry model can depend on
// (lang/check/depends.h: its declarations and their references, the script statements, the
// imports); if a compile with no diagnostics at all stored a module under that key, the module is
// reused and elaboration, verification and the passes are skipped. So editing a layer the model
// does not use, another model of the file, or comments and layout anywhere (the key reads tokens)
// costs a front end instead of a compile. Editing the code of a declaration the model uses is a
// miss; with the in-memory and incremental layers on, the compile then shares this process's
// instance memo (lang/check/instance_memo.h: instances whose code and arguments are unchanged are
// replayed, not interpreted) and optimized-module memo (module_memo.h: an elaborated module seen
// before skips the verifier and the passes).
//
// Only clean compiles are stored: no errors, a module, no verifier problems, the loaded files
// equal to the key's (and, when checked, a module whose binary form decodes back to itself). Bad
// entries are
// reported in CacheReport::notes (printed at -v), removed and rebuilt. A cache directory that
// cannot be written (read-only, full, not a directory) turns the disk layer off for the rest of the
// process with one warning.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triton/driver/compile.h"

namespace triton::driver {

struct CacheOptions {
  bool enabled = true;      // false: --no-cache (neither layer)
  std::string dir;          // --cache-dir; "" = $TRITON_CACHE_DIR, $XDG_CACHE_HOME/triton, ...
  bool memory = true;       // the in-memory layer
  bool disk = true;         // the disk layer
  bool incremental = true;  // the incremental layer (definition-level keys), in both layers
  std::string compiler_id;  // "" = CompilerId(); tests set it to model another compiler
  // Before storing, check that the module's binary form decodes back to itself (the same bytes
  // and the same IR text: ir/binary.h's contract). Printing the text twice costs about a third
  // of a compile, so only debug builds (and the tests) pay for it. Unset: in debug builds of the
  // driver only.
  std::optional<bool> check_round_trip;
  // A miss's store runs on a background thread (cache/write_behind.h) once a store to the same
  // directory has succeeded in this process and the in-memory layer is on (it answers this
  // process's next compile of the same sources until the entry is on disk). The first store to a
  // directory runs in the caller, so an unwritable cache is reported by the compile that finds
  // it; a background failure is reported by the next compile. `triton compile` compiles once per
  // process: its store always runs in the caller.
  bool background_store = true;
};

enum class CacheOutcome {
  kOff,       // the cache is disabled (CacheOptions::enabled is false)
  kBypassed,  // options the cache does not serve (check only, --verify-each, --print-after)
              // or sources that do not compile (syntax errors, broken imports)
  kMemoryHit,
  kDiskHit,
  kIncrementalHit,  // the exact key missed; the model's definitions key hit (memory or disk)
  kMiss,
};
const char* CacheOutcomeName(CacheOutcome o);  // "off", "bypassed", "memory-hit", ...

struct CacheReport {
  CacheOutcome outcome = CacheOutcome::kOff;
  std::string dir;              // the disk layer's directory; "" when it is not used
  std::string dir_source;       // what named it: "--cache-dir", "$TRITON_CACHE_DIR", ...
  std::string key;              // 32 hex digits, once computed
  std::string definitions_key;  // the incremental layer's key, once computed
  int reused_declarations = 0;  // an incremental hit: declarations the model depends on ...
  int edited_elsewhere = 0;     // ... and top-level declarations it does not (free to edit)
  bool stored = false;          // a miss whose result went to the disk layer
  // Cache work: keys, lookups (the incremental layer's too, which runs inside the compile),
  // decoding or storing (not the compile); for an incremental hit, the whole call (its front
  // end included).
  double ms = 0;
  std::vector<std::string> notes;  // for -v: bad entries, why nothing was stored, ...
  std::string warning;             // for stderr without -v: the disk layer was turned off, and why
};

struct CachedCompileResult : FileCompileResult {
  CacheReport cache;
};

CachedCompileResult CompileFileCached(const std::string& path, const CompileOptions& options,
                                      const CacheOptions& cache);

// For `triton cache verify`: "" when `payload` decodes and its module decodes and verifies.
std::string CheckCompilePayload(std::string_view payload);

// Waits until every background store has finished (tests, benchmarks; the process's exit waits
// too).
void FlushCompileCacheStores();
struct BackgroundStoreStats {
  size_t stores = 0;  // background store jobs finished (each writes one or two entries)
  double ms = 0;      // their total time, which no compile waited for
};
BackgroundStoreStats CompileCacheBackgroundStores();

// Waits for the background stores, empties the in-memory layer and forgets directories found
// unwritable or written (tests, benchmarks).
void ResetCompileCacheForTesting();

}  // namespace triton::driver
