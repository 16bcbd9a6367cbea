#include "triton/ir/module.h"

namespace triton::ir {
namespace {

// Saturating sum: counts of absurd (parsed, unverified) modules must not overflow.
int64_t SatAdd(int64_t a, int64_t b) {
  int64_t s = 0;
  return __builtin_add_overflow(a, b, &s) ? INT64_MAX : s;
}

// Elements of a param's value; params of non-static type (never produced by the front end) and
// dangling ids count 0.
int64_t ParamElements(const Module& m, const Param& p) {
  if (p.value < 0 || static_cast<size_t>(p.value) >= m.values.size()) return 0;
  const int64_t n = m.type(p.value).num_elements();
  return n < 0 ? 0 : n;
}

}  // namespace

int64_t Module::ParameterCount() const {
  int64_t n = 0;
  for (const Param& p : params) {
    if (p.trainable) n = SatAdd(n, ParamElements(*this, p));
  }
  return n;
}

int64_t Module::TernaryParameterCount() const {
  int64_t n = 0;
  for (const Param& p : params) {
    if (p.trainable && p.ternary) n = SatAdd(n, ParamElements(*this, p));
  }
  return n;
}

int64_t Module::MacCount() const {
  int64_t n = 0;
  std::vector<TensorType> operand_types;
  for (const Op& op : ops) {
    operand_types.clear();
    bool valid = op.result >= 0 && static_cast<size_t>(op.result) < values.size();
    for (ValueId id : op.operands) {
      if (id < 0 || static_cast<size_t>(id) >= values.size()) {
        valid = false;
        break;
      }
      operand_types.push_back(type(id));
    }
    if (valid) n = SatAdd(n, CountMacs(op.kind, operand_types, type(op.result), op.attrs));
  }
  return n;
}

}  // namespace triton::ir
