#include "triton/runtime/kernels.h"

#include "triton/base/check.h"

namespace triton::runtime {

const KernelRegistry& KernelRegistry::Global() {
  static const KernelRegistry* registry = [] {
    auto* r = new KernelRegistry;
    RegisterReferenceKernels(*r);
    // Optimized kernel families register here, after the reference ones.
    return r;
  }();
  return *registry;
}

void KernelRegistry::Register(Kernel k) {
  TRITON_CHECK_MSG(k.fn != nullptr, k.name.c_str());
  TRITON_CHECK_MSG(Find(k.name) == nullptr, ("duplicate kernel name " + k.name).c_str());
  kernels_.push_back(std::move(k));
}

const Kernel* KernelRegistry::Find(std::string_view name) const {
  for (const Kernel& k : kernels_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::vector<const Kernel*> KernelRegistry::ForOp(ir::OpKind op) const {
  std::vector<const Kernel*> out;
  for (const Kernel& k : kernels_) {
    if (k.op == op) out.push_back(&k);
  }
  return out;
}

std::string ReferenceKernelName(ir::OpKind op) {
  return std::string(ir::OpMnemonic(op)) + "__reference";
}

}  // namespace triton::runtime
