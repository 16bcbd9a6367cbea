#pragma once
// The fused inference ops fused_conv2d and fused_linear (ops.def states their meaning; passes
// fold-batchnorm and fuse-epilogue make them; docs/compiler.md states the contract with the
// runtime). This header decodes their operand list and activation, shared by the type rule
// (fused.cc), the reference evaluator (eval_fused.cc), the passes and the lowerings.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "triton/ir/ops.h"

namespace triton::ir {

// True for fused_conv2d and fused_linear.
bool IsFusedDense(OpKind k);
// The plain op a fused op runs first: conv2d for fused_conv2d, linear for fused_linear.
OpKind FusedBaseOp(OpKind fused);
// The fused op of a plain conv2d / linear.
OpKind FusedOpOf(OpKind base);

// Where each optional operand group sits in a fused op's operand list, from its flag attributes
// (absent flags are false). Indices are -1 for absent groups; operand_count is 2 + has_bias +
// 4 * has_bn + has_residual.
struct FusedLayout {
  int bias = -1;      // [C]
  int bn = -1;        // first of gamma, beta, mean, var, each [C]
  int residual = -1;  // the result's type
  int operand_count = 2;
  double eps = 1e-5;
  std::string activation = "none";
};
FusedLayout GetFusedLayout(const Attrs& a);

// The flag and value attributes of a fused op, decoded. The pass matchers build candidates as
// parts and check them with FusedType without spelling them as attributes first.
struct FusedParts {
  bool has_bias = false, has_bn = false, has_residual = false;
  double eps = 1e-5;
  std::string_view activation = "none";
};
// Decodes `a` without copying: activation views a's string (or a static "none"), so the parts
// live as long as `a`. GetFusedLayout is this plus the operand positions.
FusedParts GetFusedParts(const Attrs& a);
// The operand positions of decoded parts (activation copied into the layout).
FusedLayout FusedLayoutOf(const FusedParts& p);
// What a caller of FusedType already knows of the result: the type after the dense step
// (kDense), or after the dense step and the batch-norm, if any (kNorm). The pass matchers know it
// from the op a candidate grows from, and skip re-running those steps' rules for each candidate.
struct FusedKnown {
  enum Through { kNothing, kDense, kNorm } through = kNothing;
  const TensorType* type = nullptr;
};
// The fused op's type rule (what InferType runs for fused_conv2d / fused_linear) on decoded
// parts; `dense_attrs` are the conv2d attributes (stride, padding, dilation, groups) or none.
// With `known`, the steps it covers are taken from it instead of checked again.
TypeOrError FusedType(OpKind fused, std::span<const TensorType> operands, const Attrs& dense_attrs,
                      const FusedParts& parts, FusedKnown known = {});

// The unary op an activation name means ("relu" -> relu, ...), nullopt for "none" and unknown
// names. IsFusedActivation accepts exactly the names the fused ops accept, "none" included.
std::optional<OpKind> FusedActivationOp(std::string_view name);
bool IsFusedActivation(std::string_view name);
// The activation name of a unary op (a static string), or nullopt if the fused ops cannot absorb
// it.
std::optional<std::string_view> FusedActivationName(OpKind unary);

}  // namespace triton::ir
