// `triton bench perf` (bench_perf.h): packages, engines, the memory children, warm-up and the
// alternating timed rounds.
#include "triton/driver/bench_perf.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <optional>

#include "triton/base/timer.h"
#include "triton/driver/bench_engines.h"
#include "triton/driver/run.h"
#include "triton/driver/weights.h"
#include "triton/driver/zoo.h"
#include "triton/format/package.h"
#include "triton/kernels/fconv/fconv.h"

namespace triton::driver {
namespace bench {

void SetBlasThreads(int threads) { kernels::fconv::SetBlasThreads(threads); }

namespace {

class TritonEngine : public PerfEngine {
 public:
  TritonEngine(std::unique_ptr<runtime::cpu::Engine> e, std::vector<ir::HostTensor> inputs)
      : engine_(std::move(e)), inputs_(std::move(inputs)) {}
  // Triton's FP32 kernels fan out over OpenMP themselves and call BLAS inside each worker.
  void BeforeRun() override { SetBlasThreads(1); }
  Status Run() override {
    Result<std::vector<ir::HostTensor>> out = engine_->Run(inputs_);
    if (!out.ok()) return out.status();
    outputs_ = std::move(out).value();
    return Status();
  }
  std::vector<float> FirstOutput() const override {
    return outputs_.empty() ? std::vector<float>{} : ir::Dequantized(outputs_[0]);
  }
  int64_t own_bytes() const override { return engine_->weight_bytes() + engine_->arena_bytes(); }
  std::string own_bytes_method() const override { return "engine-bytes"; }
  int64_t weight_bytes() const override { return engine_->weight_bytes(); }
  int64_t arena_bytes() const override { return engine_->arena_bytes(); }

 private:
  std::unique_ptr<runtime::cpu::Engine> engine_;
  std::vector<ir::HostTensor> inputs_;
  std::vector<ir::HostTensor> outputs_;
};

}  // namespace

Result<std::unique_ptr<PerfEngine>> MakeTritonEngine(const Model& model,
                                                     const std::vector<ir::HostTensor>& inputs,
                                                     const CpuOptions& options) {
  std::vector<ir::TensorType> types;
  for (const ir::HostTensor& t : inputs) types.push_back(t.type());
  Result<std::unique_ptr<runtime::cpu::Engine>> e = PrepareCpu(model, types, options);
  if (!e.ok()) return e.status();
  return std::unique_ptr<PerfEngine>(std::make_unique<TritonEngine>(std::move(e).value(), inputs));
}

}  // namespace bench

const std::vector<std::string>& PerfEngineNames() {
  static const std::vector<std::string> kNames = {"libtorch-fp32", "triton-fp32", "triton-ternary"};
  return kNames;
}

bool PerfHasLibtorch() { return bench::TorchAvailable(); }

namespace {

std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    out.push_back(item);
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<int64_t>> ParseBatchList(std::string_view text) {
  std::vector<int64_t> out;
  for (std::string_view item : SplitList(text)) {
    int64_t v = 0;
    const auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size() || v < 1 ||
        v > (int64_t{1} << 20)) {
      return Status::Error(fmt::format(
          "bad batch size '{}' in '{}': expected positive integers separated by commas, e.g. "
          "1,8,32",
          item, text));
    }
    if (std::find(out.begin(), out.end(), v) != out.end()) {
      return Status::Error(fmt::format("batch size {} appears twice in '{}'", v, text));
    }
    out.push_back(v);
  }
  return out;
}

Result<std::vector<std::string>> ParseEngineList(std::string_view text) {
  if (text == "all") return PerfEngineNames();
  std::vector<std::string> chosen;
  for (std::string_view item : SplitList(text)) {
    const auto& names = PerfEngineNames();
    if (std::find(names.begin(), names.end(), item) == names.end()) {
      return Status::Error(
          fmt::format("unknown engine '{}'; engines: {} (or all)", item, fmt::join(names, ", ")));
    }
    if (std::find(chosen.begin(), chosen.end(), item) != chosen.end()) {
      return Status::Error(fmt::format("engine '{}' appears twice in '{}'", item, text));
    }
    chosen.emplace_back(item);
  }
  std::vector<std::string> ordered;  // report order
  for (const std::string& n : PerfEngineNames()) {
    if (std::find(chosen.begin(), chosen.end(), n) != chosen.end()) ordered.push_back(n);
  }
  return ordered;
}

namespace {

using bench::PerfEngine;

// The inputs of both models and every engine: the FP32 model's inputs, one seed.
struct Prepared {
  Model fp32, ternary;
  std::map<int64_t, std::vector<ir::HostTensor>> inputs;  // per batch
};

Result<std::unique_ptr<PerfEngine>> MakeEngine(const std::string& engine, const Prepared& p,
                                               int64_t batch, const PerfOptions& o) {
  const std::vector<ir::HostTensor>& in = p.inputs.at(batch);
  if (engine == "libtorch-fp32") return bench::MakeTorchEngine(p.fp32, in, o.threads);
  CpuOptions co;
  co.isa = o.isa;
  co.threads = o.threads;
  return bench::MakeTritonEngine(engine == "triton-fp32" ? p.fp32 : p.ternary, in, co);
}

double Seconds(base::Timer& t) { return t.ElapsedMs() / 1000; }

// Max |a - b| / max |b| (-1 when the sizes differ or b is empty).
double MaxRelDiff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size() || b.empty()) return -1;
  double diff = 0, ref = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    ref = std::max(ref, std::fabs(static_cast<double>(b[i])));
  }
  return diff / std::max(ref, 1e-30);
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", std::localtime(&now));
  return buf;
}

// The 1-minute load average at the start (-1 without /proc): a busy machine makes absolute
// times noisy, above all with as many threads as cores.
double LoadAverage() {
  double l = -1;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &l) != 1) l = -1;
    std::fclose(f);
  }
  return l;
}

struct Live {
  PerfRecord* record;
  std::unique_ptr<PerfEngine> engine;
  std::vector<double> samples;  // ms
  double timed_s = 0;
  bool done = false;
};

// Warm-up, then the alternating timed rounds, for the engines of one batch.
void TimeEngines(std::vector<Live>& live, const PerfOptions& o, const std::string& what) {
  const auto say = [&](const std::string& s) {
    if (o.progress) o.progress(what + ": " + s);
  };
  std::vector<double> typical_ms(live.size(), 1);
  for (size_t i = 0; i < live.size(); ++i) {
    Live& l = live[i];
    base::Timer t;
    double last_ms = 0;
    int64_t runs = 0;
    while (runs < o.warmup && (runs == 0 || Seconds(t) < o.warmup_time_s)) {
      l.engine->BeforeRun();
      base::Timer r;
      Status st = l.engine->Run();
      last_ms = r.ElapsedMs();
      if (!st.ok()) {
        l.record->available = false;
        l.record->error = st.message();
        l.done = true;
        break;
      }
      ++runs;
    }
    l.record->warmup_runs = runs;
    typical_ms[i] = std::max(last_ms, 1e-3);
    say(fmt::format("{} warm-up {} runs, {:.3f} ms/run", l.record->engine, runs, last_ms));
  }
  // The floor keeps percentiles meaningful when the time budget ends a slow engine early.
  const int64_t floor_runs = std::min<int64_t>(o.iters, 10);
  base::Timer progress_timer;
  for (int64_t round = 0;; ++round) {
    bool any = false;
    for (size_t k = 0; k < live.size(); ++k) {
      const size_t i = (k + static_cast<size_t>(round)) % live.size();  // rotate the order
      Live& l = live[i];
      if (l.done) continue;
      any = true;
      // A few runs per turn, about 50 ms of work, so that switching engines (cold caches,
      // thread pools changing hands) is a small share of the time without long stretches of one
      // engine alone.
      const int64_t per_turn = std::clamp<int64_t>(static_cast<int64_t>(50 / typical_ms[i]), 1, 20);
      for (int64_t r = 0; r < per_turn && !l.done; ++r) {
        l.engine->BeforeRun();
        base::Timer t;
        Status st = l.engine->Run();
        const double ms = t.ElapsedMs();
        if (!st.ok()) {
          l.record->available = false;
          l.record->error = st.message();
          l.done = true;
          break;
        }
        l.samples.push_back(ms);
        l.timed_s += ms / 1000;
        const int64_t n = static_cast<int64_t>(l.samples.size());
        l.done = n >= o.iters || (o.min_time_s > 0 && l.timed_s >= o.min_time_s && n >= floor_runs);
      }
    }
    if (!any) break;
    if (o.progress && progress_timer.ElapsedMs() > 1000) {
      progress_timer.Reset();
      std::string s;
      for (const Live& l : live) {
        s += fmt::format("{}{} {}/{}", s.empty() ? "" : ", ", l.record->engine, l.samples.size(),
                         o.iters);
      }
      say("timed " + s);
    }
  }
}

}  // namespace

Result<PerfReport> RunPerf(const PerfOptions& o) {
  if (o.batches.empty()) return Status::Error("no batch sizes given");
  if (o.engines.empty()) return Status::Error("no engines given");
  if (o.threads < 1) return Status::Error("threads must be >= 1");
  if (o.iters < 1) return Status::Error("iters must be >= 1");
  const auto say = [&](const std::string& s) {
    if (o.progress) o.progress(s);
  };

  std::string source_hash;
  say(fmt::format("{}: compiling at -O2", o.model));
  Result<ir::Module> m = CompileZooModel(o.model, 2, &source_hash);
  if (!m.ok()) return m.status();
  format::Package fp32_pkg = InitialPackage(m.value(), o.weight_seed, source_hash);
  format::Package ternary_pkg = fp32_pkg, base3_pkg = fp32_pkg;
  QuantizeOptions qo;  // each parameter's own method (its QuantSpec)
  Status st = QuantizePackage(ternary_pkg, qo, nullptr);
  if (!st.ok()) return Status::Error(o.model + ": quantizing: " + st.message());
  qo.base3 = true;
  st = QuantizePackage(base3_pkg, qo, nullptr);
  if (!st.ok()) return Status::Error(o.model + ": quantizing (base-3): " + st.message());

  PerfReport report;
  const int64_t fp32_bytes = static_cast<int64_t>(format::SerializePackage(fp32_pkg).size());
  const int64_t ternary_bytes = static_cast<int64_t>(format::SerializePackage(ternary_pkg).size());
  const int64_t base3_bytes = static_cast<int64_t>(format::SerializePackage(base3_pkg).size());
  base3_pkg = format::Package();
  report.model = {{"name", o.model},
                  {"file", std::string(FindZooModel(o.model)->file)},
                  {"dataset", std::string(FindZooModel(o.model)->dataset)},
                  {"params", m.value().ParameterCount()},
                  {"ternary_params", m.value().TernaryParameterCount()},
                  {"fp32_package_bytes", fp32_bytes},
                  {"ternary_2bit_package_bytes", ternary_bytes},
                  {"ternary_base3_package_bytes", base3_bytes},
                  {"weight_seed", o.weight_seed},
                  {"input_seed", o.input_seed},
                  {"opt_level", 2}};
  report.machine = {{"cpu", Cpu().brand},
                    {"cpus_online", ::sysconf(_SC_NPROCESSORS_ONLN)},
                    {"load_average_1m", LoadAverage()},
                    {"isa", std::string(IsaName(o.isa))},
                    {"threads", o.threads},
                    {"date", Today()},
                    {"libtorch", bench::TorchDescription()}};

  Prepared p;
  {
    Result<Model> f = ModelFromPackage(std::move(fp32_pkg), o.model + " (fp32)");
    if (!f.ok()) return f.status();
    Result<Model> t = ModelFromPackage(std::move(ternary_pkg), o.model + " (ternary)");
    if (!t.ok()) return t.status();
    p.fp32 = std::move(f).value();
    p.ternary = std::move(t).value();
  }
  for (int64_t b : o.batches) {
    Result<std::vector<ir::HostTensor>> in = RandomInputs(p.fp32.module, b, o.input_seed);
    if (!in.ok()) return in.status();
    p.inputs[b] = std::move(in).value();
  }

  // Records in report order; memory first, in children, before this process runs any OpenMP
  // region (bench_memory.cc says why).
  for (int64_t b : o.batches) {
    for (const std::string& e : o.engines) {
      PerfRecord r;
      r.model = o.model;
      r.engine = e;
      r.batch = b;
      r.weights = e == "triton-ternary" ? "ternary" : "fp32";
      r.model_bytes = e == "triton-ternary" ? ternary_bytes : fp32_bytes;
      if (e == "libtorch-fp32" && !bench::TorchAvailable()) {
        r.available = false;
        r.error = bench::TorchDescription();
      }
      report.records.push_back(std::move(r));
    }
  }
  if (o.measure_memory) {
    for (PerfRecord& r : report.records) {
      if (!r.available) continue;
      say(fmt::format("{} batch {}: peak memory of {}", o.model, r.batch, r.engine));
      bench::PeakMemory pm = bench::MeasurePeakInChild(
          [&] {
            Result<std::unique_ptr<PerfEngine>> e = MakeEngine(r.engine, p, r.batch, o);
            return e;
          },
          600);
      if (pm.measured) {
        r.peak_bytes = pm.peak_bytes;
        r.load_peak_bytes = pm.load_peak_bytes;
        r.peak_method = "vmhwm";
      } else {
        say(fmt::format("  not measured ({}); using the engine's own count", pm.error));
      }
    }
  }

  for (int64_t b : o.batches) {
    const std::string what = fmt::format("{} batch {}", o.model, b);
    std::vector<Live> live;
    for (PerfRecord& r : report.records) {
      if (r.batch != b || !r.available) continue;
      say(fmt::format("{}: building {}", what, r.engine));
      Result<std::unique_ptr<PerfEngine>> e = MakeEngine(r.engine, p, b, o);
      if (!e.ok()) {
        r.available = false;
        r.error = e.status().message();
        say(fmt::format("{}: {} unavailable: {}", what, r.engine, r.error));
        continue;
      }
      r.weight_bytes = e.value()->weight_bytes();
      r.arena_bytes = e.value()->arena_bytes();
      if (r.peak_method.empty()) {
        r.peak_bytes = e.value()->own_bytes();
        r.peak_method = e.value()->own_bytes_method();
      }
      live.push_back(Live{&r, std::move(e).value(), {}, 0, false});
    }
    TimeEngines(live, o, what);
    // Agreement: triton-fp32 computes what libtorch-fp32 computes (same IR, weights, inputs).
    const Live* torch = nullptr;
    for (const Live& l : live) {
      if (l.record->engine == "libtorch-fp32" && l.record->available) torch = &l;
    }
    for (Live& l : live) {
      PerfRecord& r = *l.record;
      if (!r.available) continue;
      r.ms = Summarize(l.samples);
      r.throughput = r.ms.median > 0 ? static_cast<double>(b) * 1000 / r.ms.median : 0;
      if (torch && r.engine == "triton-fp32") {
        r.max_rel_diff = MaxRelDiff(l.engine->FirstOutput(), torch->engine->FirstOutput());
      }
      if (torch && r.engine == "triton-ternary") {
        // Against libtorch on the same ternary weights (dequantized), one untimed forward: the
        // difference is the int8 activation quantization, a few percent at most; far more
        // means the engine computes something else.
        Result<std::unique_ptr<PerfEngine>> ref =
            bench::MakeTorchEngine(p.ternary, p.inputs.at(b), o.threads);
        if (ref.ok()) {
          ref.value()->BeforeRun();
          if (ref.value()->Run().ok()) {
            r.max_rel_diff = MaxRelDiff(l.engine->FirstOutput(), ref.value()->FirstOutput());
          }
        }
      }
    }
  }
  return report;
}

}  // namespace triton::driver
