#pragma once
// compilation_speed.md: compile time per model and stage, per -O level, per pass, the compile
// cache's hits and whole processes, against the spec's targets, from compile.json (`triton bench
// compile --json`). Also writes compile_stages.svg (stacked stage times at -O2 per model) and
// compile_levels.svg (time per -O level per model).
#include <vector>

#include "triton/report/format.h"
#include "triton/report/results.h"

namespace triton::report {

inline constexpr double kEditSpeedupTarget = 5.0;  // a one-layer edit at least 5x faster than cold
inline constexpr double kToPlanTargetMs = 20.0;    // ResNet-50 source to optimized plan at -O2
inline constexpr double kCacheHitTargetMs = 1.0;   // a compile-cache hit
inline constexpr double kPerLineTargetUs = 5.0;    // compile time per source line

struct CompileTarget {
  std::string target, measured, verdict;
};
std::vector<CompileTarget> CompileTargets(const CompileRun* c);

std::vector<OutputFile> CompilePage(const Results& r);

}  // namespace triton::report
