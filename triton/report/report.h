#pragma once
// `triton bench report`: results directory -> docs/benchmarks/. BuildReport renders every page
// (README.md, performance.md, model_zoo.md, quantization_accuracy.md, compilation_speed.md) and
// their SVG plots from Results (results.h). Contract: the output is a pure function of the
// results (byte-identical for the same files, whatever the machine, the time or the directory
// the report runs in); a page whose results file is absent still appears and says which command
// produces it.
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/report/format.h"
#include "triton/report/results.h"

namespace triton::report {

// README.md first, then each page followed by its plots; names are unique.
std::vector<OutputFile> BuildReport(const Results& r);

// Writes the files into `dir` (created when missing). Errors name the file.
Status WriteReport(const std::vector<OutputFile>& files, const std::string& dir);

// The names of `files` whose bytes differ from those in `dir` (or that are missing there), and
// the generated-looking files of `dir` (*.md, *.svg) that `files` does not hold ("stale").
struct ReportDiff {
  std::vector<std::string> differ, missing, stale;
  bool empty() const { return differ.empty() && missing.empty() && stale.empty(); }
};
ReportDiff CompareReport(const std::vector<OutputFile>& files, const std::string& dir);

}  // namespace triton::report
