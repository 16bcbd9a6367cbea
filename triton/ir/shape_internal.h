#pragma once
// Internal to the shape rules (shape.cc, shape_ops.cc, shape_checks.cc): attribute readers and
// operand checks that build ShapeErrors with complete lower-case messages. Not a public header.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "triton/ir/ops.h"

namespace triton::ir::shape_internal {

// A view of the operand types: callers pass a vector, or part of one, without copying it.
using Operands = std::span<const TensorType>;
using MaybeError = std::optional<ShapeError>;
using Code = ShapeErrorCode;

// Returns the error of `expr` (a MaybeError) from the enclosing rule, if there is one.
#define TRITON_SHAPE_TRY(expr)        \
  do {                                \
    if (auto e_ = (expr)) return *e_; \
  } while (0)

ShapeError Err(Code code, int operand, std::string message);
std::string Lang(const TensorType& t);              // ToLangString
std::string DimList(const std::vector<Dim>& dims);  // "[N, 64]"
std::string IntList(std::span<const int64_t> v);    // "[1, 2]"

// Attribute readers: *out gets the default when the attribute is absent (an error instead when
// `required`), and a kAttr error is returned when it is present with the wrong type or length.
MaybeError ReadInt(OpKind k, const Attrs& a, std::string_view name, int64_t dflt, int64_t* out,
                   bool required = false);
MaybeError ReadFloat(OpKind k, const Attrs& a, std::string_view name, double dflt, double* out);
MaybeError ReadBool(OpKind k, const Attrs& a, std::string_view name, bool dflt, bool* out);
MaybeError ReadString(OpKind k, const Attrs& a, std::string_view name, std::string dflt,
                      std::string* out, bool required = false);
// count == 0: any length. An empty float list (`float[]`) reads as an empty int list.
MaybeError ReadInts(OpKind k, const Attrs& a, std::string_view name, size_t count,
                    std::vector<int64_t> dflt, std::vector<int64_t>* out, bool required = false);
// A list of exactly two integers (stride, padding, dilation, kernel), without allocating: the
// conv2d and pooling rules run for every such op several times per compile (the elaborator, the
// verifier, the passes' candidate checks).
using Ints2 = std::array<int64_t, 2>;
MaybeError ReadInts2(OpKind k, const Attrs& a, std::string_view name, Ints2 dflt, Ints2* out,
                     bool required = false);
// Every value of list attribute `name` must be >= min (1: "positive", 0: "non-negative").
MaybeError CheckMin(OpKind k, std::string_view name, std::span<const int64_t> v, int64_t min);
// Normalizes a possibly negative axis into [0, rank); kAttr error when out of range.
MaybeError NormAxis(OpKind k, std::string_view what, int64_t axis, size_t rank, int64_t* out);

// Operand checks; `role` names the operand in the message ("input", "weight", "bias").
MaybeError RequireNumeric(OpKind k, const Operands& in, int i, std::string_view role);
MaybeError RequireFloat(OpKind k, const Operands& in, int i, std::string_view role);
// `what` describes the expectation: "a 4-d input [N, C, H, W]".
MaybeError RequireRank(OpKind k, const Operands& in, int i, size_t rank, std::string_view what);
MaybeError RequireMinRank(OpKind k, const Operands& in, int i, size_t rank, std::string_view what);
// A rank-1 tensor of `size` elements (per-channel parameters, biases).
MaybeError RequireVector(OpKind k, const Operands& in, int i, const Dim& size,
                         std::string_view role);

// Rules defined in shape_ops.cc and dispatched from InferType in shape.cc.
TypeOrError InferFlatten(const Operands& in, const Attrs& a);
TypeOrError InferReshape(const Operands& in, const Attrs& a);
TypeOrError InferTranspose(const Operands& in, const Attrs& a);
TypeOrError InferPermute(const Operands& in, const Attrs& a);
TypeOrError InferConcat(const Operands& in, const Attrs& a);
TypeOrError InferPad(const Operands& in, const Attrs& a);
TypeOrError InferReduce(OpKind k, const Operands& in, const Attrs& a);
TypeOrError InferTernaryQuantize(const Operands& in, const Attrs& a);
TypeOrError InferSteQuantize(const Operands& in, const Attrs& a);
TypeOrError InferDequantize(const Operands& in, const Attrs& a);
TypeOrError InferQuantizeInt8(const Operands& in, const Attrs& a);
TypeOrError InferCast(const Operands& in, const Attrs& a);
// batch_norm's rule once its attributes are read (shape.cc); the fused ops' rule uses it too.
TypeOrError BatchNormType(const Operands& in, double eps);
// fused_conv2d and fused_linear (fused.cc).
TypeOrError InferFused(OpKind k, const Operands& in, const Attrs& a);

}  // namespace triton::ir::shape_internal
