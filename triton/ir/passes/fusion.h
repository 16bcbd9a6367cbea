#pragma once
// Shared by fold-batchnorm and fuse-epilogue: a dense op (conv2d, linear or one of their fused
// forms) with the epilogue it has absorbed so far, use counts, and the emission of the fused op.
// The passes match on the source module, check every candidate with the type rule (a candidate
// must have exactly the type of the value it replaces), and emit the fused op at the position of
// the dense op it grows from, so every operand it reads must be defined before that op.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triton/ir/fused.h"
#include "triton/ir/module.h"
#include "triton/ir/passes/rewriter.h"

namespace triton::ir::passes {

struct FusedSpec {
  OpKind base = OpKind::kConv2d;  // conv2d or linear
  ValueId x = kNoValue, w = kNoValue;
  ValueId bias = kNoValue;    // a value of the source module
  bool bias_reshape = false;  // bias is [C, 1, 1] / [1, C, 1, 1] / [1, C]: reshape to [C]
  std::array<ValueId, 4> bn = {kNoValue, kNoValue, kNoValue, kNoValue};  // gamma beta mean var
  double eps = 1e-5;
  ValueId residual = kNoValue;
  // A static name or a view of the source op's attribute; with dense_attrs below it makes a
  // spec cheap to copy (the matchers copy one per candidate step).
  std::string_view activation = "none";
  // The attributes of the dense op the spec grows from (a view into the source module, which
  // outlives the spec): a conv2d's stride, padding, dilation and groups are read from them; any
  // other attribute there is ignored. Null for linear.
  const Attrs* dense_attrs = nullptr;
  // A value of the source module whose type is the spec's type after its dense step (kDense) or
  // after its dense step and batch-norm (kNorm): the result of the op it grows from, while the
  // steps added since come after those (SpecType then checks only the added steps). kNothing once
  // a step changes them (a bias).
  ValueId known = kNoValue;
  FusedKnown::Through known_through = FusedKnown::kNothing;

  bool has_bias() const { return bias != kNoValue; }
  bool has_bn() const { return bn[0] != kNoValue; }
  bool has_residual() const { return residual != kNoValue; }
  bool has_activation() const { return activation != "none"; }
  // *dense_attrs, or an empty list (linear).
  const Attrs& dense_attrs_or_none() const;
  OpKind fused_kind() const;
  Attrs MakeAttrs() const;
};

// The spec of a conv2d, linear, fused_conv2d or fused_linear op; nullopt for other ops.
std::optional<FusedSpec> SpecOf(const Op& op);

// The fused op's type for `spec` over the source module's types (bias taken as [C] when
// reshaped); nullopt when the type rule rejects it.
std::optional<TensorType> SpecType(const Module& m, const FusedSpec& spec);

// Emits the fused op of `spec` into rw's module (operands mapped; a reshaped bias becomes a [C]
// constant when it is one, else a reshape op) and returns its result. `type` is its type, which
// the matcher has already checked with SpecType (the type rule is not run a second time).
ValueId EmitFused(Rewriter& rw, const FusedSpec& spec, const std::string& scope,
                  const TensorType& type);

// Rebuilds `m` with each op i that has fused[i] replaced by that fused op, which takes over the
// result of op last[i] (the final op it absorbs); ops marked absorbed are dropped.
void ApplyFusions(Module& m, const std::vector<std::optional<FusedSpec>>& fused,
                  const std::vector<int>& last, const std::vector<bool>& absorbed);

// Use counts (operand occurrences plus occurrences among the outputs) and, for values used
// exactly once by an op, that op's index.
struct Uses {
  explicit Uses(const Module& m);
  int count(ValueId v) const { return count_[static_cast<size_t>(v)]; }
  // The index of the only op using v, or -1 (no use, several uses, or v is an output).
  int sole_user(ValueId v) const;

 private:
  std::vector<int> count_;
  std::vector<int> user_;
  std::vector<bool> output_;
};

// True when v is available before op index `pos`: an input, param or constant, or the result of
// an op earlier than `pos`.
bool DefinedBefore(const Module& m, ValueId v, size_t pos);

}  // namespace triton::ir::passes
