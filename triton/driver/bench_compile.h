#pragma once
// `triton bench compile`: how fast the compiler is, per zoo model, measured in this process.
//
// Per model (zoo.h; the source is <ZooModelsDir()>/<file>, read once into memory):
//   levels   per -O level 0..3, cold driver::CompileSource calls on the in-memory text (imports
//            are read from disk): the wall time per call, the process CPU time per call (every
//            thread) and CompileResult::times per
//            stage (lex, parse, check, elaborate, verify, passes).
//   passes   at -O2, every pass of the pipeline in order with its time (PassResult::timings, as
//            `triton compile --time-passes` prints them) and whether it changed the module.
//   plan     at -O2, codegen::BuildCpuPlan of the optimized module at batch 1 (the plan the CPU
//            engine runs, at the given ISA; no weights are materialized); to_plan_ms = the -O2
//            compile + the plan: "source to optimized plan".
//   cache    driver::CompileFileCached on the file: cold (cache off: read + compile), a disk hit
//            (memory layer off), a memory hit (disk layer off), and the key alone (read the
//            sources, hash), in a fresh temporary cache directory.
//   edit     the compile after a one-layer edit, with the cache as `triton compile` uses it
//            (bench_compile_edit.h): a declaration the model does not read, one it does.
//   process  (process_runs > 0) whole `triton compile FILE --model NAME --no-cache` processes
//            (output to /dev/null), plus, once, `triton --version` and the plain command with a
//            warm compile cache for the first model.
// Method: each quantity is measured in `repetitions` repetitions; one repetition repeats the
// call until `min_time_s` of wall time has passed (at least once) and keeps the mean per call;
// the JSON holds the median of the repetitions (and the minimum of the wall time).
//
// JSON ("schema": "triton-bench-compile/1"; times in milliseconds):
//   {"schema", "machine" (bench_machine.h), "method": {"repetitions", "min_time_s",
//    "process_runs", "statistic": "median"}, "models": [{"name", "file", "lines",
//    "levels": [{"opt_level", "wall_ms", "wall_min_ms", "cpu_ms", "iterations", "lex_ms",
//    "parse_ms", "check_ms", "elaborate_ms", "verify_ms", "passes_ms", "stages_ms"}],
//    "passes": [{"pass", "ms", "changed"}], "plan_ms", "to_plan_ms",
//    "cache": {"cold_ms", "disk_hit_ms", "memory_hit_ms", "key_ms"}, "edit" (bench_compile_edit.h),
//    "process": {"command", "median_ms", "min_ms"} | null, "error" (only when it failed)}],
//    "process": {"runs", "version": {...}, "warm_cache": {...}} | null}
// The CLI adds "command".
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "triton/base/cpu.h"
#include "triton/base/status.h"

namespace triton::driver {

inline constexpr const char* kCompileBenchSchema = "triton-bench-compile/1";

struct CompileBenchOptions {
  std::vector<std::string> models;  // zoo names; empty: every zoo model, in zoo order
  int repetitions = 5;
  double min_time_s = 0.05;
  int process_runs = 0;       // whole processes per model (after one untimed run); 0: none
  std::string triton_binary;  // the `triton` run for them; "" = this executable
  Isa isa = Isa::kReference;  // the plan's ISA level
  std::function<void(const std::string&)> progress;  // one line per step; null: quiet
};

// Errors: an unknown model name (the message lists the zoo). A model that fails to compile is
// recorded with "error" and the others still run; `failed` (when given) is set then.
Result<nlohmann::json> RunCompileBench(const CompileBenchOptions& o, bool* failed = nullptr);

}  // namespace triton::driver
