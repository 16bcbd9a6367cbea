// bench_cache: what the compile cache saves. Per model, side by side in one run:
//   BM_Cold/<model>        CompileFileCached with the cache off (= CompileFile: read, lex, parse,
//                          elaborate, verify, -O2 passes)
//   BM_DiskHit/<model>     a hit in the disk layer (memory layer off): read the file and its
//                          imports, key, read + validate the entry, decode the stored module
//   BM_MemoryHit/<model>   a hit in the in-memory layer: read + key, share the cached module
//   BM_Key/<model>         reading the sources and computing the key alone (the floor of a hit)
//   BM_DecodeModule/<model> ir::DecodeModule + ir::Verify of the stored module alone (what a
//                          disk hit does with it; ir/binary.h)
//   BM_ParseIR/<model>     ir::ParseModule of the module's IR text, for comparison (what a
//                          disk hit did when entries held IR text)
//   BM_Miss/<model>        a miss in both layers (a new compiler id per call, so no key
//                          repeats): the cold compile plus the cache's work (keys, lookups,
//                          encoding the module, storing under the exact and definitions keys)
//   BM_EncodeModule/<model> ir::EncodeModule of the optimized module alone (what a miss stores)
// and, after the table, the ratios cold / disk hit and cold / memory hit, by wall time and by the
// process's CPU time (all threads; on a loaded machine the better estimate of idle wall time).
// With --benchmark_repetitions=N the ratios use the medians.
//
//   bench_cache [--cache_dir=DIR] [benchmark flags]    (default: a fresh temp directory)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "triton/base/file.h"
#include "triton/driver/cached_compile.h"
#include "triton/driver/compile_key.h"
#include "triton/ir/binary.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"

namespace triton::bench {
namespace {

struct Case {
  const char* file;
  const char* model;
};
const Case kCases[] = {{"resnet.tri", "resnet50"},
                       {"resnet.tri", "resnet18"},
                       {"mobilenet_v2.tri", "mobilenet_v2"},
                       {"mnist_mlp.tri", "mnist_mlp"}};

std::string g_cache_dir;
bool g_failed = false;

// CPU time of the whole process (every thread: the front end runs on a large-stack thread), in
// microseconds. On a loaded machine it is the better estimate of the wall time on an idle one.
double ProcessCpuUs() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

std::string Path(const Case& c) { return std::string(TRITON_SOURCE_DIR) + "/models/" + c.file; }

driver::CompileOptions Options(const Case& c) {
  driver::CompileOptions o;
  o.model = c.model;
  return o;
}

driver::CacheOptions Cache(bool enabled, bool memory, bool disk) {
  driver::CacheOptions co;
  co.enabled = enabled;
  co.memory = memory;
  co.disk = disk;
  co.dir = g_cache_dir;
  return co;
}

// `fresh_ids`: every call under a compiler id of its own (a miss that stores, every time).
void Run(benchmark::State& state, const Case& c, driver::CacheOptions co, driver::CacheOutcome want,
         bool fresh_ids = false) {
  driver::ResetCompileCacheForTesting();
  // Prime: the first call stores (disk and/or memory).
  driver::CachedCompileResult first = driver::CompileFileCached(Path(c), Options(c), co);
  if (!first.ok() || !first.module) {
    g_failed = true;
    state.SkipWithError("does not compile");
    return;
  }
  static int64_t ids = 0;  // across the calls the benchmark library makes
  double cpu0 = ProcessCpuUs();
  for (auto _ : state) {
    if (fresh_ids) co.compiler_id = "bench-miss-" + std::to_string(ids++);
    driver::CachedCompileResult r = driver::CompileFileCached(Path(c), Options(c), co);
    if (r.cache.outcome != want || (fresh_ids && !r.cache.stored)) {
      g_failed = true;
      state.SkipWithError(
          ("outcome " + std::string(driver::CacheOutcomeName(r.cache.outcome))).c_str());
      return;
    }
    benchmark::DoNotOptimize(r.module);
  }
  state.counters["cpu_us"] =
      benchmark::Counter(ProcessCpuUs() - cpu0, benchmark::Counter::kAvgIterations);
}

void BM_Cold(benchmark::State& state, Case c) {
  Run(state, c, Cache(false, false, false), driver::CacheOutcome::kOff);
}
void BM_DiskHit(benchmark::State& state, Case c) {
  Run(state, c, Cache(true, false, true), driver::CacheOutcome::kDiskHit);
}
void BM_MemoryHit(benchmark::State& state, Case c) {
  Run(state, c, Cache(true, true, false), driver::CacheOutcome::kMemoryHit);
}
void BM_Key(benchmark::State& state, Case c) {
  double cpu0 = ProcessCpuUs();
  for (auto _ : state) {
    Result<std::string> text = base::ReadFile(Path(c));
    driver::CompileInputs in = driver::GatherInputs(Path(c), std::move(text).value(), Options(c));
    benchmark::DoNotOptimize(driver::CompileKey(in, Options(c), driver::CompilerId()));
  }
  state.counters["cpu_us"] =
      benchmark::Counter(ProcessCpuUs() - cpu0, benchmark::Counter::kAvgIterations);
}

// The part of a disk hit that turns the stored module back into one (and checks it).
void BM_DecodeModule(benchmark::State& state, Case c) {
  driver::FileCompileResult r = driver::CompileFile(Path(c), Options(c));
  const std::string bytes = r.module ? ir::EncodeModule(*r.module) : "";
  double cpu0 = ProcessCpuUs();
  for (auto _ : state) {
    Result<ir::Module> m = ir::DecodeModule(bytes);
    if (!m.ok()) {
      g_failed = true;
      state.SkipWithError("does not decode");
      return;
    }
    benchmark::DoNotOptimize(ir::Verify(m.value()));
  }
  state.counters["cpu_us"] =
      benchmark::Counter(ProcessCpuUs() - cpu0, benchmark::Counter::kAvgIterations);
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

// The same module parsed from its IR text: what a disk hit cost with entries of IR text.
void BM_ParseIR(benchmark::State& state, Case c) {
  driver::FileCompileResult r = driver::CompileFile(Path(c), Options(c));
  std::string text = r.module ? ir::Print(*r.module) : "";
  double cpu0 = ProcessCpuUs();
  for (auto _ : state) benchmark::DoNotOptimize(ir::ParseModule(text));
  state.counters["cpu_us"] =
      benchmark::Counter(ProcessCpuUs() - cpu0, benchmark::Counter::kAvgIterations);
  state.counters["ir_bytes"] = static_cast<double>(text.size());
}

// A new compiler id per call, so no key repeats. The store runs in the call (a long-lived
// process would hand it to the background after its first: cached_compile.h), so this is the
// whole cost of a miss.
void BM_Miss(benchmark::State& state, Case c) {
  driver::CacheOptions co = Cache(true, true, true);
  co.background_store = false;
  Run(state, c, co, driver::CacheOutcome::kMiss, /*fresh_ids=*/true);
  driver::ResetCompileCacheForTesting();  // the memory layer holds every id's entries
}

void BM_EncodeModule(benchmark::State& state, Case c) {
  driver::FileCompileResult r = driver::CompileFile(Path(c), Options(c));
  if (!r.module) {
    g_failed = true;
    state.SkipWithError("does not compile");
    return;
  }
  double cpu0 = ProcessCpuUs();
  for (auto _ : state) benchmark::DoNotOptimize(ir::EncodeModule(*r.module));
  state.counters["cpu_us"] =
      benchmark::Counter(ProcessCpuUs() - cpu0, benchmark::Counter::kAvgIterations);
}

// Prints the table as usual and keeps each run's wall time and process CPU time per iteration
// (microseconds) for the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  struct Times {
    double wall_us = 0, cpu_us = 0;
  };
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      // With --benchmark_repetitions the median stands for the benchmark.
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
      std::string name = r.run_type == Run::RT_Aggregate ? r.run_name.str() : r.benchmark_name();
      auto cpu = r.counters.find("cpu_us");
      times[name] = {r.GetAdjustedRealTime(), cpu == r.counters.end() ? 0.0 : cpu->second.value};
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, Times> times;  // by benchmark name ("BM_Cold/resnet50/real_time")
};

}  // namespace
}  // namespace triton::bench

int main(int argc, char** argv) {
  namespace tb = triton::bench;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.rfind("--cache_dir=", 0) == 0) {
      tb::g_cache_dir = std::string(a.substr(12));
    } else {
      args.push_back(argv[i]);
    }
  }
  std::string temp;
  if (tb::g_cache_dir.empty()) {
    std::string templ = std::filesystem::temp_directory_path().string() + "/bench-cache-XXXXXX";
    if (!::mkdtemp(templ.data())) return 1;
    tb::g_cache_dir = temp = templ;
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
  for (const tb::Case& c : tb::kCases) {
    std::string m = c.model;
    for (auto* b :
         {benchmark::RegisterBenchmark(("BM_Cold/" + m).c_str(), tb::BM_Cold, c),
          benchmark::RegisterBenchmark(("BM_DiskHit/" + m).c_str(), tb::BM_DiskHit, c),
          benchmark::RegisterBenchmark(("BM_MemoryHit/" + m).c_str(), tb::BM_MemoryHit, c),
          benchmark::RegisterBenchmark(("BM_Key/" + m).c_str(), tb::BM_Key, c),
          benchmark::RegisterBenchmark(("BM_DecodeModule/" + m).c_str(), tb::BM_DecodeModule, c),
          benchmark::RegisterBenchmark(("BM_ParseIR/" + m).c_str(), tb::BM_ParseIR, c),
          benchmark::RegisterBenchmark(("BM_Miss/" + m).c_str(), tb::BM_Miss, c),
          benchmark::RegisterBenchmark(("BM_EncodeModule/" + m).c_str(), tb::BM_EncodeModule, c)}) {
      b->Unit(benchmark::kMicrosecond)->UseRealTime();
    }
  }
  benchmark::AddCustomContext("triton_build_type", TRITON_BUILD_TYPE);
  benchmark::AddCustomContext("triton_cache_dir", tb::g_cache_dir);
  tb::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  // cold / hit, by wall time and by process CPU time (the better measure on a loaded machine).
  std::printf("\n%-14s %22s %28s %28s %16s\n", "model", "cold us (wall/cpu)",
              "disk hit us (wall/cpu) x", "memory hit us (wall/cpu) x", "key us (cpu)");
  for (const tb::Case& c : tb::kCases) {
    auto find = [&](const char* bm) -> const tb::RatioReporter::Times* {
      auto it = reporter.times.find(std::string(bm) + "/" + c.model + "/real_time");
      return it == reporter.times.end() ? nullptr : &it->second;
    };
    const auto *cold = find("BM_Cold"), *disk = find("BM_DiskHit"), *mem = find("BM_MemoryHit"),
               *key = find("BM_Key");
    if (!cold) continue;
    auto cell = [&](const tb::RatioReporter::Times* t) {
      if (!t) return std::string("-");
      char buf[96];
      std::snprintf(buf, sizeof(buf), "%.0f/%.0f %.1fx/%.1fx", t->wall_us, t->cpu_us,
                    cold->wall_us / t->wall_us, cold->cpu_us / t->cpu_us);
      return std::string(buf);
    };
    std::printf("%-14s %14.0f/%-7.0f %28s %28s %16.0f\n", c.model, cold->wall_us, cold->cpu_us,
                cell(disk).c_str(), cell(mem).c_str(), key ? key->cpu_us : 0.0);
  }
  if (!temp.empty()) std::filesystem::remove_all(temp);
  return tb::g_failed ? 1 : 0;
}
