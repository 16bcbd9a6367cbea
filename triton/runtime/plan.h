#pragma once
// A Plan is data (DESIGN.md §1): the ordered kernel invocations of one model at one batch size,
// with the buffers they read and write. The runtime only executes plans. Until the middle end
// exists, LowerDirect makes one step per IR op and one buffer per value.
#include <cstdint>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::runtime {

struct PlanBuffer {
  enum Kind : uint8_t { kInput, kParam, kConst, kTemp } kind = kTemp;
  int32_t index = -1;   // kInput: Module::inputs index; kParam: Module::params; kConst: consts
  ir::TensorType type;  // concrete (static) type at the plan's batch size
  std::string name;     // value name without "%": "x", "fc1.weight", "c0" (const 0), "3" (op 3)
  int64_t bytes() const;
};

struct PlanStep {
  ir::OpKind op;
  std::string kernel;           // registered kernel name, e.g. "conv2d__reference"
  std::vector<int32_t> inputs;  // buffer indices
  int32_t output = -1;
  ir::Attrs attrs;
  std::string scope;  // the layer path, for profiles
};

struct Plan {
  std::string model;
  int64_t batch = 1;
  std::vector<PlanBuffer> buffers;
  std::vector<PlanStep> steps;
  std::vector<int32_t> outputs;
  int64_t ActivationBytes() const;  // sum of kTemp buffer bytes (no reuse yet)
};

// One step per op, one buffer per value; every symbolic or unknown dimension of the inputs is
// bound from `input_types` (concrete). Errors name the input and the dimension.
Result<Plan> LowerDirect(const ir::Module& m, const std::vector<ir::TensorType>& input_types);
// Binds the batch dimension (dim 0 of each input) to `batch`; other dims must be static.
Result<Plan> LowerDirect(const ir::Module& m, int64_t batch);

std::string PrintPlan(const Plan& p);  // one line per buffer and per step; golden-testable

}  // namespace triton::runtime
