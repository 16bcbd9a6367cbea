#pragma once
// model_zoo.md: every zoo model with its parameters, MACs, measured package sizes (FP32, 2-bit,
// base-3, ratios) and pretrained packages (accuracy recorded at export and, when accuracy.json is
// there, re-measured), from zoo.json (`triton zoo list --json`). Also writes sizes.svg.
#include <vector>

#include "triton/report/format.h"
#include "triton/report/results.h"

namespace triton::report {

std::vector<OutputFile> ZooPage(const Results& r);

}  // namespace triton::report
