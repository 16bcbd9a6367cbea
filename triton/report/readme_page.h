#pragma once
// README.md of docs/benchmarks/: what each page holds, where and when every results file was
// measured and by which command, and the headline table (each target of spec/benchmarks.md with
// its measured value and met / missed), from whatever results are present.
#include "triton/report/format.h"
#include "triton/report/results.h"

namespace triton::report {

OutputFile ReadmePage(const Results& r);

}  // namespace triton::report
