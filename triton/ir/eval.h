#pragma once
// The reference evaluator: plain scalar C++ that defines the meaning of every op (DESIGN.md §1).
// Optimized kernels, the libtorch lowering and generated code are tested against it.
//
// Values: a HostTensor holds its elements as float (exact for trit, bool and int8/int16; int32
// and int64 values beyond 2^24 are not exact in this reference). A trit tensor also carries its
// scales: element i of channel c means scale_pos[c] * t if t > 0, scale_neg[c] * t if t < 0
// (one scale for the whole tensor when the vectors have one entry). Ops read trit operands by
// that meaning; ternary_quantize produces codes and scales.
#include <cstdint>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::ir {

struct HostTensor {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<float> data;
  std::vector<float> scale_pos, scale_neg;  // trit tensors only
  int64_t num_elements() const;
  TensorType type() const;  // static TensorType of this shape
};

// The float value of every element (trit tensors: code * scale).
std::vector<float> Dequantized(const HostTensor& t);

// Evaluates one op on concrete inputs. The result shape comes from InferType on the concrete
// input types; a shape error is returned as an error Status (never a crash).
Result<HostTensor> EvalOp(const Op& op, const std::vector<const HostTensor*>& inputs);

// Evaluates a whole module. `inputs` follow Module::inputs, `params` follow Module::params
// (shapes must match their declared types, with symbolic/unknown dims bound by the inputs).
Result<std::vector<HostTensor>> Evaluate(const Module& m, const std::vector<HostTensor>& inputs,
                                         const std::vector<HostTensor>& params);

}  // namespace triton::ir
