// `triton bench report DIR --out OUTDIR [--check]`: the pages and plots of docs/benchmarks/ from
// the results files of DIR (report/report.h). --check writes nothing: it compares what it would
// write with OUTDIR and exits 1 listing the files that differ.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "triton/cli/bench_common.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/report/report.h"

namespace triton::cli {

namespace {

struct ReportArgs {
  std::string dir, out;
  bool check = false;
};

int Run(const ReportArgs& a) {
  Result<report::Results> r = report::LoadResults(a.dir);
  if (!r.ok()) return BenchFail(kUserError, r.status().message());
  const std::vector<report::OutputFile> files = report::BuildReport(r.value());
  if (a.check) {
    const report::ReportDiff d = report::CompareReport(files, a.out);
    if (d.empty()) {
      std::fprintf(stderr, "%s: up to date (%zu files)\n", a.out.c_str(), files.size());
      return kOk;
    }
    for (const std::string& f : d.differ)
      std::fprintf(stderr, "differs: %s/%s\n", a.out.c_str(), f.c_str());
    for (const std::string& f : d.missing)
      std::fprintf(stderr, "missing: %s/%s\n", a.out.c_str(), f.c_str());
    for (const std::string& f : d.stale) {
      std::fprintf(stderr, "not generated (stale?): %s/%s\n", a.out.c_str(), f.c_str());
    }
    std::fprintf(stderr, "regenerate with: triton bench report %s --out %s\n", a.dir.c_str(),
                 a.out.c_str());
    return kUserError;
  }
  Status st = report::WriteReport(files, a.out);
  if (!st.ok()) return BenchFail(kUserError, st.message());
  std::fprintf(stderr, "wrote %zu files to %s\n", files.size(), a.out.c_str());
  return kOk;
}

}  // namespace

void AddBenchReport(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ReportArgs>();
  auto* cmd = BenchApp(app)->add_subcommand(
      "report", "Write docs/benchmarks/ (Markdown pages and SVG plots) from a results directory");
  cmd->add_option("dir", a->dir, "the results directory (bench/results)")->required();
  cmd->add_option("--out", a->out, "the output directory (docs/benchmarks)")->required();
  cmd->add_flag("--check", a->check,
                "write nothing; exit 1 when a file of --out differs from what would be written");
  cmd->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace triton::cli
