#pragma once
// The IR: an SSA dataflow graph of tensor ops (DESIGN.md §1). Every value is defined once, by a
// graph input, a parameter (learnable weight or buffer), a constant, or an op. Ops are stored in
// a valid topological order (operands defined before use).
#include <cstdint>
#include <string>
#include <vector>

#include "triton/ir/ops.h"

namespace triton::ir {

using ValueId = int32_t;
inline constexpr ValueId kNoValue = -1;

enum class ValueKind : uint8_t { kInput, kParam, kConst, kOp };

struct Value {
  ValueKind kind;
  TensorType type;
  std::string
      name;     // inputs and params: their name (params: dotted PyTorch path); ops: "" or a hint
  int32_t def;  // index into Module::inputs / params / consts / ops by kind
};

// How a ternary parameter is quantized, recorded so that training and export agree.
struct QuantSpec {
  std::string method = "twn";  // twn | threshold | stochastic | learned | absmean
  double threshold = 0.7;      // threshold factor (x mean|W| for twn)
  bool per_channel = true;     // one scale per output channel (dim 0), else one per tensor
  bool operator==(const QuantSpec& o) const = default;
};

struct Param {
  ValueId value = kNoValue;
  bool trainable = true;  // false: a buffer (batch-norm running statistics); not a parameter count
  bool ternary = false;   // dtype trit; `quant` applies
  QuantSpec quant;
  std::string init = "zeros";  // zeros | ones | normal | kaiming_normal | random_ternary | ...
  Attrs init_args;             // e.g. std=0.01, mode="fan_out"
};

struct Constant {
  ValueId value = kNoValue;
  std::vector<double> data;  // row-major, num_elements() entries (trits as -1, 0, 1)
};

struct Op {
  OpKind kind;
  std::vector<ValueId> operands;
  Attrs attrs;
  ValueId result = kNoValue;
  std::string
      scope;  // dotted path of the layer instance that produced it ("layer1.0.conv1"), or ""
};

struct Module {
  std::string name;
  std::vector<Value> values;
  std::vector<ValueId> inputs;
  std::vector<Param> params;
  std::vector<Constant> consts;
  std::vector<Op> ops;
  std::vector<ValueId> outputs;

  const Value& value(ValueId id) const { return values.at(static_cast<size_t>(id)); }
  const TensorType& type(ValueId id) const { return value(id).type; }
  // Sum of elements of trainable params (PyTorch's parameters() count); ternary ones separately.
  int64_t ParameterCount() const;
  int64_t TernaryParameterCount() const;
  int64_t MacCount() const;  // per sample, summed over ops
};

}  // namespace triton::ir
