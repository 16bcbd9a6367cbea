#pragma once
// The optimized CPU engine: runs an ir::Module (normally -O2: fused ops) with the fast kernel
// families of triton/kernels/ (ternary int8 convolutions, FP32 BLAS convolutions, NHWC pooling),
// activations in NHWC inside one preallocated arena, weights repacked once at Create.
//
// What it computes: the module's meaning as the reference evaluator defines it, with one
// documented approximation when the plan quantizes activations (the default): the input of every
// convolution/linear layer with ternary weights is quantized per tensor to int8 exactly as the
// IR's quantize_int8 does (DESIGN.md §3), and the layer computes in int32 on those codes. Without,
// ternary layers run in FP32 on their dequantized weights. Batch-norm is folded into the weights
// (docs/compiler.md). Ops without a fast kernel run their reference kernel (NCHW). The plan
// (codegen::BuildCpuPlan) names each step's kernel; driver::PrepareCpu does both.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/ir/eval.h"
#include "triton/ir/module.h"
#include "triton/runtime/plan.h"

namespace triton::runtime::cpu {

struct EngineOptions {
  Isa isa = Isa::kReference;  // the level to run at (ActiveIsa() for the default); must match
                              // the level the plan was built for
  int threads = 1;
  bool profile = false;  // time every step of every Run (StepInfo::ms)
};

// Per step, for profiles: the kernel that ran and what it computed.
struct StepInfo {
  std::string kernel;  // "conv2d_t2_u8_f32_4x64__avx512vnni", "maxpool2d_f32_nhwc", ...
  std::string scope;   // layer path
  int64_t macs = 0;
  double ms = 0;     // with EngineOptions::profile: wall time summed over runs
  int64_t runs = 0;  // runs timed
};

class Engine {
 public:
  // Binds a plan made by codegen::BuildCpuPlan: every step's kernel must be one this engine
  // knows (errors name the step). `params` follow Module::params (FP32, or ternary as trits +
  // scales, as driver::Model holds them), `consts` Module::consts; weights are repacked here.
  static Result<std::unique_ptr<Engine>> Create(Plan plan, std::vector<ir::HostTensor> params,
                                                std::vector<ir::HostTensor> consts,
                                                const EngineOptions& options);
  virtual ~Engine() = default;

  // Inputs follow Module::inputs (NCHW as the IR declares them); a wrong shape or dtype is an
  // error naming the input. Outputs follow Module::outputs. One Run at a time per engine (the
  // arena and the steps' per-run state are the engine's); the kernels use options().threads.
  virtual Result<std::vector<ir::HostTensor>> Run(const std::vector<ir::HostTensor>& inputs) = 0;

  virtual int64_t weight_bytes() const = 0;  // packed weights + per-channel vectors held
  virtual int64_t arena_bytes() const = 0;   // activations + scratch, allocated once
  virtual const std::vector<StepInfo>& steps() const = 0;
  virtual void ResetProfile() = 0;  // StepInfo::ms and runs back to 0
  virtual const EngineOptions& options() const = 0;
};

}  // namespace triton::runtime::cpu
