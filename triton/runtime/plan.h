#pragma once
// A Plan is data (DESIGN.md §1): the ordered kernel invocations of one model at one batch size,
// with the buffers they read and write. The runtime only executes plans. codegen::BuildPlan
// (triton/codegen/) makes the plans the runtime runs: kernels chosen from the registry and temp
// buffers packed into one activation arena by its memory planner. LowerDirect is the baseline it
// starts from: one step per IR op, one buffer per value, temps laid end to end (no reuse).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::runtime {

struct PlanBuffer {
  enum Kind : uint8_t { kInput, kParam, kConst, kTemp } kind = kTemp;
  int32_t index = -1;   // kInput: Module::inputs index; kParam: Module::params; kConst: consts
  ir::TensorType type;  // concrete (static) type at the plan's batch size
  std::string name;     // value name without "%": "x", "fc1.weight", "c0" (const 0), "3" (op 3)
  // kTemp: byte offset into the plan's activation arena, a multiple of kArenaAlignment; two
  // temps whose lifetimes intersect never overlap, except an in-place step's output and the
  // input it overwrites (see PlanStep::in_place). -1 for the other kinds.
  int64_t offset = -1;
  // Memory layout of a rank-4 [N, C, H, W] temp: false = as typed (NCHW), true = NHWC (channels
  // innermost, what the fast CPU kernels read and write). Set by codegen's layout assignment;
  // `reorder` steps convert between the two.
  bool nhwc = false;
  int64_t bytes() const;
};

struct PlanStep {
  ir::OpKind op;
  std::string kernel;           // registered kernel name, e.g. "conv2d__reference"
  std::vector<int32_t> inputs;  // buffer indices
  int32_t output = -1;
  ir::Attrs attrs;
  std::string scope;  // the layer path, for profiles
  // >= 0: the output is written over inputs[in_place], a temp whose last use is this step and
  // that has the output's offset and byte size (elementwise and unary ops only: their kernels
  // must allow `out` to alias that input). -1: the output has its own bytes.
  int32_t in_place = -1;
};

struct Plan {
  std::string model;
  int64_t batch = 1;
  std::vector<PlanBuffer> buffers;
  std::vector<PlanStep> steps;
  std::vector<int32_t> outputs;
  int64_t arena_bytes = 0;              // size of the activation arena holding every temp (peak)
  int64_t ActivationBytes() const;      // sum of kTemp buffer bytes: the footprint without reuse
  int64_t ArenaBytesPerSample() const;  // arena_bytes / batch, rounded up
};

inline constexpr int64_t kArenaAlignment = 64;  // bytes; every temp offset is a multiple

// Per buffer, the steps between which it must hold its value: [first, last] with first the step
// that writes it and last the last step that reads it (plan.steps.size() for plan outputs, which
// live to the end; first for a temp nobody reads). {-1, -1} for non-temps.
std::vector<std::pair<int32_t, int32_t>> TempLifetimes(const Plan& p);

// Checks the arena layout: every temp is aligned, inside arena_bytes, and overlaps no temp whose
// lifetime intersects its own -- except through a valid in-place step. Errors name both buffers.
Status CheckArena(const Plan& p);

// One step per op (reference kernels), one buffer per value, temps at consecutive aligned offsets
// (arena_bytes = their aligned sum); every symbolic or unknown dimension of the inputs is
// bound from `input_types` (concrete). Errors name the input and the dimension.
Result<Plan> LowerDirect(const ir::Module& m, const std::vector<ir::TensorType>& input_types);
// Binds the batch dimension (dim 0 of each input) to `batch`; other dims must be static.
Result<Plan> LowerDirect(const ir::Module& m, int64_t batch);

// One line per buffer (temps with offset and size) and per step (in-place steps marked), and a
// header with the arena size, its share per sample and the no-reuse sum; golden-testable.
std::string PrintPlan(const Plan& p);

}  // namespace triton::runtime
