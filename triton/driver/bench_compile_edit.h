#pragma once
// The "one-layer edit" part of `triton bench compile` (bench_compile.h): how long a compile
// takes after the user edits one declaration, with the compile cache as `triton compile` uses it
// (memory and disk layers, incremental layer on) and warm with the unedited sources.
//
// The zoo model's file and every .tri beside it are copied to a temporary directory. Each timed
// call first writes the edited file (not timed), then compiles it (timed). The edit inserts, just
// inside the declaration's `{`, a statement `let _edit_K = K` with a fresh counter K: new code
// every time (so neither the exact key nor the definitions key can serve it from an earlier call)
// that builds the same module.
//   unused        the first top-level declaration the model does not read
//                 (lang/check/depends.h), in load order, or none (every declaration is read):
//                 served by the incremental layer.
//   used          the first `layer` of the model's own file that it reads (its top-level layer):
//                 both keys miss; in this process the instance memo replays the instances it
//                 builds and the optimized-module memo the passes (the edit builds the same
//                 module), then the cache stores the result.
//   used_comment  the used declaration again, edited with a comment line `# edit K` instead: new
//                 bytes, the same tokens, so the incremental layer serves it.
// A miss's store runs in the background (cached_compile.h), and each edit is written once the
// previous edit's store has finished (untimed): edits come at a person's pace.
// JSON: {"unused": {"file", "declaration", "ms", "cache_ms", "front_end_ms", "elaborate_ms",
//                   "optimize_ms", "background_store_ms", "outcome"} | null,
//        "used": {...} | null, "used_comment": {...} | null, "cold_ms"}
// ("ms": median over `repetitions` of the mean over >= `min_time_s` of calls; "outcome" is the
// last call's CacheOutcomeName; "cache_ms": the same median of CacheReport::ms, the cache's own
// work in it (keys, lookups, decoding or storing; all of an incremental hit); "front_end_ms"
// (lex, parse, name checks), "elaborate_ms" and "optimize_ms" (verify and passes, or the
// optimized-module memo's digest and lookup): the same medians of CompileResult::times, the rest
// of it (an incremental hit's are part of its cache_ms); "cold_ms": the same
// edit loop with the cache off, for the ratio; "background_store_ms": the same median of the
// background stores' time per edit, which no compile waited for).
#include <nlohmann/json.hpp>
#include <string>

#include "triton/base/status.h"

namespace triton::driver {

Result<nlohmann::json> MeasureOneLayerEdits(const std::string& path, const std::string& model,
                                            int repetitions, double min_time_s);

}  // namespace triton::driver
