#pragma once
// `triton bench perf`: libtorch FP32, Triton FP32 and Triton ternary timed side by side, in one
// process, on identical inputs, with the method of spec/benchmarks.md.
//
// Per model: compiled at -O2 (the zoo registry, zoo.h); FP32 weights from InitialPackage(seed);
// the ternary package is QuantizePackage of those same weights with each parameter's own method
// (the IR's QuantSpec). Engines:
//   libtorch-fp32   the same IR through libtorch (triton/train/torch_forward.h), FP32 weights,
//                   eager ops (batch-norm unfused, as torch.nn in eval mode), `threads` threads
//   triton-fp32     driver::PrepareCpu on the FP32 package (ternary layers run in FP32)
//   triton-ternary  driver::PrepareCpu on the ternary package (int8 activations into ternary
//                   layers)
// Per batch: every engine is built, warmed up (`warmup` runs, or `warmup_time_s` if that comes
// first), then timed in rounds: each round runs every unfinished engine a few times in turn
// (the order rotates per round), until each engine has `iters` runs or has spent `min_time_s`
// seconds in timed runs, whichever comes first (the time rule never stops an engine below
// min(iters, 10) runs; min_time_s = 0 turns it off: exactly `iters` runs).
//
// Peak memory (weights + activations) per engine and batch: before any timing, a forked child
// per engine resets VmHWM (/proc/self/clear_refs), builds the engine, returns freed heap to the
// OS, resets VmHWM again and runs once; peak = VmHWM - VmRSS before building ("vmhwm"). The
// build's own high-water mark is reported as load_peak_bytes. Without /proc (or when the child
// fails), the engine's own count: weight + arena bytes for Triton ("engine-bytes"), param bytes
// for libtorch ("param-bytes", activations not included).
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/driver/bench_stats.h"

namespace triton::driver {

// Engine names, in report order.
const std::vector<std::string>& PerfEngineNames();
// Whether this build can run the libtorch engine.
bool PerfHasLibtorch();

struct PerfOptions {
  std::string model;  // a zoo model (zoo.h)
  std::vector<int64_t> batches = {1};
  std::vector<std::string> engines = PerfEngineNames();
  Isa isa = Isa::kReference;  // Triton's level (ActiveIsa() in the CLI)
  int threads = 1;            // every engine's thread count
  int64_t iters = 1000;
  double min_time_s = 10;
  int64_t warmup = 100;
  double warmup_time_s = 2;
  bool measure_memory = true;
  uint64_t weight_seed = 1;  // InitialPackage
  uint64_t input_seed = 7;   // RandomInputs, shared by every engine
  // Progress lines ("resnet18_cifar batch 1: triton-fp32 timed 200/1000"); null: quiet.
  std::function<void(const std::string&)> progress;
};

// Parses "1,8,32": positive integers, no duplicates. The error quotes the bad item.
Result<std::vector<int64_t>> ParseBatchList(std::string_view text);
// Parses "libtorch-fp32,triton-ternary" (or "all"): known names, no duplicates; report order.
Result<std::vector<std::string>> ParseEngineList(std::string_view text);

struct PerfRecord {
  std::string model, engine;
  int64_t batch = 1;
  bool available = true;
  std::string error;  // why the engine is unavailable or failed (available = false)
  SampleStats ms;     // timed runs, milliseconds
  int64_t warmup_runs = 0;
  double throughput = 0;  // samples per second: batch / median
  int64_t peak_bytes = -1;
  std::string peak_method;                      // "vmhwm", "engine-bytes", "param-bytes"
  int64_t load_peak_bytes = -1;                 // vmhwm only: high-water mark while building
  int64_t weight_bytes = -1, arena_bytes = -1;  // the engine's own counts (-1: unknown)
  std::string weights;                          // "fp32" or "ternary"
  int64_t model_bytes = -1;  // the package this engine's weights come from, serialized
  // Agreement with libtorch, max|a - b| / max|b| of the first output (-1: not checked):
  // triton-fp32 against libtorch-fp32; triton-ternary against libtorch on the same ternary
  // weights (dequantized; one untimed forward), the gap being int8 activation quantization.
  double max_rel_diff = -1;
};

struct PerfReport {
  nlohmann::json machine;  // cpu, isa, threads, date, libtorch
  nlohmann::json model;    // name, params, ternary params, package bytes (fp32, 2-bit, base-3)
  std::vector<PerfRecord> records;  // per batch, engines in PerfEngineNames() order
};

// Errors: an unknown model (the message lists the zoo), a compile or package failure. An engine
// that cannot be built or run gives an unavailable record, not an error.
Result<PerfReport> RunPerf(const PerfOptions& o);

nlohmann::json PerfRecordJson(const PerfRecord& r, const PerfReport& report);
// {"machine": ..., "model": ..., "records": [...]}
nlohmann::json PerfReportJson(const PerfReport& report);
// The table `triton bench perf` prints: per batch and engine, median/p95/p99 ms, throughput,
// peak MB and the speed-up of each Triton engine against libtorch-fp32 (ratio of medians).
std::string PerfReportText(const PerfReport& report);

}  // namespace triton::driver
