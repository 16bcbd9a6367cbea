#pragma once
// The results files `triton bench report` renders, read into plain structs. One directory holds:
//   perf_<model>.json   `triton bench perf --json` (driver/bench_perf.h), one model each
//   bench_tconv.json    Google Benchmark JSON of bench_tconv (the kernel MAC/cycle table)
//   compile.json        `triton bench compile --json` (driver/bench_compile.h)
//   accuracy.json       `triton bench accuracy --json` (driver/bench_accuracy.h)
//   zoo.json            `triton zoo list --json` (driver/zoo_info.h), optionally with the
//                       "generated" block `triton bench all` adds (machine, command)
// Every file is optional; other files are ignored. Contract: a file that is present must parse
// and have the fields the pages use, else LoadResults fails with a message that names the file
// and the field ("bench/results/compile.json: models[2].levels: expected an array"). Fields that
// may legitimately be missing (a null accuracy, an unavailable engine) are NaN / empty here.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::report {

// Where and how something was measured, from any results file's machine block.
struct Machine {
  std::string cpu, isa, date, kernel, build_type, compiler, allocator, libtorch;
  int64_t cores = 0, threads = 0;  // 0: not recorded
  double load = -1;                // 1-minute load average at the start; < 0: not recorded
};

struct PerfRecord {
  std::string engine;
  int64_t batch = 0;
  bool available = true;
  std::string error;
  double median_ms = NAN, p95_ms = NAN, p99_ms = NAN, mean_ms = NAN, ci95_ms = NAN;
  double throughput = NAN;
  int64_t runs = 0, peak_bytes = -1, engine_weight_bytes = -1;
  std::string peak_method;
};

struct PerfRun {
  std::string file;     // the file name inside the results directory
  std::string command;  // "" when the file records none (`triton bench perf` itself does not)
  Machine machine;
  std::string model;
  int64_t params = 0, ternary_params = 0;
  int64_t fp32_bytes = 0, bytes_2bit = 0, bytes_base3 = 0;
  std::vector<PerfRecord> records;
  std::vector<int64_t> Batches() const;  // in increasing order
  // The record of `engine` at `batch` when it is available, else nullptr.
  const PerfRecord* Find(const std::string& engine, int64_t batch) const;
};

struct KernelRow {
  std::string name;  // run name: "conv/56x56x64/b1/avx512vnni/threads:1"
  double gops = NAN, mac_per_cycle = NAN, peak_percent = NAN;
};

struct KernelRun {
  std::string file, date, cpu, clock_ghz, peak_mac_per_cycle;  // as recorded ("" if not)
  int64_t cpus = 0;
  std::vector<KernelRow> rows;  // median aggregates, in file order, Quantize benchmarks left out
};

struct CompileLevel {
  int opt_level = 0;
  double wall_ms = NAN, wall_min_ms = NAN, cpu_ms = NAN;
  double lex_ms = NAN, parse_ms = NAN, check_ms = NAN, elaborate_ms = NAN, verify_ms = NAN,
         passes_ms = NAN, stages_ms = NAN;
  int64_t iterations = 0;
};

struct PassTime {
  std::string pass;
  double ms = NAN;
  bool changed = false;
};

struct ProcessTime {
  std::string command;  // "" when not measured
  double median_ms = NAN, min_ms = NAN;
};

struct CompileModel {
  std::string name, file, error;
  int64_t lines = 0;
  std::vector<CompileLevel> levels;  // -O0..-O3 when measured
  std::vector<PassTime> passes;      // -O2 pipeline, in order
  double plan_ms = NAN, to_plan_ms = NAN;
  double cold_ms = NAN, disk_hit_ms = NAN, memory_hit_ms = NAN, key_ms = NAN;
  // A compile after a one-layer edit (driver/bench_compile_edit.h); ms NAN when not measured.
  struct Edit {
    std::string file, declaration, outcome;
    double ms = NAN;
    double cache_ms = NAN;  // of `ms`, the cache's own work (results since 2026-11-27)
    // A miss's store, run in the background after the compile answered: not in `ms` (results
    // since 2026-11-28; before, the store ran in the compile and was part of `ms`).
    double background_store_ms = NAN;
    // The rest of `ms`, by stage (results since 2026-11-27, this session's): the front end
    // (lex, parse, name checks), elaboration, and verify + passes (or the optimized-module
    // memo's lookup). An incremental hit's are inside its cache_ms.
    double front_end_ms = NAN, elaborate_ms = NAN, optimize_ms = NAN;
  };
  Edit edit_unused, edit_used;
  Edit edit_used_comment;  // the used declaration, a comment line added (results since 2026-11-27)
  double edit_cold_ms = NAN;  // the same edit loop with the cache off
  ProcessTime process;
  const CompileLevel* Level(int opt_level) const;  // nullptr when not measured
};

struct CompileRun {
  std::string file, command;
  Machine machine;
  int64_t repetitions = 0, process_runs = 0;
  double min_time_s = NAN;
  std::vector<CompileModel> models;
  ProcessTime version, warm_cache;
};

struct PretrainedResult {
  std::string path, model, dataset, quantization, kind, error;
  int64_t file_bytes = 0, samples = 0;
  double recorded = NAN, recorded_torch = NAN, measured = NAN, measured_top5 = NAN;
  bool act_quant = true;
  std::string recipe, train_command, train_device, epochs, train_seconds, eval_command;
};

struct TrainRun {
  std::string file, model, dataset, method, method_resolved, kind, device, command;
  double accuracy = NAN, ternary_acc = NAN, fp32_acc = NAN, torch_acc = NAN, final_test_acc = NAN;
  double seconds = NAN;
  int64_t epochs = 0, planned_epochs = 0;
  bool interrupted = false;
  std::string MethodLabel() const;  // "twn", "twn (model default)", "none (FP32)"
};

struct Skipped {
  std::string file, reason;
};

struct AccuracyRun {
  std::string file, command, pretrained_dir;
  Machine machine;
  std::vector<PretrainedResult> pretrained;
  std::vector<TrainRun> runs;
  std::vector<Skipped> skipped;
};

struct ZooPretrained {
  std::string path, dataset, quantization, train_command, eval_command;
  double accuracy = NAN;
};

struct ZooModel {
  std::string name, description, file, dataset, quantization, sizes_command;
  std::vector<int64_t> input_shape;
  int64_t params = 0, ternary_params = 0, macs = 0;
  int64_t fp32_bytes = 0, bytes_2bit = 0, bytes_base3 = 0;
  std::vector<ZooPretrained> pretrained;
};

struct ZooRun {
  std::string file, command;  // command "" when zoo.json has no "generated" block
  std::optional<Machine> machine;
  std::vector<ZooModel> models;
};

struct Results {
  std::vector<PerfRun> perf;  // resnet18, resnet18_cifar first, then by model name
  std::optional<KernelRun> kernels;
  std::optional<CompileRun> compile;
  std::optional<AccuracyRun> accuracy;
  std::optional<ZooRun> zoo;
  bool empty() const { return perf.empty() && !kernels && !compile && !accuracy && !zoo; }
};

// Reads every results file of `dir` (see above). Errors: `dir` cannot be listed, holds no results
// file at all, or a present file is unreadable, not JSON, or lacks a field (the message names the
// file as `dir`/NAME and the field).
Result<Results> LoadResults(const std::string& dir);

// The parsers behind LoadResults, one per kind of file; `file` names it in errors.
Result<PerfRun> ParsePerf(const std::string& file, const nlohmann::json& j);
Result<KernelRun> ParseKernels(const std::string& file, const nlohmann::json& j);
Result<CompileRun> ParseCompile(const std::string& file, const nlohmann::json& j);
Result<AccuracyRun> ParseAccuracy(const std::string& file, const nlohmann::json& j);
Result<ZooRun> ParseZoo(const std::string& file, const nlohmann::json& j);

}  // namespace triton::report
