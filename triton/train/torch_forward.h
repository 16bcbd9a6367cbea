#pragma once
// A whole ir::Module run with libtorch (torch_ops.h lowers each op): the FP32 baseline of
// `triton bench perf` and the reference the zoo tests compare the runtime with.
//
// Bind once, run many times: TorchModule converts the params and constants to torch tensors at
// Create; Forward only converts nothing but its inputs (or takes torch tensors directly) and runs
// the ops in module order under c10::InferenceMode (no autograd bookkeeping). Each intermediate
// value is released after its last use, so the peak memory of a forward is that of eager
// PyTorch's, not the sum of every activation.
#include <torch/torch.h>

#include <vector>

#include "triton/base/status.h"
#include "triton/ir/eval.h"
#include "triton/ir/module.h"

namespace triton::torch_ops {

class TorchModule {
 public:
  // `params` follow Module::params (trit params as code x scale, the torch_ops representation);
  // their shapes must match the IR's. The module is copied.
  static Result<TorchModule> Create(const ir::Module& m, const std::vector<ir::HostTensor>& params);
  // The same with params already converted (shared, not copied).
  static Result<TorchModule> Create(const ir::Module& m, std::vector<torch::Tensor> params);

  // Inputs follow Module::inputs. A libtorch error (a wrong input shape, an op's type rule)
  // becomes an error Status with libtorch's message's first line.
  Result<std::vector<torch::Tensor>> Forward(const std::vector<torch::Tensor>& inputs) const;
  Result<std::vector<torch::Tensor>> Forward(const std::vector<ir::HostTensor>& inputs) const;

  const ir::Module& module() const { return module_; }
  // Bytes of the params and constants held (the weights of this engine).
  int64_t weight_bytes() const;

 private:
  ir::Module module_;
  std::vector<torch::Tensor> bound_;  // per ValueId: params and constants, else undefined
  std::vector<std::vector<size_t>> release_after_;  // per op: values whose last use it is
};

// One-shot convenience (tests): binds `params` and runs `inputs`; throws c10::Error on failure.
std::vector<torch::Tensor> TorchForward(const ir::Module& m,
                                        const std::vector<ir::HostTensor>& inputs,
                                        const std::vector<torch::Tensor>& params);

}  // namespace triton::torch_ops
