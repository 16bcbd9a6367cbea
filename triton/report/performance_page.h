#pragma once
// performance.md: libtorch FP32 against Triton FP32 and Triton ternary, from the perf_<model>.json
// files (`triton bench perf --json`) and bench_tconv.json (the per-layer kernel table). Also
// writes speedup.svg (speed-up of each Triton engine over libtorch per model and batch) and
// perf_latency_<model>.svg (median latency against batch per engine, one per model).
#include <vector>

#include "triton/report/format.h"
#include "triton/report/results.h"

namespace triton::report {

inline constexpr double kSpeedTarget = 3.0;   // ternary >= 3x libtorch FP32 (ResNet-18, 224/32 px)
inline constexpr double kMemoryTarget = 4.0;  // peak memory >= 4x lower than libtorch FP32

// libtorch-fp32's median over `engine`'s median at `batch`, both from `run`; NaN when either is
// missing or unavailable.
double SpeedUp(const PerfRun& run, const std::string& engine, int64_t batch);
// libtorch-fp32's peak bytes over triton-ternary's at `batch`; NaN when missing.
double MemoryRatio(const PerfRun& run, int64_t batch);
// The models the speed and memory targets apply to.
bool IsTargetModel(const std::string& model);

std::vector<OutputFile> PerformancePage(const Results& r);

}  // namespace triton::report
