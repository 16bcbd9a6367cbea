#pragma once
// Internal to the reference evaluator (eval*.cc): operand views, result storage, index helpers
// and the per-family entry points that EvalOp's switch (eval.cc) dispatches to. Not a public
// header. Every Eval* function receives operands already validated, the result HostTensor with
// its dtype and shape from InferType (data sized, zero-filled), and attributes that InferType
// has checked, so attribute defaults here must equal the type rules' defaults.
#include <cstdint>
#include <string>
#include <vector>

#include "triton/ir/eval.h"

namespace triton::ir::eval_internal {

using Ins = std::vector<const HostTensor*>;

// The values an op computes with (eval.h): codes for trit operands when `codes` is true, code *
// scale otherwise; other tensors' data as is. Borrows the data when no conversion is needed.
class Values {
 public:
  Values(const HostTensor& t, bool codes);
  Values(const Values&) = delete;
  Values& operator=(const Values&) = delete;
  const float* data() const { return ptr_; }
  float operator[](int64_t i) const { return ptr_[i]; }
  std::vector<float> Copy() const { return std::vector<float>(ptr_, ptr_ + size_); }

 private:
  std::vector<float> own_;
  const float* ptr_;
  size_t size_;
};

// True when ops producing `result` read trit operands as codes (an integer or bool result).
inline bool ReadsCodes(DType result) { return !IsFloat(result); }

// Stores a computed value in dtype `t` (eval.h: float rounding, integer wrap-around, bool).
float StoreAs(DType t, double v);
// `cast`'s conversion of a value of dtype `from` to `to` (eval_quant.cc documents it).
float CastValue(DType from, DType to, double v);
// Rounds to the nearest float16 / bfloat16 value, ties to even; overflow gives +-Inf.
double RoundToHalf(double v);
double RoundToBFloat16(double v);

int64_t Product(const std::vector<int64_t>& shape, size_t begin = 0, size_t end = SIZE_MAX);
std::vector<int64_t> Strides(const std::vector<int64_t>& shape);  // row-major, in elements

// The (scale_pos, scale_neg) of element `i` of a trit tensor (1, 1 without scales).
void ElementScales(const HostTensor& t, int64_t i, float* pos, float* neg);

// Data movement: out element i becomes element src[i] of the sources laid end to end (source k's
// flat indices follow those of source k - 1), or `fill` (already in out's dtype: a code for trit)
// where src[i] < 0. Values convert to out.dtype as the op reads them (trit -> code or code *
// scale). A trit result gets its scales from its elements' scales (eval.h); an error when they fit
// neither one scale nor one per slice of an axis. A non-trit result keeps a one-element scale_pos
// that all sources share (a quantize_int8 result moved by a layout op). A trit result tries
// one scale pair per slice of `preferred_axis` first (where the op put the operand's channel
// axis; -1: none), then one pair for the tensor, then each axis in order.
Status Gather(const Ins& sources, const std::vector<int64_t>& src, float fill, HostTensor& out,
              int64_t preferred_axis = -1);
// The axis a trit tensor's per-channel scales index, or -1 (not trit, or per-tensor scales).
int64_t ChannelAxis(const HostTensor& t);

// An error Status "<mnemonic>: <message>".
Status OpError(OpKind k, const std::string& message);

// ---------------------------------------------------------------- families
Status EvalConv2d(const Op& op, const Ins& in, HostTensor& out);  // eval_dense.cc
Status EvalLinear(const Op& op, const Ins& in, HostTensor& out);
Status EvalMatMul(const Op& op, const Ins& in, HostTensor& out);
Status EvalBatchNorm(const Op& op, const Ins& in, HostTensor& out);
Status EvalLayerNorm(const Op& op, const Ins& in, HostTensor& out);
Status EvalFused(const Op& op, const Ins& in, HostTensor& out);  // eval_fused.cc
Status EvalUnary(const Op& op, const Ins& in, HostTensor& out);  // eval_elementwise.cc
Status EvalSoftmax(const Op& op, const Ins& in, HostTensor& out);
Status EvalBinary(const Op& op, const Ins& in, HostTensor& out);
Status EvalMaxPool2d(const Op& op, const Ins& in, HostTensor& out);  // eval_pool.cc
Status EvalAvgPool2d(const Op& op, const Ins& in, HostTensor& out);
Status EvalGlobalAvgPool2d(const Op& op, const Ins& in, HostTensor& out);
Status EvalAdaptiveAvgPool2d(const Op& op, const Ins& in, HostTensor& out);
Status EvalFlatten(const Op& op, const Ins& in, HostTensor& out);  // eval_layout.cc
Status EvalTranspose(const Op& op, const Ins& in, HostTensor& out);
Status EvalPermute(const Op& op, const Ins& in, HostTensor& out);
Status EvalConcat(const Op& op, const Ins& in, HostTensor& out);
Status EvalPad(const Op& op, const Ins& in, HostTensor& out);
Status EvalReduce(const Op& op, const Ins& in, HostTensor& out);
Status EvalTernaryQuantize(const Op& op, const Ins& in, HostTensor& out);  // eval_quant.cc
Status EvalDequantize(const Op& op, const Ins& in, HostTensor& out);
Status EvalQuantizeInt8(const Op& op, const Ins& in, HostTensor& out);
Status EvalCast(const Op& op, const Ins& in, HostTensor& out);
// dropout, ste_quantize: the result is the operand (codes, scales and all).
Status EvalIdentity(const Op& op, const Ins& in, HostTensor& out);

}  // namespace triton::ir::eval_internal
