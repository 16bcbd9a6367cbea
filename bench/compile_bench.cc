// bench_compile: cold in-process compile time, source text -> verified IR
// (driver::CompileSource per iteration), for every `model NAME = ...` declared in models/*.tri,
// plus hostile inputs (deep nesting, huge tokens, random bytes) that must stay fast.
//
//   bench_compile [--models_dir=DIR] [benchmark flags]
//
// Every model is benchmarked at each optimisation level, as BM_Compile/<model>/O0 .. /O3 (filter
// with e.g. --benchmark_filter='BM_Compile/resnet50/O2$' or '/O2$'); the other options are the
// defaults of `triton compile` (-O2 is its default: the pass pipeline runs after the verifier).
// BM_CompileNoMemo/<model>/O2 is the -O2 compile with the elaborator's instance memo off, the
// baseline of its speed-up in the same run.
// Counters per model: lines (the file and its imports; the built-in prelude is not counted),
// lex_ms parse_ms check_ms elaborate_ms verify_ms passes_ms (CompileResult::times, averaged over
// the iterations), stages_ms (their sum) and us_per_line (wall time per iteration over lines). The
// benchmark's own time is the wall time of the whole CompileSource call, destruction of the result
// included. (docs/benchmarks/compilation_speed.md comes from `triton bench compile`, which times
// the same calls in process; this benchmark keeps the hostile inputs.)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "triton/driver/compile.h"

namespace triton::bench {
namespace {

namespace fs = std::filesystem;

bool g_failed = false;  // a benchmark could not compile its input: exit 1

struct ModelCase {
  std::string path;  // the file, as CompileSource sees it (imports resolve beside it)
  std::string model;
  std::string text;
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every `model NAME =` of every *.tri file in `dir`, in file then declaration order.
std::vector<ModelCase> DiscoverModels(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".tri") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  static const std::regex kModel(R"(^\s*model\s+([A-Za-z_][A-Za-z0-9_]*)\s*=)");
  std::vector<ModelCase> cases;
  for (const fs::path& f : files) {
    std::string text = ReadAll(f);
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, kModel)) cases.push_back({f.string(), m[1], text});
    }
  }
  return cases;
}

double SinceUs(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
      .count();
}

// `memo`: false interprets every layer call (CompileOptions::memo_off), the baseline of the
// elaborator's instance memo (BM_CompileNoMemo; lang/check/instance_memo.h).
void BM_Compile(benchmark::State& state, const ModelCase& c, int opt_level, bool memo) {
  driver::CompileOptions options;
  options.model = c.model;
  options.opt_level = opt_level;
  options.memo_off = !memo;
  {
    driver::CompileResult r = driver::CompileSource(c.path, c.text, options);
    if (!r.ok() || !r.module || !r.verify_errors.empty()) {
      std::fprintf(stderr, "bench_compile: %s --model %s -O%d does not compile:\n%s",
                   c.path.c_str(), c.model.c_str(), opt_level, r.diags->RenderText().c_str());
      for (const std::string& e : r.verify_errors)
        std::fprintf(stderr, "verifier: %s\n", e.c_str());
      g_failed = true;
      state.SkipWithError("does not compile");
      return;
    }
  }
  driver::StageTimes sum;
  double wall_us = 0;
  size_t lines = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    {
      driver::CompileResult r = driver::CompileSource(c.path, c.text, options);
      benchmark::DoNotOptimize(r.module);
      sum += r.times;
      lines = r.lines;
    }
    wall_us += SinceUs(start);
  }
  using benchmark::Counter;
  state.counters["lines"] = Counter(static_cast<double>(lines));
  state.counters["opt_level"] = Counter(static_cast<double>(opt_level));
  state.counters["lex_ms"] = Counter(sum.lex_ms, Counter::kAvgIterations);
  state.counters["parse_ms"] = Counter(sum.parse_ms, Counter::kAvgIterations);
  state.counters["check_ms"] = Counter(sum.check_ms, Counter::kAvgIterations);
  state.counters["elaborate_ms"] = Counter(sum.elaborate_ms, Counter::kAvgIterations);
  state.counters["verify_ms"] = Counter(sum.verify_ms, Counter::kAvgIterations);
  state.counters["passes_ms"] = Counter(sum.passes_ms, Counter::kAvgIterations);
  state.counters["stages_ms"] = Counter(sum.total_ms(), Counter::kAvgIterations);
  state.counters["us_per_line"] =
      Counter(lines ? wall_us / static_cast<double>(lines) : 0, Counter::kAvgIterations);
}

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

struct HostileCase {
  const char* name;
  std::string text;
};

// Inputs that must stay fast: the hostile inputs the fuzzing work names (each must finish, with
// diagnostics, well under a second) and one very large model.
std::vector<HostileCase> HostileCases() {
  std::mt19937_64 rng(20240601);
  std::string random(10 << 20, '\0');
  for (char& ch : random) ch = static_cast<char>(rng());
  std::string id = Repeat("a", 200000);
  return {
      {"parens_20000", "let x = " + Repeat("(", 20000) + "1" + Repeat(")", 20000) + "\n"},
      {"identifier_200000", "let " + id + " = 1\nlet y = " + id + "\n"},
      {"integer_5000_digits", "let x = " + Repeat("9", 5000) + "\n"},
      {"brackets_100000", "let x = " + Repeat("[", 100000) + "\n"},
      {"random_10MB", std::move(random)},
      // Not hostile bytes but a huge model (40,000 parameters): guards against quadratic
      // elaboration (fuzz/regressions/quadratic_param_names.tri).
      {"linear_layers_20000",
       "layer Layers() {\n  let ls = [Linear(4, 4) for i in range(20000)]\n"
       "  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] {\n    for l in ls { x = l(x) }\n"
       "    return x\n  }\n}\nmodel layers = Layers()\n"},
  };
}

void BM_Hostile(benchmark::State& state, const HostileCase& c) {
  driver::CompileOptions options;
  size_t diagnostics = 0;
  for (auto _ : state) {
    driver::CompileResult r = driver::CompileSource("hostile.tri", c.text, options);
    diagnostics = r.diags->diagnostics().size();
    benchmark::DoNotOptimize(r.module);
  }
  state.counters["bytes"] = benchmark::Counter(static_cast<double>(c.text.size()));
  state.counters["diagnostics"] = benchmark::Counter(static_cast<double>(diagnostics));
}

}  // namespace
}  // namespace triton::bench

int main(int argc, char** argv) {
  namespace tb = triton::bench;
  std::filesystem::path models_dir = std::filesystem::path(TRITON_SOURCE_DIR) / "models";
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.rfind("--models_dir=", 0) == 0) {
      models_dir = std::string(a.substr(13));
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;

  // Registered objects must outlive RunSpecifiedBenchmarks.
  static std::vector<tb::ModelCase> models = tb::DiscoverModels(models_dir);
  static std::vector<tb::HostileCase> hostile = tb::HostileCases();
  if (models.empty()) {
    std::fprintf(stderr, "bench_compile: no `model NAME =` declarations in %s/*.tri\n",
                 models_dir.c_str());
    return 1;
  }
  for (const tb::ModelCase& c : models) {
    for (int level = 0; level <= 3; ++level) {
      std::string name = "BM_Compile/" + c.model + "/O" + std::to_string(level);
      benchmark::RegisterBenchmark(name.c_str(), tb::BM_Compile, c, level, true)
          ->Unit(benchmark::kMillisecond)
          ->MeasureProcessCPUTime()  // under ASan/TSan CompileSource uses a thread of its own
          ->UseRealTime();
    }
    // The same -O2 compile with the instance memo off: run both with
    // --benchmark_filter=<model>/O2 --benchmark_enable_random_interleaving=true for the ratio.
    benchmark::RegisterBenchmark(("BM_CompileNoMemo/" + c.model + "/O2").c_str(), tb::BM_Compile, c,
                                 2, false)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime()
        ->UseRealTime();
  }
  for (const tb::HostileCase& c : hostile) {
    benchmark::RegisterBenchmark((std::string("BM_Hostile/") + c.name).c_str(), tb::BM_Hostile, c)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime()  // under ASan/TSan CompileSource uses a thread of its own
        ->UseRealTime();
  }
  benchmark::AddCustomContext("triton_build_type", TRITON_BUILD_TYPE);
  benchmark::AddCustomContext("triton_models_dir", models_dir.string());
#if defined(__clang__)
  benchmark::AddCustomContext("triton_compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
  benchmark::AddCustomContext("triton_compiler", "gcc " __VERSION__);
#endif
  size_t ran = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (ran == 0) {
    std::fprintf(stderr, "bench_compile: no benchmark matched the filter\n");
    return 1;
  }
  return tb::g_failed ? 1 : 0;
}
