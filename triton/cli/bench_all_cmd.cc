// `triton bench all --out DIR [--steps zoo,compile,accuracy,perf] [--models LIST] [--runs DIR]...
// [--batch LIST] [--threads N] [--iters N] [--min-time S] [--warmup N] [--no-memory]
// [--repetitions N]`: every benchmark into DIR, one results file each, as `triton bench report`
// reads them:
//   zoo.json           `triton zoo list --json` plus a "generated" block (machine, command)
//   compile.json       `triton bench compile`
//   accuracy.json      `triton bench accuracy` (with --runs)
//   perf_<model>.json  `triton bench perf` per model (a child process each), plus its command;
//                      batches per model as PerfBatches() says (bench/run_perf.sh runs this step)
// Progress on stderr. A failed step is reported and the others still run (exit 1 at the end).
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "triton/cli/bench_common.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/bench_accuracy.h"
#include "triton/driver/bench_compile.h"
#include "triton/driver/bench_machine.h"
#include "triton/driver/zoo.h"
#include "triton/driver/zoo_info.h"

extern char** environ;

namespace triton::cli {

namespace {

// Batch sizes per model for the perf step: the targets' models at 1, 8 and 32, the big 224 px
// models at 1 and 8, VGG-16 (seconds per batch-8 run) at 1; any other zoo model at 1.
const std::map<std::string, std::string>& PerfBatches() {
  static const std::map<std::string, std::string> b = {
      {"resnet18", "1,8,32"}, {"resnet18_cifar", "1,8,32"}, {"mnist_mlp", "1,32"},
      {"resnet50", "1,8"},    {"mobilenet_v2", "1,8"},      {"efficientnet_b0", "1,8"},
      {"vgg16", "1"}};
  return b;
}

struct AllArgs {
  std::string out, steps = "zoo,compile,accuracy,perf", models, batch;
  std::vector<std::string> runs;
  int threads = 0, repetitions = 5;
  int64_t iters = 1000, warmup = 100;
  double min_time = 10;
  bool no_memory = false;
};

void Say(const std::string& line) { std::fprintf(stderr, "bench all: %s\n", line.c_str()); }

bool Write(const std::string& path, const nlohmann::json& j) {
  std::string error;
  if (!WriteJsonFile(path, j, &error)) {
    BenchFail(kUserError, error);
    return false;
  }
  Say("wrote " + path);
  return true;
}

// A step's result written to `path` with the command line; false when the step failed or one
// of its models did (`failed`), or the file could not be written.
bool WriteStep(const Result<nlohmann::json>& r, bool failed, const std::string& path) {
  if (!r.ok()) {
    BenchFail(kUserError, r.status().message());
    return false;
  }
  nlohmann::json j = r.value();
  j["command"] = driver::ProcessCommandLine();
  return Write(path, j) && !failed;
}

bool ZooStep(const std::string& dir, const std::vector<std::string>& models, Isa isa, int threads) {
  const driver::PretrainedScan scan = driver::ScanPretrained(driver::PretrainedDir());
  for (const std::string& w : scan.warnings) Say("warning: skipping a pretrained package: " + w);
  nlohmann::json list = nlohmann::json::array(), other = nlohmann::json::array();
  bool ok = true;
  for (const std::string& m : models) {
    Say("zoo: measuring " + m);
    Result<driver::ZooInfo> z = driver::DescribeZooModel(m, scan);
    if (!z.ok()) {
      BenchFail(kUserError, z.status().message());
      ok = false;
      continue;
    }
    list.push_back(z.value().ToJson());
  }
  for (const driver::PretrainedPackage& p : scan.packages) {
    if (!driver::FindZooModel(p.model)) other.push_back(p.ToJson());
  }
  nlohmann::json j = {{"models", list},
                      {"models_dir", driver::DisplayPath(driver::ZooModelsDir())},
                      {"other_pretrained", other},
                      {"generated",
                       {{"machine", driver::MachineJson(isa, threads)},
                        {"command", driver::ProcessCommandLine()}}}};
  return Write(dir + "/zoo.json", j) && ok;
}

// `triton bench perf` for one model, run as a child process of this executable: its peak-memory
// measurement forks, and a fork after this process has used OpenMP (the accuracy step, an
// earlier model) would deadlock in the child's libgomp. Its table goes to stderr (progress).
bool PerfStep(const AllArgs& a, const std::string& model, int threads) {
  auto it = PerfBatches().find(model);
  const std::string batch = !a.batch.empty()            ? a.batch
                            : it != PerfBatches().end() ? it->second
                                                        : "1";
  const std::string path = a.out + "/perf_" + model + ".json";
  std::vector<std::string> args = {"bench",      "perf",
                                   "--model",    model,
                                   "--batch",    batch,
                                   "--threads",  std::to_string(threads),
                                   "--iters",    std::to_string(a.iters),
                                   "--min-time", fmt::format("{}", a.min_time),
                                   "--warmup",   std::to_string(a.warmup)};
  if (a.no_memory) args.push_back("--no-memory");
  args.push_back("--json");
  args.push_back(path);
  std::string shown = "triton";
  for (const std::string& x : args) {
    shown += " " + driver::ShellQuote(x == path ? driver::DisplayPath(path) : x);
  }
  Say("perf: " + shown);
  std::vector<std::string> argv_s = {"/proc/self/exe"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& x : argv_s) argv.push_back(x.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, 2, 1);  // its table: progress, on stderr
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  if (rc != 0 || ::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    BenchFail(kUserError, "perf: `" + shown + "` failed");
    return false;
  }
  // Record the command in the file (`triton bench perf` itself does not).
  std::ifstream in(path, std::ios::binary);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    BenchFail(kUserError, path + ": not the JSON `triton bench perf` writes");
    return false;
  }
  j["command"] = shown;
  return Write(path, j);
}

int Run(const AllArgs& a) {
  const std::vector<std::string> steps = SplitList(a.steps);
  for (const std::string& s : steps) {
    if (s != "zoo" && s != "compile" && s != "accuracy" && s != "perf") {
      return BenchFail(kUsage, "--steps: unknown step '" + s + "' (zoo, compile, accuracy, perf)");
    }
  }
  auto wants = [&](const char* s) {
    return std::find(steps.begin(), steps.end(), s) != steps.end();
  };
  std::vector<std::string> models = SplitList(a.models);
  for (const std::string& m : models) {
    if (!driver::FindZooModel(m)) {
      return BenchFail(kUserError, fmt::format("unknown model '{}'; zoo models: {}", m,
                                               driver::ZooModelNames()));
    }
  }
  if (models.empty()) {
    for (const driver::ZooEntry& e : driver::ZooModels()) models.emplace_back(e.name);
  }
  Result<Isa> isa = ActiveIsa();
  if (!isa.ok()) return BenchFail(kUserError, isa.status().message());
  int threads = a.threads;
  if (threads == 0) {
    Result<int> t = DefaultThreads();
    if (!t.ok()) return BenchFail(kUserError, t.status().message());
    threads = t.value();
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) return BenchFail(kUserError, a.out + ": " + ec.message());

  bool ok = true;
  if (wants("zoo")) ok = ZooStep(a.out, models, isa.value(), threads) && ok;
  if (wants("compile")) {
    driver::CompileBenchOptions o;
    o.models = models;
    o.repetitions = a.repetitions;
    o.isa = isa.value();
    o.process_runs = 7;
    o.progress = [](const std::string& line) { Say(line); };
    bool failed = false;
    Result<nlohmann::json> r = driver::RunCompileBench(o, &failed);
    ok = WriteStep(r, failed, a.out + "/compile.json") && ok;
  }
  if (wants("accuracy")) {
    Result<driver::CpuOptions> cpu = driver::CpuOptionsFor("", threads, true);
    driver::AccuracyBenchOptions o;
    o.run_dirs = a.runs;
    if (!a.models.empty()) o.models = models;
    if (cpu.ok()) o.cpu = cpu.value();
    o.progress = [](const std::string& line) { Say(line); };
    bool failed = false;
    Result<nlohmann::json> r =
        cpu.ok() ? driver::RunAccuracyBench(o, &failed) : Result<nlohmann::json>(cpu.status());
    ok = WriteStep(r, failed, a.out + "/accuracy.json") && ok;
  }
  if (wants("perf")) {
    for (const std::string& m : models) ok = PerfStep(a, m, threads) && ok;
  }
  Say(ok ? "done" : "done, with errors (above)");
  return ok ? kOk : kUserError;
}

}  // namespace

void AddBenchAll(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<AllArgs>();
  auto* cmd = BenchApp(app)->add_subcommand(
      "all", "Every benchmark (zoo, compile, accuracy, perf) into one results directory");
  cmd->add_option("--out", a->out, "the results directory (bench/results)")->required();
  cmd->add_option("--steps", a->steps,
                  "steps, comma-separated: zoo, compile, accuracy, perf (default all)");
  cmd->add_option("--models", a->models, "zoo models, comma-separated (default: every one)");
  cmd->add_option("--runs", a->runs, "training-run directories for the accuracy step");
  cmd->add_option("--batch", a->batch,
                  "perf batch sizes for every model (default per model: resnet18 and "
                  "resnet18_cifar 1,8,32; mnist_mlp 1,32; resnet50, mobilenet_v2, "
                  "efficientnet_b0 1,8; others 1)");
  cmd->add_option("--threads", a->threads, "threads (default TRITON_NUM_THREADS, else the CPUs)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--iters", a->iters, "perf: timed runs per engine and batch (default 1000)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--min-time", a->min_time, "perf: or stop an engine after S seconds (default 10)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--warmup", a->warmup, "perf: warm-up runs per engine (default 100)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_flag("--no-memory", a->no_memory, "perf: skip the peak-memory children");
  cmd->add_option("--repetitions", a->repetitions, "compile: repetitions (default 5)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace triton::cli
