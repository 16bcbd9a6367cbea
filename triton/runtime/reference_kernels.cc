// The reference kernels: one per op, each the reference evaluator's definition of the op
// (ir::EvalOp). They are the ground truth for every optimized kernel of the same op.
#include "triton/runtime/kernels.h"

namespace triton::runtime {
namespace {

Status EvalKernel(const ir::Op& op, const std::vector<const ir::HostTensor*>& inputs,
                  ir::HostTensor* out) {
  Result<ir::HostTensor> r = ir::EvalOp(op, inputs);
  if (!r.ok()) return r.status();
  *out = std::move(r).value();
  return Status();
}

}  // namespace

void RegisterReferenceKernels(KernelRegistry& r) {
  for (ir::OpKind op : ir::AllOps()) {
    r.Register(Kernel{ReferenceKernelName(op), op, "reference", &EvalKernel});
  }
}

}  // namespace triton::runtime
