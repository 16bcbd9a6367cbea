#pragma once
// Rebuilds a module op by op with a value map: the common skeleton of passes that replace,
// drop or add ops. Inputs and parameters are copied first (all of them, in order: they are the
// model's interface); constants are copied when first used, so unused ones disappear.
#include <unordered_map>
#include <vector>

#include "triton/ir/builder.h"
#include "triton/ir/module.h"

namespace triton::ir::passes {

class Rewriter {
 public:
  explicit Rewriter(const Module& src);
  const Module& src() const { return src_; }
  Module& dst() { return dst_; }
  Builder& builder() { return b_; }

  // The new id of an old value (copying a constant on first use).
  ValueId Map(ValueId old);
  void Replace(ValueId old, ValueId now) { map_[static_cast<size_t>(old)] = now; }
  // Re-emits `op` (from src) with mapped operands; its result maps to the new value. The type
  // rule runs again only when a mapped operand's type differs from the original's.
  ValueId Keep(const Op& op);
  // Emits a new op; TRITON_CHECKs that it type-checks (passes only build well-typed ops).
  ValueId Emit(OpKind kind, std::vector<ValueId> operands, Attrs attrs, std::string scope);
  // Finishes: maps the outputs and returns the new module.
  Module Finish();

 private:
  const Module& src_;
  Module dst_;
  Builder b_;
  std::vector<ValueId> map_;
};

// True when every element of constant `v` equals `x`.
bool ConstAllEqual(const Module& m, ValueId v, double x);
const Constant* ConstOf(const Module& m, ValueId v);

}  // namespace triton::ir::passes
