#pragma once
// Executes a Plan with the kernels registered for its steps (reference kernels for now).
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/eval.h"
#include "triton/runtime/plan.h"

namespace triton::runtime {

class Executor {
 public:
  // `params` follow Module::params of the plan's module (ternary ones as trits + scales);
  // `consts` follow Module::consts.
  static Result<Executor> Create(Plan plan, std::vector<ir::HostTensor> params,
                                 std::vector<ir::HostTensor> consts);
  // Inputs follow Module::inputs; a wrong shape or dtype is an error naming the input, the
  // expected and the actual shape.
  Result<std::vector<ir::HostTensor>> Run(const std::vector<ir::HostTensor>& inputs);
  const Plan& plan() const { return plan_; }

 private:
  Plan plan_;
  std::vector<ir::HostTensor> params_, consts_;
};

}  // namespace triton::runtime
