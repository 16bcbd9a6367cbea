// `triton bench compile [--models LIST] [--repetitions N] [--min-time S] [--process-runs N]
// [--json FILE] [--quiet]`: compile time per zoo model, stage, -O level and pass, source to CPU
// plan, compile-cache hits and whole processes (driver/bench_compile.h has the method). A summary
// goes to stdout, progress to stderr, the full results to --json.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "triton/cli/bench_common.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/bench_compile.h"
#include "triton/driver/bench_machine.h"

namespace triton::cli {

namespace {

struct CompileArgs {
  std::string models, json;
  int repetitions = 5, process_runs = 7;
  double min_time = 0.05;
  bool quiet = false;
};

int Run(const CompileArgs& a) {
  Result<Isa> isa = ActiveIsa();
  if (!isa.ok()) return BenchFail(kUserError, isa.status().message());
  driver::CompileBenchOptions o;
  o.models = SplitList(a.models);
  o.repetitions = a.repetitions;
  o.min_time_s = a.min_time;
  o.process_runs = a.process_runs;
  o.isa = isa.value();
  if (!a.quiet) {
    o.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  }
  bool failed = false;
  Result<nlohmann::json> r = driver::RunCompileBench(o, &failed);
  if (!r.ok()) return BenchFail(kUserError, r.status().message());
  nlohmann::json j = r.value();
  j["command"] = driver::ProcessCommandLine();

  std::string out =
      fmt::format("{:<16} {:>6} {:>10} {:>10} {:>10} {:>12} {:>12}\n", "model", "lines", "-O2 ms",
                  "plan ms", "to plan ms", "disk hit ms", "memory hit ms");
  for (const nlohmann::json& m : j["models"]) {
    if (m.contains("error")) {
      out += fmt::format("{:<16} error: {}\n", m["name"].get<std::string>(),
                         m["error"].get<std::string>());
      continue;
    }
    out += fmt::format("{:<16} {:>6} {:>10.3f} {:>10.3f} {:>10.3f} {:>12.3f} {:>12.3f}\n",
                       m["name"].get<std::string>(), m["lines"].get<int64_t>(),
                       m["levels"][2]["wall_ms"].get<double>(), m["plan_ms"].get<double>(),
                       m["to_plan_ms"].get<double>(), m["cache"]["disk_hit_ms"].get<double>(),
                       m["cache"]["memory_hit_ms"].get<double>());
  }
  out += fmt::format("median of {} repetitions of at least {} s each; {}\n", a.repetitions,
                     a.min_time, j["machine"]["cpu"].get<std::string>());
  return FinishBench(out, j, a.json, a.quiet, failed);
}

}  // namespace

void AddBenchCompile(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CompileArgs>();
  auto* cmd = BenchApp(app)->add_subcommand(
      "compile", "Compile time per zoo model: stages, -O levels, passes, plan, cache hits");
  cmd->add_option("--models", a->models, "zoo models, comma-separated (default: every one)");
  cmd->add_option("--repetitions", a->repetitions, "repetitions per measurement (default 5)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--min-time", a->min_time,
                  "seconds each repetition repeats its call for (default 0.05)")
      ->check(CLI::Range(0.0, 60.0));
  cmd->add_option("--process-runs", a->process_runs,
                  "whole `triton compile` processes per model (default 7; 0: none)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--json", a->json, "write the results (schema triton-bench-compile/1)");
  cmd->add_flag("--quiet", a->quiet, "no progress on stderr");
  cmd->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace triton::cli
