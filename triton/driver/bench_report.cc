// The JSON records and the text table of `triton bench perf` (bench_perf.h).
#include <fmt/format.h>

#include <map>

#include "triton/driver/bench_perf.h"

namespace triton::driver {

nlohmann::json PerfRecordJson(const PerfRecord& r, const PerfReport& report) {
  nlohmann::json j = {
      {"model", r.model},
      {"batch", r.batch},
      {"engine", r.engine},
      {"available", r.available},
      {"isa", r.engine == "libtorch-fp32" ? "libtorch" : report.machine.value("isa", "")},
      {"threads", report.machine.value("threads", 0)},
      {"weights", r.weights},
      {"model_bytes", r.model_bytes}};
  if (!r.available) {
    j["error"] = r.error;
    return j;
  }
  j.update({{"median_ms", r.ms.median},
            {"mean_ms", r.ms.mean},
            {"p95_ms", r.ms.p95},
            {"p99_ms", r.ms.p99},
            {"ci95_ms", r.ms.ci95},
            {"min_ms", r.ms.min},
            {"max_ms", r.ms.max},
            {"stddev_ms", r.ms.stddev},
            {"runs", r.ms.runs},
            {"warmup_runs", r.warmup_runs},
            {"throughput", r.throughput},
            {"peak_bytes", r.peak_bytes},
            {"peak_method", r.peak_method}});
  if (r.load_peak_bytes >= 0) j["load_peak_bytes"] = r.load_peak_bytes;
  if (r.weight_bytes >= 0) j["engine_weight_bytes"] = r.weight_bytes;
  if (r.arena_bytes >= 0) j["engine_arena_bytes"] = r.arena_bytes;
  if (r.max_rel_diff >= 0) j["max_rel_diff_vs_libtorch"] = r.max_rel_diff;
  return j;
}

nlohmann::json PerfReportJson(const PerfReport& report) {
  nlohmann::json records = nlohmann::json::array();
  for (const PerfRecord& r : report.records) records.push_back(PerfRecordJson(r, report));
  return {{"machine", report.machine}, {"model", report.model}, {"records", records}};
}

std::string PerfReportText(const PerfReport& report) {
  const nlohmann::json& mc = report.machine;
  const nlohmann::json& md = report.model;
  const int threads = mc.value("threads", 0);
  std::string s = fmt::format("triton bench perf: {}, {} thread{}, ISA {}, {}\n{}\n",
                              mc.value("cpu", std::string("unknown CPU")), threads,
                              threads == 1 ? "" : "s", mc.value("isa", std::string("?")),
                              mc.value("date", std::string()), mc.value("libtorch", std::string()));
  s += fmt::format(
      "model {} ({} params, {} ternary): package {:.2f} MB FP32, {:.2f} MB 2-bit, "
      "{:.2f} MB base-3\n",
      md.value("name", std::string()), md.value("params", int64_t{0}),
      md.value("ternary_params", int64_t{0}), md.value("fp32_package_bytes", int64_t{0}) / 1e6,
      md.value("ternary_2bit_package_bytes", int64_t{0}) / 1e6,
      md.value("ternary_base3_package_bytes", int64_t{0}) / 1e6);
  s += "speed-up = libtorch-fp32 median / this engine's median, measured in this run\n";
  const double load = mc.value("load_average_1m", -1.0);
  const int64_t cpus = mc.value("cpus_online", int64_t{0});
  if (cpus > 0 && load > 0.5 * static_cast<double>(cpus)) {
    s += fmt::format(
        "note: load average {:.2f} on {} CPUs at the start: other work shares the "
        "cores, times are noisy\n",
        load, cpus);
  }
  s += "\n";
  s += fmt::format("{:>5}  {:<15} {:>10} {:>10} {:>10} {:>12} {:>10} {:>8} {:>6}\n", "batch",
                   "engine", "median ms", "p95 ms", "p99 ms", "samples/s", "peak MB", "speed-up",
                   "runs");
  std::map<int64_t, double> torch_median;
  for (const PerfRecord& r : report.records) {
    if (r.engine == "libtorch-fp32" && r.available) torch_median[r.batch] = r.ms.median;
  }
  for (const PerfRecord& r : report.records) {
    if (!r.available) {
      s += fmt::format("{:>5}  {:<15} unavailable: {}\n", r.batch, r.engine, r.error);
      continue;
    }
    std::string speedup = "-";
    if (r.engine != "libtorch-fp32" && torch_median.count(r.batch) && r.ms.median > 0) {
      speedup = fmt::format("{:.2f}x", torch_median[r.batch] / r.ms.median);
    }
    const std::string peak =
        fmt::format("{:.1f}{}", r.peak_bytes / 1e6, r.peak_method == "vmhwm" ? "" : "*");
    s += fmt::format("{:>5}  {:<15} {:>10.3f} {:>10.3f} {:>10.3f} {:>12.1f} {:>10} {:>8} {:>6}\n",
                     r.batch, r.engine, r.ms.median, r.ms.p95, r.ms.p99, r.throughput, peak,
                     speedup, r.ms.runs);
  }
  bool starred = false;
  for (const PerfRecord& r : report.records) starred |= r.available && r.peak_method != "vmhwm";
  s += "\npeak MB: resident memory of weights + activations (VmHWM in a child process)";
  s += starred ? "; * = the engine's own byte count (not measured)\n" : "\n";
  return s;
}

}  // namespace triton::driver
