#pragma once
// The CPU engine's steps: one object per plan step, built once at Engine::Create (weights
// repacked, attributes decoded) and run many times. Internal to runtime/cpu.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/ir/eval.h"
#include "triton/runtime/plan.h"

namespace triton::runtime::cpu {

// Where every buffer of the plan lives during one run. f32 temps live in the arena (at their
// plan offsets, in their plan layout); other temps (int, bool, trit results of reference
// kernels) are HostTensors of their own; inputs, params and constants are the caller's /
// engine's HostTensors.
class RunState {
 public:
  const Plan* plan = nullptr;
  uint8_t* arena = nullptr;
  uint8_t* scratch = nullptr;                   // shared by all steps (they run one at a time)
  std::vector<const ir::HostTensor*> host;      // per buffer: inputs, params, consts
  std::vector<ir::HostTensor>* side = nullptr;  // per buffer: non-f32 temps
  int threads = 1;
  Isa isa = Isa::kReference;

  bool InArena(int32_t b) const;
  // f32 data of buffer b (arena temps, or the HostTensor's data).
  float* F(int32_t b) const;
  const PlanBuffer& buffer(int32_t b) const { return plan->buffers[static_cast<size_t>(b)]; }
};

class Step {
 public:
  virtual ~Step() = default;
  virtual Status Run(RunState& st) = 0;
  std::string kernel;  // what ran (may be more specific than the plan's name)
  int64_t macs = 0;
  int64_t weight_bytes = 0;   // packed weights and per-channel vectors this step holds
  int64_t scratch_bytes = 0;  // of RunState::scratch this step needs
  // Buffers Run reads; nullopt = every input of the plan step. Steps that repacked their
  // weights at build time list only their activations, so the engine can drop the params no
  // step reads at run time (a ternary model's trits as floats would otherwise stay resident).
  std::optional<std::vector<int32_t>> reads;
};

// What a factory gets: the step, its index, the plan, and the param / const tensors.
struct BuildArgs {
  const Plan& plan;
  const PlanStep& step;
  size_t index;
  const std::vector<ir::HostTensor>& params;
  const std::vector<ir::HostTensor>& consts;
  Isa isa;
  int threads;
  // The HostTensor of input i when it is a param or constant, else nullptr.
  const ir::HostTensor* Weight(size_t i) const;
  const PlanBuffer& In(size_t i) const;
  const PlanBuffer& Out() const;
  // "step 3 (conv2d_t2_u8_f32__avx512vnni @layer1.0.conv1)", for messages.
  std::string Label() const;
};

using StepFactory = Result<std::unique_ptr<Step>> (*)(const BuildArgs& a);

// The factory for a plan kernel name, nullptr when the engine has none. Families match by
// prefix ("conv2d_t2_u8_f32__avx512vnni" -> the ternary convolution factory).
StepFactory FindFactory(std::string_view kernel);

// Factories, by file.
Result<std::unique_ptr<Step>> MakeReferenceStep(const BuildArgs& a);  // basic_steps.cc
Result<std::unique_ptr<Step>> MakeReorderStep(const BuildArgs& a);
Result<std::unique_ptr<Step>> MakeFlattenStep(const BuildArgs& a);
Result<std::unique_ptr<Step>> MakeEltwiseStep(const BuildArgs& a);       // relu_f32, add_f32
Result<std::unique_ptr<Step>> MakeTernaryDenseStep(const BuildArgs& a);  // dense_steps.cc
Result<std::unique_ptr<Step>> MakeFloatDenseStep(const BuildArgs& a);
Result<std::unique_ptr<Step>> MakePoolStep(const BuildArgs& a);  // pool_steps.cc

// Copies an f32 buffer's value into a NCHW HostTensor (reference kernels' form).
ir::HostTensor ToHost(const RunState& st, int32_t b);

}  // namespace triton::runtime::cpu
