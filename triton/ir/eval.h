#pragma once
// The reference evaluator: plain scalar C++ that defines the meaning of every op (DESIGN.md §1).
// Optimized kernels, the libtorch lowering and generated code are tested against it. The rules
// every op follows are written here; per-op formulas sit beside each op's code (eval_*.cc).
//
// Values: a HostTensor holds its elements as float (exact for trit, bool, int8/int16 and
// float16/bfloat16; int32 and int64 values beyond 2^24 and float64 values are not exact in this
// reference). A trit tensor also carries its scales: element i of channel c (its index along
// `scale_axis`, dim 0 unless a layout op moved it) means scale_pos[c] * t if t > 0 and
// scale_neg[c] * t if t < 0 (one scale for the whole tensor when the vectors have one entry; no
// scales at all mean 1; an empty scale_neg means scale_neg = scale_pos).
//
// How an op reads its operands (one rule for all ops): the op computes in the class of its result
// type. Where the result is a float type, a trit operand means code * scale (Dequantized); where
// the type rules give an integer result (trit op trit -> int8, conv2d(int8, trit) -> int32, ...,
// the trit widening to int8 as in dtype.h), a trit operand means its code, exactly like the
// integer kernels, and scales apply only where values become real (dequantize, or a float op).
// Ops whose result is trit (layout ops, max/min, maxpool2d, dropout, ste_quantize) move codes and
// carry each element's scales along; the result gets one scale, or one per slice of some axis,
// and an error Status when its elements' scales fit neither (e.g. concat of trit tensors whose
// per-channel scales differ, along another axis).
//
// Arithmetic is done in double and stored in the result type: float32 rounds to nearest,
// float16/bfloat16 round to nearest even in their own format, integer results wrap modulo 2^bits
// (two's complement, as PyTorch's integer tensors), bool is x != 0. `cast` differs on purpose:
// float -> integer truncates toward zero and saturates (NaN -> 0), see eval_quant.cc.
#include <cstdint>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::ir {

struct HostTensor {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<float> data;
  // Trit tensors: the scales above. int8 results of quantize_int8: scale_pos holds the one
  // per-tensor scale (x ~ q * scale_pos[0]), so that dequantize without a scale operand undoes it.
  std::vector<float> scale_pos, scale_neg;
  int64_t scale_axis = 0;  // the dim per-channel scales index: 0 unless a layout op moved it
  int64_t num_elements() const;
  TensorType type() const;  // static TensorType of this shape
};

// The float value of every element (trit tensors: code * scale; other tensors: their values,
// with no scale applied).
std::vector<float> Dequantized(const HostTensor& t);

// Checks that `t` is well formed: non-negative dims, data.size() == num_elements(), trit codes in
// {-1, 0, 1}, bool values 0/1, integer values integral, float16/bfloat16 values representable in
// their format, and scale vectors of a valid length for the scale axis (only trit tensors, and
// int8 ones for scale_pos, carry scales). `what` names the tensor in the message ("input x",
// "operand 1 of conv2d").
Status ValidateHostTensor(const HostTensor& t, const std::string& what);

// Evaluates one op on concrete inputs. The result shape comes from InferType on the concrete
// input types; a shape error is returned as an error Status with the IR's message (never a crash).
Result<HostTensor> EvalOp(const Op& op, const std::vector<const HostTensor*>& inputs);

// Evaluates a whole module. `inputs` follow Module::inputs, `params` follow Module::params
// (shapes must match their declared types, with symbolic/unknown dims bound by the inputs);
// constants come from the module (trit constants: codes with unit scales). Errors name the
// value (input, param, or the op by index, mnemonic and scope). Returns Module::outputs in order.
Result<std::vector<HostTensor>> Evaluate(const Module& m, const std::vector<HostTensor>& inputs,
                                         const std::vector<HostTensor>& params);

}  // namespace triton::ir
