#pragma once
// The kernel registry: a name -> function table shared by every backend. Plans name their
// kernels (PlanStep::kernel); the executor resolves the names here once, at Executor::Create.
// Names follow DESIGN.md §3: `<op>_<wtype>_<atype>_<otype>_<tile>__<isa>`; the reference kernels
// are `<mnemonic>__reference` ("conv2d__reference"), one per op of ops.def, and define the
// results every other kernel of the same op must reproduce. Later kernel families (avx2,
// avx512vnni) register into the same table from RegisterBuiltinKernels (kernels.cc).
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/eval.h"
#include "triton/ir/module.h"

namespace triton::runtime {

// Computes one plan step. `op` carries the step's kind and attributes (its operand and result
// ids are buffer indices, not module values); `inputs` are the step's input buffers in operand
// order, never null. On success *out holds the result, whose dtype and shape must equal the
// step's output buffer type (the executor checks); an error Status is a user-facing failure
// (e.g. a value the op cannot take), never a crash.
using KernelFn = Status (*)(const ir::Op& op, const std::vector<const ir::HostTensor*>& inputs,
                            ir::HostTensor* out);

struct Kernel {
  std::string name;  // unique: "linear__reference"
  ir::OpKind op;
  std::string isa;  // "reference", "avx2", "avx512vnni", ...
  KernelFn fn = nullptr;
};

class KernelRegistry {
 public:
  // The process-wide registry, with every built-in kernel registered on first use (thread-safe).
  static const KernelRegistry& Global();

  // Adds a kernel; a duplicate name is a TRITON_CHECK failure (a bug in the registration code).
  void Register(Kernel k);
  const Kernel* Find(std::string_view name) const;        // nullptr when unknown
  std::vector<const Kernel*> ForOp(ir::OpKind op) const;  // in registration order
  const std::vector<Kernel>& all() const { return kernels_; }

 private:
  std::vector<Kernel> kernels_;
};

// "conv2d__reference": the reference kernel of `op`, registered for every op.
std::string ReferenceKernelName(ir::OpKind op);

// Registers the reference kernels (one per op; each calls ir::EvalOp). Called by Global().
void RegisterReferenceKernels(KernelRegistry& r);

}  // namespace triton::runtime
