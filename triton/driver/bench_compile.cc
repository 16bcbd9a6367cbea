#include "triton/driver/bench_compile.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "triton/base/file.h"
#include "triton/base/temp_dir.h"
#include "triton/base/timer.h"
#include "triton/codegen/cpu_plan.h"
#include "triton/driver/bench_compile_edit.h"
#include "triton/driver/bench_machine.h"
#include "triton/driver/cached_compile.h"
#include "triton/driver/compile.h"
#include "triton/driver/compile_key.h"
#include "triton/driver/zoo.h"

extern char** environ;

namespace triton::driver {

namespace {

namespace fs = std::filesystem;

double ProcessCpuMs() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Min(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

// One repetition: `call` repeated until `min_time_s` of wall time (at least once). Returns the
// mean wall ms per call; `cpu_ms` the mean process CPU ms, `iterations` the count.
template <typename F>
double Repeat(double min_time_s, F&& call, double* cpu_ms = nullptr,
              int64_t* iterations = nullptr) {
  int64_t n = 0;
  const double cpu0 = ProcessCpuMs();
  base::Timer t;
  double elapsed = 0;
  do {
    call();
    ++n;
    elapsed = t.ElapsedMs();
  } while (elapsed < 1e3 * min_time_s);
  if (cpu_ms) *cpu_ms = (ProcessCpuMs() - cpu0) / static_cast<double>(n);
  if (iterations) *iterations = n;
  return elapsed / static_cast<double>(n);
}

// The median over repetitions of Repeat's mean.
template <typename F>
double MedianOf(int repetitions, double min_time_s, F&& call) {
  std::vector<double> v;
  for (int r = 0; r < repetitions; ++r) v.push_back(Repeat(min_time_s, call));
  return Median(v);
}

const char* const kStageKeys[] = {"lex_ms",       "parse_ms",  "check_ms",
                                  "elaborate_ms", "verify_ms", "passes_ms"};

std::vector<double> StageValues(const StageTimes& t) {
  return {t.lex_ms, t.parse_ms, t.check_ms, t.elaborate_ms, t.verify_ms, t.passes_ms};
}

// The module's inputs with every non-static dim (the batch) bound to 1.
std::vector<ir::TensorType> BatchOneTypes(const ir::Module& m) {
  std::vector<ir::TensorType> types;
  for (ir::ValueId id : m.inputs) {
    ir::TensorType t = m.type(id);
    for (ir::Dim& d : t.dims) {
      if (!d.is_static()) d = ir::Dim::Static(1);
    }
    types.push_back(std::move(t));
  }
  return types;
}

// Runs `argv` with stdout and stderr on /dev/null (and `env` added to the environment); the
// wall time in ms, or < 0 when it could not run or exited non-zero.
double TimeProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string s = *e;
    bool overridden = false;
    for (const std::string& x : env) {
      if (s.compare(0, x.find('=') + 1, x, 0, x.find('=') + 1) == 0) overridden = true;
    }
    if (!overridden) env_strings.push_back(s);
  }
  for (const std::string& x : env) env_strings.push_back(x);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  base::Timer t;
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return -1;
  const double ms = t.ElapsedMs();
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

// Median and minimum wall ms of `runs` runs after one untimed run; null when a run failed.
nlohmann::json ProcessTimes(const std::string& shown, const std::vector<std::string>& argv,
                            const std::vector<std::string>& env, int runs) {
  std::vector<double> times;
  for (int i = 0; i <= runs; ++i) {
    double ms = TimeProcess(argv, env);
    if (ms < 0) return nullptr;
    if (i > 0) times.push_back(ms);
  }
  return {{"command", shown}, {"median_ms", Median(times)}, {"min_ms", Min(times)}};
}

nlohmann::json MeasureModel(const ZooEntry& e, const CompileBenchOptions& o,
                            const std::string& cache_dir, bool* failed) {
  const std::string path = (fs::path(ZooModelsDir()) / e.file).string();
  const std::string name(e.name);
  nlohmann::json j = {{"name", name}, {"file", DisplayPath(path)}};
  auto fail = [&](const std::string& message) {
    if (failed) *failed = true;
    j["error"] = message;
    return j;
  };
  Result<std::string> text = base::ReadFile(path);
  if (!text.ok()) return fail(text.status().message());
  auto say = [&](const std::string& what) {
    if (o.progress) o.progress(fmt::format("compile {}: {}", name, what));
  };

  nlohmann::json levels = nlohmann::json::array();
  ir::ModuleHandle optimized;
  for (int level = 0; level <= 3; ++level) {
    say(fmt::format("-O{}", level));
    CompileOptions co;
    co.model = name;
    co.opt_level = level;
    {
      CompileResult r = CompileSource(path, text.value(), co);
      if (!r.ok() || !r.module || !r.verify_errors.empty()) {
        return fail(fmt::format("{} --model {} -O{} does not compile:\n{}", DisplayPath(path), name,
                                level, r.diags->RenderText(false)));
      }
      j["lines"] = r.lines;
      if (level == 2) optimized = std::move(r.module);
    }
    std::vector<double> wall, cpu;
    std::vector<std::vector<double>> stages(std::size(kStageKeys));
    std::vector<std::vector<double>> pass_ms;
    std::vector<ir::passes::PassTiming> pass_last;
    int64_t iterations = 0;
    for (int rep = 0; rep < o.repetitions; ++rep) {
      StageTimes sum;
      std::vector<double> pass_sum;
      int64_t n = 0;
      double cpu_ms = 0;
      wall.push_back(Repeat(
          o.min_time_s,
          [&] {
            CompileResult r = CompileSource(path, text.value(), co);
            sum += r.times;
            if (pass_sum.size() < r.passes.timings.size()) pass_sum.resize(r.passes.timings.size());
            for (size_t i = 0; i < r.passes.timings.size(); ++i) {
              pass_sum[i] += r.passes.timings[i].ms;
            }
            pass_last = r.passes.timings;
          },
          &cpu_ms, &n));
      cpu.push_back(cpu_ms);
      iterations += n;
      std::vector<double> s = StageValues(sum);
      for (size_t i = 0; i < s.size(); ++i) stages[i].push_back(s[i] / static_cast<double>(n));
      if (pass_ms.size() < pass_sum.size()) pass_ms.resize(pass_sum.size());
      for (size_t i = 0; i < pass_sum.size(); ++i) {
        pass_ms[i].push_back(pass_sum[i] / static_cast<double>(n));
      }
    }
    nlohmann::json l = {{"opt_level", level},
                        {"wall_ms", Median(wall)},
                        {"wall_min_ms", Min(wall)},
                        {"cpu_ms", Median(cpu)},
                        {"iterations", iterations}};
    double stages_ms = 0;
    for (size_t i = 0; i < stages.size(); ++i) {
      const double m = Median(stages[i]);
      l[kStageKeys[i]] = m;
      stages_ms += m;
    }
    l["stages_ms"] = stages_ms;
    levels.push_back(l);
    if (level == 2) {
      nlohmann::json passes = nlohmann::json::array();
      for (size_t i = 0; i < pass_last.size() && i < pass_ms.size(); ++i) {
        passes.push_back({{"pass", pass_last[i].pass},
                          {"ms", Median(pass_ms[i])},
                          {"changed", pass_last[i].changed}});
      }
      j["passes"] = passes;
    }
  }
  j["levels"] = levels;

  say("plan");
  codegen::CpuPlanOptions po;
  po.isa = o.isa;
  const std::vector<ir::TensorType> types = BatchOneTypes(*optimized);
  {
    Result<runtime::Plan> p = codegen::BuildCpuPlan(*optimized, types, po);
    if (!p.ok()) return fail(name + ": building the CPU plan: " + p.status().message());
  }
  const double plan_ms = MedianOf(o.repetitions, o.min_time_s, [&] {
    Result<runtime::Plan> p = codegen::BuildCpuPlan(*optimized, types, po);
    (void)p;
  });
  j["plan_ms"] = plan_ms;
  j["to_plan_ms"] = levels[2]["wall_ms"].get<double>() + plan_ms;

  say("cache");
  CompileOptions co;
  co.model = name;
  auto cache = [&](bool enabled, bool memory, bool disk) {
    CacheOptions c;
    c.enabled = enabled;
    c.memory = memory;
    c.disk = disk;
    c.dir = cache_dir;
    c.check_round_trip = false;
    return c;
  };
  auto time_cache = [&](const CacheOptions& c, CacheOutcome want, double* out) -> Status {
    ResetCompileCacheForTesting();
    CachedCompileResult first = CompileFileCached(path, co, c);  // primes (stores)
    if (!first.ok() || !first.module) return Status::Error(name + ": does not compile");
    bool wrong = false;
    *out = MedianOf(o.repetitions, o.min_time_s, [&] {
      CachedCompileResult r = CompileFileCached(path, co, c);
      if (r.cache.outcome != want) wrong = true;
    });
    if (wrong) {
      return Status::Error(fmt::format("{}: the compile cache did not answer with a {}", name,
                                       CacheOutcomeName(want)));
    }
    return Status();
  };
  double cold = 0, disk = 0, memory = 0;
  for (auto [c, want, out] :
       {std::tuple{cache(false, false, false), CacheOutcome::kOff, &cold},
        std::tuple{cache(true, false, true), CacheOutcome::kDiskHit, &disk},
        std::tuple{cache(true, true, false), CacheOutcome::kMemoryHit, &memory}}) {
    Status st = time_cache(c, want, out);
    if (!st.ok()) return fail(st.message());
  }
  ResetCompileCacheForTesting();
  const double key = MedianOf(o.repetitions, o.min_time_s, [&] {
    Result<std::string> t = base::ReadFile(path);
    if (!t.ok()) return;
    CompileInputs in = GatherInputs(path, std::move(t).value(), co);
    cache::Key k = CompileKey(in, co, CompilerId());
    (void)k;
  });
  j["cache"] = {
      {"cold_ms", cold}, {"disk_hit_ms", disk}, {"memory_hit_ms", memory}, {"key_ms", key}};

  say("one-layer edits");
  Result<nlohmann::json> edit = MeasureOneLayerEdits(path, name, o.repetitions, o.min_time_s);
  if (!edit.ok()) return fail(name + ": one-layer edits: " + edit.status().message());
  j["edit"] = std::move(edit).value();

  j["process"] = nullptr;
  if (o.process_runs > 0) {
    say("whole process");
    const std::string exe = o.triton_binary.empty() ? "/proc/self/exe" : o.triton_binary;
    j["process"] = ProcessTimes(
        fmt::format("triton compile {} --model {} --no-cache", DisplayPath(path), name),
        {exe, "compile", path, "--model", name, "--no-cache"}, {}, o.process_runs);
    if (j["process"].is_null()) return fail(name + ": `triton compile` failed as a process");
  }
  return j;
}

}  // namespace

Result<nlohmann::json> RunCompileBench(const CompileBenchOptions& o, bool* failed) {
  std::vector<const ZooEntry*> entries;
  if (o.models.empty()) {
    for (const ZooEntry& e : ZooModels()) entries.push_back(&e);
  } else {
    for (const std::string& m : o.models) {
      const ZooEntry* e = FindZooModel(m);
      if (!e) {
        return Status::Error(fmt::format("unknown model '{}'; zoo models: {}", m, ZooModelNames()));
      }
      entries.push_back(e);
    }
  }
  if (failed) *failed = false;
  base::TempDir cache_dir("triton-bench-compile");
  if (cache_dir.path().empty()) {
    return Status::Error("cannot create a temporary cache directory");
  }
  nlohmann::json j = {{"schema", kCompileBenchSchema},
                      {"machine", MachineJson(o.isa, 1)},
                      {"method",
                       {{"repetitions", o.repetitions},
                        {"min_time_s", o.min_time_s},
                        {"process_runs", o.process_runs},
                        {"statistic", "median"}}}};
  nlohmann::json models = nlohmann::json::array();
  for (const ZooEntry* e : entries) models.push_back(MeasureModel(*e, o, cache_dir.path(), failed));
  j["models"] = models;
  j["process"] = nullptr;
  if (o.process_runs > 0 && !entries.empty()) {
    if (o.progress) o.progress("whole process: triton --version, warm compile cache");
    const std::string exe = o.triton_binary.empty() ? "/proc/self/exe" : o.triton_binary;
    // The spec's target model when it was measured, else the first.
    const ZooEntry* pick = entries.front();
    for (const ZooEntry* x : entries) {
      if (x->name == "resnet50") pick = x;
    }
    const ZooEntry& e = *pick;
    const std::string path = (fs::path(ZooModelsDir()) / e.file).string();
    const std::string name(e.name);
    base::TempDir warm("triton-bench-compile");
    j["process"] = {
        {"runs", o.process_runs},
        {"version", ProcessTimes("triton --version", {exe, "--version"}, {}, o.process_runs)},
        {"warm_cache",
         ProcessTimes(fmt::format("triton compile {} --model {}", DisplayPath(path), name),
                      {exe, "compile", path, "--model", name}, {"TRITON_CACHE_DIR=" + warm.path()},
                      o.process_runs)}};
  }
  return j;
}

}  // namespace triton::driver
