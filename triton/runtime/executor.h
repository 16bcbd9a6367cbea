#pragma once
// Executes a Plan with the kernels registered for its steps (reference kernels for now).
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/eval.h"
#include "triton/runtime/kernels.h"
#include "triton/runtime/plan.h"

namespace triton::runtime {

class Executor {
 public:
  // `params` follow Module::params of the plan's module (ternary ones as trits + scales);
  // `consts` follow Module::consts. Each must match its plan buffer's dtype and shape and be
  // well formed (ir::ValidateHostTensor), every step's kernel must be registered and the plan's
  // arena layout valid (CheckArena); errors name the tensor, the kernel or the buffers. Temps are
  // HostTensors of their own (the kernels' interface), not views into the arena.
  static Result<Executor> Create(Plan plan, std::vector<ir::HostTensor> params,
                                 std::vector<ir::HostTensor> consts);
  // Inputs follow Module::inputs; a wrong shape or dtype is an error naming the input, the
  // expected and the actual shape: "input 'x' must be f32[1, 3, 224, 224], got f32[1, 3, 32,
  // 32]". Outputs follow the plan's outputs. A temporary buffer is released after its last use.
  Result<std::vector<ir::HostTensor>> Run(const std::vector<ir::HostTensor>& inputs);
  const Plan& plan() const { return plan_; }

 private:
  Plan plan_;
  std::vector<ir::HostTensor> params_, consts_;
  std::vector<KernelFn> kernels_;  // per step
  std::vector<ir::Op> ops_;        // per step: kind and attrs for the kernel
  std::vector<int32_t> last_use_;  // per buffer: the last step reading it (-1: none)
};

// The HostTensors of the module's constants (Module::consts order), at their types in `plan`.
Result<std::vector<ir::HostTensor>> ConstantTensors(const ir::Module& m, const Plan& plan);

// Checks the params (Module::params order) and constants (Module::consts order) given for `plan`:
// their counts, and each against its buffer's type (CheckTensor); errors name the tensor.
Status CheckPlanTensors(const Plan& plan, const std::vector<ir::HostTensor>& params,
                        const std::vector<ir::HostTensor>& consts);

// Checks that `t` has exactly type `want` (static: dtype and shape) and is well formed
// (ir::ValidateHostTensor). `what` names it in the message ("input 'x'", "param 'fc.weight'").
Status CheckTensor(const std::string& what, const ir::TensorType& want, const ir::HostTensor& t);

}  // namespace triton::runtime
