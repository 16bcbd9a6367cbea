// `triton bench accuracy [--runs DIR]... [--pretrained DIR] [--limit N] [--no-eval] [--isa LEVEL]
// [--threads N] [--json FILE] [--quiet]`: the pretrained packages re-evaluated by the runtime and
// the training runs found below each --runs DIR (driver/bench_accuracy.h). A summary goes to
// stdout, progress to stderr, the full results to --json.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "triton/cli/bench_common.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/bench_accuracy.h"
#include "triton/driver/bench_machine.h"

namespace triton::cli {

namespace {

struct AccuracyArgs {
  std::vector<std::string> runs;
  std::string pretrained, json, isa;
  int64_t limit = 0;
  int threads = 0;
  bool no_eval = false, quiet = false;
};

std::string Pct(const nlohmann::json& v) {
  return v.is_number() ? fmt::format("{:.2f} %", 100 * v.get<double>()) : "-";
}

int Run(const AccuracyArgs& a) {
  Result<driver::CpuOptions> cpu = driver::CpuOptionsFor(a.isa, a.threads, true);
  if (!cpu.ok()) return BenchFail(kUserError, cpu.status().message());
  driver::AccuracyBenchOptions o;
  o.pretrained_dir = a.pretrained;
  o.run_dirs = a.runs;
  o.evaluate = !a.no_eval;
  o.limit = a.limit;
  o.cpu = cpu.value();
  if (!a.quiet) {
    o.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  }
  bool failed = false;
  Result<nlohmann::json> r = driver::RunAccuracyBench(o, &failed);
  if (!r.ok()) return BenchFail(kUserError, r.status().message());
  nlohmann::json j = r.value();
  j["command"] = driver::ProcessCommandLine();

  std::string out;
  for (const nlohmann::json& p : j["pretrained"]) {
    const nlohmann::json measured =
        p["measured"].is_object() ? p["measured"]["top1"] : nlohmann::json();
    out += fmt::format(
        "package {}: {} on {}, recorded {}, re-measured {}{}\n", p["path"].get<std::string>(),
        p["model"].get<std::string>(), p["dataset"].get<std::string>(), Pct(p["recorded_accuracy"]),
        Pct(measured),
        p.contains("error") ? " (error: " + p["error"].get<std::string>() + ")" : std::string());
  }
  for (const nlohmann::json& t : j["runs"]) {
    out += fmt::format("run {}: {} on {}, method '{}', {} {}, libtorch {}\n",
                       t["file"].get<std::string>(), t["model"].get<std::string>(),
                       t["dataset"].get<std::string>(), t["method"].get<std::string>(),
                       t["kind"].get<std::string>(), Pct(t["accuracy"]), Pct(t["torch_test_acc"]));
  }
  for (const nlohmann::json& s : j["skipped"]) {
    std::fprintf(stderr, "triton: warning: skipped %s: %s\n", s["file"].get<std::string>().c_str(),
                 s["reason"].get<std::string>().c_str());
  }
  if (out.empty()) out = "no pretrained packages and no training runs found\n";
  return FinishBench(out, j, a.json, a.quiet, failed);
}

}  // namespace

void AddBenchAccuracy(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<AccuracyArgs>();
  auto* cmd = BenchApp(app)->add_subcommand(
      "accuracy", "Pretrained packages re-measured, training runs per quantizer, in one file");
  cmd->add_option("--runs", a->runs,
                  "a directory searched for `triton train --json` results named train.json "
                  "(repeatable)");
  cmd->add_option("--pretrained", a->pretrained,
                  "the pretrained packages' directory (default models/pretrained)");
  cmd->add_option("--limit", a->limit, "evaluate only the first N test samples")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_flag("--no-eval", a->no_eval, "do not re-evaluate the packages (metadata only)");
  cmd->add_option("--isa", a->isa, "ISA level of the kernels (default: TRITON_ISA, else the best)");
  cmd->add_option("--threads", a->threads, "threads (default: TRITON_NUM_THREADS, else all CPUs)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--json", a->json, "write the results (schema triton-bench-accuracy/1)");
  cmd->add_flag("--quiet", a->quiet, "no progress on stderr");
  cmd->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace triton::cli
