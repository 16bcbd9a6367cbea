#include "triton/report/readme_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "triton/report/accuracy_page.h"
#include "triton/report/compile_page.h"
#include "triton/report/performance_page.h"

namespace triton::report {

namespace {

std::vector<std::string> Sources(const Results& r) {
  std::vector<std::string> s;
  for (const PerfRun& p : r.perf) s.push_back(p.file);
  if (r.kernels) s.push_back(r.kernels->file);
  if (r.zoo) s.push_back(r.zoo->file);
  if (r.accuracy) s.push_back(r.accuracy->file);
  if (r.compile) s.push_back(r.compile->file);
  return s;
}

std::string InFile(const std::string& f) { return Code(std::string(kResultsDir) + "/" + f); }

}  // namespace

OutputFile ReadmePage(const Results& r) {
  std::string o = "# Benchmarks\n\n" + GeneratedNote(Sources(r)) + "\n";
  o += "Every number in these pages comes from the results files in `bench/results/` (the "
       "method: spec/benchmarks.md); a test (`docs_benchmarks_up_to_date`) checks that the pages "
       "are what the command above makes of them. Ratios are measured in one run on one machine "
       "(the shared 2-core development VM): quote ratios, not absolute times.\n\n";
  Table pages({"page", "what it holds", "results files"}, "lll");
  std::string perf_files = r.perf.empty() ? kMissing : Code("perf_<model>.json");
  if (r.kernels) perf_files += ", " + Code(r.kernels->file);
  pages.Row({"[performance.md](performance.md)",
             "latency (median, p95, p99, CI), throughput and peak memory of libtorch FP32, Triton "
             "FP32 and Triton ternary per model and batch; speed-ups; package sizes; the ternary "
             "convolution kernels' MAC/cycle against the measured ceiling",
             perf_files});
  pages.Row({"[model_zoo.md](model_zoo.md)",
             "every zoo model: parameters, MACs, FP32 / 2-bit / base-3 package sizes and ratios, "
             "pretrained packages and the commands that make them",
             r.zoo ? Code(r.zoo->file) : kMissing});
  pages.Row({"[quantization_accuracy.md](quantization_accuracy.md)",
             "pretrained packages re-measured by the runtime; training runs per quantization "
             "method, FP32 against ternary with the gap; the accuracy targets",
             r.accuracy ? Code(r.accuracy->file) : kMissing});
  pages.Row({"[compilation_speed.md](compilation_speed.md)",
             "compile time per model and stage, per -O level and per pass; source to CPU plan; "
             "the compile cache's hits; whole processes; time per source line",
             r.compile ? Code(r.compile->file) : kMissing});
  o += pages.Render() + "\n";

  o += "## Where and when\n\n";
  Table w({"results", "machine", "date", "command"}, "llll");
  if (!r.perf.empty()) {
    std::vector<std::string> dates;
    for (const PerfRun& p : r.perf) dates.push_back(p.machine.date);
    std::sort(dates.begin(), dates.end());
    w.Row({Code("perf_<model>.json") +
               fmt::format(" ({} model{})", r.perf.size(), r.perf.size() == 1 ? "" : "s"),
           MachineText(r.perf.front().machine),
           dates.front() == dates.back() ? dates.front() : dates.front() + " to " + dates.back(),
           "`triton bench perf` per model (`bench/run_perf.sh`; each file's command is listed in "
           "performance.md)"});
  }
  if (r.kernels) {
    w.Row({InFile(r.kernels->file),
           (r.kernels->cpu.empty() ? std::string("unknown CPU") : r.kernels->cpu) +
               (r.kernels->cpus > 0 ? fmt::format(", {} CPUs", r.kernels->cpus) : std::string()),
           r.kernels->date, Code("bench/run_perf.sh") + " (`bench_tconv`)"});
  }
  if (r.zoo) {
    w.Row({InFile(r.zoo->file), r.zoo->machine ? MachineText(*r.zoo->machine) : kMissing,
           r.zoo->machine ? r.zoo->machine->date : kMissing,
           r.zoo->command.empty() ? Code("triton zoo list --json") : Code(r.zoo->command)});
  }
  if (r.accuracy) {
    w.Row({InFile(r.accuracy->file), MachineText(r.accuracy->machine), r.accuracy->machine.date,
           Code(r.accuracy->command)});
  }
  if (r.compile) {
    w.Row({InFile(r.compile->file), MachineText(r.compile->machine), r.compile->machine.date,
           Code(r.compile->command)});
  }
  o += w.Render() + "\n";

  o += "## Headline: the targets\n\n";
  Table h({"area", "target", "measured", ""}, "llll");
  for (const PerfRun& p : r.perf) {
    if (!IsTargetModel(p.model)) continue;
    for (int64_t b : p.Batches()) {
      const double sp = SpeedUp(p, "triton-ternary", b);
      if (!std::isfinite(sp)) continue;
      h.Row({"CPU inference", fmt::format("{} batch {}: ternary ≥ 3x libtorch FP32", p.model, b),
             Times(sp), Verdict(sp, kSpeedTarget, true)});
    }
  }
  for (const PerfRun& p : r.perf) {
    if (!IsTargetModel(p.model)) continue;
    for (int64_t b : p.Batches()) {
      const double mem = MemoryRatio(p, b);
      if (!std::isfinite(mem)) continue;
      h.Row({"memory in use",
             fmt::format("{} batch {}: peak memory ≥ 4x less than libtorch FP32", p.model, b),
             Times(mem), Verdict(mem, kMemoryTarget, true)});
    }
  }
  if (r.zoo) {
    // The largest whole-file ratios in the zoo (the target is for the ternary layers alone).
    const ZooModel* best = nullptr;
    for (const ZooModel& m : r.zoo->models) {
      if (!best ||
          static_cast<double>(m.fp32_bytes) / static_cast<double>(m.bytes_base3) >
              static_cast<double>(best->fp32_bytes) / static_cast<double>(best->bytes_base3)) {
        best = &m;
      }
    }
    if (best) {
      const double fp32 = static_cast<double>(best->fp32_bytes);
      h.Row({"model file size", "16x (2-bit) and ≥ 19x (base-3) for the ternary layers",
             fmt::format("whole file, best of the zoo ({}): 2-bit {}, base-3 {}", best->name,
                         Times(Div(fp32, static_cast<double>(best->bytes_2bit)), 1),
                         Times(Div(fp32, static_cast<double>(best->bytes_base3)), 1)),
             "ternary layers alone not measured"});
    }
  }
  for (const AccuracyTarget& t : AccuracyTargets(r.accuracy ? &*r.accuracy : nullptr)) {
    h.Row({"accuracy", t.target, t.measured, t.verdict});
  }
  for (const CompileTarget& t : CompileTargets(r.compile ? &*r.compile : nullptr)) {
    h.Row({"compile time", t.target, t.measured, t.verdict});
  }
  o += h.Render() + "\n";
  o += "Regenerate every page and plot:\n\n```sh\n" + std::string(kReportCommand) + "\n```\n";
  return {"README.md", o};
}

}  // namespace triton::report
