// `triton bench perf --model NAME [--batch 1,8,32] [--threads N] [--iters N] [--min-time S]
// [--warmup N] [--warmup-time S] [--engines LIST] [--no-memory] [--json out.json] [--quiet]`:
// libtorch FP32, Triton FP32 and Triton ternary timed side by side in this process
// (driver/bench_perf.h has the method). The table goes to stdout, progress to stderr.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/bench_perf.h"
#include "triton/driver/zoo.h"

namespace triton::cli {

namespace {

struct PerfArgs {
  std::string model, batch = "1", engines = "all", json;
  int threads = 0;  // 0: DefaultThreads()
  int64_t iters = 1000, warmup = 100;
  double min_time = 10, warmup_time = 2;
  bool quiet = false, no_memory = false;
};

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "triton: error: %s\n", message.c_str());
  return code;
}

int RunPerf(const PerfArgs& a) {
  if (!driver::FindZooModel(a.model)) {
    return Fail(kUserError, fmt::format("unknown model '{}'; zoo models: {}", a.model,
                                        driver::ZooModelNames()));
  }
  Result<std::vector<int64_t>> batches = driver::ParseBatchList(a.batch);
  if (!batches.ok()) return Fail(kUsage, "--batch: " + batches.status().message());
  Result<std::vector<std::string>> engines = driver::ParseEngineList(a.engines);
  if (!engines.ok()) return Fail(kUsage, "--engines: " + engines.status().message());
  Result<Isa> isa = ActiveIsa();
  if (!isa.ok()) return Fail(kUserError, isa.status().message());
  int threads = a.threads;
  if (threads == 0) {
    Result<int> t = DefaultThreads();
    if (!t.ok()) return Fail(kUserError, t.status().message());
    threads = t.value();
  }

  driver::PerfOptions o;
  o.model = a.model;
  o.batches = batches.value();
  o.engines = engines.value();
  o.isa = isa.value();
  o.threads = threads;
  o.iters = a.iters;
  o.min_time_s = a.min_time;
  o.warmup = a.warmup;
  o.warmup_time_s = a.warmup_time;
  o.measure_memory = !a.no_memory;
  if (!a.quiet) {
    o.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  }
  Result<driver::PerfReport> r = driver::RunPerf(o);
  if (!r.ok()) {
    const std::string& m = r.status().message();
    return Fail(m.rfind("internal error", 0) == 0 ? kInternal : kUserError, m);
  }
  std::fputs(driver::PerfReportText(r.value()).c_str(), stdout);
  if (!a.json.empty()) {
    std::ofstream f(a.json);
    f << driver::PerfReportJson(r.value()).dump(2) << "\n";
    f.close();
    if (!f) return Fail(kUserError, "cannot write " + a.json);
    if (!a.quiet) std::fprintf(stderr, "wrote %s\n", a.json.c_str());
  }
  return kOk;
}

}  // namespace

void AddBench(CLI::App& app, int& exit_code) {
  auto* bench = app.add_subcommand("bench", "Benchmarks measured side by side");
  bench->require_subcommand(1);
  auto a = std::make_shared<PerfArgs>();
  auto* perf = bench->add_subcommand(
      "perf", "Time libtorch FP32, Triton FP32 and Triton ternary on a zoo model");
  perf->add_option("--model", a->model, "zoo model (models/README.md)")->required();
  perf->add_option("--batch", a->batch, "batch sizes, comma-separated (default 1)");
  perf->add_option("--threads", a->threads,
                   "threads of every engine (default TRITON_NUM_THREADS, else the CPUs)")
      ->check(CLI::Range(1, 1024));
  perf->add_option("--iters", a->iters, "timed runs per engine and batch (default 1000)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  perf->add_option("--min-time", a->min_time,
                   "or stop an engine once its timed runs add up to S seconds, whichever "
                   "comes first (default 10; 0: no time limit)")
      ->check(CLI::Range(0.0, 1e9));
  perf->add_option("--warmup", a->warmup, "warm-up runs per engine (default 100)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  perf->add_option("--warmup-time", a->warmup_time,
                   "or end the warm-up after S seconds (default 2)")
      ->check(CLI::Range(0.0, 1e9));
  perf->add_option("--engines", a->engines,
                   "engines, comma-separated: libtorch-fp32, triton-fp32, triton-ternary (default "
                   "all)");
  perf->add_flag("--no-memory", a->no_memory,
                 "skip the peak-memory children (report the engines' own byte counts)");
  perf->add_option("--json", a->json, "also write the records as JSON to this file");
  perf->add_flag("--quiet", a->quiet, "no progress on stderr");
  perf->callback([a, &exit_code] { exit_code = RunPerf(*a); });
}

}  // namespace triton::cli
