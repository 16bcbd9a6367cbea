#pragma once
// The per-layer summary of a compiled model (`--emit=summary`): one row per op with its layer
// path, output shape, the parameters it reads, whether any is ternary, and its MACs per sample.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "triton/ir/module.h"

namespace triton::driver {

struct LayerRow {
  std::string name;  // the op's layer path ("layer1.0.conv1"), or "%N" for top-level ops
  std::string op;
  std::string output_shape;
  int64_t parameters = 0;  // trainable parameter elements this op reads (each counted once)
  bool ternary = false;
  int64_t macs = 0;
};

std::vector<LayerRow> SummaryRows(const ir::Module& m);
std::string SummaryText(const ir::Module& m);
nlohmann::json SummaryJson(const ir::Module& m);

}  // namespace triton::driver
